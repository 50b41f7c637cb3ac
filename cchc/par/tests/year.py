"""An evaluation year for tests: the 2026 draft sets, opened over the whole province.

``open_year()`` opens 2026 with windows placed around ``today`` (default: inside
self-assessment), so a test moves through the year by freezing time at the days
``WINDOWS`` names. Every test gets the real 115 participating units.
"""

from __future__ import annotations

import datetime as dt

from cchc.org.models import UnitType
from cchc.par.engine import DRAFT_CRITERIA_PATH
from cchc.par.io.importing import parse_yaml
from cchc.par.models import CriteriaSet, Entry, EvaluationYear, Participation
from cchc.par.services.criteria import criteria_set_import
from cchc.par.services.year import year_open

D = dt.date
# 2026's windows in tests (the 2023 ones were 30/3–01/4, 02/4–10/4, 11/4–30/4, 17/4–26/4)
WINDOWS = {
    "self": (D(2026, 3, 1), D(2026, 3, 31)),
    "round1": (D(2026, 4, 1), D(2026, 4, 10)),
    "explanation": (D(2026, 4, 11), D(2026, 4, 20)),
    "round2": (D(2026, 4, 21), D(2026, 4, 30)),
}
# an instant inside each window (local noon), for freezegun / time_machine
IN_SELF = dt.datetime(2026, 3, 15, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
IN_ROUND1 = dt.datetime(2026, 4, 5, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
IN_EXPLANATION = dt.datetime(2026, 4, 15, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
IN_ROUND2 = dt.datetime(2026, 4, 25, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))

SETS = (("so-ban-nganh", UnitType.DEPARTMENT), ("xa-phuong-dac-khu", UnitType.COMMUNE))


def import_draft_sets(year: int = 2026) -> dict[str, CriteriaSet]:
    out = {}
    for set_id, unit_type in SETS:
        found = CriteriaSet.objects.filter(year=year, unit_type=unit_type).first()
        if found is None:
            result = parse_yaml(
                DRAFT_CRITERIA_PATH.read_bytes(), unit_type=unit_type, set_id=set_id
            )
            assert result.ok, result.problems
            found = criteria_set_import(
                actor=None,
                year=year,
                unit_type=unit_type,
                criteria=result.criteria_set,
                evaluators=result.evaluators,
                source="test",
            )
        out[unit_type] = found
    return out


def open_year(*, actor=None, year: int = 2026, units=None, windows=WINDOWS) -> EvaluationYear:
    sets = import_draft_sets(year)
    return year_open(actor=actor, year=year, windows=windows, sets=sets, units=units)


def participation(year: EvaluationYear, unit) -> Participation:
    return Participation.objects.select_related("unit", "criteria_set", "year").get(
        year=year, unit=unit
    )


def entry(year: EvaluationYear, unit, code: str) -> Entry:
    return Entry.objects.select_related("node", "participation").get(
        participation__year=year, participation__unit=unit, node__code=code
    )
