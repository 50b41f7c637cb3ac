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
