"""A year's results: SIPAS indices, the import of unit results, finalising, publishing.

Every function is keyword-only, runs in one transaction and writes an audit entry.
Authorization is the views' (MANAGE_PAR for all of these). Nothing is written once
the year is finalised (``_require_open``), and imports are all-or-nothing: a file
with any bad row stores nothing and answers a ValidationError listing every problem
with its row.

How an imported result is stored (what ``scoring.entry_value`` reads at the
APPRAISED stage):

- a leaf with the ``score`` rule: ``self_inputs = {"points": x}`` and round 1
  ``accepted`` (the unit's points are the appraised points);
- any other rule: round 1 ``adjusted`` with ``r1_points = x`` (an override of the
  leaf's points) and a comment naming the file;
- a survey leaf: ``self_inputs = {"index": x}`` (SIPAS, %);
- ``KAD``: the leaf is exempt.
The participation becomes ``appraised``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cchc.core.audit import AuditAction, audit_record
from cchc.lib.formats import decimal_vi, number_vi
from cchc.par import engine
from cchc.par.io import results as io
from cchc.par.models import (
    CriteriaNode,
    Decision,
    Entry,
    EvaluationYear,
    Method,
    Participation,
    ParticipationState,
    UnitResult,
    YearStatus,
    YearSummary,
)
from cchc.par.services import notify, scoring

HUNDRED = Decimal(100)


def _require_open(year: EvaluationYear) -> None:
    if not year.is_open:
        raise ValidationError(f"Kỳ đánh giá năm {year.year} đã chốt kết quả; không thể thay đổi.")


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _problems(problems: list[str], what: str) -> ValidationError:
    head = f"Tệp {what} có {len(problems)} lỗi; chưa có gì được lưu. Hãy sửa tệp rồi tải lên lại."
    return ValidationError([head, *problems])


# -- SIPAS --------------------------------------------------------------------------------


def survey_entries(participations: Iterable[Participation]):
    return Entry.objects.filter(
        participation__in=list(participations), node__method=Method.SURVEY
    ).select_related("node")


def current_indices(year: EvaluationYear) -> dict[int, Decimal]:
    """Participation's unit pk → its SIPAS index entered so far."""
    out = {}
    for unit_id, inputs in Entry.objects.filter(
        participation__year=year, node__method=Method.SURVEY
    ).values_list("participation__unit_id", "self_inputs"):
        if inputs and inputs.get("index") is not None:
            out[unit_id] = Decimal(str(inputs["index"]))
    return out


def _set_index(*, actor, participation: Participation, index: Decimal, version=None, source=""):
    entries = list(survey_entries([participation]))
    if not entries:
        raise ValidationError(f"Bộ tiêu chí của {participation.unit} không có tiêu chí khảo sát.")
    before = None
    now = timezone.now()
    for entry in entries:
        if version is not None and entry.version != int(version):
            shown = (entry.self_inputs or {}).get("index")
            raise ValidationError(
                f"Chỉ số SIPAS của {participation.unit} vừa được người khác thay đổi: "
                f"{number_vi(shown) if shown is not None else 'chưa nhập'}. Hãy xem lại rồi lưu."
            )
        before = (entry.self_inputs or {}).get("index")
        updated = Entry.objects.filter(pk=entry.pk, version=entry.version).update(
            self_inputs={"index": str(index)},
            self_points=scoring.leaf_points(entry.node, {"index": index}),
            self_at=now,
            self_by=actor if getattr(actor, "is_authenticated", False) else None,
            version=F("version") + 1,
        )
        if not updated:
            raise ValidationError(
                f"Chỉ số SIPAS của {participation.unit} vừa được người khác thay đổi. "
                "Hãy tải lại trang."
            )
        audit_record(
            actor=actor,
            action=AuditAction.PAR_SURVEY_SET,
            obj=entry,
            unit=participation.unit,
            summary=f"Chỉ số SIPAS năm {participation.year.year} của {participation.unit}: "
            f"{number_vi(index, 4)}%",
            data={
                "code": entry.node.code,
                "before": {"index": before},
                "after": {"index": str(index)},
                "reason": source,
            },
        )


