from django.core.management.base import BaseCommand

from cchc.stats.services import stale_delete


class Command(BaseCommand):
    help = (
        "Xóa khóa băm của các ngày đã qua và dữ liệu chống đếm trùng cũ "
        "(chạy hằng ngày sau 0 giờ; beacon cũng tự làm việc này)."
    )

    def handle(self, *args, **options):
        salts, visitors = stale_delete()
        self.stdout.write(f"Đã xóa {salts} khóa băm và {visitors} dòng chống đếm trùng.")
