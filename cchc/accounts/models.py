from django.db import models


class LoginFailure(models.Model):
    """Failed sign-ins per key within a window, for throttling.

    The key is a salted hash of the username or of the client address: no
    raw IP address or typed username is stored.
    """

    key = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_start = models.DateTimeField()

    class Meta:
        verbose_name = "đăng nhập sai"
        verbose_name_plural = "đăng nhập sai"

    def __str__(self) -> str:
        return f"{self.key[:8]}… {self.failures}"
