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


def _fill(route: str, ids: dict[str, str]) -> str | None:
    route = route.lstrip("^").rstrip("$")
    if "(?P" in route or "\\" in route:
        return None  # regex routes (legacy) are reached through their path() twins

    def repl(m):
        conv, name = m.group(1) or "str", m.group(2)
        if conv == "int":
            return ids.get(name, ids["int"])
        if conv == "slug":
            return ids.get(name, ids["slug"])
        return ids.get(name, ids["str"])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", repl, route)


def backoffice_urls(ids: dict[str, str]) -> list[tuple[str, str]]:
    """(url, route) for every back-office pattern, with parameters filled from `ids`."""
    found = []
    for route, _pattern in _walk(get_resolver().url_patterns):
        if not route.startswith(PREFIX):
            continue
        url = _fill(route, ids)
        if url and not PUBLIC.match(url):
            found.append((url, route))
    return sorted(set(found))
