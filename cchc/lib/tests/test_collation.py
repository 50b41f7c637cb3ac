"""Unit lists in Vietnamese alphabetical order, not SQL's (Đ, Ô, Ơ, Ư after V)."""

import datetime

import pytest
from django.urls import reverse

from cchc import access
from cchc.lib.collation import vi_key, vi_order_by, vi_sorted
from cchc.news.selectors import units_with_sections
from cchc.org.forms import UnitRetireForm
from cchc.org.models import CommuneKind, Role, Unit, UnitType, unit_groups
from cchc.org.services import role_assign, unit_create
from cchc.stats.selectors import units_ranking

# In Vietnamese order: ă after a, đ after d, ô and ơ after o, ư after u, tones last.
EXPECTED = [
    "Xã An Phú",
    "Xã Ăn Quả",
    "Xã Dương Hòa",
    "Xã Đông Hòa",
    "Xã Óc Eo",
    "Xã Ô Lâm",
    "Xã Ơ Rê",
    "Xã Uyên Hưng",
    "Xã Ưu Điềm",
    "Xã Vĩnh Hậu",
]


def test_letters_come_before_tones():
    assert vi_sorted(["Bả", "Bá", "Bà", "Ba", "Bạ", "Bã"], key=str) == [
        "Ba",
        "Bà",
        "Bả",
        "Bã",
        "Bá",
        "Bạ",
    ]


# Units made for the tests, apart from whatever the cast's province holds.
TEST_UNITS = [name.replace("Xã ", "Xã Thử ") for name in EXPECTED]


def test_the_vietnamese_alphabet():
    shuffled = list(reversed(EXPECTED))
    assert vi_sorted(shuffled, key=str) == EXPECTED
    assert sorted(shuffled) != EXPECTED  # what Python (and SQL) would do


def test_case_does_not_change_the_order():
    assert vi_key("đông") < vi_key("Ê") < vi_key("ơ") < vi_key("Ư")


@pytest.fixture
def communes(cast):
    units = []
    for n, name in enumerate(reversed(TEST_UNITS)):
        units.append(
            unit_create(
                actor=None,
                unit=Unit(
                    name=name,
                    code=f"T{n:03d}",
                    slug=f"thu-{n}",
                    unit_type=UnitType.COMMUNE,
                    commune_kind=CommuneKind.XA,
                    parent=cast.province,
                    active_from=datetime.date(2025, 7, 1),
                ),
            )
        )
    return units


def names(units, only=TEST_UNITS):
    return [u.name for u in units if u.name in only]


@pytest.mark.django_db
def test_every_unit_list_is_in_vietnamese_order(cast, communes):
    for unit in communes:
        role_assign(actor=None, user=cast.nobody, role=Role.CCHC_OFFICER, unit=unit)
    cast.nobody._cchc_assignments = None
    assert names(access.user_units(cast.nobody)) == TEST_UNITS
    assert names(dict(unit_groups())["Xã"]) == TEST_UNITS
    assert names(units_with_sections()) == TEST_UNITS
    today = datetime.date.today()
    assert names(r.unit for r in units_ranking(today, today)) == TEST_UNITS
    assert names(UnitRetireForm().fields["unit"].queryset) == TEST_UNITS
    assert names(vi_order_by(Unit.objects.all())) == TEST_UNITS


@pytest.mark.django_db
def test_the_public_unit_list_is_in_vietnamese_order(cast, communes, client):
    body = client.get("/don-vi/").content.decode()
    positions = [body.index(name) for name in TEST_UNITS]
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_the_merge_form_lists_units_in_vietnamese_order(cast, communes, client_as):
    body = client_as(cast.admin).get(reverse("cchc_unit_merge")).content.decode()
    positions = [body.index(name) for name in TEST_UNITS]
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_the_back_office_unit_list_is_in_vietnamese_order(cast, communes, client_as):
    # Paginated by the database: the order must come from the query itself,
    # across pages.
    client = client_as(cast.admin)
    url = reverse("wagtailsnippets_org_unit:list") + "?unit_type=commune&p="
    body = "".join(client.get(url + str(n)).content.decode() for n in (1, 2, 3))
    assert all(name in body for name in TEST_UNITS)
    positions = [body.index(name) for name in TEST_UNITS]
    assert positions == sorted(positions)
