from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cchc.core"
    label = "core"
    verbose_name = "Cổng thông tin"

    def ready(self) -> None:
        import wagtail.admin.auth

        from cchc.core import site_version
        from cchc.core.views import admin_permission_denied

        site_version.connect()

        # Wagtail answers a forbidden back-office request with a redirect to
        # the dashboard; we answer 403 like every other view of ours, so that
        # users see why and the read-only roles are provably refused.
        wagtail.admin.auth.permission_denied = admin_permission_denied
