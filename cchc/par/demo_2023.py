"""The 2023 PAR year as demo data: entered, finalised and published through the product.

Seed 003 (Sở Nội vụ's report on the 2023 PAR Index, 21/5/2024) publishes area
averages, group counts and the average index of 17 departments and 11 districts, not
the units' own scores. ``cchc/par/seed003.py`` holds one CONSTRUCTED set of unit
scores that reproduces every published number; this module enters exactly those rows
as a user would: it builds the results workbook and imports it with
``services.results.results_import``, then finalises and publishes.

Honest names. The 2023 units are not today's (districts ended on 30/6/2025 and the
departments were reorganised), and the constructed rows are nobody's real score, so
the 28 units are created as retired units named "Sở, ban, ngành 01 (dữ liệu dựng
lại)" … and "Huyện 01 (dữ liệu dựng lại)" …; the public page says the unit scores
are reconstructed to reproduce the published averages.

Decisions:
- Area 7's evaluator in 2023 was Sở Thông tin và Truyền thông, merged into Sở Khoa
  học và Công nghệ on 01/3/2025. The real province data has no unit for it and no
  succession, so it is created as a retired department (code STTTT, active until
  28/02/2025) and named the evaluator of area 7: the year keeps its historical
  evaluator code "STTTT".
- The windows are those the issue gives for 2023 (30/3–01/4, 02/4–10/4, 11/4–30/4,
  17/4–26/4). The year 2023 was appraised in spring 2024 (the report is dated
  21/5/2024), so the dates are placed in 2024. Explanation and round 2 overlap, as
  published; ``check_windows`` accepts it (round 2 starts after explanation starts).
- The 2023 sets in the database are the full trees (53 and 52 leaves, rule
  ``score``), while the report gives area points only: each area's points are spread
  over its leaves in proportion to their max (3 decimals, the remainder on one leaf),
  so every area adds up to the constructed row exactly. Area 9 is a survey leaf: the
  unit's SIPAS index.

Idempotent: nothing happens when the 2023 year exists.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from cchc.org.models import Unit, UnitType
from cchc.org.services import unit_create
from cchc.par import seed003
from cchc.par.io.results import results_workbook
from cchc.par.models import CriteriaNode, CriteriaSet, EvaluationYear
from cchc.par.services import results as results_services
from cchc.par.services.year import year_open

YEAR = 2023
D = datetime.date
WINDOWS = {
    "self": (D(2024, 3, 30), D(2024, 4, 1)),
    "round1": (D(2024, 4, 2), D(2024, 4, 10)),
    "explanation": (D(2024, 4, 11), D(2024, 4, 30)),
    "round2": (D(2024, 4, 17), D(2024, 4, 26)),
}
RETIRED_ON = D(2025, 6, 30)
ACTIVE_FROM = D(2020, 1, 1)
# area → evaluating department's code in 2023 (seed 003)
EVALUATORS = {
    "1": "SNV",
    "2": "STP",
    "3": "VPUBND",
    "4": "SNV",
    "5": "SNV",
    "6": "STC",
    "7": "STTTT",
    "8": "SNV",
    "9": "SNV",
}
KINDS = (("so", UnitType.DEPARTMENT), ("huyen", UnitType.DISTRICT))
RECONSTRUCTED_NOTE = (
    "Điểm của từng đơn vị năm 2023 là dữ liệu dựng lại (không phải điểm thật của đơn vị "
    "nào) để tái hiện đúng các số bình quân, số đơn vị theo nhóm và chỉ số thành phần "
    "đã công bố trong Báo cáo kết quả Chỉ số CCHC năm 2023 của Sở Nội vụ (21/5/2024)."
)
FILE_NAME = "ket-qua-chi-so-cchc-2023-du-lieu-dung-lai.xlsx"
Q3 = Decimal("0.001")


def unit_name(kind: str, number: int) -> str:
    label = "Sở, ban, ngành" if kind == "so" else "Huyện"
    return f"{label} {number:02d} (dữ liệu dựng lại)"


def unit_code(kind: str, number: int) -> str:
    return f"{'SBN' if kind == 'so' else 'HUYEN'}2023-{number:02d}"


def _units(actor, province) -> dict[str, list[Unit]]:
    out: dict[str, list[Unit]] = {}
    for kind, unit_type in KINDS:
        for number in range(1, len(seed003.rows(kind)) + 1):
            code = unit_code(kind, number)
            unit = Unit.objects.filter(code=code).first() or unit_create(
                actor=actor,
                unit=Unit(
                    name=unit_name(kind, number),
                    unit_type=unit_type,
                    code=code,
                    slug=f"{'so-ban-nganh' if kind == 'so' else 'huyen'}-2023-{number:02d}",
                    parent=province,
                    active_from=ACTIVE_FROM,
                    active_until=RETIRED_ON,
                ),
            )
            out.setdefault(kind, []).append(unit)
    return out


def _ict_department(actor, province) -> Unit:
    return Unit.objects.filter(code="STTTT").first() or unit_create(
        actor=actor,
        unit=Unit(
            name="Sở Thông tin và Truyền thông",
            unit_type=UnitType.DEPARTMENT,
            code="STTTT",
            slug="so-thong-tin-va-truyen-thong",
            parent=province,
            active_from=ACTIVE_FROM,
            active_until=D(2025, 2, 28),
        ),
    )


def spread(points: Decimal, maxes: list[Decimal]) -> list[Decimal]:
    """`points` over leaves worth `maxes`, in proportion, 3 decimals, summing exactly."""
    total = sum(maxes, Decimal(0))
    values = [(points * m / total).quantize(Q3, rounding=ROUND_HALF_UP) for m in maxes]
    diff = points - sum(values, Decimal(0))
    if diff:
        for i in sorted(range(len(values)), key=lambda i: -values[i]):
            if Decimal(0) <= values[i] + diff <= maxes[i]:
                values[i] += diff
                break
        else:  # pragma: no cover - the remainder is a few thousandths
            raise ValueError("cannot spread the area's points over its leaves")
    return values


def workbook(year: EvaluationYear, units: dict[str, list[Unit]]) -> bytes:
    """The results sheet of seed 003's constructed rows, one column per leaf."""
    sets = {ys.unit_type: ys.criteria_set_id for ys in year.sets.all()}
    nodes = list(
        CriteriaNode.objects.filter(criteria_set_id__in=sets.values()).order_by("position")
    )
    parents = {n.parent_id for n in nodes if n.parent_id}
    by_id = {n.pk: n for n in nodes}
    leaves: dict[int, dict[str, list]] = {}  # set → area → leaves
    for node in nodes:
        if node.pk in parents:
            continue
        area = node
        while area.parent_id:
            area = by_id[area.parent_id]
        leaves.setdefault(node.criteria_set_id, {}).setdefault(area.code, []).append(node)
    header: list[str] = []
    for set_id in sets.values():
        for area_leaves in leaves[set_id].values():
            for leaf in area_leaves:
                if leaf.code not in header:
                    header.append(leaf.code)
    rows = []
    for kind, unit_type in KINDS:
        set_leaves = leaves[sets[unit_type]]
        for unit, (*points, sipas, _sipas_2022) in zip(
            units[kind], seed003.rows(kind), strict=True
        ):
            values: dict[str, Decimal] = {}
            for (code, _, _), p in zip(seed003.AREAS[:8], points, strict=True):
                area_leaves = set_leaves[code]
                spread_values = spread(Decimal(p), [leaf.max_points for leaf in area_leaves])
                values.update(zip((leaf.code for leaf in area_leaves), spread_values, strict=True))
            (survey_leaf,) = set_leaves["9"]
            values[survey_leaf.code] = Decimal(sipas)
            rows.append([unit.code, unit.name, *[values.get(code) for code in header]])
    return results_workbook(header, rows)


