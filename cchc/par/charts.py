"""The PAR results' charts, drawn by the one chart module (``cchc/lib/charts.py``).

The dashboard asks for SVG, the Word and PDF reports for PNG; both come from the same
function and data, so the page and the printed report show the same picture. Charts
carry no title: the page's <figcaption> and the report's "Biểu đồ: …" line name them,
as seed 003 does.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal

from cchc.lib import charts
from cchc.lib.formats import decimal_vi, integer_vi
from cchc.par.selectors.report import Section, UnitRow

# Seed 003's chart: each area's component index, this year beside last year.
AREA_CHART_SIZE = (9.0, 3.8)


def area_label(code: str, title: str, width: int = 13, lines: int = 3) -> str:
    """An area's axis label: its number and title, wrapped to a few short lines."""
    wrapped = textwrap.wrap(f"{code}. {title}", width=width)
    if len(wrapped) > lines:
        wrapped = [*wrapped[: lines - 1], textwrap.shorten(" ".join(wrapped[lines - 1 :]), width)]
    return "\n".join(wrapped)


def _f(value: Decimal | None) -> float:
    return float(value) if value is not None else 0.0


def area_chart(section: Section, year: int, *, fmt: charts.Format = "svg"):
    """Component indices (%) by area for the year and, when known, the year before."""
    series = [(f"Năm {year}", [_f(a.index) for a in section.areas])]
    if section.previous_year is not None and any(a.previous is not None for a in section.areas):
        series.append((f"Năm {section.previous_year}", [_f(a.previous) for a in section.areas]))
    return charts.bar_chart(
        labels=[area_label(a.code, a.title) for a in section.areas],
        series=series,
        ylabel="%",
        fmt=fmt,
        size=AREA_CHART_SIZE,
        value_labels=decimal_vi,
    )


def bands(section: Section, width: int = 5) -> list[tuple[str, int]]:
    """Units per band of totals, e.g. ("80–85", 4), from the lowest band to 100."""
    if not section.units:
        return []
    low = int(min(u.total for u in section.units)) // width * width
    out = []
    for start in range(low, 100, width):
        end = start + width
        count = sum(1 for u in section.units if start <= u.total < end or (end == 100 == u.total))
        out.append((f"{start}–{end}", count))
    return out


def distribution_chart(section: Section, *, fmt: charts.Format = "svg"):
    """How the section's totals spread: units per five-point band."""
    counted = bands(section)
    return charts.bar_chart(
        labels=[label for label, _ in counted],
        series=[("Số đơn vị", [n for _, n in counted])],
        ylabel="Số đơn vị",
        fmt=fmt,
        value_labels=integer_vi,
    )


def profile_chart(row: UnitRow, section: Section, *, fmt: charts.Format = "svg"):
    """One unit's component indices against its section's average."""
    codes = section.codes
    return charts.bar_chart(
        labels=[area_label(a.code, a.title) for a in section.areas],
        series=[
            (row.unit.name, [_f(row.areas[c].index) if c in row.areas else 0 for c in codes]),
            (f"Bình quân {section.label.lower()}", [_f(a.index) for a in section.areas]),
        ],
        ylabel="%",
        fmt=fmt,
        size=AREA_CHART_SIZE,
    )
