"""The one extension mechanism: the hooks of cchc.core.hooks and who takes part."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail import hooks

from cchc.core import hooks as cchc_hooks

pytestmark = pytest.mark.django_db

CCHC = Path(cchc_hooks.__file__).resolve().parents[1]


def _participants(name):
    return [f"{fn.__module__}.{fn.__name__}" for fn in hooks.get_hooks(name)]


def test_every_hook_has_its_participants_in_their_declared_order():
    assert _participants(cchc_hooks.UNIT_CREATED) == [
        "cchc.news.wagtail_hooks.give_unit_its_section"
    ]
    assert _participants(cchc_hooks.ROLE_CHANGED) == [
        "cchc.news.wagtail_hooks.sync_newsroom_groups"
    ]
    assert _participants(cchc_hooks.SITE_TREE) == [
        "cchc.org.wagtail_hooks.add_unit_index",
        "cchc.news.wagtail_hooks.add_missing_sections",
    ]
    assert _participants(cchc_hooks.DEMO_LOAD) == [
        "cchc.org.wagtail_hooks.load_demo_units_and_accounts",
        "cchc.news.wagtail_hooks.load_demo_articles",
        "cchc.stats.wagtail_hooks.load_demo_visits",
        "cchc.par.wagtail_hooks.load_demo_criteria_sets",
        "cchc.targets.wagtail_hooks.load_demo_targets",
        "cchc.sipas.wagtail_hooks.load_demo_sipas",
    ]
    assert _participants(cchc_hooks.HOME_PAGE_CONTEXT) == [
        "cchc.org.wagtail_hooks.count_units_on_home_page"
    ]
    assert _participants(cchc_hooks.NAV_ITEMS) == [
        "cchc.news.wagtail_hooks.news_nav_item",
        "cchc.par.wagtail_hooks.par_results_nav_item",
    ]
    assert _participants(cchc_hooks.WORK_ITEMS) == [
        "cchc.par.wagtail_hooks.par_work_items",
        "cchc.targets.wagtail_hooks.targets_work_items",
        "cchc.sipas.wagtail_hooks.sipas_work_items",
    ]


def test_hooks_are_registered_only_in_wagtail_hooks_modules():
    pattern = re.compile(r"register\(\s*cchc_hooks\.")
    for path in CCHC.rglob("*.py"):
        if (
            "tests" in path.parts
            or path.name == "wagtail_hooks.py"
            or path == CCHC / "core/hooks.py"
        ):
            continue
        assert not pattern.search(path.read_text()), path


def test_core_imports_no_other_app():
    other = re.compile(r"\bcchc\.(org|news|stats|par|accounts)\b")
    for path in (CCHC / "core").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        code = [line for line in path.read_text().splitlines() if "import" in line]
        assert not [line for line in code if other.search(line)], path


def test_an_undeclared_hook_is_refused():
    with pytest.raises(ValueError):
        cchc_hooks.run("cchc_unit_creatd", unit=None)


def test_the_public_navigation_comes_from_the_hook(client, cast):
    body = client.get("/").content.decode()
    assert '<a href="/cchc/"' in body and "Cải cách hành chính" in body


def test_ensure_site_tree_again_adds_nothing(cast):
    from wagtail.models import Page

    from cchc.core.site_tree import ensure_site_tree

    before = Page.objects.count()
    ensure_site_tree()
    assert Page.objects.count() == before


def test_load_demo_runs_the_apps_loaders_in_order_and_prints_the_sign_ins(cast, settings):
    settings.DEMO_PRINT_CREDENTIALS = True
    out = io.StringIO()
    call_command("load_demo", password="mot-mat-khau", stdout=out)
    text = out.getvalue()
    marks = [
        "đơn vị",
        "Tin bài CCHC mẫu",
        "Thống kê truy cập",
        "Bộ tiêu chí Chỉ số CCHC",
        "Tài khoản mẫu",
    ]
    positions = [text.find(mark) for mark in marks]
    assert -1 not in positions, text
    assert positions == sorted(positions), text
    assert f"{cast.admin.get_username():<18} mot-mat-khau" in text
    cast.admin.refresh_from_db()
    assert cast.admin.check_password("mot-mat-khau")
