from django.conf import settings
from django.core.exceptions import ValidationError
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from cchc.accounts.backends import LOCKED_MESSAGE


class LoginForm(WagtailLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail's field has no label, so Django shows its English name.
        self.fields["password"].label = "Mật khẩu"
        self.fields["username"].widget.attrs["placeholder"] = "Nhập tên đăng nhập"

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            # Set by django-axes when this attempt was refused or locked the
            # sign-in (cchc/accounts/lockout.py): say so rather than "wrong password".
            if getattr(self.request, "axes_locked_out", False):
                raise ValidationError(
                    LOCKED_MESSAGE.format(minutes=settings.LOGIN_LOCKOUT_MINUTES), code="locked"
                ) from None
            raise
