"""Demo data: the 2025 plan of seed 004 from its YAML, the 2026 plan cloned from it
and in force, and monthly values of every unit for 2026 so far, imported from Excel
through the same service as Sở Nội vụ's import; the province's rankings that the
seeds give (``rankings.yaml``). Idempotent: what exists is kept."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import yaml
from django.utils import timezone
from openpyxl import Workbook

from cchc.lib import workbooks
from cchc.targets import io, leaves, periods, selectors, services
from cchc.targets.models import (
    PROVINCES,
    LeafLink,
    Plan,
    PlanStatus,
    ProvinceRanking,
    Value,
)

PLAN_2025_PATH = Path(__file__).resolve().parent / "data" / "plan-2025.yaml"
RANKINGS_PATH = Path(__file__).resolve().parent / "data" / "rankings.yaml"
DEMO_YEAR = 2026


def plan_data(path: Path = PLAN_2025_PATH) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def rankings_data(path: Path = RANKINGS_PATH) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["rankings"]


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def load_rankings() -> int:
    """The seeds' rankings through the service; a year and index already stored is kept."""
    stored = set(ProvinceRanking.objects.values_list("year", "index"))
    added = 0
    for item in rankings_data():
        if (item["year"], item["index"]) in stored:
            continue
        services.ranking_set(
            actor=None,
            year=item["year"],
            index=item["index"],
            score=_decimal(item.get("score")),
            rank=item.get("rank"),
            out_of=item.get("out_of", PROVINCES),
            target_rank=item.get("target_rank"),
            target_score=_decimal(item.get("target_score")),
            source=item.get("source", ""),
        )
        added += 1
    return added


def _sheet(rows) -> bytes:
    book = Workbook()
    workbooks.table(book, "Số liệu", [workbooks.Column(c) for c in io.COLUMNS], rows, first=True)
    return workbooks.to_bytes(book)


def _demo_values(plan: Plan, today) -> int:
    """A year of months so far: each unit and indicator starts somewhere and drifts
    (seeded by unit and indicator, so every run gives the same figures)."""
    units = selectors.plan_units(plan)
    pairs = selectors.applicable_pairs(plan, units)
    months = [p for p in periods.of_year(plan.year)[:12] if p.end < today]
    stored = 0
    for number, period in enumerate(months):
        rows = []
        for unit, indicator in pairs:
            rng = random.Random(f"{unit.code}-{indicator.code}")  # noqa: S311 - demo figures
            start, drift = rng.uniform(35, 95), rng.uniform(-1.5, 4.0)
            share = min(100.0, max(0.0, start + drift * number))
            total = rng.randint(40, 400)
            done = round(total * share / 100)
            rows.append([unit.code, unit.name, indicator.code, "", period.key, done, total, ""])
        counts = services.values_import(
            actor=None, plan=plan, content=_sheet(rows), name=f"demo-{period.key}.xlsx", today=today
        )
        stored += counts["stored"]
    return stored


# the 2026 draft criteria's leaves about online payment (cchc/par/data/criteria-2026-draft.yaml)
# and the indicator each takes its figures from: the departments' 3.4.2 "Tỷ lệ giao dịch
# thanh toán trực tuyến"; the communes' 3.3 "Dịch vụ công trực tuyến toàn trình và thanh
# toán trực tuyến", whose online-payment part is the plan's first indicator
DEMO_LEAF_LINKS = (
    ("department", "3.4.2", "giao-dich-thanh-toan-truc-tuyen"),
    ("commune", "3.3", "tthc-thanh-toan-truc-tuyen"),
)


def load_leaf_links(plan: Plan) -> int:
    """The demo's links of PAR leaves to indicators, through the service; a leaf
    already linked is kept. Nothing when the year has no criteria sets yet."""
    from cchc.par.models import CriteriaNode

    sets = {s.unit_type: s for s in leaves.year_sets(plan.year)}
    indicators = {i.code: i for i in plan.indicators.all()}
    added = 0
    for unit_type, code, indicator_code in DEMO_LEAF_LINKS:
        criteria_set = sets.get(unit_type)
        if criteria_set is None or indicator_code not in indicators:
            continue
        node = CriteriaNode.objects.filter(criteria_set=criteria_set, code=code).first()
        if node is None or LeafLink.objects.filter(node=node).exists():
            continue
        leaves.leaf_link_set(actor=None, node=node, indicator=indicators[indicator_code])
        added += 1
    return added


def load_demo(stdout=None) -> None:
    plan = services.plan_load(actor=None, data=plan_data())
    base = plan or Plan.objects.get(year=plan_data()["year"])
    demo = Plan.objects.filter(year=DEMO_YEAR).first()
    if demo is None:
        demo = services.plan_clone(actor=None, plan=base, year=DEMO_YEAR)
    if demo.status == PlanStatus.DRAFT:
        services.plan_activate(actor=None, plan=demo)
    stored = 0
    if not Value.objects.filter(indicator__plan=demo).exists():
        stored = _demo_values(demo, timezone.localdate())
    if stdout is not None:
        stdout.write(
            f"Chỉ tiêu CCHC: kế hoạch năm {base.year} và {demo.year}, "
            f"{demo.indicators.count()} chỉ tiêu, thêm {stored} số liệu."
        )
    links = load_leaf_links(demo)
    if stdout is not None:
        stdout.write(f"Tiêu chí Chỉ số CCHC lấy số liệu từ chỉ tiêu: thêm {links} liên kết.")
    rankings = load_rankings()
    if stdout is not None:
        stdout.write(f"Xếp hạng của tỉnh: thêm {rankings} số liệu.")
