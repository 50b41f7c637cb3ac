"""The public page tree: / (home) with /don-vi/ for the units' pages."""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Locale, Page, Site

from cchc.core.models import HomePage
from cchc.org.models import UnitIndexPage

SITE_TREE_HOOKS: list = []  # callables(home) that add sections under the home page


@transaction.atomic
def ensure_site_tree() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        if root is None:
            # Wagtail's migrations create the root; a flushed database has none.
            Locale.objects.get_or_create(language_code="vi")
            root = Page.add_root(instance=Page(title="Root", slug="root", live=True))
        # Wagtail's initial "Welcome" page would shadow our home's slug.
        for page in root.get_children().exclude(content_type__model="homepage"):
            page.delete()
        home = HomePage(
            title="Cổng thông tin Cải cách hành chính tỉnh An Giang",
            slug="trang-chu",
            intro=(
                "<p>Thông tin về cải cách hành chính của tỉnh An Giang: tin tức, "
                "chỉ số cải cách hành chính, khảo sát sự hài lòng và các chỉ tiêu "
                "cải cách của tỉnh, các sở, ban, ngành và 102 xã, phường, đặc khu.</p>"
            ),
            # Editable in the back office; the portal's real contact details
            # are entered by Sở Nội vụ.
            contact_address="Sở Nội vụ tỉnh An Giang, phường Rạch Giá, tỉnh An Giang",
        )
        root.add_child(instance=home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Cổng thông tin CCHC tỉnh An Giang",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    if not UnitIndexPage.objects.exists():
        home.add_child(instance=UnitIndexPage(title="Đơn vị", slug="don-vi"))
    for hook in SITE_TREE_HOOKS:
        hook(home)
    return home