def _check_index(index) -> Decimal:
    value = io.number(index)
    if value is None:
        raise ValidationError("Chỉ số SIPAS phải là một số, từ 0 đến 100 (%).")
    if not 0 <= value <= HUNDRED:
        raise ValidationError(f"Chỉ số SIPAS phải từ 0 đến 100 (%): {number_vi(value, 4)}.")
    return value


@transaction.atomic
def survey_index_set(*, actor, participation: Participation, index, version=None) -> None:
    """Set one unit's SIPAS index (0–100 %) in its survey leaf or leaves."""
    _require_open(participation.year)
    _set_index(actor=actor, participation=participation, index=_check_index(index), version=version)


@transaction.atomic
def survey_indices_set(
    *, actor, year: EvaluationYear, indices: Mapping[int, Decimal], source: str
) -> list[Participation]:
    """Several units' SIPAS indices at once (unit pk → %), e.g. as the survey computed them.

    Each index goes where ``survey_index_set`` puts it, with its own audit entry; units
    not taking part in the year are left out. Returns the participations set.
    """
    _require_open(year)
    checked = {unit_id: _check_index(index) for unit_id, index in indices.items()}
    participations = list(
        Participation.objects.filter(year=year, unit_id__in=list(checked)).select_related("unit")
    )
    for participation in participations:
        participation.year = year
        _set_index(
            actor=actor,
            participation=participation,
            index=checked[participation.unit_id],
            source=source,
        )
    return participations


def unit_rows(year: EvaluationYear) -> list[tuple[Participation, io.UnitRow]]:
    from cchc.lib.collation import vi_sorted

    participations = vi_sorted(
        Participation.objects.filter(year=year).select_related("unit"), key=lambda p: p.unit.name
    )
    return [(p, io.UnitRow(p.unit_id, p.unit.code, p.unit.name)) for p in participations]


def survey_template(year: EvaluationYear) -> bytes:
    return io.survey_template(
        [row for _, row in unit_rows(year)], year=year.year, current=current_indices(year)
    )


@transaction.atomic
def survey_import(*, actor, year: EvaluationYear, content: bytes, name: str) -> int:
    """Every unit's SIPAS index from an Excel sheet; all or nothing. Returns the count."""
    _require_open(year)
    rows = unit_rows(year)
    parsed = io.parse_survey(content, name=name, units=[row for _, row in rows])
    if not parsed.ok:
        raise _problems(parsed.problems, "chỉ số SIPAS")
    by_unit = {p.unit_id: p for p, _ in rows}
    source = f"Nhập từ tệp {name} (SHA-256 {hashlib.sha256(content).hexdigest()})"
    for unit_id, index in parsed.values.items():
        by_unit[unit_id].year = year
        _set_index(actor=actor, participation=by_unit[unit_id], index=index, source=source)
    return len(parsed.values)


# -- results import -------------------------------------------------------------------------


def _leaves(year: EvaluationYear) -> dict[int, dict[str, CriteriaNode]]:
    """Set pk → leaf code → node, in tree order (one query)."""
    set_ids = list(year.sets.values_list("criteria_set_id", flat=True))
    nodes = list(CriteriaNode.objects.filter(criteria_set_id__in=set_ids).order_by("position"))
    parents = {n.parent_id for n in nodes if n.parent_id}
    out: dict[int, dict[str, CriteriaNode]] = {pk: {} for pk in set_ids}
    for node in nodes:
        if node.pk not in parents:
            out[node.criteria_set_id][node.code] = node
    return out


def _columns(leaves: dict[int, dict[str, CriteriaNode]]) -> dict[int, dict[str, io.LeafColumn]]:
    return {
        set_id: {
            code: io.LeafColumn(code, n.title, n.max_points, n.method == Method.SURVEY)
            for code, n in nodes.items()
        }
        for set_id, nodes in leaves.items()
    }


