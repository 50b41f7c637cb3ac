from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from cchc.core.demo import DEMO_LOADERS
from cchc.org.demo import DEMO_ACCOUNTS, demo_accounts_load

__all__ = ["DEMO_ACCOUNTS", "Command"]


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: đơn vị, tài khoản mẫu cho từng vai trò và dữ liệu của các phân hệ."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Mật khẩu cho mọi tài khoản mẫu (mặc định: sinh ngẫu nhiên mỗi lần nạp).",
        )

    def handle(self, *args, password=None, **options):
        call_command("load_units", stdout=self.stdout)
        rows = [
            (user.username, secret, role, unit)
            for user, secret, role, unit in demo_accounts_load(password=password)
        ]
        for loader in DEMO_LOADERS:
            loader(self.stdout)
        self._print(rows)

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
