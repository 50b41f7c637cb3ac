from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from cchc.core import site_version
from cchc.org.selectors import province as province_unit


def province(request):
    # Lazy: only templates that name the province pay for it. Kept under the
    # site's version (a unit saved raises it) and the day (a unit's term).
    def get():
        name = f"org:province:{timezone.localdate()}"
        return site_version.cached(name, site_version.current(request), province_unit)

    return {"province": SimpleLazyObject(get)}
