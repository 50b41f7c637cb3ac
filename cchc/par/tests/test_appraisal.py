"""Appraisal rounds 1 and 2 (cchc.par.services.appraisal)."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cchc.core.models import AuditEntry
from cchc.par.models import (
    Decision,
    Entry,
    Method,
    Notification,
    Participation,
    ParticipationState,
    YearStatus,
)
from cchc.par.services.appraisal import entry_appraise, round1_close

from .year import IN_EXPLANATION, IN_ROUND1, IN_ROUND2, IN_SELF, entry, open_year, participation

pytestmark = pytest.mark.django_db
S = ParticipationState


# -- a test helper: puts a unit where a test needs it (tests may set fields; code may not)


def put(year, unit, state=S.SUBMITTED, *, returned=(), explained=False):
    """The unit's self-assessment filled (every appraisable leaf at its maximum, binary
    leaves passed), in `state`; `returned` leaves returned in round 1 (explained too
    when `explained`)."""
    p = participation(year, unit)
    rows = Entry.objects.filter(participation=p).select_related("node")
    for e in rows:
        if e.node.method == Method.SURVEY:
            continue
        e.self_points = e.node.max_points
        if (e.node.rule or {}).get("type") == "binary":
            e.self_inputs = {"passed": True}
        if e.node.code in returned:
            e.r1_decision, e.r1_comment, e.r1_points = Decision.RETURNED, "Thiếu tài liệu", None
            if explained:
                e.explanation = "Đã bổ sung kế hoạch."
        e.save()
    Participation.objects.filter(pk=p.pk).update(state=state)
    return participation(year, unit)


def small_year(cast):
    """2026 over four units (faster than the whole province; the matrix tests take it)."""
    return open_year(actor=cast.admin, units=[cast.unit_a, cast.unit_b, cast.stp, cast.snv])


@pytest.fixture
def year(cast):
    return small_year(cast)


def appraise(cast, e, decision=Decision.ACCEPTED, round=1, **kw):  # noqa: A002
    e.refresh_from_db()
    return entry_appraise(
        actor=kw.pop("actor", cast.appraiser),
        entry=e,
        round=round,
        decision=decision,
        version=kw.pop("version", e.version),
        **kw,
    )


# -- round 1


def test_accepting_a_leaf_keeps_the_units_points_and_starts_the_appraisal(cast, year):
    put(year, cast.unit_a)
    e = entry(year, cast.unit_a, "2.2")
    with time_machine.travel(IN_ROUND1, tick=False):
        saved = appraise(cast, e)
    assert saved.r1_decision == Decision.ACCEPTED
    assert saved.r1_points == Decimal("1.5")
    assert saved.r1_by == cast.appraiser
    assert participation(year, cast.unit_a).state == S.IN_APPRAISAL
    log = AuditEntry.objects.get(action="par_entry.appraise", object_id=str(e.pk))
    assert log.unit == cast.unit_a
    assert log.data["code"] == "2.2"
    assert log.data["before"]["decision"] == ""
    assert log.data["after"]["decision"] == "accepted"


def test_an_adjustment_with_inputs_is_scored_by_the_rule(cast, year):
    put(year, cast.unit_a)
    e = entry(year, cast.unit_a, "2.2")
    with time_machine.travel(IN_ROUND1, tick=False):
        saved = appraise(
            cast, e, Decision.ADJUSTED, inputs={"passed": False}, comment="Chưa rà soát"
        )
    assert saved.r1_points == 0
    assert saved.r1_inputs == {"passed": False}
    assert saved.r1_comment == "Chưa rà soát"


def test_an_adjustment_with_points_within_the_bounds_is_stored(cast, year):
    put(year, cast.unit_a)
    e = entry(year, cast.unit_a, "2.1")
    with time_machine.travel(IN_ROUND1, tick=False):
        saved = appraise(cast, e, Decision.ADJUSTED, points="1,5", comment="Một văn bản sai")
    assert saved.r1_points == Decimal("1.5")
    assert saved.r1_inputs is None


def test_it_refuses_points_above_the_max_and_stores_nothing(cast, year):
    put(year, cast.unit_a)
    e = entry(year, cast.unit_a, "2.1")
    with time_machine.travel(IN_ROUND1, tick=False):
        with pytest.raises(ValidationError, match="không được vượt quá điểm tối đa"):
            appraise(cast, e, Decision.ADJUSTED, points="2,5", comment="Sai")
    e.refresh_from_db()
    assert (e.r1_decision, e.r1_points, e.version) == ("", None, 1)
    assert participation(year, cast.unit_a).state == S.SUBMITTED
    assert not AuditEntry.objects.filter(action="par_entry.appraise").exists()


@pytest.mark.parametrize("decision", [Decision.ADJUSTED, Decision.RETURNED])
def test_it_refuses_an_adjustment_or_a_return_without_a_comment(cast, year, decision):
    put(year, cast.unit_a)
    e = entry(year, cast.unit_a, "2.1")
    with time_machine.travel(IN_ROUND1, tick=False):
        with pytest.raises(ValidationError, match="Cần ghi ý kiến thẩm định"):
            appraise(cast, e, decision, points="1", comment="  ")
    e.refresh_from_db()
    assert e.r1_decision == ""


def test_the_database_refuses_a_return_without_a_comment_too(cast, year):
    e = entry(year, cast.unit_a, "2.1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.filter(pk=e.pk).update(r1_decision=Decision.RETURNED, r1_comment="")


def test_an_adjustment_needs_inputs_or_points(cast, year):
    put(year, cast.unit_a)
    e = entry(year, cast.unit_a, "2.1")
    with time_machine.travel(IN_ROUND1, tick=False):
        with pytest.raises(ValidationError, match="Cần nhập dữ liệu thẩm định hoặc điểm"):
            appraise(cast, e, Decision.ADJUSTED, comment="Sai")


def test_it_refuses_inputs_the_rule_cannot_score(cast, year):
    put(year, cast.unit_a)
    e = entry(year, cast.unit_a, "2.2")
    with time_machine.travel(IN_ROUND1, tick=False):
        with pytest.raises(ValidationError, match="passed"):
            appraise(cast, e, Decision.ADJUSTED, inputs={"passed": "có"}, comment="Sai")
    e.refresh_from_db()
    assert e.r1_decision == ""


@pytest.mark.parametrize("moment", [IN_SELF, IN_EXPLANATION, IN_ROUND2])
def test_round_1_is_refused_outside_its_window(cast, year, moment):
    put(year, cast.unit_a)
    e = entry(year, cast.unit_a, "2.2")
    with time_machine.travel(moment, tick=False):
        with pytest.raises(ValidationError, match="Ngoài thời gian thẩm định vòng 1"):
            appraise(cast, e)
    e.refresh_from_db()
    assert e.r1_decision == ""


def test_round_1_needs_a_submitted_unit(cast, year):
    put(year, cast.unit_a, S.IN_PROGRESS)
    with time_machine.travel(IN_ROUND1, tick=False):
        with pytest.raises(ValidationError, match="Đang tự đánh giá"):
            appraise(cast, entry(year, cast.unit_a, "2.2"))


def test_survey_leaves_are_never_appraised_here(cast, year):
    put(year, cast.unit_a)
    survey = Entry.objects.filter(
        participation__year=year, participation__unit=cast.unit_a, node__method=Method.SURVEY
    ).first()
    with time_machine.travel(IN_ROUND1, tick=False):
        with pytest.raises(ValidationError, match="điều tra xã hội học"):
            appraise(cast, survey, actor=cast.admin)


def test_two_appraisers_saving_one_leaf_the_second_is_refused_and_nothing_is_lost(cast, year):
    put(year, cast.unit_a)
    e = entry(year, cast.unit_a, "2.1")
    started_from = e.version
    with time_machine.travel(IN_ROUND1, tick=False):
        appraise(cast, e, Decision.ADJUSTED, points="1", comment="Một văn bản sai trình tự")
        with pytest.raises(ValidationError) as caught:
            appraise(
                cast,
                e,
                Decision.ACCEPTED,
                actor=cast.admin,
                version=started_from,
            )
    message = caught.value.messages[0]
    assert "vừa được" in message and cast.appraiser.get_full_name() in message
    assert "Điều chỉnh điểm, 1 điểm" in message and "Hãy xem lại rồi lưu" in message
    e.refresh_from_db()
    assert (e.r1_decision, e.r1_points, e.r1_by) == (Decision.ADJUSTED, 1, cast.appraiser)


def test_after_finalisation_every_appraisal_is_refused(cast, year):
    put(year, cast.unit_a)
    type(year).objects.filter(pk=year.pk).update(
        status=YearStatus.FINALISED, finalised_at=IN_ROUND1
    )
    with time_machine.travel(IN_ROUND1, tick=False):
        with pytest.raises(ValidationError, match="đã chốt kết quả"):
            appraise(cast, entry(year, cast.unit_a, "2.2"))
        year.refresh_from_db()
        with pytest.raises(ValidationError, match="đã chốt kết quả"):
            round1_close(actor=cast.admin, year=year)


# -- closing round 1


def test_closing_round_1_returns_units_with_returned_leaves_and_tells_them(cast, year):
    put(year, cast.unit_a)
    put(year, cast.unit_b)
    with time_machine.travel(IN_ROUND1, tick=False):
        appraise(cast, entry(year, cast.unit_a, "2.1"), Decision.RETURNED, comment="Thiếu")
        appraise(cast, entry(year, cast.unit_b, "2.2"))
        mail.outbox.clear()
        with django_capture_on_commit():
            done = round1_close(actor=cast.admin, year=year, url_for=lambda p: "/giai-trinh/")
    assert participation(year, cast.unit_a).state == S.RETURNED
    assert participation(year, cast.unit_b).state == S.APPRAISED
    assert done["returned"] == 1
    # undecided leaves were accepted, with the unit's points
    undecided = entry(year, cast.unit_a, "2.2")
    assert undecided.r1_decision == Decision.ACCEPTED and undecided.r1_points == Decimal("1.5")
    assert entry(year, cast.unit_a, "2.1").r1_decision == Decision.RETURNED
    assert Notification.objects.filter(user=cast.officer_a, kind="returned").exists()
    assert any(
        cast.officer_a.email in m.to and "giải trình 1 tiêu chí" in m.body for m in mail.outbox
    )
    assert AuditEntry.objects.filter(action="par_first_round.close", unit=cast.unit_a).exists()


def test_closing_round_1_twice_changes_nothing_the_second_time(cast, year):
    put(year, cast.unit_a, S.IN_APPRAISAL)
    round1_close(actor=cast.admin, year=year)
    assert round1_close(actor=cast.admin, year=year) == {"returned": 0, "appraised": 0}
    assert AuditEntry.objects.filter(action="par_first_round.close").count() == 1


def test_closing_round_1_for_one_unit_leaves_the_others(cast, year):
    put(year, cast.unit_a, S.IN_APPRAISAL)
    put(year, cast.unit_b, S.IN_APPRAISAL)
    round1_close(actor=cast.admin, year=year, unit=cast.unit_a)
    assert participation(year, cast.unit_a).state == S.APPRAISED
    assert participation(year, cast.unit_b).state == S.IN_APPRAISAL


# -- round 2


def test_round_2_appraises_returned_leaves_and_completes_the_unit(cast, year):
    put(year, cast.unit_a, S.EXPLAINED, returned=("2.1", "2.2"), explained=True)
    with time_machine.travel(IN_ROUND2, tick=False):
        appraise(cast, entry(year, cast.unit_a, "2.1"), round=2)
        assert participation(year, cast.unit_a).state == S.EXPLAINED
        appraise(
            cast,
            entry(year, cast.unit_a, "2.2"),
            Decision.ADJUSTED,
            round=2,
            points="0,5",
            comment="Giải trình chưa đủ",
        )
    assert participation(year, cast.unit_a).state == S.APPRAISED
    assert entry(year, cast.unit_a, "2.2").r2_points == Decimal("0.5")


def test_round_2_only_takes_returned_leaves(cast, year):
    put(year, cast.unit_a, S.EXPLAINED, returned=("2.1",), explained=True)
    with time_machine.travel(IN_ROUND2, tick=False):
        with pytest.raises(ValidationError, match="không được đề nghị giải trình"):
            appraise(cast, entry(year, cast.unit_a, "2.2"), round=2)


def test_round_2_returns_nothing(cast, year):
    put(year, cast.unit_a, S.EXPLAINED, returned=("2.1",), explained=True)
    with time_machine.travel(IN_ROUND2, tick=False):
        with pytest.raises(ValidationError, match="Vòng 2 không trả lại"):
            appraise(cast, entry(year, cast.unit_a, "2.1"), Decision.RETURNED, round=2, comment="x")


def test_round_2_is_refused_outside_its_window(cast, year):
    put(year, cast.unit_a, S.EXPLAINED, returned=("2.1",), explained=True)
    with time_machine.travel(IN_ROUND1, tick=False):
        with pytest.raises(ValidationError, match="Ngoài thời gian thẩm định vòng 2"):
            appraise(cast, entry(year, cast.unit_a, "2.1"), round=2)


def test_a_unit_that_never_explained_is_appraised_in_round_2_on_round_1s_evidence(cast, year):
    put(year, cast.unit_a, S.RETURNED, returned=("2.1",))
    with time_machine.travel(IN_ROUND2, tick=False):
        appraise(cast, entry(year, cast.unit_a, "2.1"), round=2)
    assert participation(year, cast.unit_a).state == S.APPRAISED


def django_capture_on_commit():
    """Run on_commit callbacks at once (the test's transaction never commits)."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)
