"""Who may change the pages that frame the site: home, unit list, unit pages.

These pages are made and renamed by services (`ensure_site_tree`,
`unit_create`, `unit_update`), never by hand. The province-wide news
administrators hold their page permissions once, on the home page, so that
one grant covers every unit's section and Wagtail's permission queries stay
the same size however many units there are (`cchc/news/services.py`). That
grant must not reach the frame pages themselves: on them only a superuser
may edit, add, move, publish or delete.
"""

from __future__ import annotations

from wagtail.models import PagePermissionTester


class SiteFramePermissionTester(PagePermissionTester):
    def __init__(self, user, page):
        super().__init__(user, page)
        if not user.is_superuser:
            self.permissions = set()
