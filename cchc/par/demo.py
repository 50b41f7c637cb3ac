"""Criteria sets as demo data: the 2026 drafts, and 2023 as a closed historical year.

Idempotent: a set already stored for the year and unit type is left alone.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from cchc.org.models import UnitType
from cchc.par.engine import DRAFT_CRITERIA_PATH
from cchc.par.io.importing import parse_yaml
from cchc.par.models import CriteriaSet
from cchc.par.services.criteria import criteria_set_freeze, criteria_set_import

CRITERIA_2023_PATH = Path(__file__).resolve().parent / "data" / "criteria-2023.yaml"

# (file, set id in the file, year, unit type, freeze)
DEMO_SETS = [
    (DRAFT_CRITERIA_PATH, "so-ban-nganh", 2026, UnitType.DEPARTMENT, False),
    (DRAFT_CRITERIA_PATH, "xa-phuong-dac-khu", 2026, UnitType.COMMUNE, False),
    (CRITERIA_2023_PATH, "so-ban-nganh-2023", 2023, UnitType.DEPARTMENT, True),
    (CRITERIA_2023_PATH, "huyen-2023", 2023, UnitType.DISTRICT, True),
]


@transaction.atomic
def load_criteria_sets(stdout=None, actor=None) -> int:
    created = 0
    for path, set_id, year, unit_type, freeze in DEMO_SETS:
        if CriteriaSet.objects.filter(year=year, unit_type=unit_type).exists():
            continue
        result = parse_yaml(path.read_bytes(), unit_type=unit_type, set_id=set_id)
        if not result.ok:
            raise ValueError(f"{path.name} [{set_id}]: " + "; ".join(map(str, result.problems)))
        criteria_set = criteria_set_import(
            actor=actor,
            year=year,
            unit_type=unit_type,
            criteria=result.criteria_set,
            evaluators=result.evaluators,
            source=path.name,
        )
        if freeze:
            criteria_set_freeze(actor=actor, criteria_set=criteria_set)
        created += 1
    if stdout is not None:
        stdout.write(
            f"Bộ tiêu chí Chỉ số CCHC: thêm {created}, tổng {CriteriaSet.objects.count()}."
        )
    return created
