"""The demo province: the units and one account per role in them (used by
`load_demo`, through hooks.DEMO_LOAD, and by the tests)."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from cchc.org.models import Role, RoleAssignment, Unit
from cchc.org.services import role_assign

# One demo account per role. (username, full name, role, unit slug or None)
DEMO_ACCOUNTS = [
    ("quantri", "Nguyễn Văn Quản", Role.ADMIN, None),
    ("lanhdaotinh", "Trần Thị Lãnh", Role.PROVINCE_LEADER, None),
    ("thamdinh.stp", "Lê Văn Thẩm", Role.APPRAISER, "so-tu-phap"),
    ("canbo.anphu", "Phạm Thị Cán", Role.CCHC_OFFICER, "xa-an-phu"),
    ("lanhdao.anphu", "Võ Văn Đạo", Role.UNIT_LEADER, "xa-an-phu"),
    ("bientap.anphu", "Huỳnh Thị Biên", Role.NEWS_EDITOR, "xa-an-phu"),
    ("duyettin.anphu", "Đặng Văn Duyệt", Role.NEWS_APPROVER, "xa-an-phu"),
    ("canbo.longxuyen", "Bùi Thị Xuyên", Role.CCHC_OFFICER, "phuong-long-xuyen"),
    ("canbo.snv", "Ngô Văn Vụ", Role.CCHC_OFFICER, "so-noi-vu"),
    # two people key each SIPAS paper form (double entry)
    ("nhaplieu.mot", "Lý Thị Nhập", Role.SURVEY_OPERATOR, None),
    ("nhaplieu.hai", "Châu Văn Phiếu", Role.SURVEY_OPERATOR, None),
]


@transaction.atomic
def demo_accounts_load(*, accounts=DEMO_ACCOUNTS, password: str | None = None) -> list[tuple]:
    """Create (or reset) the accounts with their roles; idempotent.

    Each account gets `password`, or a fresh random one. Returns
    (user, password, role label, unit name) for each account, in order.
    """
    User = get_user_model()
    rows = []
    for username, full_name, role, slug in accounts:
        family, _, given = full_name.rpartition(" ")
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": given,
                "last_name": family,
                "email": f"{username}@example.vn",
            },
        )
        secret = password or secrets.token_urlsafe(9)
        user.set_password(secret)
        user.save()
        unit = Unit.objects.get(slug=slug) if slug else None
        if role and not RoleAssignment.objects.filter(user=user, role=role, unit=unit).exists():
            role_assign(actor=None, user=user, role=role, unit=unit)
        rows.append((user, secret, role.label if role else "", unit.name if unit else "Toàn tỉnh"))
    return rows


def demo_load(*, stdout, password: str | None) -> list[tuple[str, str, str, str]]:
    """The units, then the demo accounts; returns their sign-ins for load_demo to print."""
    call_command("load_units", stdout=stdout)
    return [
        (user.username, secret, role, unit)
        for user, secret, role, unit in demo_accounts_load(password=password)
    ]
