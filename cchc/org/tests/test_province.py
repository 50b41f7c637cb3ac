"""One province() selector; the province's name comes from its unit, not from the code."""

import pytest

from cchc.org.models import Unit
from cchc.org.selectors import province

pytestmark = pytest.mark.django_db


def test_the_province_is_the_active_province_unit(cast):
    assert province() == cast.province


def test_a_name_inside_a_sentence_lowers_the_administrative_word_only(cast):
    assert cast.province.name_in_sentence == "t" + cast.province.name[1:]
    assert cast.snv.name_in_sentence == cast.snv.name  # an agency keeps its capital
    assert cast.unit_a.name_in_sentence[0].islower()


def test_the_pages_name_the_province_from_its_unit(cast, client):
    # saved as the back office saves it, so the public pages' caches see the change
    renamed = Unit.objects.get(pk=cast.province.pk)
    renamed.name = "Tỉnh Thử Nghiệm"
    renamed.save(update_fields=["name"])
    assert "Các đơn vị của tỉnh Thử Nghiệm" in client.get("/don-vi/").text
    assert "Tỉnh Thử Nghiệm có" in client.get("/").text
    assert "tỉnh Thử Nghiệm, các sở" in client.get("/cchc/").text
