"""Results import, finalising and publishing (services)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cchc.core.audit import AuditAction
from cchc.core.models import AuditEntry
from cchc.par.io import results as io
from cchc.par.models import (
    Entry,
    EvaluationYear,
    Notification,
    Participation,
    ParticipationState,
    Stage,
    UnitResult,
    YearStatus,
    YearSummary,
)
from cchc.par.services import results, scoring
from cchc.par.services.year import require_window
from cchc.par.tests.test_results_helpers import appraise_all, small_year
from cchc.par.tests.year import participation

pytestmark = pytest.mark.django_db


def _leaf_codes(year, unit):
    p = participation(year, unit)
    return list(
        Entry.objects.filter(participation=p)
        .order_by("node__position")
        .values_list("node__code", "node__method", "node__max_points")
    )


def _full_row(year, unit, *, share=Decimal("0.5"), index="85"):
    values = {}
    for code, method, max_points in _leaf_codes(year, unit):
        values[code] = Decimal(index) if method == "survey" else max_points * share
    return values


def _workbook(year, units, **kw):
    rows = [_full_row(year, u, **kw) for u in units]
    codes = list(dict.fromkeys(c for row in rows for c in row))
    return io.results_workbook(
        codes,
        [
            [u.code, u.name, *[row.get(c) for c in codes]]
            for u, row in zip(units, rows, strict=True)
        ],
    )


def test_the_import_stores_final_appraised_values_and_makes_units_appraised(cast):
    year = small_year(cast)
    content = _workbook(year, [cast.unit_a, cast.unit_b])
    counts = results.results_import(actor=cast.admin, year=year, content=content, name="kq.xlsx")
    assert counts["units"] == 2
    a = participation(year, cast.unit_a)
    assert a.state == ParticipationState.APPRAISED
    assert participation(year, cast.stp).state == ParticipationState.NOT_STARTED
    computed = scoring.compute_participation(a, scoring.APPRAISED)
    # half of every appraised leaf (50 of 68… of the set's non-survey max) + 85 % of SIPAS
    expected = sum(
        (m * Decimal("0.5") if method != "survey" else m * Decimal("0.85"))
        for _, method, m in _leaf_codes(year, cast.unit_a)
    )
    assert computed.exact_total == expected
    assert not computed.missing
    audit = AuditEntry.objects.get(action=AuditAction.PAR_RESULTS_IMPORT)
    assert audit.data["units"] == 2 and len(audit.data["sha256"]) == 64


def test_the_import_marks_kad_leaves_exempt(cast):
    year = small_year(cast)
    row = _full_row(year, cast.unit_a)
    first = next(c for c, method, _ in _leaf_codes(year, cast.unit_a) if method != "survey")
    row[first] = "KAD"
    codes = list(row)
    content = io.results_workbook(codes, [[cast.unit_a.code, "", *row.values()]])
    results.results_import(actor=cast.admin, year=year, content=content, name="kq.xlsx")
    entry = Entry.objects.get(
        participation__year=year, participation__unit=cast.unit_a, node__code=first
    )
    assert entry.exempt


def test_any_bad_row_of_the_results_stores_nothing(cast):
    year = small_year(cast)
    good = _full_row(year, cast.unit_a)
    bad = _full_row(year, cast.unit_b)
    codes = list(good)
    leaf = next(c for c, method, _ in _leaf_codes(year, cast.unit_b) if method != "survey")
    bad[leaf] = Decimal(99)
    bad[codes[-1]] = "=1+1"
    content = io.results_workbook(
        codes,
        [
            [cast.unit_a.code, "", *good.values()],
            [cast.unit_b.code, "", *[bad[c] for c in codes]],
            ["KHONGCO", "", *good.values()],
        ],
    )
    with pytest.raises(ValidationError) as exc:
        results.results_import(actor=cast.admin, year=year, content=content, name="kq.xlsx")
    messages = exc.value.messages
    assert any(
        m.startswith("Dòng 3 (") and f"tiêu chí {leaf}: điểm phải từ 0" in m for m in messages
    )
    assert any(m.startswith("Dòng 3 (") and "không phải là số" in m for m in messages)
    assert any(m.startswith("Dòng 4:") and "KHONGCO" in m for m in messages)
    assert not Participation.objects.filter(year=year, state=ParticipationState.APPRAISED).exists()
    assert not Entry.objects.filter(participation__year=year).exclude(r1_decision="").exists()
    assert not AuditEntry.objects.filter(action=AuditAction.PAR_RESULTS_IMPORT).exists()


def test_finalising_is_refused_while_units_are_not_appraised(cast):
    year = small_year(cast)
    appraise_all(year, units=[cast.unit_a])
    with pytest.raises(ValidationError) as exc:
        results.year_finalise(actor=cast.admin, year=year, version=year.version)
    message = exc.value.messages[0]
    assert message.startswith("Còn 2 đơn vị chưa thẩm định xong:")
    assert cast.unit_b.name in message and cast.stp.name in message
    assert EvaluationYear.objects.get(pk=year.pk).status == YearStatus.OPEN
    assert not UnitResult.objects.exists()


def test_finalising_stores_the_engines_results(cast):
    year = small_year(cast)
    appraise_all(year)
    computed = scoring.compute_year(year)
    year = results.year_finalise(actor=cast.admin, year=year, version=year.version)
    assert year.status == YearStatus.FINALISED and year.finalised_at
    stored = {r.unit_id: r for r in UnitResult.objects.filter(year=year)}
    assert set(stored) == {cast.unit_a.pk, cast.unit_b.pk, cast.stp.pk}
    a = stored[cast.unit_a.pk]
    engine_a = computed.units[str(cast.unit_a.pk)]
    assert a.total == engine_a.total and a.group == engine_a.group
    assert Decimal(a.areas["1"]["points"]) == engine_a.nodes["1"].points
    assert a.rank == 1 and stored[cast.stp.pk].rank == 1  # each unit type ranked apart
    summary = YearSummary.objects.get(year=year, unit_type="commune")
    assert summary.unit_count == 2
    assert Decimal(summary.average_total) == computed.summaries["commune"].average_total.quantize(
        Decimal("0.000001")
    )
    assert set(Participation.objects.filter(year=year).values_list("state", flat=True)) == {
        ParticipationState.FINALISED
    }
    audit = AuditEntry.objects.get(action=AuditAction.PAR_YEAR_FINALISE)
    assert set(audit.data["averages"]) == {"commune", "department"}


def test_a_double_finalise_finalises_once(cast):
    year = small_year(cast)
    appraise_all(year)
    version = year.version
    results.year_finalise(actor=cast.admin, year=year, version=version)
    stale = EvaluationYear.objects.get(pk=year.pk)
    stale.status = YearStatus.OPEN  # the second click's page still shows an open year
    with pytest.raises(ValidationError) as exc:
        results.year_finalise(actor=cast.admin, year=stale, version=version)
    assert "đã được chốt" in exc.value.messages[0]
    assert UnitResult.objects.filter(year=year).count() == 3
    assert AuditEntry.objects.filter(action=AuditAction.PAR_YEAR_FINALISE).count() == 1


def test_after_finalisation_every_write_is_refused(cast):
    year = small_year(cast)
    appraise_all(year)
    year = results.year_finalise(actor=cast.admin, year=year, version=year.version)
    p = participation(year, cast.unit_a)
    for stage in Stage:
        with pytest.raises(ValidationError):
            require_window(year, cast.unit_a, stage)
    with pytest.raises(ValidationError):
        results.survey_index_set(actor=cast.admin, participation=p, index="50")
    with pytest.raises(ValidationError):
        results.survey_import(actor=cast.admin, year=year, content=b"", name="x.xlsx")
    with pytest.raises(ValidationError):
        results.results_import(actor=cast.admin, year=year, content=b"", name="x.xlsx")


def test_publishing_needs_a_finalised_year_and_tells_the_units(cast):
    year = small_year(cast)
    with pytest.raises(ValidationError) as exc:
        results.year_publish(actor=cast.admin, year=year)
    assert "chưa chốt" in exc.value.messages[0]
    appraise_all(year)
    year = results.year_finalise(actor=cast.admin, year=year, version=year.version)
    year = results.year_publish(actor=cast.admin, year=year, url="/chi-so-cchc/2026/")
    assert year.status == YearStatus.PUBLISHED and year.published_at
    assert Notification.objects.filter(year=year, user=cast.officer_a).exists()
    with pytest.raises(ValidationError) as exc:
        results.year_publish(actor=cast.admin, year=year)
    assert "đã được công bố" in exc.value.messages[0]
    assert AuditEntry.objects.filter(action=AuditAction.PAR_YEAR_PUBLISH).count() == 1


def test_the_templates_list_every_participating_unit(cast):
    from io import BytesIO

    from openpyxl import load_workbook

    year = small_year(cast)
    for content in (results.survey_template(year), results.results_template(year)):
        rows = list(load_workbook(BytesIO(content)).worksheets[0].iter_rows(values_only=True))
        codes = {r[0] for r in rows[2:]}
        assert codes == {cast.unit_a.code, cast.unit_b.code, cast.stp.code}
