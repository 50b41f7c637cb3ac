"""The public page tree: / (home); apps add their pages under it (hooks.SITE_TREE)."""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Page, Site

from cchc.core import hooks
from cchc.core.models import HomePage

# Only what the portal offers today; the PAR Index results and satisfaction
# surveys are announced here once they are published on it.
HOME_INTRO = (
    "<p>Tin tức cải cách hành chính của tỉnh An Giang, các sở, ban, ngành và "
    "các xã, phường, đặc khu: hoạt động, chủ trương, mô hình hay, sáng kiến.</p>"
)


@transaction.atomic
def ensure_site_tree() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()  # created by Wagtail's migrations
        # Wagtail's initial "Welcome" page would shadow our home's slug.
        for page in root.get_children().exclude(content_type__model="homepage"):
            page.delete()
        home = HomePage(
            title="Cổng thông tin Cải cách hành chính tỉnh An Giang",
            slug="trang-chu",
            intro=HOME_INTRO,
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
    hooks.run(hooks.SITE_TREE, home=home)  # the unit index, the sections
    return home