def results_template(year: EvaluationYear) -> bytes:
    columns = _columns(_leaves(year))
    union: dict[str, io.LeafColumn] = {}
    for leaves in columns.values():
        for code, leaf in leaves.items():
            union.setdefault(code, leaf)
    units = [(row, set(columns[p.criteria_set_id])) for p, row in unit_rows(year)]
    labels = {ys.criteria_set_id: ys.get_unit_type_display() for ys in year.sets.all()}
    sets = [(labels[pk], list(leaves.values())) for pk, leaves in columns.items()]
    return io.results_template(units, list(union.values()), year=year.year, sets=sets)


ENTRY_FIELDS = (
    "exempt",
    "exempt_reason",
    "self_inputs",
    "self_points",
    "self_note",
    "self_at",
    "self_by",
    "r1_decision",
    "r1_inputs",
    "r1_points",
    "r1_comment",
    "r1_at",
    "r1_by",
    "explanation",
    "explanation_inputs",
    "r2_decision",
    "r2_inputs",
    "r2_points",
    "r2_comment",
)


def _entry_fields(node: CriteriaNode, value: Decimal | None, *, actor, now, comment: str) -> dict:
    """The final appraised value of one leaf, as entry fields."""
    by = actor if getattr(actor, "is_authenticated", False) else None
    base = {
        "exempt": False,
        "exempt_reason": "",
        "self_note": "",
        "r1_inputs": None,
        "r1_points": None,
        "r1_comment": "",
        "r1_at": now,
        "r1_by": by,
        "explanation": "",
        "explanation_inputs": None,
        "r2_decision": "",
        "r2_inputs": None,
        "r2_points": None,
        "r2_comment": "",
        "self_at": now,
        "self_by": by,
    }
    if value is None:
        return base | {
            "exempt": True,
            "exempt_reason": comment,
            "self_inputs": None,
            "self_points": None,
            "r1_decision": Decision.ACCEPTED,
        }
    if node.method == Method.SURVEY:
        points = scoring.leaf_points(node, {"index": value})
        return base | {
            "self_inputs": {"index": str(value)},
            "self_points": points,
            "r1_decision": "",
            "r1_at": None,
            "r1_by": None,
        }
    if (node.rule or {}).get("type") == "score":
        points = scoring.leaf_points(node, {"points": value})
        return base | {
            "self_inputs": {"points": str(value)},
            "self_points": points,
            "r1_decision": Decision.ACCEPTED,
            "r1_points": points,
        }
    return base | {
        "self_inputs": None,
        "self_points": None,
        "r1_decision": Decision.ADJUSTED,
        "r1_points": value,
        "r1_comment": comment,
    }


@transaction.atomic
def results_import(*, actor, year: EvaluationYear, content: bytes, name: str) -> dict:
    """The final appraised points of every unit's leaves from one sheet; all or nothing.

    Each unit in the file becomes ``appraised``. Returns the counts.
    """
    _require_open(year)
    leaves = _leaves(year)
    columns = _columns(leaves)
    rows = unit_rows(year)
    parsed = io.parse_results(
        content, name=name, units=[(row, columns[p.criteria_set_id]) for p, row in rows]
    )
    if not parsed.ok:
        raise _problems(parsed.problems, "kết quả")
    sha256 = hashlib.sha256(content).hexdigest()
    comment = f"Kết quả nhập từ tệp {name}"
    now = timezone.now()
    by_unit = {p.unit_id: p for p, _ in rows}
    chosen = [by_unit[unit_id] for unit_id in parsed.values]
    entries = list(Entry.objects.filter(participation__in=chosen).select_related("node"))
    unit_of = {p.pk: p.unit_id for p in chosen}
    for entry in entries:
        value = parsed.values[unit_of[entry.participation_id]].get(entry.node.code)
        fields = _entry_fields(entry.node, value, actor=actor, now=now, comment=comment)
        for key, v in fields.items():
            setattr(entry, key, v)
        entry.version += 1
    Entry.objects.bulk_update(entries, [*ENTRY_FIELDS, "version"], batch_size=1000)
    Participation.objects.filter(pk__in=[p.pk for p in chosen]).update(
        state=ParticipationState.APPRAISED, version=F("version") + 1
    )
    counts = {"units": len(chosen), "entries": len(entries)}
    audit_record(
        actor=actor,
        action=AuditAction.PAR_RESULTS_IMPORT,
        obj=year,
        summary=f"Nhập kết quả Chỉ số CCHC năm {year.year} từ tệp {name}: "
        f"{len(chosen)} đơn vị, {len(entries)} tiêu chí",
        data={**counts, "file": name, "sha256": sha256},
    )
    return counts


