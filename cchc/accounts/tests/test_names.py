"""Names are written family name first: "Nguyễn Văn Quản", never "Quản Nguyễn Văn"."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cchc.org.models import Role
from cchc.org.services import role_assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def quan(cast):
    # As the demo loader and the user form store it: given name, family + middle.
    user = get_user_model().objects.create_user(
        "nvquan", password="x", first_name="Quản", last_name="Nguyễn Văn"
    )
    role_assign(actor=None, user=user, role=Role.ADMIN)
    return user


def test_the_full_name_puts_the_family_name_first(quan):
    assert quan.get_full_name() == "Nguyễn Văn Quản"
    assert quan.get_short_name() == "Quản"


def test_the_landing_page_greets_by_the_vietnamese_name(quan, client_as):
    body = client_as(quan).get(reverse("cchc_landing")).content.decode()
    assert "Nguyễn Văn Quản" in body
    assert "Quản Nguyễn Văn" not in body


def test_the_back_office_user_list_shows_the_vietnamese_name(quan, client_as):
    body = client_as(quan).get(reverse("wagtailusers_users:index")).content.decode()
    assert "Nguyễn Văn Quản" in body
    assert "Quản Nguyễn Văn" not in body


def test_the_user_form_asks_for_the_family_name_first(quan, client_as):
    body = client_as(quan).get(reverse("wagtailusers_users:edit", args=[quan.pk])).content.decode()
    assert "Họ và tên đệm" in body
    assert body.index('id="id_last_name"') < body.index('id="id_first_name"')
