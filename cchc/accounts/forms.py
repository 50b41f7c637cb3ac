from django.conf import settings
from django.core.exceptions import ValidationError
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from cchc.accounts import throttle
from cchc.accounts.backends import LOCKED_MESSAGE


class LoginForm(WagtailLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail's field has no label, so Django shows its English name.
        self.fields["password"].label = "Mật khẩu"
        self.fields["username"].widget.attrs["placeholder"] = "Nhập tên đăng nhập"

    def clean(self):
        keys = throttle.keys_for(self.data.get("username"), self.request)
        if throttle.is_locked(keys):
            raise ValidationError(
                LOCKED_MESSAGE.format(minutes=settings.LOGIN_LOCKOUT_MINUTES), code="locked"
            )
        return super().clean()
