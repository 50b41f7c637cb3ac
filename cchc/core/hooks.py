"""The project's extension points: every hook's name, arguments and moment.

There is one mechanism, Wagtail's hooks. An app takes part by registering a
function in its own ``wagtail_hooks.py``::

    from wagtail import hooks
    from cchc.core import hooks as cchc_hooks

    @hooks.register(cchc_hooks.UNIT_CREATED)
    def give_the_unit_its_section(*, unit):
        ...

so ``grep -rn "cchc_hooks\\." cchc/*/wagtail_hooks.py`` lists every participant.
The code that owns the moment calls ``run(NAME, **kwargs)``; participants
run in Wagtail's ``order`` (then in the order of ``INSTALLED_APPS``), with
the keyword arguments documented below, inside the caller's transaction.
Core declares the hooks and calls some of them; it imports no other app.
"""

from __future__ import annotations

from typing import Any

from wagtail import hooks

UNIT_CREATED = "cchc_unit_created"
"""``unit`` (org.Unit). Run by ``cchc.org.services.unit_create`` (so also by
merges, splits and ``load_units``) after the unit and its public page are saved.
news: its section, five topics, newsroom groups, workflow and permissions."""

ROLE_CHANGED = "cchc_role_changed"
"""``user``. Run by ``role_assign`` and ``role_revoke`` after the change.
news: the user's membership of the newsroom groups."""

SITE_TREE = "cchc_site_tree"
"""``home`` (core.HomePage). Run by ``cchc.core.site_tree.ensure_site_tree``
once the home page and the default site exist; must be idempotent.
org (order 0): the unit index page ``/don-vi/``; news (order 10): a section
for every active unit lacking one."""

DEMO_LOAD = "cchc_demo_load"
"""``stdout`` (where to report), ``password`` (str or None: one password for
every demo account, else random ones). Run by ``manage.py load_demo``; must
be idempotent. A loader may return demo sign-ins ``(username, password, role
label, unit name)``, which load_demo prints last.
org (order 0): the units and the demo accounts; news (10): articles;
stats (20): 90 days of visits; par (30): the criteria sets, the 2023 year
published, the 2026 year with units at every stage; targets (40): the 2025 plan
of seed 004, the 2026 plan cloned from it and the units' monthly values so far."""

HOME_PAGE_CONTEXT = "cchc_home_page_context"
"""``request``, ``context`` (dict, updated in place). Run by
``HomePage.get_context``. org: ``department_count``, ``commune_count``."""

NAV_ITEMS = "cchc_nav_items"
"""No arguments; returns ``(label, url)``, a link of the public navigation.
Run by ``cchc.core.context_processors.site`` on every public page.
news: "Cải cách hành chính" → ``/cchc/``; par: "Chỉ số CCHC" → ``/chi-so-cchc/``."""

WORK_ITEMS = "cchc_work_items"
"""``user``; returns a list of ``{"title", "text", "url"}`` dicts: what the user
has to do now, shown on the landing page ("Việc cần làm"). Run by
``cchc.accounts.worklist.landing_context``.
par: the user's PAR Index work of the open year (self-assessment, appraisal,
explanation) and unread notifications; targets: the indicators of the user's units
at risk or off track."""

ALL = (
    UNIT_CREATED,
    ROLE_CHANGED,
    SITE_TREE,
    DEMO_LOAD,
    HOME_PAGE_CONTEXT,
    NAV_ITEMS,
    WORK_ITEMS,
)


def run(name: str, **kwargs: Any) -> list[Any]:
    """Call every function registered for `name`; returns their results in order."""
    if name not in ALL:
        raise ValueError(f"Unknown hook {name!r}: declare it in cchc.core.hooks")
    return [fn(**kwargs) for fn in hooks.get_hooks(name)]
