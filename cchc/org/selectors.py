"""Reads of units, and the one fetch-and-authorize helper for them."""

from __future__ import annotations

from cchc import access
from cchc.access import Action
from cchc.org.models import Unit, UnitType


def unit_get_for_user(user, slug: str, *, action: Action) -> Unit:
    """The unit named by `slug`, for a unit-scoped `action`.

    404 when there is no such unit or it is not the user's to see (another unit's
    officer), 403 when the user sees it but may not do `action` on it.
    """
    unit = Unit.objects.select_related("parent").filter(slug=slug).first()
    if unit is None or not access.can_see_unit(user, unit):
        raise access.not_found()
    access.require(user, action, unit)
    return unit


def province() -> Unit | None:
    """The province: the active unit of type province (one query; call it once a request)."""
    return Unit.objects.active().filter(unit_type=UnitType.PROVINCE).first()
