"""The province crawl: every URL of the URL map, as every role, on the whole demo province.

The session's world (116 units, the demo accounts) plus the demo articles,
statistics and criteria sets, loaded once for this module in a transaction
rolled back after it, and a few private objects per unit (a draft article, a
document, an image) whose titles must never reach another unit's people.

Each (route, role) is one test, so a failure names both. What a role may get
comes from the policy (cchc/access.py): anonymous visitors and users without
a role are sent to sign in; the provincial leader is refused every change
screen; a unit's people get 403 or 404 for another unit's objects and never
see their titles; nobody gets a 5xx.
"""

from __future__ import annotations

import io
import os
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cchc.core.tests.backoffice import CHANGE_WORDS, _fill, backoffice_routes
from conftest import add_communes

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "nobody",
    "superuser",
    "admin",
    "leader",
    "appraiser",
    "officer_a",
    "unit_leader_a",
    "editor_a",
    "approver_a",
    "officer_b",
    "editor_b",
    "officer_snv",
]
# People of unit A (and province roles without news rights): unit B's
# private objects are none of their business.
OUTSIDERS = ["officer_a", "unit_leader_a", "editor_a", "approver_a", "appraiser", "officer_snv"]

# Known failures (none today): a route found failing goes here with its reason until fixed;
# the mark is strict, so a fixed entry fails until it is removed.
# (check, route or page kind, role) -> reason
XFAIL: dict[tuple[str, str, str], str] = {}

# Editors link to other units' live pages from rich text: the page chooser
# lists live pages of every unit (cchc/news/page_access.py) and never a
# draft. The route is filled with unit B's live topic page.
LIVE_PAGES_CHOOSABLE = {"quan-tri/choose-page/<int:parent_page_id>/": {"editor_a", "approver_a"}}

SIGN_IN = "/quan-tri/login/"

# Routes whose answer to GET changes nothing although their names look like changes.
NOT_CHANGES = (
    "editing-sessions/",
    "embeds/chooser/upload/",
    "move/<int:destination_id>/confirm/",
    "workflow/confirm_cancellation/",
    "workflows/task_chooser/create/",
    "pages/create/",  # chooses where to add a page; adding is refused
)


def params(check, routes, roles):
    out = []
    for route in routes:
        for role in roles:
            reason = XFAIL.get((check, route, role))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            out.append(pytest.param(route, role, marks=marks, id=f"{route} as {role}"))
    return out


# The demo province --------------------------------------------------------


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("crawl-media")


@pytest.fixture(autouse=True)
def _module_media(settings, media_root):
    settings.MEDIA_ROOT = media_root  # the module's files, not each test's


@pytest.fixture(scope="module")
def province(django_db_setup, django_db_blocker, media_root):
    """Demo articles, statistics and criteria sets, and private objects of units A and B."""
    from django.contrib.auth import get_user_model
    from django.test.utils import override_settings

    from cchc.core import hooks
    from conftest import TEST_PASSWORD

    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root),
        transaction.atomic(),
    ):
        with open(os.devnull, "w") as quiet:
            # Every demo loader, idempotent: the units and accounts are there already.
            hooks.run(hooks.DEMO_LOAD, stdout=quiet, password=TEST_PASSWORD)
        from conftest import get_cast

        cast = get_cast()
        superuser = get_user_model().objects.create_superuser(
            "sieuquantri", "sieuquantri@example.vn", "x"
        )
        world = {
            "a": _private_objects(cast.unit_a, cast.editor_a, "An Phú"),
            "b": _private_objects(cast.unit_b, cast.editor_b, "Long Xuyên"),
            "superuser": superuser.pk,
        }
        yield world
        transaction.set_rollback(True)


