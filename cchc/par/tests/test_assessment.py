"""Self-assessment: selectors and services (cchc.par.selectors.year, services.assessment)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cchc.access import Action
from cchc.par.selectors import year as selectors
from cchc.par.tests.year import open_year, participation

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(cast):
    return open_year(actor=cast.admin)


def test_participation_get_for_user_answers_404_for_another_units_officer(cast, year):
    found = selectors.participation_get_for_user(cast.officer_a, 2026, cast.unit_a.slug)
    assert found.unit == cast.unit_a
    with pytest.raises(Http404):
        selectors.participation_get_for_user(cast.officer_b, 2026, cast.unit_a.slug)
    with pytest.raises(Http404):
        selectors.participation_get_for_user(cast.officer_a, 2025, cast.unit_a.slug)


def test_participation_get_for_user_answers_403_for_a_reader_who_may_not_act(cast, year):
    selectors.participation_get_for_user(cast.leader, 2026, cast.unit_a.slug)
    with pytest.raises(PermissionDenied):
        selectors.participation_get_for_user(
            cast.leader, 2026, cast.unit_a.slug, action=Action.SELF_ASSESS
        )
    with pytest.raises(PermissionDenied):
        selectors.participation_get_for_user(
            cast.officer_a, 2026, cast.unit_a.slug, action=Action.SUBMIT_ASSESSMENT
        )


def test_workspace_gives_the_tree_with_progress_in_three_queries(
    cast, year, django_assert_num_queries
):
    p = participation(year, cast.unit_a)
    with django_assert_num_queries(3):
        rows = selectors.workspace(p)
    leaves = [r for r in rows if r.is_leaf]
    assert all(r.entry is not None for r in leaves)
    total = selectors.workspace_total(rows)
    assert total.total == len([r for r in leaves if r.fillable]) > 0
    assert total.done == 0
    assert total.evidence_missing == total.total == total.explanation_missing
    summary = selectors.progress(p)
    assert (summary.total, summary.done, summary.evidence_missing) == (
        total.total,
        0,
        total.total,
    )
    assert summary.max_points == total.max_points
