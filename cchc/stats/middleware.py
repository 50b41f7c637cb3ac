"""The beacon's short way through the middleware.

A beacon is a public, cookie-less, CSRF-exempt POST that answers 204: it
needs no session, user, locale, messages, CSP, page cache, HTMX or back-office
scope checks, which cost more than counting it. Placed right after the
security and static-file middleware (their headers still apply), this answers
the beacon and the pixel at once and hands every other request on.
"""

from __future__ import annotations

import functools

from django.urls import reverse


@functools.cache
def _beacon_views() -> dict:
    from cchc.stats import views

    return {reverse("stats:beacon"): views.beacon, reverse("stats:pixel"): views.pixel}


class BeaconMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = _beacon_views().get(request.path_info)
        if view is None:
            return self.get_response(request)
        return view(request)
