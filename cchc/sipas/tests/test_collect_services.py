"""Counting answers: paper forms keyed twice by two people, the online form, once per code."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cchc.core.models import AuditEntry
from cchc.sipas.models import (
    Channel,
    PaperEntry,
    RespondentStatus,
    Response,
    SurveyStatus,
)
from cchc.sipas.services import collect

from .collect_helpers import full_answers, make_operator, make_sample, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    survey = make_survey()
    respondents = make_sample(survey, cast.snv, n=3, reserve=1)
    return survey, respondents, make_operator("nhapphieu.mot"), make_operator("nhapphieu.hai")


def key(actor, survey, unit, respondent, value=4, **kw):
    kw.setdefault("answers", full_answers(respondent.questionnaire, value))
    kw.setdefault("profile", {"sex": "2", "age": "3", "education": "5"})
    return collect.paper_enter(actor=actor, survey=survey, unit=unit, code=respondent.code, **kw)


def test_two_agreeing_rounds_by_two_people_count_one_paper_response(cast, world):
    survey, (r, *_), one, two = world
    first = key(one, survey, cast.snv, r)
    assert first.status == "round1" and not Response.objects.exists()
    second = key(two, survey, cast.snv, r)
    assert second.status == "counted"
    response = Response.objects.get()
    assert response.channel == Channel.PAPER and response.respondent == r
    assert set(response.answers.values()) == {4}
    assert response.profile == {"sex": "nu", "age": "35-49", "education": "dai-hoc"}
    assert response.procedure == r.case.procedure
    r.refresh_from_db()
    assert r.status == RespondentStatus.ANSWERED
    assert AuditEntry.objects.filter(action="sipas_paper.enter").count() == 2


def test_the_same_person_cannot_key_both_rounds(cast, world):
    survey, (r, *_), one, _two = world
    key(one, survey, cast.snv, r)
    with pytest.raises(ValidationError, match="phải do một người khác"):
        key(one, survey, cast.snv, r, value=5)
    assert PaperEntry.objects.count() == 1 and not Response.objects.exists()


def test_keying_the_same_round_again_is_a_no_op(cast, world):
    survey, (r, *_), one, _two = world
    key(one, survey, cast.snv, r)
    again = key(one, survey, cast.snv, r)
    assert again.status == "repeat"
    assert PaperEntry.objects.count() == 1
    assert AuditEntry.objects.filter(action="sipas_paper.enter").count() == 1


def test_disagreeing_rounds_go_to_the_mismatch_list_and_count_nothing(cast, world):
    survey, (r, *_), one, two = world
    key(one, survey, cast.snv, r)
    answers = full_answers(r.questionnaire) | {"3.2": "2"}
    outcome = key(two, survey, cast.snv, r, answers=answers, profile={"sex": "1"})
    assert outcome.status == "mismatch"
    assert outcome.differences == ("3.2", "profile:age", "profile:education", "profile:sex")
    assert not Response.objects.exists()
    assert list(collect.mismatches(survey)) == [r]
    rows = {c.key: c for c in collect.compare(r, list(r.paper_entries.all()))}
    assert rows["item_3.2"].differs and (rows["item_3.2"].first, rows["item_3.2"].second) == (
        "4",
        "2",
    )
    assert not rows["item_3.1"].differs
    # a third keying is refused while it waits
    third = make_operator("nhapphieu.ba")
    with pytest.raises(ValidationError, match="đủ hai lần"):
        key(third, survey, cast.snv, r)


def test_resolving_a_mismatch_counts_the_chosen_values_once_and_records_who(cast, world):
    survey, (r, *_), one, two = world
    key(one, survey, cast.snv, r)
    key(two, survey, cast.snv, r, answers=full_answers(r.questionnaire) | {"3.2": "2"})
    chosen = full_answers(r.questionnaire) | {"3.2": "4"}
    response = collect.paper_resolve(
        actor=cast.admin,
        survey=survey,
        respondent=r,
        answers=chosen,
        profile={"sex": "nu", "age": "35-49", "education": "dai-hoc"},
    )
    assert response.answers["3.2"] == 4 and response.channel == Channel.PAPER
    entry = AuditEntry.objects.get(action="sipas_paper.resolve")
    assert entry.actor == cast.admin and entry.data["differences"] == ["3.2"]
    assert not collect.mismatches(survey).exists()
    with pytest.raises(ValidationError, match="chỉ tính một lần"):
        collect.paper_resolve(actor=cast.admin, survey=survey, respondent=r, answers=chosen)
    assert Response.objects.count() == 1


@pytest.mark.parametrize("bad", ["6", "0", "x", "4,5", "-1"])
def test_it_rejects_answers_out_of_range_and_stores_nothing(cast, world, bad):
    survey, (r, *_), one, _two = world
    with pytest.raises(ValidationError) as info:
        key(one, survey, cast.snv, r, answers=full_answers(r.questionnaire) | {"2.3": bad})
    assert "Câu 2.3: chỉ nhận 1, 2, 3, 4, 5 hoặc để trống" in str(info.value)
    assert not PaperEntry.objects.exists()


def test_blank_items_are_kept_as_blank(cast, world):
    survey, (r, *_), one, two = world
    answers = full_answers(r.questionnaire) | {"1.1": ""}
    key(one, survey, cast.snv, r, answers=answers)
    key(two, survey, cast.snv, r, answers=answers)
    assert Response.objects.get().answers["1.1"] is None


def test_it_rejects_a_profile_number_beyond_the_choices(cast, world):
    survey, (r, *_), one, _two = world
    with pytest.raises(ValidationError, match="Giới tính: chỉ nhận số từ 1 đến 2"):
        key(one, survey, cast.snv, r, profile={"sex": "3"})
    assert not PaperEntry.objects.exists()


def test_it_rejects_unknown_codes_other_units_and_reserves(cast, world):
    survey, (r, _, _, reserve), one, _two = world
    with pytest.raises(ValidationError, match="Không có phiếu nào mã"):
        collect.paper_enter(actor=one, survey=survey, unit=cast.snv, code="ZZZZZZZZ", answers={})
    with pytest.raises(ValidationError, match="không thuộc lô phiếu của Sở Tư pháp"):
        key(one, survey, cast.stp, r)
    with pytest.raises(ValidationError, match="dự phòng chưa được đưa vào mẫu"):
        key(one, survey, cast.snv, reserve)
    # once brought in, the reserve's form is keyed as any other
    reserve.activated_at = timezone.now()
    reserve.save(update_fields=["activated_at"])
    assert key(one, survey, cast.snv, reserve).status == "round1"
    assert PaperEntry.objects.count() == 1


def test_it_accepts_a_code_typed_in_lower_case_with_spaces(cast, world):
    survey, (r, *_), one, _two = world
    typed = f" {r.code[:4].lower()} {r.code[4:].lower()} "
    outcome = collect.paper_enter(
        actor=one,
        survey=survey,
        unit=cast.snv,
        code=typed,
        answers=full_answers(r.questionnaire),
    )
    assert outcome.entry.respondent == r


def test_a_refused_respondent_cannot_be_keyed(cast, world):
    survey, (r, *_), one, _two = world
    r.status = RespondentStatus.REFUSED
    r.save(update_fields=["status"])
    with pytest.raises(ValidationError, match="từ chối"):
        key(one, survey, cast.snv, r)
    assert not PaperEntry.objects.exists()


def test_nothing_is_keyed_when_the_survey_is_not_collecting_or_past_its_date(cast, world):
    survey, (r, *_), one, _two = world
    survey.status = SurveyStatus.PREPARING
    survey.save(update_fields=["status"])
    with pytest.raises(ValidationError, match="không trong thời gian thu phiếu"):
        key(one, survey, cast.snv, r)
    survey.status = SurveyStatus.COLLECTING
    survey.answers_until = timezone.localdate() - datetime.timedelta(days=1)
    survey.save(update_fields=["status", "answers_until"])
    with pytest.raises(ValidationError, match="Đã hết hạn nhận phiếu"):
        key(one, survey, cast.snv, r)
    assert not PaperEntry.objects.exists()


def test_a_code_answered_online_cannot_be_keyed_from_paper(cast, world):
    survey, (r, *_), one, _two = world
    collect.online_save_draft(
        respondent=r, step=1, data={"answers": full_answers(r.questionnaire, 5)}
    )
    collect.online_submit(respondent=r)
    with pytest.raises(ValidationError, match="chỉ tính một lần"):
        key(one, survey, cast.snv, r)
    assert Response.objects.count() == 1 and not PaperEntry.objects.exists()


def test_two_operators_keying_round_two_at_once_get_one_row(cast, world, monkeypatch):
    """The second operator read "round 1 only" before the first one's round 2 landed."""
    survey, (r, *_), one, two = world
    key(one, survey, cast.snv, r)
    three = make_operator("nhapphieu.ba")
    real = PaperEntry.objects.filter

    def stale(*args, **kwargs):
        # what the second operator saw: only round 1
        return real(*args, **kwargs).filter(round=1)

    key(two, survey, cast.snv, r, value=5)  # lands first (and disagrees)
    monkeypatch.setattr(PaperEntry.objects, "filter", stale)
    with pytest.raises(ValidationError, match="Một người khác vừa nhập lần 2"):
        key(three, survey, cast.snv, r, value=3)
    monkeypatch.undo()
    assert PaperEntry.objects.filter(respondent=r).count() == 2
    assert not Response.objects.exists()


