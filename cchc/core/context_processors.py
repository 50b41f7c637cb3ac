from django.conf import settings
from django.utils.functional import SimpleLazyObject

from cchc.core import hooks, site_version
from cchc.core.models import HomePage


def portal_home(request) -> HomePage | None:
    """The portal's home page (the footer's contact details)."""
    return site_version.cached(
        "core:portal_home",
        site_version.current(request),
        lambda: HomePage.objects.live().first(),
    )


def site(request):
    # Lazy: only pages that show the footer pay for it, kept under the site's version.
    home = SimpleLazyObject(lambda: portal_home(request))
    path = request.path
    nav = [
        {"label": label, "url": url, "current": url in path}
        for label, url in hooks.run(hooks.NAV_ITEMS)
    ]
    return {
        "site_name": settings.SITE_NAME,
        "portal_home": home,
        "nav_items": nav,
        "session_open": session_open(request),
    }


def session_open(request) -> bool:
    """Whether the browser holds a session: the header offers the workspace, not sign-in.

    Read from the cookie, not the session: a public page then loads neither the
    session nor the user (two queries), so a signed-in reader costs what an
    anonymous one does. Signing out deletes the cookie; a session that expired
    meanwhile leads to the sign-in page from the workspace link.
    """
    return bool(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
