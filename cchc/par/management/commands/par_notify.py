"""Daily reminders of the PAR year (a window opens, three days before a deadline)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from cchc.par.services.notify import reminders


class Command(BaseCommand):
    help = (
        "Gửi nhắc việc Chỉ số CCHC của ngày hôm nay: mở giai đoạn, còn 3 ngày đến hạn. "
        "Chạy hằng ngày; chạy lại không gửi trùng."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            created = reminders()
        self.stdout.write(f"Đã tạo {len(created)} thông báo nhắc việc Chỉ số CCHC.")
