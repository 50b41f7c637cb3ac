"""Addresses of public pages, for files and screens read away from the site.

One source of truth for the site's public address: ``settings.BASE_URL`` (the
``BASE_URL`` environment variable, also Wagtail's ``WAGTAILADMIN_BASE_URL``). The
Wagtail ``Site`` record only routes requests; its host name (``localhost`` as the
tree is first built) is never written into a workbook or an e-mail.

Page paths come from Wagtail (``Page.get_url``), so the home page's own slug
(``/trang-chu/``), which ``url_path`` carries, never appears in a link.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def public_url(path: str) -> str:
    """``BASE_URL`` + a site path; a full URL keeps only its path and query."""
    if not path:
        return ""
    parts = urlsplit(path)
    if parts.scheme or parts.netloc:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
    return settings.BASE_URL.rstrip("/") + "/" + path.lstrip("/")


def page_path(page, request=None) -> str:
    """The page's address on the site, root-relative ("" if it is not routable).

    Needs only ``url_path`` of the page; the site's root paths are cached by Wagtail
    (per request when one is given), so a list of pages costs no query per row.
    """
    url = page.get_url(request=request) or ""
    if url.startswith(("http://", "https://", "//")):
        parts = urlsplit(url)
        url = parts.path
    return url


def page_public_url(page, request=None) -> str:
    return public_url(page_path(page, request))