def _private_objects(unit, editor, place) -> dict:
    from django.core.files.base import ContentFile
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    from cchc.core.models import AuditEntry
    from cchc.news.models import Newsroom, SectionPage, TopicPage
    from cchc.news.services import article_create
    from cchc.org.models import RoleAssignment

    marker = f"Bí mật {place} {unit.pk}"
    section = SectionPage.objects.get(unit=unit)
    topic = TopicPage.objects.child_of(section).first()
    draft = article_create(
        actor=editor,
        topic_page=topic,
        title=f"Bản nháp {marker}",
        summary="Tóm tắt.",
        body="<p>Nội dung.</p>",
        publish=False,
    )
    collection = Newsroom.objects.get(unit=unit).collection
    document = get_document_model().objects.create(
        title=f"Tài liệu {marker}",
        file=ContentFile(b"%PDF-1.4 demo", name="tai-lieu.pdf"),
        collection=collection,
    )
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    image = get_image_model().objects.create(
        title=f"Ảnh {marker}",
        file=ImageFile(buffer, name="anh.png"),
        collection=collection,
    )
    return {
        "unit": unit.pk,
        "slug": unit.slug,
        "section": section.pk,
        "topic": topic.pk,
        "page": draft.pk,
        "revision": draft.latest_revision_id,
        "document": document.pk,
        "image": image.pk,
        "collection": collection.pk,
        "group": Newsroom.objects.get(unit=unit).editors_id,
        "workflow": Newsroom.objects.get(unit=unit).workflow_id,
        "task": Newsroom.objects.get(unit=unit).workflow.tasks.first().pk,
        "user": editor.pk,
        "role": RoleAssignment.objects.filter(user=editor).first().pk,
        "audit": AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first(),
        "markers": [f"Bản nháp {marker}", f"Tài liệu {marker}", f"Ảnh {marker}"],
    }


# (route prefix, object) for <int:pk> and other generic ids.
PK_OBJECTS = [
    ("quan-tri/api/main/documents/", "document"),
    ("quan-tri/api/main/images/", "image"),
    ("quan-tri/documents/", "document"),
    ("quan-tri/images/", "image"),
    ("quan-tri/collections/", "collection"),
    ("quan-tri/groups/", "group"),
    ("quan-tri/org/role/", "role"),
    ("quan-tri/snippets/choose/org/roleassignment/", "role"),
    ("quan-tri/org/unit/", "unit"),
    ("quan-tri/snippets/choose/org/unit/", "unit"),
    ("quan-tri/users/", "user"),
    ("quan-tri/workflows/tasks/", "task"),
    ("quan-tri/workflows/task_chooser/", "task"),
    ("quan-tri/workflows/", "workflow"),
]
NAMED = {
    "page_id": "page",
    "page_pk": "page",
    "page_to_move_id": "page",
    "parent_page_id": "topic",
    "destination_id": "topic",
    "document_id": "document",
    "doc_id": "document",
    "image_id": "image",
    "revision_id": "revision",
    "collection_id": "collection",
    "workflow_pk": "workflow",
    "task_id": "task",
    "slug": "slug",
}
STRINGS = {
    "app_label": "news",
    "app_name": "news",
    "content_type_app_name": "news",
    "model_name": "articlepage",
    "content_type_model_name": "articlepage",
    "action": "delete",
    "action_name": "approve",
    "filter_spec": "original",
}


def url_for(route: str, objects: dict) -> str:
    def value(route, conv, name):
        if name in NAMED:
            return objects[NAMED[name]]
        if name in ("pk", "object_id"):
            for prefix, key in PK_OBJECTS:
                if route.startswith(prefix):
                    return objects[key]
            if "chi-so-cchc/bo-tieu-chi/" in route:
                return objects["criteria_set"]
            return objects["page"]
        if name in STRINGS:
            return STRINGS[name]
        return objects["page"] if conv == "int" else "1"

    url = _fill(route, value)
    if "bulk/" in route:
        url += f"?id={objects['page']}"
    elif "search" in route or "choose" in route or route.endswith(("results/", "/find/")):
        url += "?q=" + "+".join(objects["markers"][0].split()[:2])
    return url


def user_for(role: str, province):
    from django.contrib.auth import get_user_model

    from conftest import get_cast

    if role == "anonymous":
        return None
    if role == "superuser":
        return get_user_model().objects.get(pk=province["superuser"])
    if role == "officer_snv":
        return get_user_model().objects.get(username="canbo.snv")
    return getattr(get_cast(), role)


