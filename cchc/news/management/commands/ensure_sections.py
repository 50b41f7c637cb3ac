from django.core.management.base import BaseCommand

from cchc.core.site_tree import ensure_site_tree
from cchc.news.models import SectionPage
from cchc.news.services import sections_ensure_all


class Command(BaseCommand):
    help = (
        "Tạo chuyên mục Cải cách hành chính (và 5 chủ đề, nhóm biên tập, quy trình duyệt) "
        "cho mọi đơn vị đang hoạt động còn thiếu; đồng bộ nhóm biên tập theo phân quyền. "
        "Chạy lại nhiều lần không tạo trùng."
    )

    def handle(self, *args, **options):
        # Run after `migrate`, not inside a migration: it uses the current
        # models and Wagtail's tree API, which historical models do not have.
        before = SectionPage.objects.count()
        ensure_site_tree()
        sections_ensure_all()
        created = SectionPage.objects.count() - before
        self.stdout.write(f"Đã tạo {created} chuyên mục Cải cách hành chính mới.")
