"""A PAR leaf linked to an indicator is pre-filled from the unit's value at year end:
never over a figure entered by hand, with the value's source as evidence, and a
correction only with a reason."""

from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from cchc.core.models import AuditEntry
from cchc.par.models import EvidenceLink, ParticipationState
from cchc.par.services import assessment
from cchc.targets.models import LeafPrefill

from .leafyear import (
    YEAR_END,
    leaf_entry,
    open_linked_year,
    participation,
    payment,
    report_2026,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _at_year_end():
    with time_machine.travel(YEAR_END, tick=False):
        yield


def prefill(cast, year, unit=None, actor=None):
    return assessment.indicators_prefill(
        actor=actor or cast.officer_a, participation=participation(year, unit or cast.unit_a)
    )


def test_an_empty_linked_leaf_gets_the_latest_value_of_the_year_with_its_source(cast):
    plan, year = open_linked_year(cast)
    report_2026(cast.unit_a, payment(plan), 10, 60, 100, actor=cast.officer_a)
    report_2026(
        cast.unit_a, payment(plan), 11, 145, 200, actor=cast.officer_a, note="Cổng DVC tỉnh"
    )
    report_2026(cast.unit_a, payment(plan), 12, 0, 0)  # a denominator of zero: no figure

    done = prefill(cast, year)

    assert done.filled == ["3.3"] and not (done.kept or done.missing)
    entry = leaf_entry(year, cast.unit_a)
    assert entry.self_inputs == {"pct": 72.5}
    # 2,5 × 72,5 % (stored to three places, rounded by the database)
    assert abs(entry.self_points - entry.node.max_points * Decimal("0.725")) < Decimal("0.001")
    kept = LeafPrefill.objects.get(entry=entry)
    assert (kept.pct, kept.value.period_start.month, kept.entry_version) == (
        Decimal("72.5"),
        11,
        entry.version,
    )
    (link,) = EvidenceLink.objects.filter(entry=entry, removed_at__isnull=True)
    assert link.evidence.generated and link.evidence.ext == "xlsx"
    assert link.location.startswith(
        "Chỉ tiêu CCHC «Thủ tục hành chính có yêu cầu nghĩa vụ tài chính được triển khai "
        "thanh toán trực tuyến»: 72,5% (tháng 11/2026), "
    )
    assert "nhập ngày 10/12/2026; nguồn: Cổng DVC tỉnh" in link.location
    audit = AuditEntry.objects.get(action="par_entry.prefill", object_id=str(entry.pk))
    assert audit.data["source"]["indicator"] == payment(plan).code
    assert audit.data["source"]["period"] == "tháng 11/2026"
    assert audit.data["after"]["inputs"] == {"pct": 72.5}
    assert audit.unit == cast.unit_a
    # the leaf needs no note: its evidence is the series
    assert "3.3" not in " ".join(
        assessment.missing_for_submission(participation(year, cast.unit_a))
    )


def test_a_figure_entered_by_hand_is_never_overwritten(cast):
    plan, year = open_linked_year(cast)
    report_2026(cast.unit_a, payment(plan), 11, 90, 100)
    entry = leaf_entry(year, cast.unit_a)
    assessment.entry_self_save(
        actor=cast.officer_a, entry=entry, inputs={"pct": 50}, note="", version=entry.version
    )

    done = prefill(cast, year)

    assert done.kept == ["3.3"] and not done.filled
    entry = leaf_entry(year, cast.unit_a)
    assert entry.self_inputs == {"pct": 50}
    assert not LeafPrefill.objects.filter(entry=entry).exists()
    assert not EvidenceLink.objects.filter(entry=entry).exists()
    assert not AuditEntry.objects.filter(action="par_entry.prefill").exists()


def test_asking_again_brings_newer_figures_to_an_untouched_leaf_only(cast):
    plan, year = open_linked_year(cast)
    report_2026(cast.unit_a, payment(plan), 10, 60, 100)
    report_2026(cast.unit_b, payment(plan), 10, 40, 100)
    prefill(cast, year)
    prefill(cast, year, cast.unit_b, actor=cast.officer_b)
    assert prefill(cast, year).unchanged == ["3.3"]  # nothing new: nothing written

    report_2026(cast.unit_a, payment(plan), 11, 80, 100)
    report_2026(cast.unit_b, payment(plan), 11, 85, 100)
    b = leaf_entry(year, cast.unit_b)  # unit B's officer saves the leaf by hand
    assessment.entry_self_save(
        actor=cast.officer_b,
        entry=b,
        inputs={"pct": 40},
        note="Số liệu đã rà soát",
        version=b.version,
    )

    assert prefill(cast, year).refreshed == ["3.3"]
    assert prefill(cast, year, cast.unit_b, actor=cast.officer_b).kept == ["3.3"]
    assert leaf_entry(year, cast.unit_a).self_inputs == {"pct": 80}
    assert leaf_entry(year, cast.unit_b).self_inputs == {"pct": 40}
    # the older series file is no longer cited by the refreshed leaf
    live = EvidenceLink.objects.filter(entry=leaf_entry(year, cast.unit_a), removed_at__isnull=True)
    assert live.count() == 1
    assert "80% (tháng 11/2026)" in live.get().location


def test_a_leaf_without_a_value_in_the_year_stays_empty(cast):
    plan, year = open_linked_year(cast)
    report_2026(cast.unit_a, payment(plan), 11, 0, 0)  # no percentage can be computed
    done = prefill(cast, year)
    assert done.missing == ["3.3"]
    assert leaf_entry(year, cast.unit_a).self_inputs is None
    assert not LeafPrefill.objects.exists()


def test_a_changed_figure_needs_a_reason_which_is_kept_and_audited(cast):
    plan, year = open_linked_year(cast)
    report_2026(cast.unit_a, payment(plan), 11, 70, 100)
    prefill(cast, year)
    entry = leaf_entry(year, cast.unit_a)

    with pytest.raises(ValidationError) as refused:
        assessment.entry_self_save(
            actor=cast.officer_a, entry=entry, inputs={"pct": 85}, note="", version=entry.version
        )
    assert refused.value.code == "reason"
    assert refused.value.messages == [
        "Số liệu của tiêu chí này lấy từ chỉ tiêu «Thủ tục hành chính có yêu cầu nghĩa vụ tài "
        "chính được triển khai thanh toán trực tuyến» (70%). Muốn sửa thành 85%, hãy nêu lý do "
        "điều chỉnh."
    ]
    unchanged = leaf_entry(year, cast.unit_a)
    assert (unchanged.self_inputs, unchanged.version) == ({"pct": 70}, entry.version)

    assessment.entry_self_save(
        actor=cast.officer_a,
        entry=entry,
        inputs={"pct": 85},
        note="",
        version=entry.version,
        reason="Số liệu tháng 12 của Cổng DVC quốc gia cao hơn",
    )
    kept = LeafPrefill.objects.get(entry=entry)
    assert kept.corrected_pct == Decimal(85)
    assert kept.corrected_reason == "Số liệu tháng 12 của Cổng DVC quốc gia cao hơn"
    assert kept.corrected_by == cast.officer_a
    audit = AuditEntry.objects.filter(action="par_entry.self_assess").latest("pk")
    assert audit.data["reason"] == "Số liệu tháng 12 của Cổng DVC quốc gia cao hơn"
    # a later save of the note keeps the explained correction without asking again
    entry = leaf_entry(year, cast.unit_a)
    assessment.entry_self_save(
        actor=cast.officer_a,
        entry=entry,
        inputs={"pct": 85},
        note="Đã rà soát",
        version=entry.version,
    )
    assert LeafPrefill.objects.get(entry=entry).corrected_pct == Decimal(85)
    # and the corrected leaf is the unit's now: asking again does not overwrite it
    assert prefill(cast, year).kept == ["3.3"]


def test_nothing_is_taken_for_a_submitted_assessment_or_a_set_without_links(cast):
    plan, year = open_linked_year(cast)
    report_2026(cast.unit_a, payment(plan), 11, 70, 100)
    p = participation(year, cast.unit_a)
    type(p).objects.filter(pk=p.pk).update(state=ParticipationState.SUBMITTED)
    with pytest.raises(ValidationError) as locked:
        prefill(cast, year)
    assert locked.value.code == "locked"
    with pytest.raises(ValidationError) as unlinked:
        prefill(cast, year, cast.snv, actor=cast.admin)  # the departments' set: no link
    assert unlinked.value.messages == [
        "Bộ tiêu chí của đơn vị chưa có tiêu chí nào lấy số liệu từ chỉ tiêu CCHC."
    ]
    assert not LeafPrefill.objects.exists()
    assert not AuditEntry.objects.filter(action="par_entry.prefill").exists()


def test_outside_the_self_assessment_window_nothing_is_taken(cast):
    plan, year = open_linked_year(cast)
    report_2026(cast.unit_a, payment(plan), 11, 70, 100)
    with time_machine.travel("2027-01-05 10:00 +07:00", tick=False):
        with pytest.raises(ValidationError):
            prefill(cast, year)
    assert leaf_entry(year, cast.unit_a).self_inputs is None
