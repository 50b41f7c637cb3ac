"""Enumerate every back-office URL so access rules are checked for all of them."""

from __future__ import annotations

import re

from django.urls import URLPattern, URLResolver, get_resolver

PREFIX = "quan-tri/"
# Pages that must stay open to anonymous visitors: signing in and resetting a password.
PUBLIC = re.compile(r"^/quan-tri/(login|password_reset|logout|jsi18n|sprite)")
CHANGE_WORDS = re.compile(
    r"(add|new|create|edit|delete|copy|move|publish|unpublish|revert|lock|unlock|import|"
    r"clone|revise|freeze|sap-nhap|ngung-hoat-dong|bulk|reorder|set_privacy|convert|approve|"
    r"reject|cancel|workflow_action|submit|upload)",
    re.IGNORECASE,
)


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def routes() -> list[str]:
    """Every route of the URL map, as its pattern text."""
    return sorted({route for route, _pattern in _walk(get_resolver().url_patterns)})


def is_regex(route: str) -> bool:
    # Legacy regex routes are reached through their path() twins.
    return bool(re.search(r"\(\?P|\\|\.\*|\(|\|", route.replace("^", "").replace("$", "")))


def _fill(route: str, ids) -> str | None:
    """The URL of `route` with its parameters from `ids`.

    `ids` is a dict (parameter name, or "int"/"slug"/"str" for any other) or
    a callable(route, converter, name) -> value.
    """
    # Included regex prefixes (the admin API's "^pages/") keep their anchors.
    route = route.replace("^", "").replace("$", "")
    if is_regex(route):
        return None

    def repl(m):
        conv, name = m.group(1) or "str", m.group(2)
        if callable(ids):
            return str(ids(route, conv, name))
        if conv == "int":
            return ids.get(name, ids["int"])
        if conv == "slug":
            return ids.get(name, ids["slug"])
        return ids.get(name, ids["str"])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", repl, route)


def backoffice_routes() -> list[str]:
    """Every back-office route but the pages open to anonymous visitors."""
    return [
        r
        for r in routes()
        if r.startswith(PREFIX) and not is_regex(r) and not PUBLIC.match("/" + r)
    ]


def public_routes() -> list[str]:
    """Every route outside the back office (Wagtail's page tree is one of them)."""
    return [r for r in routes() if not r.startswith(PREFIX)]


def backoffice_urls(ids) -> list[tuple[str, str]]:
    """(url, route) for every back-office pattern, with parameters filled from `ids`."""
    found = []
    for route, _pattern in _walk(get_resolver().url_patterns):
        if not route.startswith(PREFIX):
            continue
        url = _fill(route, ids)
        if url and not PUBLIC.match(url):
            found.append((url, route))
    return sorted(set(found))
