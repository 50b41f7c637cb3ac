"""Public PAR results pages (/chi-so-cchc/…), routed by cchc/par/urls.py.

They read only what finalising stored (UnitResult, YearSummary): no engine at request
time, a fixed number of queries whatever the number of units. A year that is not
published is a 404 for everybody, signed-in administrators included (the council's
screens are in the back office). Responses carry Last-Modified (the publication
time), so browsers and proxies can revalidate cheaply.
"""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import condition

from cchc.lib.formats import decimal_vi, number_vi
from cchc.org.models import Unit, UnitType
from cchc.par.engine import change
from cchc.par.models import EvaluationYear, UnitResult, YearStatus, YearSummary
from cchc.par.selectors import report
from cchc.par.selectors.report import RECONSTRUCTED_MARK, code_key, previous_results, previous_year
from cchc.par.services.scoring import policy

GROUPS = ("A", "B", "C")


def _published(year: int) -> EvaluationYear:
    found = EvaluationYear.objects.filter(year=year, status=YearStatus.PUBLISHED).first()
    if found is None:
        raise Http404("Chưa công bố kết quả Chỉ số CCHC năm này.")
    return found


def _last_modified(request, year=None, slug=None):
    qs = EvaluationYear.objects.filter(status=YearStatus.PUBLISHED)
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-published_at").values_list("published_at", flat=True).first()


def _formats(year: EvaluationYear):
    """(pct, chg): a stored number and a change, rounded with the year's own policy."""
    rounding = policy(year)

    def pct(value) -> str:
        return "" if value in (None, "") else decimal_vi(rounding.round(Decimal(value)))

    def chg(now, before) -> str:
        if now in (None, "") or before in (None, ""):
            return ""
        delta = change(Decimal(now), Decimal(before), rounding)
        text = decimal_vi(delta)
        return f"+{text}" if delta > 0 else text

    return pct, chg


@condition(last_modified_func=_last_modified)
def year_list(request):
    years = list(EvaluationYear.objects.filter(status=YearStatus.PUBLISHED).order_by("-year"))
    return render(request, "par/public_year_list.html", {"years": years})


def _area_titles(year: EvaluationYear) -> dict[str, str]:
    return dict(year.evaluators.values_list("area_code", "area_title"))


@condition(last_modified_func=_last_modified)
def year_detail(request, year: int):
    evaluation_year = _published(year)
    pct, chg = _formats(evaluation_year)
    results = list(
        UnitResult.objects.filter(year=evaluation_year)
        .select_related("unit")
        .order_by("unit_type", "rank", "unit__name")
    )
    summaries = {s.unit_type: s for s in YearSummary.objects.filter(year=evaluation_year)}
    titles = _area_titles(evaluation_year)
    previous = previous_year(evaluation_year)
    before = previous_results(previous, [r.unit_id for r in results])
    previous_summaries = (
        {s.unit_type: s for s in YearSummary.objects.filter(year=previous)} if previous else {}
    )
    sections = []
    for unit_type, label in UnitType.choices:
        summary = summaries.get(unit_type)
        if summary is None:
            continue
        rows = [r for r in results if r.unit_type == unit_type]
        codes = sorted({c for r in rows for c in r.areas}, key=code_key)
        old = previous_summaries.get(unit_type)
        areas = [
            {
                "code": code,
                "title": titles.get(code, ""),
                "max": decimal_vi(Decimal(summary.nodes[code]["max"])),
                "points": pct(summary.nodes[code]["average_points"]),
                "index": pct(summary.nodes[code]["index"]),
                "change": chg(
                    summary.nodes[code]["index"],
                    old.nodes.get(code, {}).get("index") if old else None,
                ),
            }
            for code in codes
            if code in summary.nodes
        ]
        units = [_unit_row(r, codes, before.get(r.unit_id), pct, chg) for r in rows]
        sections.append(
            {
                "unit_type": unit_type,
                "label": label,
                "count": summary.unit_count,
                "average": pct(summary.average_total),
                "average_change": chg(summary.average_total, old.average_total) if old else "",
                "groups": [(g, summary.group_counts.get(g, 0)) for g in GROUPS],
                "areas": areas,
                "codes": codes,
                "by_group": [(g, [u for u in units if u["group"] == g]) for g in GROUPS],
                "units": units,
            }
        )
    return render(
        request,
        "par/public_year.html",
        {
            "year": evaluation_year,
            "sections": sections,
            "previous": previous,
            "reconstructed": any(RECONSTRUCTED_MARK in r.unit.name for r in results),
        },
    )


def _unit_row(result: UnitResult, codes, before: UnitResult | None, pct, chg) -> dict:
    return {
        "unit": result.unit,
        "rank": result.rank,
        "group": result.group,
        "total": pct(result.total),
        "change": chg(result.total, before.total) if before else "",
        "indices": [pct(result.areas.get(code, {}).get("index")) for code in codes],
    }


@condition(last_modified_func=_last_modified)
def unit_detail(request, year: int, slug: str):
    evaluation_year = _published(year)
    pct, chg = _formats(evaluation_year)
    unit = Unit.objects.filter(slug=slug).first()
    result = UnitResult.objects.filter(year=evaluation_year, unit=unit).first() if unit else None
    if result is None:
        raise Http404("Đơn vị này không có kết quả Chỉ số CCHC năm này.")
    titles = _area_titles(evaluation_year)
    previous = previous_year(evaluation_year)
    before = previous_results(previous, [unit.pk]).get(unit.pk)
    count = UnitResult.objects.filter(
        year=evaluation_year, ranking_group=result.ranking_group
    ).count()
    areas = []
    for code in sorted(result.areas, key=code_key):
        area = result.areas[code]
        old = before.areas.get(code, {}) if before else {}
        areas.append(
            {
                "code": code,
                "title": titles.get(code, ""),
                "max": decimal_vi(Decimal(area["max"])),
                "points": pct(area["points"]),
                "index": pct(area["index"]),
                "change": chg(area["index"], old.get("index")),
            }
        )
    # Where it lost points, by criterion: the same selector as the dashboard and report.
    found = report.year_report(evaluation_year).unit(unit.pk)
    losses = report.unit_losses(*found) if found else []
    return render(
        request,
        "par/public_unit.html",
        {
            "year": evaluation_year,
            "unit": unit,
            "result": result,
            "total": pct(result.total),
            "count": count,
            "change": chg(result.total, before.total) if before else "",
            "previous": previous if before else None,
            "areas": areas,
            "losses": [(code, title, number_vi(lost)) for code, title, lost in losses],
            "reconstructed": RECONSTRUCTED_MARK in unit.name,
        },
    )
