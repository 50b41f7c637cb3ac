from django.contrib.auth.backends import ModelBackend

from cchc import access

LOCKED_MESSAGE = (
    "Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau {minutes} phút."
)


class RoleBackend(ModelBackend):
    """Username/password sign-in whose permissions come from the user's roles
    (cchc.access). Lockouts are axes' (AxesStandaloneBackend runs first)."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return super().get_all_permissions(user_obj) | access.model_permissions(user_obj)
