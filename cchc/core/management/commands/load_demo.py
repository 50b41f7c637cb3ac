import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from cchc.core.demo import DEMO_LOADERS
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
]


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: đơn vị, tài khoản mẫu cho từng vai trò và dữ liệu của các phân hệ."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Mật khẩu cho mọi tài khoản mẫu (mặc định: sinh ngẫu nhiên mỗi lần nạp).",
        )

    def handle(self, *args, password=None, **options):
        call_command("load_units", stdout=self.stdout)
        with transaction.atomic():
            rows = self._accounts(password)
        for loader in DEMO_LOADERS:
            loader(self.stdout)
        self._print(rows)

    def _accounts(self, password):
        User = get_user_model()
        rows = []
        for username, full_name, role, code in DEMO_ACCOUNTS:
            first, _, last = full_name.rpartition(" ")
            user, _ = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": last,
                    "last_name": first,
                    "email": f"{username}@example.vn",
                },
            )
            secret = password or secrets.token_urlsafe(9)
            user.set_password(secret)
            user.save()
            unit = Unit.objects.get(slug=code) if code else None
            if not RoleAssignment.objects.filter(user=user, role=role, unit=unit).exists():
                role_assign(actor=None, user=user, role=role, unit=unit)
            rows.append((username, secret, role.label, unit.name if unit else "Toàn tỉnh"))
        return rows

    def _print(self, rows):
        if not settings.DEMO_PRINT_CREDENTIALS:
            self.stdout.write(
                "Đã tạo tài khoản mẫu (mật khẩu không hiển thị ngoài môi trường phát triển)."
            )
            return
        self.stdout.write(
            "\nTài khoản mẫu (chỉ dùng để thử, đăng nhập tại http://127.0.0.1:8000/quan-tri/):"
        )
        for username, secret, role, unit in rows:
            self.stdout.write(f"  {username:<18} {secret:<14} {role} – {unit}")
