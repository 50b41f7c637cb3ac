"""(being built)"""

from __future__ import annotations

# Back-office URLs under /quan-tri/chi-so-cchc/, registered by cchc/par/wagtail_hooks.py.
urlpatterns: list = []
# A module with a back-office menu entry defines menu_item() -> ActionMenuItem
# (cchc.lib.menus); cchc/par/wagtail_hooks.py registers it.
