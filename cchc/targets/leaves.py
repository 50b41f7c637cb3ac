"""PAR leaves that take their input from an indicator (issue 12, item 4).

Sở Nội vụ links a leaf whose rule takes a percentage (``ratio``, ``percent_bands``)
to a percentage indicator of the plan of the same year (``leaf_link_set``). In the
self-assessment the unit then asks for its figures ("Lấy số liệu từ chỉ tiêu", the
service ``cchc.par.services.assessment.indicators_prefill``): each linked leaf not
yet filled by hand gets the unit's value at year end, and the value's series is
generated as the leaf's evidence. Who entered the value, when and from what source
is kept (``LeafPrefill``); the unit may still correct the figure, with a reason.

- ``leaf_link_set`` / ``leaf_link_remove``: keyword-only, atomic, audited.
- ``year_end_values``: the unit's latest current value of each indicator in the
  year (the period ending last, a month before the quarter that ends with it),
  skipping a period whose denominator is zero (no percentage).
- ``check_correction`` / ``record_correction``: the rule that a figure taken from
  an indicator is changed only with a reason, used by ``entry_self_save``.

Authorization is the views'.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from cchc.accounts.names import full_name
from cchc.core.audit import AuditAction, audit_record
from cchc.lib import workbooks
from cchc.lib.formats import number_vi
from cchc.org.models import Unit
from cchc.targets.models import Indicator, LeafLink, LeafPrefill, Plan, Value, percent

PERCENT_RULES = ("ratio", "percent_bands")
PLACES = Decimal("0.01")  # a figure as an officer would type it: 72,35 %


def is_percent_leaf(node) -> bool:
    return (node.rule or {}).get("type") in PERCENT_RULES


def year_sets(year: int) -> list:
    """The criteria sets of a year: those the evaluation year uses once opened, else
    the newest version for each unit type."""
    from cchc.par.models import CriteriaSet, YearSet

    used = list(
        CriteriaSet.objects.filter(
            pk__in=YearSet.objects.filter(year__year=year).values("criteria_set_id")
        ).order_by("unit_type")
    )
    if used:
        return used
    newest: dict[str, Any] = {}
    for s in CriteriaSet.objects.filter(year=year).order_by("unit_type", "-version"):
        newest.setdefault(s.unit_type, s)
    return list(newest.values())


def linkable_leaves(sets: Sequence) -> list:
    """The leaves of `sets` whose rule takes a percentage (not SIPAS ones), in set and
    tree order, each with its link, if any (one query)."""
    from cchc.par.models import CriteriaNode, Method

    return list(
        CriteriaNode.objects.filter(
            criteria_set__in=list(sets), rule__type__in=list(PERCENT_RULES), children__isnull=True
        )
        .exclude(method=Method.SURVEY)
        .select_related("criteria_set", "indicator_link__indicator")
        .order_by("criteria_set__unit_type", "position")
    )


def percent_indicators(plan: Plan) -> list[Indicator]:
    return [i for i in plan.indicators.all() if i.is_percent]


def links_of_set(criteria_set_id: int) -> dict[int, LeafLink]:
    """node pk → its link, for one criteria set (one query)."""
    return {
        link.node_id: link
        for link in LeafLink.objects.filter(node__criteria_set_id=criteria_set_id).select_related(
            "indicator__plan"
        )
    }


def _check_link(node, indicator: Indicator) -> None:
    from cchc.par.models import Method

    if node.method == Method.SURVEY:
        raise ValidationError(
            f"Tiêu chí {node.code} lấy điểm từ kết quả SIPAS; không liên kết với chỉ tiêu được."
        )
    if not is_percent_leaf(node) or node.children.exists():
        raise ValidationError(
            f"Tiêu chí {node.code} không chấm theo tỷ lệ (%); chỉ liên kết được tiêu chí "
            "thành phần chấm theo tỷ lệ."
        )
    if not indicator.is_percent:
        raise ValidationError(f"Chỉ tiêu «{indicator.name}» không phải là một tỷ lệ (%).")
    year = node.criteria_set.year
    if indicator.plan.year != year:
        raise ValidationError(
            f"Chỉ tiêu «{indicator.name}» thuộc kế hoạch năm {indicator.plan.year}, "
            f"còn bộ tiêu chí là của năm {year}."
        )


def _node_label(node) -> str:
    return f"{node.criteria_set.title}, tiêu chí {node.code}"


@transaction.atomic
def leaf_link_set(*, actor, node, indicator: Indicator) -> LeafLink:
    """Link a percentage leaf to an indicator (another indicator already linked to the
    leaf is replaced; the audit entry keeps which)."""
    _check_link(node, indicator)
    before = LeafLink.objects.filter(node=node).select_related("indicator").first()
    if before is not None and before.indicator_id == indicator.pk:
        return before
    link, _ = LeafLink.objects.update_or_create(
        node=node,
        defaults={
            "indicator": indicator,
            "created_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    audit_record(
        actor=actor,
        action=AuditAction.TARGET_LEAF_LINK,
        obj=link,
        summary=f"{_node_label(node)} lấy số liệu từ chỉ tiêu «{indicator.name}»",
        data={
            "criteria_set": node.criteria_set_id,
            "code": node.code,
            "before": None if before is None else before.indicator.code,
            "after": indicator.code,
            "year": indicator.plan.year,
        },
    )
    return link


@transaction.atomic
def leaf_link_remove(*, actor, link: LeafLink) -> None:
    """End a link: figures already taken stay in the self-assessments (with their
    source); no new ones are taken."""
    node, indicator = link.node, link.indicator
    audit_record(
        actor=actor,
        action=AuditAction.TARGET_LEAF_UNLINK,
        obj=link,
        summary=f"{_node_label(node)} không còn lấy số liệu từ chỉ tiêu «{indicator.name}»",
        data={
            "criteria_set": node.criteria_set_id,
            "code": node.code,
            "before": indicator.code,
            "after": None,
        },
    )
    link.delete()


# -- the unit's value at year end ----------------------------------------------------------


def pct_of(value: Value) -> Decimal | None:
    found = percent(value.numerator, value.denominator)
    return None if found is None else found.quantize(PLACES, rounding=ROUND_HALF_UP)


def year_end_values(indicators: Iterable[Indicator], unit: Unit, year: int) -> dict[int, Value]:
    """indicator pk → the unit's latest current value with a percentage in `year`
    (one query)."""
    found: dict[int, Value] = {}
    rows = (
        Value.objects.current()
        .filter(
            indicator__in=list(indicators),
            unit=unit,
            period_start__gte=datetime.date(year, 1, 1),
            period_end__lte=datetime.date(year, 12, 31),
        )
        .exclude(Q(denominator__isnull=True) | Q(denominator=0))
        .select_related("entered_by")
        .order_by("indicator_id", "-period_end", "-period_start")
    )
    for value in rows:
        found.setdefault(value.indicator_id, value)
    return found


def period_label(value: Value) -> str:
    if value.period_kind == "quarter":
        return f"quý {(value.period_start.month - 1) // 3 + 1}/{value.period_start.year}"
    return f"tháng {value.period_start:%m/%Y}"


def entered_by_text(value: Value) -> str:
    return full_name(value.entered_by) if value.entered_by else "không ghi người nhập"


def source_text(indicator: Indicator, value: Value, *, limit: int | None = 300) -> str:
    """Where a pre-filled figure came from, in one line (an evidence link's location)."""
    when = timezone.localtime(value.entered_at).strftime("%d/%m/%Y")
    text = (
        f"Chỉ tiêu CCHC «{indicator.name}»: {number_vi(pct_of(value), 2)}% "
        f"({period_label(value)}), {entered_by_text(value)} nhập ngày {when}"
    )
    if value.note:
        text += f"; nguồn: {value.note}"
    return text[:limit] if limit else text


def series_url(indicator: Indicator, unit: Unit) -> str:
    return reverse("targets_detail", args=[indicator.plan.year, unit.slug, indicator.code])


def series_xlsx(indicator: Indicator, unit: Unit, year: int, used: Value) -> bytes:
    """The unit's series of the indicator in the year (every version, corrections
    kept), with the value taken marked: the leaf's evidence."""
    values = list(
        Value.objects.filter(indicator=indicator, unit=unit, period_start__year=year)
        .select_related("entered_by")
        .order_by("period_start", "version")
    )
    rows = [
        [
            period_label(v),
            v.numerator,
            v.denominator,
            pct_of(v),
            entered_by_text(v),
            timezone.localtime(v.entered_at).date(),
            v.note,
            v.version,
            "đang dùng" if v.current else "đã được thay",
            "✔ số liệu lấy vào tiêu chí" if v.pk == used.pk else "",
        ]
        for v in values
    ]
    book = Workbook()
    above = (
        f"{indicator.name} – {unit.name} – năm {year}. Chỉ tiêu: kế hoạch CCHC năm "
        f"{indicator.plan.year}; tử số: {indicator.numerator_label}; mẫu số: "
        f"{indicator.denominator_label}"
    )
    workbooks.table(
        book,
        "Số liệu chỉ tiêu",
        [
            workbooks.Column("Kỳ", 16),
            workbooks.Column("Tử số", 12, "#,##0.##"),
            workbooks.Column("Mẫu số", 12, "#,##0.##"),
            workbooks.Column("Tỷ lệ (%)", 12, "0.00"),
            workbooks.Column("Người nhập", 24),
            workbooks.Column("Ngày nhập", 14),
            workbooks.Column("Nguồn, ghi chú", 40),
            workbooks.Column("Phiên bản", 10),
            workbooks.Column("Tình trạng", 14),
            workbooks.Column("Lấy vào tiêu chí", 24),
        ],
        rows,
        first=True,
        above=above,
    )
    return workbooks.to_bytes(book)


# -- what the unit saw and changed ----------------------------------------------------------


def prefills_of(participation) -> dict[int, LeafPrefill]:
    """entry pk → where its figure came from, for one participation (one query)."""
    return {
        p.entry_id: p
        for p in LeafPrefill.objects.filter(entry__participation=participation).select_related(
            "indicator__plan", "value__entered_by", "corrected_by"
        )
    }


def prefill_of(entry) -> LeafPrefill | None:
    return (
        LeafPrefill.objects.filter(entry=entry)
        .select_related("indicator__plan", "value__entered_by", "corrected_by")
        .first()
    )


def _pct_input(inputs: Mapping[str, Any] | None) -> Decimal | None:
    if inputs is None or "pct" not in inputs:
        return None
    return Decimal(str(inputs["pct"]))


def check_correction(prefill: LeafPrefill, inputs: Mapping[str, Any] | None, reason: str) -> None:
    """A figure taken from an indicator is changed only with a reason."""
    pct = _pct_input(inputs)
    if pct in (None, prefill.pct, prefill.corrected_pct) or reason.strip():
        return  # unchanged, or the correction already explained
    raise ValidationError(
        f"Số liệu của tiêu chí này lấy từ chỉ tiêu «{prefill.indicator.name}» "
        f"({number_vi(prefill.pct, 2)}%). Muốn sửa thành {number_vi(pct, 2)}%, hãy nêu lý do "
        "điều chỉnh.",
        code="reason",
    )


def record_correction(
    *, actor, prefill: LeafPrefill, inputs: Mapping[str, Any] | None, reason: str
) -> None:
    """Keep the unit's correction of a taken figure and its reason (back to the
    indicator's figure: no correction)."""
    pct = _pct_input(inputs)
    if pct is None or (pct == prefill.corrected_pct and not reason.strip()):
        return
    if pct == prefill.pct:
        prefill.corrected_pct, prefill.corrected_reason = None, ""
        prefill.corrected_at = prefill.corrected_by = None
    else:
        prefill.corrected_pct, prefill.corrected_reason = pct, reason.strip()
        prefill.corrected_at = timezone.now()
        prefill.corrected_by = actor if getattr(actor, "is_authenticated", False) else None
    prefill.save(
        update_fields=["corrected_pct", "corrected_reason", "corrected_at", "corrected_by"]
    )
