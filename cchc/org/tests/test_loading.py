import pytest
import yaml

from cchc.org.loading import DATA, load_units
from cchc.org.models import CommuneKind, Unit, UnitType

pytestmark = pytest.mark.django_db


def test_it_loads_the_real_units_of_an_giang_once():
    # The session's world is `load_units` run on an empty database.
    assert Unit.objects.count() == 116
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


def test_loading_again_adds_only_the_units_the_file_gained(tmp_path):
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    data["departments"]["units"].append("Ban Quản lý các khu kinh tế")
    path = tmp_path / "units.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_units(path) == {"created": 1, "total": 117}
    added = Unit.objects.get(slug="ban-quan-ly-cac-khu-kinh-te")
    assert (added.unit_type, added.parent.slug) == (UnitType.DEPARTMENT, "tinh-an-giang")
    assert added.page.url == "/don-vi/ban-quan-ly-cac-khu-kinh-te/"
