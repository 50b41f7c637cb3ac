from django.conf import settings
from django.utils.functional import SimpleLazyObject

from cchc.core import hooks
from cchc.core.models import HomePage


def site(request):
    # Lazy: only pages that show the footer pay for the query.
    home = SimpleLazyObject(lambda: HomePage.objects.live().first())
    path = request.path
    nav = [
        {"label": label, "url": url, "current": url in path}
        for label, url in hooks.run(hooks.NAV_ITEMS)
    ]
    return {"site_name": settings.SITE_NAME, "portal_home": home, "nav_items": nav}
