from django.conf import settings
from django.http import HttpResponse
from django.urls import include, path

# A page of about 5 KB, as django-hitcount's own row measures a page with it.
PAGE = (
    b"<!doctype html><html lang=vi><title>Trang</title><main>"
    + b"<p>"
    + b"N\xe1\xbb\x99i dung trang. " * 250
    + b"</p></main></html>"
)


def ping(request):
    """The baseline: the smallest Django view, through the same middleware."""
    return HttpResponse(b"ok", content_type="text/plain")


def hitcount_page(request):
    """The 5 KB page without counting: hitcount's own baseline."""
    return HttpResponse(PAGE)


def hitcount_counted(request):
    """The same page counted by django-hitcount (its session, IP and hit rows)."""
    from hitcount.models import HitCount
    from hitcount.views import HitCountMixin

    unit = _unit()
    hit_count = HitCount.objects.get_for_object(unit)
    HitCountMixin.hit_count(request, hit_count)
    return HttpResponse(PAGE)


_UNIT = []


def _unit():
    from cchc.org.models import Unit

    if not _UNIT:
        _UNIT.append(Unit.objects.order_by("pk").first())
    return _UNIT[0]


urlpatterns = [
    path("bench/ping", ping),
    path("bench/page", hitcount_page),
]
if settings.HITCOUNT:
    urlpatterns.append(path("bench/hitcount", hitcount_counted))
urlpatterns.append(path("", include("cchc.urls")))
