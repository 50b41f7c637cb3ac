import io

import pytest
from wagtail import hooks

from cchc.core import hooks as cchc_hooks
from cchc.par.demo import load_criteria_sets
from cchc.par.models import CriteriaSet, SetStatus
from cchc.par.tests.helpers import counts
from cchc.par.wagtail_hooks import load_demo_criteria_sets

pytestmark = pytest.mark.django_db


def test_the_loader_is_registered_for_load_demo():
    assert load_demo_criteria_sets in hooks.get_hooks(cchc_hooks.DEMO_LOAD)


def test_it_loads_the_2026_drafts_and_2023_frozen_once():
    out = io.StringIO()
    assert load_criteria_sets(out) == 4
    rows = set(CriteriaSet.objects.values_list("year", "unit_type", "version", "status"))
    assert rows == {
        (2026, "department", 1, SetStatus.DRAFT),
        (2026, "commune", 1, SetStatus.DRAFT),
        (2023, "department", 1, SetStatus.FROZEN),
        (2023, "district", 1, SetStatus.FROZEN),
    }
    before = counts()
    assert load_criteria_sets(io.StringIO()) == 0
    assert counts() == before
    assert "Bộ tiêu chí Chỉ số CCHC" in out.getvalue()


def test_the_2026_demo_year_leaves_the_demo_accounts_units_at_their_stages(cast):
    from cchc.par.demo_2026 import PINNED, load_year_2026
    from cchc.par.models import Participation

    load_criteria_sets(io.StringIO())
    out = io.StringIO()
    year = load_year_2026(out)
    states = dict(
        Participation.objects.filter(year=year, unit__slug__in=PINNED).values_list(
            "unit__slug", "state"
        )
    )
    assert states == PINNED
    stages = set(Participation.objects.filter(year=year).values_list("state", flat=True))
    assert stages == {"not_started", "in_progress", "submitted", "in_appraisal", "returned"}
    assert load_year_2026(io.StringIO()) is None  # idempotent
    assert "Chỉ số CCHC năm 2026" in out.getvalue()
