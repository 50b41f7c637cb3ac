"""The product's own 404 and 500 pages under DEBUG too (`make run`).

With DEBUG on, Django answers a missing page or a crash with its English
technical pages, URL map and traceback included. A developer who wants them
sets DJANGO_DEBUG_PAGES=1; everyone else trying the product sees what users
will see. The traceback still goes to the log.
"""

import logging

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.views import defaults

logger = logging.getLogger("django.request")


def _active() -> bool:
    return settings.DEBUG and not settings.DEBUG_PAGES


class ProductErrorPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # No URL pattern matched: Django built its technical 404 outside any view.
        if (
            _active()
            and response.status_code == 404
            and getattr(request, "resolver_match", None) is None
        ):
            return defaults.page_not_found(request, Http404())
        return response

    def process_exception(self, request, exception):
        if not _active():
            return None
        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        if isinstance(exception, Exception) and not _handled_by_django(exception):
            logger.error("Internal Server Error: %s", request.path, exc_info=exception)
            return defaults.server_error(request)
        return None


def _handled_by_django(exception) -> bool:
    # 403 has the project's own handler whatever DEBUG is; 400s stay Django's.
    return isinstance(
        exception, PermissionDenied | BadRequest | SuspiciousOperation | MultiPartParserError
    )
