"""Building reform targets for tests, in code: the 2025 plan of seed 004 at a fixed date."""

from __future__ import annotations

import datetime
import io
from zoneinfo import ZoneInfo

from openpyxl import Workbook

from cchc.org.models import CommuneKind, Unit, UnitType
from cchc.targets import demo, periods, services
from cchc.targets import io as sheets
from cchc.targets.models import Plan

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = datetime.date(2025, 7, 15)
NOW = datetime.datetime(2025, 7, 15, 10, 0, tzinfo=TZ)
ONLINE_PAYMENT = "tthc-thanh-toan-truc-tuyen"
WORK_RECORDS = "ho-so-cong-viec-tren-mang"


def plan_2025() -> Plan:
    return services.plan_load(actor=None, data=demo.plan_data()) or Plan.objects.get(year=2025)


def report(unit, indicator, month: int, numerator, denominator, *, actor=None, year=2025):
    return services.value_report(
        actor=actor,
        indicator=indicator,
        unit=unit,
        period=periods.month(year, month),
        numerator=numerator,
        denominator=denominator,
        today=TODAY,
    )


def sheet(rows, *, header=sheets.COLUMNS, formulas=()) -> bytes:
    """A values sheet; ``formulas``: (row index, column index, formula) written as formulas."""
    book = Workbook()
    ws = book.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    for r, c, formula in formulas:
        ws.cell(row=r + 2, column=c + 1).value = formula  # a real formula cell
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def add_units(count: int, *, start: int = 0) -> list[Unit]:
    """Communes straight into the table (no pages): for query pins only."""
    province = Unit.objects.get(unit_type=UnitType.PROVINCE)
    return Unit.objects.bulk_create(
        Unit(
            name=f"Xã Chỉ Tiêu {n}",
            code=f"CT{n:05d}",
            slug=f"xa-chi-tieu-{n}",
            unit_type=UnitType.COMMUNE,
            commune_kind=CommuneKind.XA,
            parent=province,
            active_from=datetime.date(2025, 1, 1),
        )
        for n in range(start, start + count)
    )