def objects_of(province, unit_key: str) -> dict:
    from cchc.par.models import CriteriaSet

    objects = dict(province[unit_key])
    objects["criteria_set"] = CriteriaSet.objects.order_by("pk").values_list("pk", flat=True)[0]
    return objects


def get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


def leaks(response, markers) -> list[str]:
    if response.get("Content-Type", "").startswith(("text/", "application/json")):
        body = response.content.decode(errors="replace")
        return [m for m in markers if m in body]
    return []


# Back office ------------------------------------------------------------------

BACK_OFFICE = backoffice_routes()


def _is_change(route: str) -> bool:
    return bool(CHANGE_WORDS.search(route)) and not any(part in route for part in NOT_CHANGES)


@pytest.mark.parametrize(("route", "role"), params("answers", BACK_OFFICE, ROLES))
def test_every_back_office_url_answers_as_the_policy_says(province, client, route, role):
    url = url_for(route, objects_of(province, "a"))
    response = get(client, user_for(role, province), url)
    status, location = response.status_code, response.get("Location", "")
    assert status < 500, f"{url} as {role}: {status}"
    if role == "anonymous":
        assert status == 302 and location.startswith(SIGN_IN), (url, role, status, location)
        return
    if role == "nobody":
        # No role, no back office: sent to sign in, or refused an object outright.
        signed_out = status == 302 and location.startswith(SIGN_IN)
        assert signed_out or status in {403, 404}, (url, role, status, location)
        return
    assert status in {200, 302, 400, 403, 404, 405}, (url, role, status)
    if role == "leader" and _is_change(route):
        assert status in {403, 404, 405}, (url, role, status)
    if role in OUTSIDERS:
        assert leaks(response, province["b"]["markers"]) == [], (url, role)


# Units are public (their names and pages): choosing one is no leak.
OBJECT_ROUTES = [
    r
    for r in BACK_OFFICE
    if re.search(r"<int:|<str:pk>|<slug:slug>", r)
    and "choose/org/unit/" not in r
    and "chi-so-cchc/bo-tieu-chi/" not in r  # criteria sets are the province's, not a unit's
]


@pytest.mark.parametrize(("route", "role"), params("other_unit", OBJECT_ROUTES, OUTSIDERS))
def test_another_units_objects_are_refused(province, client, route, role):
    from cchc import access
    from cchc.org.models import Unit

    user = user_for(role, province)
    if route == "quan-tri/don-vi/<slug:slug>/" and access.can_see_unit(
        user, Unit.objects.get(pk=province["b"]["unit"])
    ):
        return  # a province role reads every unit's workspace (cchc/access.py)
    url = url_for(route, objects_of(province, "b"))
    response = get(client, user, url)
    status = response.status_code
    assert status < 500, f"{url} as {role}: {status}"
    allowed = {302, 403, 404, 405}
    if role in LIVE_PAGES_CHOOSABLE.get(route, ()):
        allowed.add(200)
    assert status in allowed, (url, role, status)
    if status == 302:
        assert not response["Location"].startswith(url), (url, role)
    assert leaks(response, province["b"]["markers"]) == [], (url, role)


# Public site --------------------------------------------------------------------


def _topics():
    from cchc.news.models import Topic

    return [t.value for t in Topic]


# Kinds of public URL; topics one kind per topic, so that 580 pages spread over workers.
PUBLIC_KINDS = [
    "home",
    "unit_index",
    "unit",
    "section",
    "section_feed",
    *[f"topic:{t}" for t in _topics()],
    *[f"topic_feed:{t}" for t in _topics()],
    "article",
    "widget",
    "widget_js",
    "healthz",
    "pixel",
    "draft",
]


