"""Self-assessment: selectors and services (cchc.par.selectors.year, services.assessment)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cchc.access import Action
from cchc.par.selectors import year as selectors
from cchc.par.tests.year import open_year, participation

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(cast):
    return open_year(actor=cast.admin)


def test_participation_get_for_user_answers_404_for_another_units_officer(cast, year):
    found = selectors.participation_get_for_user(cast.officer_a, 2026, cast.unit_a.slug)
    assert found.unit == cast.unit_a
    with pytest.raises(Http404):
        selectors.participation_get_for_user(cast.officer_b, 2026, cast.unit_a.slug)
    with pytest.raises(Http404):
        selectors.participation_get_for_user(cast.officer_a, 2025, cast.unit_a.slug)


def test_participation_get_for_user_answers_403_for_a_reader_who_may_not_act(cast, year):
    selectors.participation_get_for_user(cast.leader, 2026, cast.unit_a.slug)
    with pytest.raises(PermissionDenied):
        selectors.participation_get_for_user(
            cast.leader, 2026, cast.unit_a.slug, action=Action.SELF_ASSESS
        )
    with pytest.raises(PermissionDenied):
        selectors.participation_get_for_user(
            cast.officer_a, 2026, cast.unit_a.slug, action=Action.SUBMIT_ASSESSMENT
        )


def test_workspace_gives_the_tree_with_progress_in_three_queries(
    cast, year, django_assert_num_queries
):
    p = participation(year, cast.unit_a)
    with django_assert_num_queries(3):
        rows = selectors.workspace(p)
    leaves = [r for r in rows if r.is_leaf]
    assert all(r.entry is not None for r in leaves)
    total = selectors.workspace_total(rows)
    assert total.total == len([r for r in leaves if r.fillable]) > 0
    assert total.done == 0
    assert total.evidence_missing == total.total == total.explanation_missing
    summary = selectors.progress(p)
    assert (summary.total, summary.done, summary.evidence_missing) == (
        total.total,
        0,
        total.total,
    )
    assert summary.max_points == total.max_points


# -- services -------------------------------------------------------------------------

import datetime as dt  # noqa: E402
import io  # noqa: E402

import time_machine  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from cchc.core.models import AuditEntry  # noqa: E402
from cchc.par.models import (  # noqa: E402
    Entry,
    Evidence,
    EvidenceLink,
    Participation,
    ParticipationState,
    Stage,
)
from cchc.par.services import assessment as svc  # noqa: E402
from cchc.par.services.year import window_extend  # noqa: E402
from cchc.par.tests.year import IN_ROUND1, IN_SELF, entry  # noqa: E402

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
VN = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def frozen():
    with time_machine.travel(IN_SELF, tick=False):
        yield


def code_of(year, unit, rule_type: str) -> str:
    """The first leaf of `unit`'s set scored by `rule_type`."""
    return (
        Entry.objects.filter(
            participation__year=year, participation__unit=unit, node__rule__type=rule_type
        )
        .order_by("node__position")
        .values_list("node__code", flat=True)
        .first()
    )


