"""Load the real units of An Giang (data/an-giang-units.yaml), idempotently."""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml
from anyascii import anyascii
from django.db import transaction
from django.utils.text import slugify

from cchc.org.models import CommuneKind, Unit, UnitType
from cchc.org.services import unit_create

DATA = Path(__file__).resolve().parent / "data" / "an-giang-units.yaml"
REFORM_DAY = datetime.date(2025, 7, 1)  # two-level local government starts

# Short codes officials recognise for the departments.
DEPARTMENT_CODES = {
    "Văn phòng Ủy ban nhân dân tỉnh": "VPUBND",
    "Sở Nội vụ": "SNV",
    "Sở Tư pháp": "STP",
    "Sở Tài chính": "STC",
    "Sở Công Thương": "SCT",
    "Sở Nông nghiệp và Môi trường": "SNNMT",
    "Sở Xây dựng": "SXD",
    "Sở Khoa học và Công nghệ": "SKHCN",
    "Sở Văn hóa, Thể thao và Du lịch": "SVHTTDL",
    "Sở Giáo dục và Đào tạo": "SGDDT",
    "Sở Y tế": "SYT",
    "Thanh tra tỉnh": "TTT",
    "Sở Dân tộc và Tôn giáo": "SDTTG",
}
COMMUNE_KINDS = [
    ("phuong", CommuneKind.PHUONG, "Phường", "P"),
    ("xa", CommuneKind.XA, "Xã", "X"),
    ("dac_khu", CommuneKind.DAC_KHU, "Đặc khu", "DK"),
]


def _slug(name: str) -> str:
    return slugify(anyascii(name))


def _get_or_create(actor, **fields) -> tuple[Unit, bool]:
    existing = Unit.objects.filter(code=fields["code"]).first()
    if existing:
        return existing, False
    return unit_create(actor=actor, unit=Unit(**fields)), True


@transaction.atomic
def load_units(path: Path = DATA, actor=None) -> dict[str, int]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    created = 0
    province, new = _get_or_create(
        actor,
        name=data["province"]["name"],
        unit_type=UnitType.PROVINCE,
        code="AG",
        slug="tinh-an-giang",
        active_from=REFORM_DAY,
    )
    created += new
    for name in data["departments"]["units"]:
        _, new = _get_or_create(
            actor,
            name=name,
            unit_type=UnitType.DEPARTMENT,
            parent=province,
            code=DEPARTMENT_CODES.get(name) or _slug(name).upper()[:20],
            slug=_slug(name),
            active_from=REFORM_DAY,
        )
        created += new
    for key, kind, prefix, code_prefix in COMMUNE_KINDS:
        for n, short in enumerate(sorted(data["communes"][key]), start=1):
            name = f"{prefix} {short}"
            _, new = _get_or_create(
                actor,
                name=name,
                unit_type=UnitType.COMMUNE,
                commune_kind=kind,
                parent=province,
                code=f"{code_prefix}{n:03d}",
                slug=_slug(name),
                active_from=REFORM_DAY,
            )
            created += new
    return {"created": created, "total": Unit.objects.count()}
