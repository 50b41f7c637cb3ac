from django.conf import settings
from django.http import Http404
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from cchc.accounts import account_views
from cchc.accounts.views import LoginView, PasswordResetView
from cchc.core import serving
from cchc.core.views import healthz

handler403 = "cchc.core.views.permission_denied_view"


def no_error_test(request):
    # Wagtail's /quan-tri/failwhale/ raises an exception on purpose to show
    # the 500 page; for users it is only a crash, so it does not exist here.
    raise Http404("Không tìm thấy trang.")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Our sign-in view wraps Wagtail's: throttled, and it lands the user on
    # the page of what they can do now.
    path("quan-tri/login/", LoginView.as_view(), name="wagtailadmin_login"),
    # Wagtail's reset form with the mails it sends capped (cchc/accounts/views.py).
    path(
        "quan-tri/password_reset/",
        PasswordResetView.as_view(),
        name="wagtailadmin_password_reset",
    ),
    path("quan-tri/failwhale/", require_admin_access(no_error_test)),
    # Wagtail's own account and password-reset screens, audited.
    path(
        "quan-tri/account/",
        require_admin_access(account_views.AccountView.as_view()),
        name="wagtailadmin_account",
    ),
    path(
        "quan-tri/password_reset/confirm/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="wagtailadmin_password_reset_confirm",
    ),
    path("quan-tri/", include(wagtailadmin_urls)),
    path("tai-lieu/", include(wagtaildocs_urls)),
    path("", include("cchc.stats.urls")),
    path("", include("cchc.news.urls")),
    path("", include("cchc.par.urls")),
    path("", include("cchc.sipas.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(
        settings.MEDIA_URL + "images/", document_root=settings.MEDIA_ROOT / "images"
    )

urlpatterns += [
    # Wagtail's page serving, with the site and the route cached (cchc/core/serving.py);
    # Wagtail's own _util/ views (password, sign-in of private pages) stay its own.
    re_path("^(?!_util/)" + wagtail_urls.serve_pattern[1:], serving.serve, name="cchc_serve"),
    path("", include(wagtail_urls)),
]
