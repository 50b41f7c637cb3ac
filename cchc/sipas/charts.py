"""The SIPAS results' charts, drawn by the one chart module (``cchc/lib/charts.py``).

SVG for the pages; the same functions give PNG for a report. No titles: the page's
<figcaption> names each chart.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal

from cchc.lib import charts
from cchc.lib.formats import decimal_vi
from cchc.sipas.selectors_results import Section, UnitRow


def _pct(share: Decimal | None) -> float:
    return float(share * 100) if share is not None else 0.0


def _label(text: str, width: int = 14, lines: int = 3) -> str:
    wrapped = textwrap.wrap(text, width=width) or [""]
    if len(wrapped) > lines:
        wrapped = [*wrapped[: lines - 1], textwrap.shorten(" ".join(wrapped[lines - 1 :]), width)]
    return "\n".join(wrapped)


def units_chart(section: Section, *, fmt: charts.Format = "svg"):
    """Each answered unit's index (%), highest first."""
    rows = sorted(
        (r for r in section.rows if r.has_answers), key=lambda r: (-r.result.index, r.unit.name)
    )
    if not rows:
        return ""
    many = len(rows) > 20
    return charts.bar_chart(
        labels=[r.unit.name if many else _label(r.unit.name) for r in rows],
        series=[("Chỉ số hài lòng (%)", [float(r.result.index) for r in rows])],
        ylabel="%",
        fmt=fmt,
        size=(max(8.0, min(24.0, 0.22 * len(rows) + 4)), 3.6),
        value_labels=None if many else decimal_vi,
    )


def elements_chart(row: UnitRow, section: Section | None = None, *, fmt: charts.Format = "svg"):
    """The unit's satisfaction per element (%), beside its unit type's mean when given."""
    elements = row.result.elements
    if not elements:
        return ""
    series = [("Đơn vị", [_pct(e.share) for e in elements])]
    if section is not None:
        series.append(
            (section.label, [_pct(section.summary.elements.get(e.code)) for e in elements])
        )
    return charts.bar_chart(
        labels=[_label(f"{e.code}. {e.title}") for e in elements],
        series=series,
        ylabel="%",
        fmt=fmt,
        size=(8.0, 3.4),
        value_labels=decimal_vi,
    )
