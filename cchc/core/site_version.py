"""The public site's version: one number raised by every change a public page may show.

Public pages cache what changes rarely (the route from a URL to its page,
the view restrictions over its ancestors, the site, a section's topic menu,
the unit list) under this number, so a published, unpublished, moved,
renamed or deleted page shows on the very next request, in every worker.

The number is a database row (``core.SiteVersion``), read once per request:
with the default per-process cache a number kept in the cache would be
raised only in the worker that made the change. It is raised inside the
transaction of the change, after the change (post_* signals), so a reader
that sees the new number also sees the new content.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

CACHE_SECONDS = 300
_MISSING = object()


def current(request=None) -> int:
    """The version (memoised on the request: one query per request)."""
    if request is not None and hasattr(request, "_cchc_site_version"):
        return request._cchc_site_version
    # On every public page: a plain statement, not a queryset compiled each time.
    table = connection.ops.quote_name(apps.get_model("core", "SiteVersion")._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {table} WHERE id = 1")  # noqa: S608 - our table's name
        row = cursor.fetchone()
    version = row[0] if row else 0
    if request is not None:
        request._cchc_site_version = version
    return version


def bump(**_signal_kwargs) -> None:
    """Raise the version (a signal receiver, or called directly)."""
    model = apps.get_model("core", "SiteVersion")
    if not model.objects.filter(pk=1).update(version=F("version") + 1):
        model.objects.get_or_create(pk=1, defaults={"version": 1})


def _key(name: str, version: int) -> str:
    return "site:" + hashlib.sha256(f"{version}:{name}".encode()).hexdigest()


def get(name: str, version: int) -> Any:
    """What was kept under `name` for this version, or None."""
    return cache.get(_key(name, version))


def put(name: str, version: int, value: Any) -> None:
    cache.set(_key(name, version), value, CACHE_SECONDS)


def cached(name: str, version: int, build: Callable[[], Any]) -> Any:
    """`build()`'s value, kept for this version (None and False are kept too)."""
    key = _key(name, version)
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(key, value, CACHE_SECONDS)
    return value


def cached_each(
    names: Sequence[str], version: int, build: Callable[[list[int]], list[Any]]
) -> list[Any]:
    """The value kept under each name for this version, in order; `build(positions)`
    makes the missing ones (a list of the same length). One cache round trip to read."""
    keys = [_key(name, version) for name in names]
    kept = cache.get_many(keys)
    missing = [i for i, key in enumerate(keys) if key not in kept]
    if missing:
        made = dict(zip((keys[i] for i in missing), build(missing), strict=True))
        cache.set_many(made, CACHE_SECONDS)
        kept.update(made)
    return [kept[key] for key in keys]


def cached_until(name: str, version: int, build: Callable[[], tuple[Any, Any]]) -> Any:
    """The value of `build() -> (value, until)`, kept for this version while now < until.

    For what also changes with the clock: a list of articles changes when one
    is published, unpublished, moved or deleted (the version is raised) and
    when one of the articles it holds expires (`until`, a datetime; None: no end).
    """
    key = _key(name, version)
    kept = cache.get(key)
    if kept is not None and (kept[1] is None or timezone.now() < kept[1]):
        return kept[0]
    value, until = build()
    cache.set(key, (value, until), CACHE_SECONDS)
    return value


def invalidate_on(*model_labels: str) -> None:
    """Raise the version whenever a row of these models is saved or deleted."""
    for label in model_labels:
        post_save.connect(bump, sender=label, dispatch_uid=f"site_version:save:{label}")
        post_delete.connect(bump, sender=label, dispatch_uid=f"site_version:delete:{label}")


def _page_saved_or_deleted(sender, instance, **kwargs) -> None:
    from wagtail.models import Page

    if isinstance(instance, Page):
        bump()


def connect() -> None:
    """Wagtail's page tree, its view restrictions and sites (CoreConfig.ready)."""
    from wagtail.models import PageViewRestriction
    from wagtail.signals import page_published, page_unpublished, post_page_move

    # Page subclasses send these with their own class: listen to every sender.
    post_save.connect(_page_saved_or_deleted, dispatch_uid="site_version:page_save")
    post_delete.connect(_page_saved_or_deleted, dispatch_uid="site_version:page_delete")
    page_published.connect(bump, dispatch_uid="site_version:published")
    page_unpublished.connect(bump, dispatch_uid="site_version:unpublished")
    post_page_move.connect(bump, dispatch_uid="site_version:moved")
    invalidate_on("wagtailcore.PageViewRestriction", "wagtailcore.Site")
    m2m_changed.connect(
        bump,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="site_version:restriction_groups",
    )
