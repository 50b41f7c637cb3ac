"""Import, clone, freeze and revise: versions, audit entries, and what is refused."""

from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cchc.core.models import AuditEntry
from cchc.org.models import UnitType
from cchc.par import engine
from cchc.par.io.convert import criteria_set_to_engine
from cchc.par.models import CriteriaNode, CriteriaSet, SetStatus
from cchc.par.services.criteria import (
    criteria_set_clone,
    criteria_set_freeze,
    criteria_set_import,
    criteria_set_revise,
)
from cchc.par.tests.helpers import counts, draft_data, draft_set, node_rows, totals

pytestmark = pytest.mark.django_db


def _audit(criteria_set):
    return list(
        AuditEntry.objects.filter(object_type="par.criteriaset", object_id=str(criteria_set.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_importing_creates_version_1_as_a_draft_with_an_audit_entry(cast):
    stored = draft_set(actor=cast.admin)
    assert (stored.year, stored.version, stored.status) == (2026, 1, SetStatus.DRAFT)
    assert stored.nodes.count() == sum(1 for _ in criteria_set_to_engine(stored).nodes())
    entry = AuditEntry.objects.get(action="criteria_set.import")
    assert entry.actor == cast.admin and entry.object_id == str(stored.pk)


def test_importing_again_replaces_the_draft_in_place(cast):
    first = draft_set(actor=cast.admin)
    again = draft_set(actor=cast.admin)
    assert again.pk == first.pk and CriteriaSet.objects.count() == 1
    assert _audit(first) == ["criteria_set.import", "criteria_set.replace"]


def test_importing_over_a_frozen_set_makes_a_new_version_and_keeps_the_old_one(cast):
    first = draft_set(actor=cast.admin)
    criteria_set_freeze(actor=cast.admin, criteria_set=first)
    before = node_rows(first)
    second = draft_set(actor=cast.admin)
    assert (second.version, second.status, second.revised_from) == (2, SetStatus.DRAFT, first)
    assert node_rows(first) == before


def _with_max(criteria_set: engine.CriteriaSet, code: str, points: Decimal):
    def walk(node: engine.Node) -> engine.Node:
        node = replace(node, children=tuple(walk(child) for child in node.children))
        return replace(node, max=points) if node.code == code else node

    return replace(criteria_set, areas=tuple(walk(area) for area in criteria_set.areas))


def test_an_import_the_engine_rejects_saves_nothing():
    # 1.1.1 no longer sums into 1.1
    tampered = _with_max(draft_data().criteria_set, "1.1.1", Decimal(5))
    before = counts()
    with pytest.raises(ValidationError) as caught:
        criteria_set_import(actor=None, year=2026, unit_type=UnitType.DEPARTMENT, criteria=tampered)
    assert any("Tổng điểm tối đa của các tiêu chí con" in m for m in caught.value.messages)
    assert counts() == before


def test_cloning_starts_a_new_year_with_the_same_tree(cast):
    source = draft_set(actor=cast.admin, year=2025)
    criteria_set_freeze(actor=cast.admin, criteria_set=source)
    clone = criteria_set_clone(actor=cast.admin, source=source, year=2026)
    assert (clone.year, clone.version, clone.status) == (2026, 1, SetStatus.DRAFT)
    assert [r[:-1] for r in node_rows(clone)] == [r[:-1] for r in node_rows(source)]
    assert criteria_set_to_engine(clone) == criteria_set_to_engine(source)
    assert totals(criteria_set_to_engine(clone)) == totals(criteria_set_to_engine(source))
    assert _audit(clone) == ["criteria_set.clone"]


def test_cloning_can_change_the_unit_type_for_districts_becoming_communes(cast):
    source = draft_set(actor=cast.admin, year=2024, unit_type=UnitType.DISTRICT)
    clone = criteria_set_clone(
        actor=cast.admin, source=source, year=2026, unit_type=UnitType.COMMUNE
    )
    assert clone.unit_type == UnitType.COMMUNE


def test_cloning_into_a_year_that_has_a_set_is_refused(cast):
    source = draft_set(actor=cast.admin, year=2025)
    draft_set(actor=cast.admin, year=2026)
    before = counts()
    with pytest.raises(ValidationError):
        criteria_set_clone(actor=cast.admin, source=source, year=2026)
    assert counts() == before


def test_freezing_records_when_and_who(cast):
    stored = draft_set(actor=cast.admin)
    criteria_set_freeze(actor=cast.admin, criteria_set=stored)
    stored.refresh_from_db()
    assert stored.status == SetStatus.FROZEN and stored.frozen_at is not None
    assert _audit(stored)[-1] == "criteria_set.freeze"


def test_a_set_is_frozen_only_once(cast):
    stored = draft_set(actor=cast.admin)
    criteria_set_freeze(actor=cast.admin, criteria_set=stored)
    stale = CriteriaSet.objects.get(pk=stored.pk)
    stale.status = SetStatus.DRAFT  # a second request that read the set before the freeze
    with pytest.raises(ValidationError):
        criteria_set_freeze(actor=cast.admin, criteria_set=stale)
    assert _audit(stored).count("criteria_set.freeze") == 1


def test_a_set_that_does_not_add_up_cannot_be_frozen(cast):
    stored = draft_set(actor=cast.admin)
    CriteriaNode.objects.filter(criteria_set=stored, code="9.1.1").update(max_points=1)
    with pytest.raises(ValidationError):
        criteria_set_freeze(actor=cast.admin, criteria_set=stored)
    stored.refresh_from_db()
    assert stored.status == SetStatus.DRAFT


def test_revising_a_frozen_set_creates_version_2_as_a_draft_with_an_audit_entry(cast):
    first = draft_set(actor=cast.admin)
    criteria_set_freeze(actor=cast.admin, criteria_set=first)
    second = criteria_set_revise(actor=cast.admin, criteria_set=first)
    assert (second.version, second.status, second.revised_from_id) == (2, "draft", first.pk)
    assert [r[:-1] for r in node_rows(second)] == [r[:-1] for r in node_rows(first)]
    entry = AuditEntry.objects.get(action="criteria_set.revise")
    assert entry.object_id == str(second.pk) and entry.actor == cast.admin
    assert entry.data["revised_from"] == first.pk
    first.refresh_from_db()
    assert first.status == SetStatus.FROZEN


def test_a_draft_is_not_revised_and_neither_is_an_old_version(cast):
    first = draft_set(actor=cast.admin)
    with pytest.raises(ValidationError):
        criteria_set_revise(actor=cast.admin, criteria_set=first)
    criteria_set_freeze(actor=cast.admin, criteria_set=first)
    criteria_set_revise(actor=cast.admin, criteria_set=first)
    with pytest.raises(ValidationError):
        criteria_set_revise(actor=cast.admin, criteria_set=first)
    assert CriteriaSet.objects.count() == 2


def test_a_version_saved_meanwhile_by_someone_else_is_a_message_not_an_error(cast, monkeypatch):
    first = draft_set(actor=cast.admin)
    criteria_set_freeze(actor=cast.admin, criteria_set=first)
    # the other request took version 2 between our read of the versions and our insert
    monkeypatch.setattr("cchc.par.services.criteria._next_version", lambda year, unit_type: 1)
    # and passed its own validation before that version was committed
    monkeypatch.setattr(CriteriaSet, "full_clean", lambda self, **kwargs: None)
    before = counts()
    with pytest.raises(ValidationError) as caught:
        draft_set(actor=cast.admin)
    assert "vừa được người khác thay đổi" in caught.value.messages[0]
    assert counts() == before
