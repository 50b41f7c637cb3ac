from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from cchc import access
from cchc.accounts import throttle

LOCKED_MESSAGE = (
    "Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau {minutes} phút."
)


class ThrottledModelBackend(ModelBackend):
    """Username/password sign-in that refuses while an account is locked out,
    and whose permissions come from the user's roles (cchc.access)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        keys = throttle.keys_for(username, request)
        if throttle.is_locked(keys):
            # PermissionDenied stops Django from trying other backends.
            raise PermissionDenied("locked")
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return super().get_all_permissions(user_obj) | access.model_permissions(user_obj)
