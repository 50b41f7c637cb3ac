"""Following a notification from the landing page: it is marked read, then opened."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from cchc import access
from cchc.par.services import notify


def notification_open(request, pk: int):
    found = notify.notification_read(user=request.user, notification_id=pk)
    if found is None:
        raise access.not_found()
    target = found.url
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("wagtailadmin_home")
    return redirect(target)


urlpatterns = [
    path("chi-so-cchc/thong-bao/<int:pk>/", notification_open, name="par_notification_open"),
]
