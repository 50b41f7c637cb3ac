"""Test helpers for results: a small year, units brought to "appraised" directly."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook

from cchc.par.models import Decision, Entry, Method, Participation, ParticipationState
from cchc.par.tests.year import open_year


def small_year(cast, units=None):
    units = units or [cast.unit_a, cast.unit_b, cast.stp]
    return open_year(actor=cast.admin, units=units)


def appraise_all(year, *, share=Decimal("0.9"), index="90", units=None):
    """Every leaf appraised at `share` of its max, SIPAS at `index` (tests may set fields)."""
    entries = Entry.objects.filter(participation__year=year).select_related("node")
    if units is not None:
        entries = entries.filter(participation__unit__in=units)
    for entry in entries:
        if entry.node.method == Method.SURVEY:
            entry.self_inputs = {"index": index}
        else:
            entry.r1_decision = Decision.ADJUSTED
            entry.r1_points = (entry.node.max_points * share).quantize(Decimal("0.001"))
            entry.r1_comment = "Thẩm định (thử)"
        entry.save()
    participations = Participation.objects.filter(year=year)
    if units is not None:
        participations = participations.filter(unit__in=units)
    participations.update(state=ParticipationState.APPRAISED)


def sheet(rows, header=None) -> bytes:
    """A workbook from rows (the first row is the header unless given)."""
    book = Workbook()
    ws = book.active
    if header:
        ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