@transaction.atomic
def load_year_2023(stdout=None, actor=None) -> EvaluationYear | None:
    if EvaluationYear.objects.filter(year=YEAR).exists():
        return None
    if actor is None:
        actor = get_user_model().objects.filter(username="quantri").first()
    sets = {
        unit_type: CriteriaSet.objects.filter(year=YEAR, unit_type=unit_type)
        .order_by("-version")
        .first()
        for _, unit_type in KINDS
    }
    if None in sets.values():
        raise ValueError("Chưa có bộ tiêu chí năm 2023 (load_criteria_sets chạy trước).")
    province = Unit.objects.filter(unit_type=UnitType.PROVINCE).first()
    units = _units(actor, province)
    ict = _ict_department(actor, province)
    departments = {u.code: u for u in Unit.objects.filter(code__in=set(EVALUATORS.values()))}
    departments["STTTT"] = ict
    year = year_open(
        actor=actor,
        year=YEAR,
        title="Chỉ số CCHC năm 2023 (dữ liệu dựng lại từ báo cáo của Sở Nội vụ)",
        windows=WINDOWS,
        units=[u for kind, _ in KINDS for u in units[kind]],
        sets=sets,
        evaluators={area: departments[code] for area, code in EVALUATORS.items()},
    )
    results_services.results_import(
        actor=actor, year=year, content=workbook(year, units), name=FILE_NAME
    )
    year.refresh_from_db()
    year = results_services.year_finalise(actor=actor, year=year, version=year.version)
    for kind, unit_type in KINDS:
        # Seed 003 compares with 2022's published indices; 2022 is not in the platform.
        results_services.previous_figures_set(
            actor=actor,
            year=year,
            unit_type=unit_type,
            previous_year=YEAR - 1,
            areas={
                code: Decimal(old)
                for code, (_, _, old, _) in seed003.PUBLISHED[kind]["areas"].items()
            },
        )
    year = results_services.year_publish(actor=actor, year=year, url=f"/chi-so-cchc/{YEAR}/")
    if stdout is not None:
        stdout.write("Chỉ số CCHC năm 2023: đã nhập, chốt và công bố (dữ liệu dựng lại).")
    return year
