"""Unit lineage: one walk over the successions, for one unit or many."""

import datetime

import pytest

from cchc.org.models import CommuneKind, Unit, UnitType, unit_lineages
from cchc.org.services import unit_merge, unit_split

pytestmark = pytest.mark.django_db


def commune(code, name):
    return Unit(
        name=name,
        code=code,
        slug=code.lower(),
        unit_type=UnitType.COMMUNE,
        commune_kind=CommuneKind.XA,
    )


def test_a_split_then_merged_unit_lists_its_common_ancestor_once(cast):
    left, right = unit_split(
        actor=None,
        predecessor=cast.unit_a,
        successors=[commune("X901", "Xã Tây"), commune("X902", "Xã Đông")],
        effective_date=datetime.date(2026, 1, 1),
    )
    rejoined = unit_merge(
        actor=None,
        predecessors=[left, right],
        successor=commune("X903", "Xã Hợp"),
        effective_date=datetime.date(2026, 6, 1),
    )
    assert rejoined.lineage_ids() == [rejoined.pk, left.pk, right.pk, cast.unit_a.pk]


def test_many_lineages_come_from_one_query(cast, django_assert_num_queries):
    merged = unit_merge(
        actor=None,
        predecessors=[cast.unit_a, cast.unit_b],
        successor=commune("X904", "Xã Mới"),
        effective_date=datetime.date(2026, 1, 1),
    )
    with django_assert_num_queries(1):
        lineages = unit_lineages([merged.pk, cast.snv.pk])
    assert lineages[cast.snv.pk] == [cast.snv.pk]
    assert set(lineages[merged.pk]) == {merged.pk, cast.unit_a.pk, cast.unit_b.pk}
    assert lineages[merged.pk] == merged.lineage_ids()
