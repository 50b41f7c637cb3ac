"""Content-Security-Policy on every HTML page (django-csp, cchc/core/middleware.py)."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, set[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in filter(None, (p.strip() for p in header.split(";"))):
        name, *values = part.split()
        directives[name] = set(values)
    return directives


def test_a_public_page_allows_only_the_portals_own_scripts_and_styles(cast, client):
    csp = policy(client.get("/cchc/"))
    assert csp["script-src"] == {"'self'"}
    assert csp["style-src"] == {"'self'"}
    assert csp["object-src"] == {"'none'"}
    assert csp["frame-ancestors"] == {"'self'"}
    assert csp["base-uri"] == {"'self'"} and csp["form-action"] == {"'self'"}


def test_the_sign_in_page_and_the_back_office_allow_wagtails_inline_code(cast, client_as):
    for response in (
        client_as(cast.editor_a).get("/quan-tri/"),
        client_as(cast.admin).get("/quan-tri/pages/"),
    ):
        csp = policy(response)
        assert csp["script-src"] == {"'self'", "'unsafe-inline'"}
        assert csp["style-src"] == {"'self'", "'unsafe-inline'"}
        assert csp["frame-ancestors"] == {"'self'"}
        assert "'unsafe-eval'" not in csp["script-src"]


def test_the_widget_can_be_framed_by_any_site_and_nothing_else_can(cast, client):
    widget = client.get("/cchc/nhung/")
    assert widget.status_code == 200
    assert policy(widget)["frame-ancestors"] == {"*"}
    assert "'unsafe-inline'" not in policy(widget)["script-src"]
    assert "X-Frame-Options" not in widget.headers
    page = client.get("/cchc/")
    assert page.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert policy(page)["frame-ancestors"] == {"'self'"}


def test_a_cached_page_keeps_its_policy(cast, client, settings):
    cache.clear()
    settings.PUBLIC_PAGE_CACHE_SECONDS = 30
    first = client.get("/cchc/")
    second = client.get("/cchc/")
    assert policy(second) == policy(first) and policy(second)["script-src"] == {"'self'"}
    cache.clear()
