"""Page permissions on the real province: constant-size queries, no leaks.

The province-wide news administrators reach every unit's section; their
grant must not make Wagtail's page queries grow with the number of units
(SQLite refuses expression trees deeper than 1000). Unit roles never see
another unit's drafts through Wagtail's own screens.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page

from cchc.news.models import ArticlePage, SectionPage
from cchc.news.services import article_create, news_admin_group, sections_ensure_all
from cchc.news.tests.conftest import topic_of
from cchc.org.models import Unit
from conftest import add_communes

pytestmark = pytest.mark.django_db


SEARCHED = "Hội nghị đối thoại doanh nghiệp"


def _admin_screens(cast):
    section = SectionPage.objects.get(unit=cast.unit_a)
    if not ArticlePage.objects.filter(title=SEARCHED).exists():
        _draft(cast.editor_a, cast.unit_a, SEARCHED)
    return {
        "pages": reverse("wagtailadmin_explore_root"),
        "listing": reverse("wagtailadmin_explore", args=[section.pk]),
        # One article matches: the listing's rows are the same whatever the units.
        "search": reverse("wagtailadmin_pages:search") + "?q=" + SEARCHED,
        "explorer": reverse("wagtailadmin_api:pages:listing") + "?child_of=root&for_explorer=1",
        "history": reverse("wagtailadmin_reports:site_history"),
        "dashboard": reverse("wagtailadmin_home"),
    }


# The history report and the dashboard list the newest log entries, which
# the new units themselves add; only the size of their queries is compared.
COUNTED = {"pages", "listing", "search", "explorer"}


def _measure(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, follow=True)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), max(len(q["sql"]) for q in queries)


def test_admin_page_screens_work_on_the_whole_province(cast, client_as):
    call_command("load_units", stdout=open("/dev/null", "w"))  # noqa: SIM115
    sections_ensure_all()
    assert SectionPage.objects.count() >= 116
    from cchc.news.tests.test_editorial_workflow import submit, task_state

    article = submit(client_as(cast.editor_a), cast.unit_a, "Xã họp giao ban cải cách")
    client = client_as(cast.admin)
    for url in _admin_screens(cast).values():
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
    # The approver lands on a working screen after approving, not a crash.
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=[article.pk, "approve", task_state(article).pk]
    )
    response = client.post(approve, {"comment": ""}, follow=True)
    assert response.status_code == 200
    assert ArticlePage.objects.get(pk=article.pk).live


def test_admin_page_queries_do_not_grow_with_units(cast, client_as):
    client = client_as(cast.admin)
    screens = _admin_screens(cast)
    for url in screens.values():  # warm up: session, site and locale lookups
        client.get(url, follow=True)
    before = {name: _measure(client, url) for name, url in screens.items()}
    units_before = Unit.objects.count()
    add_communes(15)
    assert Unit.objects.count() == units_before + 15
    after = {name: _measure(client, url) for name, url in screens.items()}
    for name in screens:
        count_before, longest_before = before[name]
        count_after, longest_after = after[name]
        if name in COUNTED:
            assert count_after == count_before, name
        # Ids may gain a digit; one more unit in an OR chain adds far more.
        assert longest_after - longest_before < 80, (name, longest_before, longest_after)


def test_news_admin_grant_is_constant(cast):
    grants = GroupPagePermission.objects.filter(group=news_admin_group())
    pages = set(grants.values_list("page_id", flat=True))
    assert len(pages) == 1
    add_communes(3)
    assert set(grants.values_list("page_id", flat=True)) == pages


# Frame pages: the news administrators' grant sits on the home page ---------


def test_news_admin_edits_every_section_but_not_the_frame_pages(cast, client_as):
    from cchc.core.models import HomePage
    from cchc.org.models import UnitIndexPage, UnitPage

    draft_b = _draft(cast.editor_b, cast.unit_b, "Dự thảo của phường")
    client = client_as(cast.admin)
    section_b = SectionPage.objects.get(unit=cast.unit_b)
    for page in (section_b, draft_b):
        assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200
    frame = [
        HomePage.objects.get(),
        UnitIndexPage.objects.get(),
        UnitPage.objects.get(unit=cast.unit_b),
    ]
    for page in frame:
        for name in ("edit", "delete", "unpublish"):
            response = client.get(reverse(f"wagtailadmin_pages:{name}", args=[page.pk]))
            assert response.status_code == 403, (page, name)
    add_unit_page = reverse(
        "wagtailadmin_pages:add", args=["org", "unitpage", UnitIndexPage.objects.get().pk]
    )
    assert client.get(add_unit_page).status_code == 403
    assert HomePage.objects.get().permissions_for_user(cast.admin).can_delete() is False


# Other units' drafts in Wagtail's own screens ------------------------------


def _draft(user, unit, title):
    return article_create(
        actor=user,
        topic_page=topic_of(unit),
        title=title,
        summary=f"Tóm tắt: {title}.",
        body=f"<p>{title}.</p>",
    )


def _unit_a_roles(cast):
    return [cast.officer_a, cast.unit_leader_a, cast.editor_a, cast.approver_a, cast.appraiser]


SECRET = "Dự thảo kín của phường"


def _text(response) -> str:
    if response["Content-Type"].startswith("application/json"):
        return response.json().get("html", "")
    return response.content.decode()


def test_page_chooser_hides_other_units_drafts(cast, client_as):
    draft_b = _draft(cast.editor_b, cast.unit_b, SECRET)
    topic_b = topic_of(cast.unit_b)
    search = reverse("wagtailadmin_choose_page_search") + "?q=d%E1%BB%B1+th%E1%BA%A3o+k%C3%ADn"
    browse_topic = reverse("wagtailadmin_choose_page_child", args=[topic_b.pk])
    browse_draft = reverse("wagtailadmin_choose_page_child", args=[draft_b.pk])
    for user in (cast.editor_b, cast.admin):
        client = client_as(user)
        assert SECRET in _text(client.get(browse_topic))
        assert SECRET in _text(client.get(search))
        assert client.get(browse_draft).status_code == 200
    for user in _unit_a_roles(cast):
        client = client_as(user)
        assert client.get(browse_draft).status_code == 404, user
        assert SECRET not in _text(client.get(browse_topic)), user
        assert SECRET not in _text(client.get(search)), user


def test_page_chooser_still_offers_live_pages_of_other_units(cast, client_as, publish):
    live_b = publish(cast.unit_b, "Tin đã đăng của phường")
    client = client_as(cast.editor_a)
    browse = reverse("wagtailadmin_choose_page_child", args=[topic_of(cast.unit_b).pk])
    assert live_b.title in _text(client.get(browse))


def test_move_confirmation_of_another_units_draft_is_404(cast, client_as):
    draft_b = _draft(cast.editor_b, cast.unit_b, SECRET)
    url = reverse("wagtailadmin_pages:move_confirm", args=[draft_b.pk, topic_of(cast.unit_a).pk])
    for user in _unit_a_roles(cast):
        response = client_as(user).get(url)
        assert response.status_code == 404, user
        assert SECRET not in response.content.decode()


def test_move_confirmation_needs_the_right_to_move_there(cast, client_as):
    from cchc.news.models import Topic

    own = _draft(cast.editor_a, cast.unit_a, "Tin của xã")
    client = client_as(cast.editor_a)
    to_b = reverse("wagtailadmin_pages:move_confirm", args=[own.pk, topic_of(cast.unit_b).pk])
    assert client.get(to_b).status_code == 403
    other_topic = topic_of(cast.unit_a, Topic.POLICIES)
    within_a = reverse("wagtailadmin_pages:move_confirm", args=[own.pk, other_topic.pk])
    assert client.get(within_a).status_code == 200
    assert ArticlePage.objects.get(pk=own.pk).get_parent().pk == topic_of(cast.unit_a).pk


@pytest.mark.parametrize("action", ["delete", "move", "publish", "unpublish"])
def test_bulk_actions_naming_another_units_draft_are_404(cast, client_as, action):
    draft_b = _draft(cast.editor_b, cast.unit_b, SECRET)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", action])
    for user in _unit_a_roles(cast):
        response = client_as(user).get(url, {"id": draft_b.pk})
        assert response.status_code == 404, (user, response.status_code)
        assert SECRET not in response.content.decode()
    assert client_as(cast.editor_b).get(url, {"id": draft_b.pk}).status_code == 200
    assert Page.objects.filter(pk=draft_b.pk).exists()


def test_role_assignment_chooser_follows_the_role_list(cast, client_as):
    chooser = reverse("wagtailsnippetchoosers_org_roleassignment:choose")
    role_list = reverse("wagtailsnippets_org_roleassignment:list")
    for user in _unit_a_roles(cast):
        client = client_as(user)
        assert client.get(role_list).status_code == 403
        response = client.get(chooser)
        assert response.status_code == 403, user
        assert cast.editor_b.username not in response.content.decode()
    for user in (cast.admin, cast.leader):
        client = client_as(user)
        assert client.get(role_list).status_code == 200
        assert client.get(chooser).status_code == 200


def test_wagtails_error_test_url_is_not_a_crash(cast, client_as):
    # /quan-tri/failwhale/ raised an exception on purpose: a 500 for everyone.
    for user in (cast.admin, cast.editor_a, cast.officer_a):
        assert client_as(user).get("/quan-tri/failwhale/").status_code == 404
