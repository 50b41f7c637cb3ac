from django.http import HttpResponse
from django.urls import include, path


def ping(request):
    """The baseline: the smallest Django view, through the same middleware."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/ping", ping),
    path("", include("cchc.urls")),
]
