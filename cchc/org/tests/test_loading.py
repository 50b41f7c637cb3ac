import pytest

from cchc.core.site_tree import ensure_site_tree
from cchc.org.loading import load_units
from cchc.org.models import CommuneKind, Unit, UnitType

pytestmark = pytest.mark.django_db


def test_it_loads_the_real_units_of_an_giang_once():
    ensure_site_tree()
    first = load_units()
    assert first == {"created": 116, "total": 116}
    counts = {t: Unit.objects.filter(unit_type=t).count() for t in UnitType.values}
    assert counts == {"province": 1, "department": 13, "commune": 102, "district": 0}
    kinds = {k: Unit.objects.filter(commune_kind=k).count() for k in CommuneKind.values}
    assert kinds == {"xa": 85, "phuong": 14, "dac_khu": 3}
    phu_quoc = Unit.objects.get(slug="dac-khu-phu-quoc")
    assert phu_quoc.name == "Đặc khu Phú Quốc"
    assert phu_quoc.parent.slug == "tinh-an-giang"
    assert phu_quoc.page.url == "/don-vi/dac-khu-phu-quoc/"
    assert Unit.objects.get(code="SNV").name == "Sở Nội vụ"
    # Vietnamese letters become ASCII slugs: Đ -> d.
    assert Unit.objects.filter(slug="xa-dong-hoa").exists()
    assert load_units() == {"created": 0, "total": 116}