# -- finalise and publish ---------------------------------------------------------------------


def open_participations(year: EvaluationYear) -> list[Participation]:
    return list(
        Participation.objects.filter(year=year)
        .exclude(state__in=[ParticipationState.APPRAISED, ParticipationState.FINALISED])
        .select_related("unit")
        .order_by("unit__name")
    )


def _d(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@transaction.atomic
def year_finalise(*, actor, year: EvaluationYear, version: int) -> EvaluationYear:
    """Lock the year and store every unit's result, computed by the engine."""
    if year.status != YearStatus.OPEN:
        raise ValidationError(f"Kỳ đánh giá năm {year.year} đã được chốt kết quả.")
    waiting = open_participations(year)
    if waiting:
        names = ", ".join(p.unit.name for p in waiting[:20])
        more = f" và {len(waiting) - 20} đơn vị khác" if len(waiting) > 20 else ""
        raise ValidationError(f"Còn {len(waiting)} đơn vị chưa thẩm định xong: {names}{more}.")
    now = timezone.now()
    updated = EvaluationYear.objects.filter(
        pk=year.pk, version=version, status=YearStatus.OPEN
    ).update(status=YearStatus.FINALISED, finalised_at=now, version=version + 1)
    if not updated:
        current = EvaluationYear.objects.get(pk=year.pk)
        if current.status != YearStatus.OPEN:
            raise ValidationError(f"Kỳ đánh giá năm {year.year} đã được chốt kết quả.")
        raise ValidationError(
            f"Kỳ đánh giá năm {year.year} vừa được người khác thay đổi. Hãy tải lại trang."
        )
    result = scoring.compute_year(year, scoring.APPRAISED)
    policy = scoring.policy(year)
    area_codes = _area_codes(year)
    sets_by_type = dict(year.sets.values_list("unit_type", "criteria_set_id"))
    ranks = {r.unit_id: r for r in result.ranking}
    stored = []
    for unit_id, unit in result.units.items():
        ranked = ranks[unit_id]
        areas = {}
        for code in area_codes[sets_by_type[unit.unit_type]]:
            node = unit.nodes[code]
            areas[code] = {
                "points": _d(node.points),
                "max": _d(node.max),
                "applicable_max": _d(node.applicable_max),
                "index": _d(node.index),
            }
        stored.append(
            UnitResult(
                year=year,
                unit_id=int(unit_id),
                unit_type=unit.unit_type,
                total=policy.round(unit.total),
                exact_total=engine.quantize(unit.exact_total, 6),
                appraised=engine.quantize(unit.appraised, 4),
                survey=engine.quantize(unit.survey, 4),
                group=unit.group,
                rank=ranked.rank,
                ranking_group=ranked.group,
                areas=areas,
                nodes={
                    code: [_d(n.points), _d(n.applicable_max)] for code, n in unit.nodes.items()
                },
            )
        )
    UnitResult.objects.bulk_create(stored, batch_size=500)
    averages = {}
    summaries = []
    for unit_type, summary in result.summaries.items():
        summaries.append(
            YearSummary(
                year=year,
                unit_type=unit_type,
                unit_count=summary.unit_count,
                average_total=engine.quantize(summary.average_total, 6),
                group_counts=dict(summary.group_counts),
                nodes={
                    code: {
                        "max": _d(n.max),
                        "units": n.units,
                        "average_points": _d(n.average_points),
                        "index": _d(n.index),
                    }
                    for code, n in summary.nodes.items()
                },
            )
        )
        averages[unit_type] = decimal_vi(policy.round(summary.average_total))
    YearSummary.objects.bulk_create(summaries)
    Participation.objects.filter(year=year).update(
        state=ParticipationState.FINALISED, version=F("version") + 1
    )
    audit_record(
        actor=actor,
        action=AuditAction.PAR_YEAR_FINALISE,
        obj=year,
        summary=f"Chốt kết quả Chỉ số CCHC năm {year.year}: {len(stored)} đơn vị",
        data={
            "before": {"status": YearStatus.OPEN.value},
            "after": {"status": YearStatus.FINALISED.value},
            "units": len(stored),
            "averages": averages,
            "groups": {s.unit_type: s.group_counts for s in summaries},
        },
    )
    year.refresh_from_db()
    return year


def _area_codes(year: EvaluationYear) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for set_id, code in (
        CriteriaNode.objects.filter(
            criteria_set_id__in=year.sets.values("criteria_set_id"), depth=1
        )
        .order_by("position")
        .values_list("criteria_set_id", "code")
    ):
        out.setdefault(set_id, []).append(code)
    return out


@transaction.atomic
def year_publish(*, actor, year: EvaluationYear, url: str = "") -> EvaluationYear:
    """Make a finalised year's results public; the units' people are told."""
    now = timezone.now()
    updated = EvaluationYear.objects.filter(pk=year.pk, status=YearStatus.FINALISED).update(
        status=YearStatus.PUBLISHED, published_at=now, version=F("version") + 1
    )
    if not updated:
        if year.status == YearStatus.OPEN or (
            EvaluationYear.objects.filter(pk=year.pk, status=YearStatus.OPEN).exists()
        ):
            raise ValidationError(
                f"Kỳ đánh giá năm {year.year} chưa chốt kết quả; hãy chốt trước khi công bố."
            )
        raise ValidationError(f"Kết quả Chỉ số CCHC năm {year.year} đã được công bố.")
    year.refresh_from_db()
    notify.published(year=year, url=url)
    audit_record(
        actor=actor,
        action=AuditAction.PAR_YEAR_PUBLISH,
        obj=year,
        summary=f"Công bố kết quả Chỉ số CCHC năm {year.year}",
        data={
            "before": {"status": YearStatus.FINALISED.value},
            "after": {"status": YearStatus.PUBLISHED.value},
            "url": url,
        },
    )
    return year


@transaction.atomic
def previous_figures_set(
    *,
    actor,
    year: EvaluationYear,
    unit_type: str,
    previous_year: int,
    areas: dict[str, Decimal],
    average: Decimal | None = None,
) -> YearSummary:
    """Record the previous year's published indices, for a year before the platform.

    The first year run here has no stored previous year to compare with; the annual
    report's "last year" column then comes from the figures Sở Nội vụ published.
    A previous year held in the platform always wins over these figures.
    """
    summary = YearSummary.objects.filter(year=year, unit_type=unit_type).first()
    if summary is None:
        raise ValidationError(
            f"Năm {year.year} chưa có kết quả chốt cho loại đơn vị này; hãy chốt kết quả trước."
        )
    if previous_year >= year.year:
        raise ValidationError(f"Năm so sánh phải trước năm {year.year}.")
    problems = []
    unknown = sorted(set(areas) - set(summary.nodes))
    if unknown:
        problems.append(f"Không có lĩnh vực mã {', '.join(unknown)} trong kết quả năm {year.year}.")
    for code, value in {**areas, "bình quân": average}.items():
        if value is not None and not (0 <= Decimal(value) <= HUNDRED):
            problems.append(f"{code}: {number_vi(Decimal(value))} phải từ 0 đến 100.")
    if problems:
        raise ValidationError(problems)
    before = summary.previous_published
    summary.previous_published = {
        "year": previous_year,
        "average": _s(average),
        "areas": {code: str(Decimal(value)) for code, value in areas.items()},
    }
    summary.save(update_fields=["previous_published"])
    audit_record(
        actor=actor,
        action=AuditAction.PAR_PREVIOUS_SET,
        obj=year,
        summary=(
            f"Nhập số liệu đã công bố năm {previous_year} để so sánh với năm {year.year} "
            f"({summary.get_unit_type_display()})"
        ),
        data={"before": before, "after": summary.previous_published, "unit_type": unit_type},
    )
    return summary
