"""Searching the back-office unit list by a unit's name or its code."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def results(client, query):
    return client.get(reverse("wagtailsnippets_org_unit:list_results"), {"q": query})


@pytest.mark.parametrize("by", ["code", "name"])
def test_the_unit_list_finds_a_unit_by_its_code_or_name(cast, client_as, by):
    unit = cast.unit_a
    if by == "code":
        unit.code = "H9-MA-99"
        unit.save(update_fields=["code"])
    response = results(client_as(cast.admin), getattr(unit, by))
    assert response.status_code == 200
    assert unit.name in response.text
    assert cast.unit_b.name not in response.text
