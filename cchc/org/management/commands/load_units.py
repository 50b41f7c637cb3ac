from django.core.management.base import BaseCommand

from cchc.core.site_tree import ensure_site_tree
from cchc.org.loading import load_units


class Command(BaseCommand):
    help = "Nạp các đơn vị của tỉnh An Giang (tỉnh, sở ngành, 102 xã, phường, đặc khu)."

    def handle(self, *args, **options):
        ensure_site_tree()
        result = load_units()
        self.stdout.write(
            f"Đã thêm {result['created']} đơn vị; tổng cộng {result['total']} đơn vị."
        )
