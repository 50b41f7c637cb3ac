import datetime

import pytest
from django.core.exceptions import ValidationError

from cchc.core.models import AuditEntry
from cchc.org.models import CommuneKind, SuccessionKind, Unit, UnitSuccession, UnitType
from cchc.org.services import unit_merge, unit_retire, unit_split, unit_update

pytestmark = pytest.mark.django_db
MERGE_DAY = datetime.date(2026, 1, 1)


def new_commune(code, slug, name):
    return Unit(
        name=name,
        code=code,
        slug=slug,
        unit_type=UnitType.COMMUNE,
        commune_kind=CommuneKind.PHUONG,
    )


def test_merging_two_communes_keeps_both_histories_reachable_from_the_new_one(cast):
    merged = unit_merge(
        actor=cast.admin,
        predecessors=[cast.unit_a, cast.unit_b],
        successor=new_commune("P100", "phuong-moi", "Phường Mới"),
        effective_date=MERGE_DAY,
    )
    assert set(merged.lineage_ids()) == {merged.pk, cast.unit_a.pk, cast.unit_b.pk}
    assert set(merged.predecessors()) == {cast.unit_a, cast.unit_b}
    # History recorded against a predecessor is found through the successor.
    history = AuditEntry.objects.filter(unit_id__in=merged.lineage_ids())
    assert history.filter(unit=cast.unit_a).exists()
    assert history.filter(unit=cast.unit_b).exists()
    for old in (cast.unit_a, cast.unit_b):
        old.refresh_from_db()
        assert old.active_until == datetime.date(2025, 12, 31)
        assert list(old.successors()) == [merged]
    assert merged.active_from == MERGE_DAY
    assert merged.page.url == "/don-vi/phuong-moi/"
    assert AuditEntry.objects.filter(action="unit.merge", object_id=str(merged.pk)).exists()


def test_lineage_follows_successive_merges(cast):
    first = unit_merge(
        actor=None,
        predecessors=[cast.unit_a, cast.unit_b],
        successor=new_commune("P100", "phuong-moi", "Phường Mới"),
        effective_date=MERGE_DAY,
    )
    second = unit_merge(
        actor=None,
        predecessors=[first, cast.snv],
        successor=Unit(
            name="Đơn vị gộp", code="G1", slug="don-vi-gop", unit_type=UnitType.DEPARTMENT
        ),
        effective_date=datetime.date(2026, 6, 1),
    )
    assert set(second.lineage_ids()) == {
        second.pk,
        first.pk,
        cast.snv.pk,
        cast.unit_a.pk,
        cast.unit_b.pk,
    }


def test_it_refuses_to_merge_fewer_than_two_units(cast):
    with pytest.raises(ValidationError, match="ít nhất hai đơn vị"):
        unit_merge(
            actor=None,
            predecessors=[cast.unit_a],
            successor=new_commune("P100", "phuong-moi", "Phường Mới"),
            effective_date=MERGE_DAY,
        )
    assert not Unit.objects.filter(code="P100").exists()


def test_a_failed_merge_saves_nothing(cast):
    # The new unit reuses unit A's code: the whole merge rolls back.
    with pytest.raises(ValidationError):
        unit_merge(
            actor=None,
            predecessors=[cast.unit_a, cast.unit_b],
            successor=new_commune(cast.unit_a.code, "phuong-moi", "Phường Mới"),
            effective_date=MERGE_DAY,
        )
    cast.unit_a.refresh_from_db()
    assert cast.unit_a.active_until is None
    assert not UnitSuccession.objects.exists()


def test_splitting_links_every_new_unit_to_the_old_one(cast):
    parts = unit_split(
        actor=None,
        predecessor=cast.unit_a,
        successors=[
            new_commune("P201", "phuong-mot", "Phường Một"),
            new_commune("P202", "phuong-hai", "Phường Hai"),
        ],
        effective_date=MERGE_DAY,
    )
    for part in parts:
        assert cast.unit_a.pk in part.lineage_ids()
    kinds = set(UnitSuccession.objects.values_list("kind", flat=True))
    assert kinds == {SuccessionKind.SPLIT}


def test_retiring_a_unit_ends_its_activity_but_keeps_its_page(cast):
    unit_retire(actor=cast.admin, unit=cast.unit_b, effective_date=MERGE_DAY)
    cast.unit_b.refresh_from_db()
    assert not cast.unit_b.is_active
    assert cast.unit_b not in Unit.objects.active()
    assert cast.unit_b.page.live


def test_retiring_before_the_unit_started_is_refused(cast):
    with pytest.raises(ValidationError, match="Ngày hiệu lực phải sau"):
        unit_retire(actor=None, unit=cast.unit_b, effective_date=datetime.date(2025, 7, 1))
    cast.unit_b.refresh_from_db()
    assert cast.unit_b.active_until is None


def test_renaming_records_the_old_name_and_renames_the_page(cast):
    cast.unit_a.name = "Xã An Phú Mới"
    unit_update(actor=cast.admin, unit=cast.unit_a, changed=["name"])
    entry = AuditEntry.objects.get(action="unit.rename")
    assert entry.data["name"] == ["Xã An Phú", "Xã An Phú Mới"]
    assert entry.actor == cast.admin
    cast.unit_a.page.refresh_from_db()
    assert cast.unit_a.page.title == "Xã An Phú Mới"
    assert cast.unit_a.page.url == "/don-vi/xa-an-phu/"
