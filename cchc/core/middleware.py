"""A short-lived cache of public CCHC pages for anonymous visitors.

Section, topic and article pages are read far more than they change, and
Wagtail resolves every URL through the page tree; serving a copy rendered a
few seconds ago lets the portal take a crowd. Visits are still counted, by
the beacon each page carries, and signed-in editors always see fresh pages.
"""

from __future__ import annotations

import hashlib
import re

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost

CACHEABLE = re.compile(r"^/(cchc/|don-vi/[\w-]+/cchc/)")


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        if not seconds or not self._cacheable(request):
            return self.get_response(request)
        try:
            host = request.get_host()
        except DisallowedHost:
            return self.get_response(request)  # Django answers 400
        # One copy per scheme and host: a page names its own address (links,
        # canonical URL), and another site on this server must not get it.
        address = f"{request.scheme}://{host}{request.get_full_path()}"
        key = "page:" + hashlib.sha256(address.encode()).hexdigest()
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = self.get_response(request)
        if response.status_code == 200 and not response.cookies and not response.streaming:
            cache.set(key, response, seconds)
        return response

    @staticmethod
    def _cacheable(request) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
            and CACHEABLE.match(request.path) is not None
        )


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware: CONTENT_SECURITY_POLICY on every page, and
    CSP_BACK_OFFICE_UPDATE added under the back office's prefix.

    Our own templates need no inline script or style. Wagtail's admin renders
    inline scripts (date pickers, inline panels) and inline styles, without a
    nonce, so only its pages get 'unsafe-inline'.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(settings.CSP_BACK_OFFICE_PREFIX):
            parts.update = {**settings.CSP_BACK_OFFICE_UPDATE, **(parts.update or {})}
        return parts
