"""Serving a public page with as few queries as the page itself needs.

Wagtail finds a page with one query for the site, two per level of the tree
(the child, then its specific row) and two for the view restrictions over
its ancestors. None of this changes between two edits, so it is cached
under the site's version (cchc/core/site_version.py), which every change to
a page, a view restriction or a site raises: a request costs one query for
the version, and the page's own content.

Nothing is decided differently: on a miss Wagtail walks the tree as usual
and its result is kept; the restrictions kept are Wagtail's own rows, and
Wagtail's hook still checks each of them against the request (login,
groups, password), so a private page stays private.
"""

from __future__ import annotations

from wagtail import views as wagtail_views
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from cchc.core import site_version


def serve(request, path):
    """Wagtail's serve view, with the site looked up from the cache."""
    if not hasattr(request, "_wagtail_site"):
        host = request._get_raw_host()  # as Wagtail does: ALLOWED_HOSTS is checked elsewhere
        port = request.get_port()
        site = site_version.cached(
            f"site:{host}:{port}", site_version.current(request), lambda: _site_for(request)
        )
        if site is not None:
            request._wagtail_site = site
    return wagtail_views.serve(request, path)


def _site_for(request) -> Site | None:
    site = Site._find_for_request(request)
    if site is not None:
        site.root_page.specific  # noqa: B018 - kept with the site: the home page
    return site


def cached_route(home: Page, request, path_components: list[str], walk) -> RouteResult:
    """`walk(request, path_components)` (Page.route), its result kept for this version.

    Only pages are kept, never a 404: unknown addresses must not fill the cache.
    """
    version = site_version.current(request)
    name = f"route:{home.pk}:{'/'.join(path_components)}"
    kept = site_version.get(name, version)
    if kept is not None:
        page, subpath = kept
        if subpath is None:
            return RouteResult(page)
        # A routable page's own address (or its feed…): resolved again, no query.
        match = page.resolve_subpage(subpath)
        request.routable_resolver_match = match
        view, args, kwargs = match
        return RouteResult(page, args=(view, args, kwargs))
    result = walk(request, path_components)
    keepable = _keepable(home, result, path_components)
    if keepable is not None:
        site_version.put(name, version, keepable)
    return result


def _keepable(home: Page, result: RouteResult, path_components: list[str]):
    page, args, kwargs = result
    if not args and not kwargs:
        subpath = None
    elif isinstance(page, RoutablePageMixin) and not kwargs:
        rest = path_components[page.depth - home.depth :]
        subpath = "/" + "".join(f"{c}/" for c in rest)
    else:
        return None  # another kind of route: walked every time
    # Not the chain of parents the walk hung on the page.
    page.__dict__.pop("_cached_parent_obj", None)
    for name in getattr(page, "served_with", ()):
        getattr(page, name)  # loaded now, so kept with the page
    page.served_view_restrictions = list(Page.get_view_restrictions(page))
    return page, subpath


class CachedViewRestrictionsMixin:
    """Page types served through cached_route: their view restrictions come with them.

    Wagtail's before-serve check asks `get_view_restrictions()` (two queries);
    a page from the route cache already holds the same rows. The back office
    (privacy settings) gets Wagtail's queryset as always.
    """

    def get_view_restrictions(self):
        restrictions = self.__dict__.get("served_view_restrictions")
        if restrictions is None:
            return super().get_view_restrictions()
        return restrictions
