from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cchc.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from cchc.accounts.names import apply_vietnamese_name_order

        # Family name first wherever a name is shown (see names.py).
        apply_vietnamese_name_order(get_user_model())
