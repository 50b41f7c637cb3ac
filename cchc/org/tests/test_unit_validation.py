"""Bad unit and role input gets a clear Vietnamese error and nothing is saved."""

import datetime

import pytest
from django.urls import reverse

from cchc.org.models import Role, RoleAssignment, Unit, UnitType
from cchc.org.services import unit_retire

pytestmark = pytest.mark.django_db


def unit_form(**overrides):
    data = {
        "name": "Xã Mới",
        "unit_type": UnitType.COMMUNE,
        "commune_kind": "xa",
        "parent": "",
        "code": "X999",
        "slug": "xa-moi",
        "active_from": "2025-07-01",
        "active_until": "",
        "address": "",
        "phone": "",
        "email": "",
        "website": "",
    }
    data.update(overrides)
    return data


def post_unit(client, **overrides):
    return client.post(reverse("wagtailsnippets_org_unit:add"), unit_form(**overrides))


def test_admin_adds_a_unit_with_its_public_page(cast, client_as):
    response = post_unit(client_as(cast.admin), parent=cast.province.pk)
    assert response.status_code == 302
    unit = Unit.objects.get(code="X999")
    assert unit.page.url == "/don-vi/xa-moi/"


def test_it_rejects_a_duplicate_unit_code(cast, client_as):
    before = Unit.objects.count()
    response = post_unit(client_as(cast.admin), code=cast.unit_a.code)
    assert response.status_code == 200
    assert "Mã đơn vị này đã được dùng cho một đơn vị khác." in response.content.decode()
    assert Unit.objects.count() == before


def test_it_rejects_a_duplicate_slug(cast, client_as):
    before = Unit.objects.count()
    response = post_unit(client_as(cast.admin), slug=cast.unit_a.slug)
    assert "Đường dẫn này đã được dùng cho một đơn vị khác." in response.content.decode()
    assert Unit.objects.count() == before


def test_it_rejects_active_until_before_active_from(cast, client_as):
    before = Unit.objects.count()
    response = post_unit(client_as(cast.admin), active_until="2025-06-30")
    assert "Ngày kết thúc hoạt động không được trước ngày bắt đầu." in response.content.decode()
    assert Unit.objects.count() == before


def test_it_rejects_a_commune_without_its_kind(cast, client_as):
    response = post_unit(client_as(cast.admin), commune_kind="")
    assert "Đơn vị cấp xã phải chọn xã, phường hoặc đặc khu." in response.content.decode()
    assert not Unit.objects.filter(code="X999").exists()


def edit_province_parent(client, cast, parent):
    url = reverse("wagtailsnippets_org_unit:edit", args=[cast.province.pk])
    data = unit_form(
        name=cast.province.name,
        unit_type=UnitType.PROVINCE,
        commune_kind="",
        code="AG",
        slug="tinh-an-giang",
        parent=parent.pk,
    )
    return client.post(url, data).content.decode()


def test_it_rejects_a_unit_that_is_its_own_parent(cast, client_as):
    body = edit_province_parent(client_as(cast.admin), cast, cast.province)
    assert "Một đơn vị không thể là cấp trên của chính nó." in body
    cast.province.refresh_from_db()
    assert cast.province.parent_id is None


def test_it_rejects_a_unit_that_would_be_its_own_ancestor(cast, client_as):
    # The province is unit A's parent; making A the province's parent is a cycle.
    body = edit_province_parent(client_as(cast.admin), cast, cast.unit_a)
    assert "đơn vị sẽ trở thành cấp trên của chính nó" in body
    cast.province.refresh_from_db()
    assert cast.province.parent_id is None


def test_it_rejects_a_role_on_a_retired_unit(cast, client_as):
    unit_retire(actor=None, unit=cast.unit_b, effective_date=datetime.date(2025, 12, 1))
    before = RoleAssignment.objects.count()
    response = client_as(cast.admin).post(
        reverse("wagtailsnippets_org_roleassignment:add"),
        {"user": cast.nobody.pk, "role": Role.CCHC_OFFICER, "unit": cast.unit_b.pk},
    )
    assert "Không thể giao vai trò tại đơn vị đã ngừng hoạt động." in response.content.decode()
    assert RoleAssignment.objects.count() == before


def test_it_rejects_a_unit_role_without_a_unit(cast, client_as):
    before = RoleAssignment.objects.count()
    response = client_as(cast.admin).post(
        reverse("wagtailsnippets_org_roleassignment:add"),
        {"user": cast.nobody.pk, "role": Role.NEWS_EDITOR, "unit": ""},
    )
    assert "Vai trò này phải gắn với một đơn vị." in response.content.decode()
    assert RoleAssignment.objects.count() == before


def test_it_rejects_an_appraiser_outside_a_department(cast, client_as):
    response = client_as(cast.admin).post(
        reverse("wagtailsnippets_org_roleassignment:add"),
        {"user": cast.nobody.pk, "role": Role.APPRAISER, "unit": cast.unit_a.pk},
    )
    assert "Thẩm định viên phải thuộc một sở, ban, ngành thẩm định." in response.content.decode()
    assert not RoleAssignment.objects.filter(user=cast.nobody).exists()


def test_it_rejects_the_same_role_twice(cast, client_as):
    before = RoleAssignment.objects.count()
    response = client_as(cast.admin).post(
        reverse("wagtailsnippets_org_roleassignment:add"),
        {"user": cast.officer_a.pk, "role": Role.CCHC_OFFICER, "unit": cast.unit_a.pk},
    )
    assert "Người dùng này đã có vai trò này tại đơn vị này." in response.content.decode()
    assert RoleAssignment.objects.count() == before


def test_the_database_refuses_a_bad_period_even_without_the_form(cast):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.filter(pk=cast.unit_a.pk).update(active_until=datetime.date(2020, 1, 1))
    cast.unit_a.refresh_from_db()
    assert cast.unit_a.active_until is None
