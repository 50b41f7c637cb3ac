from django.conf import settings
from django.utils.functional import SimpleLazyObject

from cchc.core.models import HomePage

# (label, url) pairs that apps add to the public navigation.
NAV_ITEMS: list[tuple[str, str]] = []


def site(request):
    # Lazy: only pages that show the footer pay for the query.
    home = SimpleLazyObject(lambda: HomePage.objects.live().first())
    path = request.path
    nav = [{"label": label, "url": url, "current": url in path} for label, url in NAV_ITEMS]
    return {"site_name": settings.SITE_NAME, "portal_home": home, "nav_items": nav}