def public_urls(kind: str, province, every: bool) -> list[tuple[str, int]]:
    """(url, status for anyone) of a kind; every page of it, or those of A, B and the province."""
    from wagtail.models import Page

    from cchc.core.models import HomePage
    from cchc.news.models import ArticlePage, SectionPage, TopicPage
    from cchc.org.models import UnitIndexPage, UnitPage

    units = {province["a"]["unit"], province["b"]["unit"]}
    kind, _, topic = kind.partition(":")
    if kind == "healthz":
        return [("/healthz", 200)]
    if kind == "pixel":
        from cchc.news.models import SectionPage
        from cchc.stats.services import target_for_page, target_token

        section = SectionPage.objects.get(pk=province["a"]["section"])
        return [(f"/thong-ke/luot-xem.gif?t={target_token(target_for_page(section))}", 200)]
    if kind == "draft":
        return [
            (Page.objects.get(pk=province[k]["page"]).specific.url or "/khong-co/", 404)
            for k in ("a", "b")
        ]
    models = {
        "home": HomePage,
        "unit_index": UnitIndexPage,
        "unit": UnitPage,
        "section": SectionPage,
        "section_feed": SectionPage,
        "widget": SectionPage,
        "widget_js": SectionPage,
        "topic": TopicPage,
        "topic_feed": TopicPage,
        "article": ArticlePage,
    }
    pages = models[kind].objects.live()
    if topic:
        pages = pages.filter(topic=topic)
    if not every:
        if kind in ("unit", "section", "section_feed", "widget", "widget_js"):
            pages = pages.filter(unit_id__in=units) | pages.filter(unit__unit_type="province")
        elif kind in ("topic", "topic_feed"):
            sections = SectionPage.objects.filter(unit_id__in=units)
            pages = pages.filter(path__regex="^(" + "|".join(s.path for s in sections) + ")")
        elif kind == "article":
            pages = pages.order_by("-first_published_at")[:3]
    suffix = {
        "section_feed": "rss/",
        "topic_feed": "rss/",
        "widget": "nhung/",
        "widget_js": "nhung.js",
    }.get(kind, "")
    out = []
    for page in pages:
        url = page.url + suffix
        if kind == "widget_js" and page.specific.unit.unit_type == "province":
            url = "/cchc/nhung.js"
        out.append((url, 200))
    return out


@pytest.mark.parametrize(("route", "role"), params("public", PUBLIC_KINDS, ROLES))
def test_every_public_page_opens_for_every_role(province, client, route, role):
    user = user_for(role, province)
    if user is not None:
        client.force_login(user)
    urls = public_urls(route, province, every=role == "anonymous")
    assert urls, route
    wrong = []
    for url, expected in urls:
        response = client.get(url)
        if response.status_code != expected:
            wrong.append((url, response.status_code))
        elif role != "editor_b" and role not in ("superuser", "admin"):
            wrong += [(url, f"leaks {m}") for m in leaks(response, province["b"]["markers"])]
    assert wrong == [], f"{route} as {role}: {wrong[:20]}"


def test_a_document_only_a_draft_uses_is_not_public(province, client):
    from wagtail.documents import get_document_model

    document = get_document_model().objects.get(pk=province["b"]["document"])
    assert client.get(document.url).status_code in {403, 404}


# Query counts that do not grow with the province -----------------------------

PINNED = [
    ("explorer", "/quan-tri/pages/"),
    ("listing", "/quan-tri/pages/{section}/"),
    ("search", "/quan-tri/pages/search/?q=cai+cach"),
    ("audit", "/quan-tri/nhat-ky/"),
    ("desk", "/quan-tri/tin-bai/"),
    ("units", "/quan-tri/org/unit/"),
    ("dashboard", "/quan-tri/thong-ke/{province}/"),
]


def _count(client, url) -> int:
    first = client.get(url)  # also warms the per-process caches
    if first.status_code == 302 and not first["Location"].startswith(SIGN_IN):
        url = first["Location"]  # the explorer and the desk open on the user's own place
        client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


@pytest.mark.parametrize(
    ("route", "role"),
    params("queries", [name for name, _ in PINNED], ["admin", "superuser", "editor_a"]),
)
def test_back_office_pages_run_the_same_queries_for_a_bigger_province(
    province, client, route, role
):
    url = dict(PINNED)[route].format(section=province["a"]["section"], province="tinh-an-giang")
    client.force_login(user_for(role, province))
    if role == "editor_a" and route in ("audit", "units", "dashboard"):
        assert client.get(url).status_code in {302, 403, 404}
        return
    before = _count(client, url)
    add_communes(3)
    assert _count(client, url) == before, f"{url} as {role}: {before} queries with 116 units"
