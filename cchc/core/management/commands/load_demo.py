from django.conf import settings
from django.core.management.base import BaseCommand

from cchc.core import hooks


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: đơn vị, tài khoản mẫu cho từng vai trò và dữ liệu của các phân hệ."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Mật khẩu cho mọi tài khoản mẫu (mặc định: sinh ngẫu nhiên mỗi lần nạp).",
        )

    def handle(self, *args, password=None, **options):
        # Each app's loader, in their declared order (org's units and accounts first).
        results = hooks.run(hooks.DEMO_LOAD, stdout=self.stdout, password=password)
        self._print([row for rows in results if rows for row in rows])

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