def pdf(name="ke-hoach.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def save(cast, year, code, inputs, note="", user=None, version=None):
    e = entry(year, cast.unit_a, code)
    return svc.entry_self_save(
        actor=user or cast.officer_a,
        entry=e,
        inputs=inputs,
        note=note,
        version=e.version if version is None else version,
    )


def fill_everything(cast, year, *, note="Có tài liệu"):
    """Every leaf of unit A filled (with a note, so none lacks an explanation)."""
    import random

    from cchc.par.tests.helpers import leaf_input

    rng = random.Random(3)
    p = participation(year, cast.unit_a)
    for row in selectors.workspace(p):
        if row.fillable:
            node = row.node
            fake = type("N", (), {"rule": node.rule, "max": node.max_points})
            inputs = leaf_input(fake, rng)
            svc.entry_self_save(
                actor=cast.officer_a,
                entry=Entry.objects.select_related(
                    "node", "participation__year", "participation__unit"
                ).get(pk=row.entry.pk),
                inputs=inputs,
                note=note,
                version=row.entry.version,
            )
    return participation(year, cast.unit_a)


def test_a_save_computes_points_and_starts_the_assessment(cast, year, frozen):
    saved = save(cast, year, "1.4.2", {"passed": True}, note="Chuyên mục tại trang chủ")
    assert saved.self_points == Decimal("0.5")
    assert saved.version == 2
    assert saved.self_by == cast.officer_a
    assert participation(year, cast.unit_a).state == ParticipationState.IN_PROGRESS
    log = AuditEntry.objects.get(action="par_entry.self_assess", object_id=str(saved.pk))
    assert log.unit == cast.unit_a
    assert log.data["before"]["inputs"] is None
    assert log.data["after"]["inputs"] == {"passed": True}


def test_it_refuses_points_above_the_max(cast, year, frozen):
    e = entry(year, cast.unit_a, "1.4.2")
    e.node.rule = {"type": "score"}
    e.node.save()
    with pytest.raises(ValidationError, match="Điểm phải nằm trong khoảng"):
        svc.entry_self_save(actor=cast.officer_a, entry=e, inputs={"points": 5}, note="", version=1)
    with pytest.raises(ValidationError, match="0–100%"):
        save(cast, year, code_of(year, cast.unit_a, "percent_bands"), {"pct": 150})
    e.refresh_from_db()
    assert (e.self_inputs, e.self_points, e.version) == (None, None, 1)
    assert not AuditEntry.objects.filter(action="par_entry.self_assess").exists()


def test_a_stale_save_is_refused_with_the_newer_value_and_who_saved_it(cast, year, frozen):
    first = entry(year, cast.unit_a, "1.4.2")
    second = entry(year, cast.unit_a, "1.4.2")  # the second tab, opened at version 1
    svc.entry_self_save(
        actor=cast.officer_a, entry=first, inputs={"passed": True}, note="a", version=1
    )
    with pytest.raises(ValidationError) as caught:
        svc.entry_self_save(
            actor=cast.unit_leader_a, entry=second, inputs={"passed": False}, note="b", version=1
        )
    message = caught.value.messages[0]
    assert "vừa được" in message and "Đạt" in message and "0,5 điểm" in message
    assert (
        cast.officer_a.get_full_name() in message or "canbo" in message.lower() or "được" in message
    )
    kept = entry(year, cast.unit_a, "1.4.2")
    assert (kept.self_inputs, kept.self_note, kept.version) == ({"passed": True}, "a", 2)


def test_units_never_edit_survey_leaves(cast, year, frozen):
    with pytest.raises(ValidationError, match="SIPAS"):
        save(cast, year, "9.1.1", {"index": 90})
    assert entry(year, cast.unit_a, "9.1.1").self_inputs is None


def test_a_save_one_second_after_the_window_closes_is_refused_and_an_extension_accepts_it(
    cast, year
):
    closed = dt.datetime(2026, 4, 1, 0, 0, 0, tzinfo=VN)  # self window ends 31/3 inclusive
    with time_machine.travel(closed - dt.timedelta(seconds=1), tick=False):
        save(cast, year, "1.4.2", {"passed": True})
    with time_machine.travel(closed + dt.timedelta(seconds=1), tick=False):
        with pytest.raises(ValidationError, match="Ngoài thời gian tự đánh giá"):
            save(cast, year, "1.4.2", {"passed": False})
        assert entry(year, cast.unit_a, "1.4.2").self_inputs == {"passed": True}
        window_extend(
            actor=cast.admin,
            year=year,
            unit=cast.unit_a,
            stage=Stage.SELF,
            ends_on=dt.date(2026, 4, 3),
            reason="Mất điện",
        )
        year.refresh_from_db()
        save(cast, year, "1.4.2", {"passed": False})
        assert entry(year, cast.unit_a, "1.4.2").self_inputs == {"passed": False}
        with pytest.raises(ValidationError, match="Ngoài thời gian"):
            save(cast, year, "1.4.2", {"passed": True}) if False else svc.entry_self_save(
                actor=cast.officer_b,
                entry=entry(year, cast.unit_b, "1.4.2"),
                inputs={"passed": True},
                note="",
                version=1,
            )


# -- evidence -------------------------------------------------------------------------


def stored_files(settings):
    from pathlib import Path

    root = Path(settings.STORAGES["evidence"]["OPTIONS"]["location"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_an_upload_stores_the_file_once_with_its_hash_and_links_to_several_leaves(
    cast, year, frozen, settings
):
    p = participation(year, cast.unit_a)
    evidence = svc.evidence_upload(actor=cast.officer_a, participation=p, file=pdf())
    again = svc.evidence_upload(actor=cast.officer_a, participation=p, file=pdf("khac.pdf"))
    assert again.pk == evidence.pk
    assert evidence.kind == "pdf" and evidence.size == len(PDF) and len(evidence.sha256) == 64
    assert evidence.file.name.endswith(f"{evidence.sha256}.pdf")
    assert len(stored_files(settings)) == 1
    for code in ("1.4.1", "1.4.2"):  # one file, two leaves
        svc.evidence_link(
            actor=cast.officer_a,
            entry=entry(year, cast.unit_a, code),
            evidence=evidence,
            location="trang 3",
        )
    assert EvidenceLink.objects.filter(evidence=evidence, removed_at=None).count() == 2
    rows = {r.node.code: r for r in selectors.workspace(p)}
    assert rows["1.4.2"].links[0].location == "trang 3"
    assert not rows["1.4.2"].evidence_missing and rows["1.4.3"].evidence_missing


EXE = b"MZ\x90\x00" + b"\x00" * 200


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bao-cao.pdf", EXE, "chương trình"),
        ("../../etc/passwd.pdf", PDF, "Tên tệp không hợp lệ"),
        ("rong.pdf", b"", "Tệp trống"),
        ("anh.png", PDF, "không phải là tệp ảnh PNG"),
        ("bang.xlsx", PDF, "không phải là tệp Excel"),
        ("script.exe", EXE, "Chỉ nhận tệp"),
    ],
)
def test_upload_attacks_are_refused_and_nothing_is_stored(
    cast, year, frozen, settings, name, content, message
):
    p = participation(year, cast.unit_a)
    with pytest.raises(ValidationError, match=message):
        svc.evidence_upload(
            actor=cast.officer_a, participation=p, file=io.BytesIO(content), name=name
        )
    assert not Evidence.objects.exists()
    assert stored_files(settings) == []


def test_an_oversized_upload_is_refused_and_nothing_is_stored(cast, year, frozen, settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    p = participation(year, cast.unit_a)
    big = PDF + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError, match="Tệp quá lớn"):
        svc.evidence_upload(actor=cast.officer_a, participation=p, file=pdf(content=big))
    assert not Evidence.objects.exists()
    assert stored_files(settings) == []


def test_unlinking_ends_the_link_and_keeps_the_file(cast, year, frozen):
    p = participation(year, cast.unit_a)
    evidence = svc.evidence_upload(actor=cast.officer_a, participation=p, file=pdf())
    link = svc.evidence_link(
        actor=cast.officer_a, entry=entry(year, cast.unit_a, "1.4.2"), evidence=evidence
    )
    svc.evidence_unlink(actor=cast.officer_a, link=link)
    link.refresh_from_db()
    assert link.removed_at is not None
    assert Evidence.objects.filter(pk=evidence.pk, removed_at=None).exists()
    assert AuditEntry.objects.filter(action="par_evidence.unlink").count() == 1


def test_another_units_file_cannot_be_linked(cast, year, frozen):
    evidence = svc.evidence_upload(
        actor=cast.officer_b, participation=participation(year, cast.unit_b), file=pdf()
    )
    with pytest.raises(ValidationError, match="không thuộc"):
        svc.evidence_link(
            actor=cast.officer_a, entry=entry(year, cast.unit_a, "1.4.2"), evidence=evidence
        )
    assert not EvidenceLink.objects.exists()


def test_the_news_evidence_is_generated_for_the_unit_and_year_and_linked(cast, year, frozen):
    link = svc.news_evidence_attach(actor=cast.officer_a, entry=entry(year, cast.unit_a, "1.4.2"))
    evidence = link.evidence
    assert evidence.generated and evidence.kind == "xlsx"
    assert "1.4" in evidence.name and cast.unit_a.name in evidence.name
    assert evidence.file.read()[:2] == b"PK"
    with pytest.raises(ValidationError, match="1.4"):
        svc.news_evidence_attach(actor=cast.officer_a, entry=entry(year, cast.unit_a, "1.5"))


# -- submission -----------------------------------------------------------------------


def test_submission_needs_every_leaf_and_every_missing_evidence_explained(cast, year, frozen):
    p = participation(year, cast.unit_a)
    with pytest.raises(ValidationError, match="chưa chấm điểm"):
        svc.assessment_submit(actor=cast.unit_leader_a, participation=p, version=p.version)
    p = fill_everything(cast, year, note="")
    with pytest.raises(ValidationError, match="chưa có thuyết minh"):
        svc.assessment_submit(actor=cast.unit_leader_a, participation=p, version=p.version)
    assert participation(year, cast.unit_a).state == ParticipationState.IN_PROGRESS


def test_a_double_submit_submits_once(cast, year, frozen, mailoutbox):
    p = fill_everything(cast, year)
    version = p.version
    svc.assessment_submit(actor=cast.unit_leader_a, participation=p, version=version)
    stale = participation(year, cast.unit_a)
    with pytest.raises(svc.AlreadyDone):
        svc.assessment_submit(actor=cast.unit_leader_a, participation=stale, version=version)
    p = participation(year, cast.unit_a)
    assert p.state == ParticipationState.SUBMITTED and p.submitted_by == cast.unit_leader_a
    assert p.version == version + 1
    assert AuditEntry.objects.filter(action="par_assessment.submit").count() == 1
    # submission locks the unit's entry
    with pytest.raises(ValidationError, match="không thể sửa"):
        save(cast, year, "1.4.2", {"passed": False})


def test_withdraw_is_possible_only_before_appraisal(cast, year, frozen):
    p = fill_everything(cast, year)
    svc.assessment_submit(actor=cast.unit_leader_a, participation=p, version=p.version)
    p = participation(year, cast.unit_a)
    svc.assessment_withdraw(actor=cast.unit_leader_a, participation=p, version=p.version)
    p = participation(year, cast.unit_a)
    assert p.state == ParticipationState.IN_PROGRESS
    svc.assessment_submit(actor=cast.unit_leader_a, participation=p, version=p.version)
    Entry.objects.filter(participation=p, node__code="1.4.2").update(r1_decision="accepted")
    p = participation(year, cast.unit_a)
    Participation.objects.filter(pk=p.pk).update(state=ParticipationState.SUBMITTED)
    with pytest.raises(ValidationError, match="đã bắt đầu được thẩm định"):
        svc.assessment_withdraw(actor=cast.unit_leader_a, participation=p, version=p.version)
    assert participation(year, cast.unit_a).state == ParticipationState.SUBMITTED


def test_reopen_needs_a_reason_and_is_refused_after_finalising(cast, year):
    p = participation(year, cast.unit_a)
    Participation.objects.filter(pk=p.pk).update(state=ParticipationState.IN_APPRAISAL)
    p = participation(year, cast.unit_a)
    with pytest.raises(ValidationError, match="lý do"):
        svc.assessment_reopen(actor=cast.admin, participation=p, reason=" ")
    with time_machine.travel(IN_ROUND1, tick=False):
        svc.assessment_reopen(actor=cast.admin, participation=p, reason="Đơn vị đề nghị")
    assert participation(year, cast.unit_a).state == ParticipationState.IN_PROGRESS
    log = AuditEntry.objects.get(action="par_assessment.reopen")
    assert log.data["reason"] == "Đơn vị đề nghị"
    Participation.objects.filter(pk=p.pk).update(state=ParticipationState.FINALISED)
    with pytest.raises(ValidationError, match="đã chốt"):
        svc.assessment_reopen(
            actor=cast.admin, participation=participation(year, cast.unit_a), reason="x"
        )
