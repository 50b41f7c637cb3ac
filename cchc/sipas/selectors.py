"""Reads of surveys, and the one fetch-and-authorize helper for a survey."""

from __future__ import annotations

from cchc import access
from cchc.access import Action
from cchc.sipas.models import Survey

# The province-level actions that show a survey at all; anyone else gets 404.
SEES_SURVEY = (Action.MANAGE_SURVEY, Action.ENTER_SURVEY, Action.VIEW_SURVEY)


def sees_surveys(user) -> bool:
    """Does the user hold any of the survey's province-level actions?"""
    return any(access.can(user, a) for a in SEES_SURVEY)


def survey_get_for_user(user, year: int, *, action: Action) -> Survey:
    """The survey of `year`, for a province-level survey `action`.

    404 when there is no such survey or the user holds none of the survey's
    province-level actions (a unit's officer), 403 when the user sees surveys but may
    not do `action` (the provincial leader asked to key in a form).
    """
    survey = Survey.objects.filter(year=year).first()
    if survey is None or not sees_surveys(user):
        raise access.not_found()
    access.require(user, action)
    return survey


def current_survey() -> Survey | None:
    """The latest year's survey (one query)."""
    return Survey.objects.order_by("-year").first()