def test_counting_claims_the_respondent_so_a_race_counts_once(cast, world):
    survey, (r, *_), _one, _two = world
    collect.online_save_draft(respondent=r, step=1, data={"answers": {"1.1": "5"}})
    stale = type(r).objects.get(pk=r.pk)  # read before the other channel counted it
    collect.online_submit(respondent=r)
    with pytest.raises(ValidationError, match="chỉ tính một lần"):
        collect._count(
            respondent=stale,
            channel=Channel.PAPER,
            values=collect.Answers({}),
            procedure="",
        )
    assert Response.objects.count() == 1


def test_the_draft_is_merged_step_by_step_and_submitted_once(cast, world):
    survey, (r, *_), _one, _two = world
    collect.online_save_draft(respondent=r, step=1, data={"answers": {"1.1": "5", "1.2": "4"}})
    collect.online_save_draft(
        respondent=r, step=2, data={"answers": {"2.1": "3"}, "profile": {"sex": "nam"}}
    )
    r.refresh_from_db()
    assert r.draft["answers"] == {"1.1": "5", "1.2": "4", "2.1": "3"}
    assert r.draft["step"] == 2 and r.draft_saved_at is not None
    response = collect.online_submit(respondent=r)
    assert response.channel == Channel.ONLINE
    assert response.answers["1.1"] == 5 and response.answers["5.3"] is None
    assert response.profile == {"sex": "nam"}
    with pytest.raises(ValidationError):
        collect.online_submit(respondent=r)
    # a late autosave from another tab writes nothing once counted
    collect.online_save_draft(respondent=r, step=3, data={"answers": {"1.1": "1"}})
    r.refresh_from_db()
    assert r.draft["answers"]["1.1"] == "5"
