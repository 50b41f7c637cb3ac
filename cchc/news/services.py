"""Every change to sections, newsrooms and editorial groups goes through here.

The editorial workflow itself (submit, approve, send back, publish, schedule)
is Wagtail's: these functions only set up who may take part in it.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from cchc.core import site_version
from cchc.core.audit import audit_record
from cchc.core.models import HomePage
from cchc.news.models import (
    SECTION_SLUG,
    SECTION_TITLE,
    TOPIC_INTROS,
    ArticleAttachment,
    ArticlePage,
    Newsroom,
    SectionPage,
    Topic,
    TopicPage,
)
from cchc.org.models import Role, RoleAssignment, Unit, UnitPage, UnitType

NEWS_ADMIN_GROUP = "Quản trị tin CCHC toàn tỉnh"

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "lock_page")
APPROVER_PAGE_PERMISSIONS = ("add_page", "change_page", "lock_page", "publish_page", "unlock_page")
ADMIN_PAGE_PERMISSIONS = (*APPROVER_PAGE_PERMISSIONS, "bulk_delete_page")
MEDIA_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)


def _permissions() -> dict[str, Permission]:
    """The page, image and document permissions newsrooms use, by codename."""
    wanted = set(ADMIN_PAGE_PERMISSIONS) | {codename for _, codename in MEDIA_PERMISSIONS}
    apps = {"wagtailcore", "wagtailimages", "wagtaildocs"}
    return {
        p.codename: p
        for p in Permission.objects.filter(content_type__app_label__in=apps, codename__in=wanted)
    }


def _group(name: str) -> Group:
    return Group.objects.get_or_create(name=name[:150])[0]


def news_admin_group() -> Group:
    return _group(NEWS_ADMIN_GROUP)


def _grant(
    permissions: dict[str, Permission],
    page: Page,
    collection: Collection,
    grants: list[tuple[Group, tuple[str, ...]]],
) -> None:
    """Page permissions on `page` and media permissions on `collection`."""
    # ignore_conflicts: the unique constraints make re-running a no-op.
    GroupPagePermission.objects.bulk_create(
        [
            GroupPagePermission(group=group, page=page, permission=permissions[codename])
            for group, codenames in grants
            for codename in codenames
        ],
        ignore_conflicts=True,
    )
    GroupCollectionPermission.objects.bulk_create(
        [
            GroupCollectionPermission(
                group=group, collection=collection, permission=permissions[codename]
            )
            for group, _ in grants
            for _, codename in MEDIA_PERMISSIONS
        ],
        ignore_conflicts=True,
    )


def _root_collection() -> Collection:
    return Collection.get_first_root_node()  # created by Wagtail's migrations


def _section_parent(unit: Unit) -> Page | None:
    if unit.unit_type == UnitType.PROVINCE:
        return HomePage.objects.first()
    return UnitPage.objects.filter(unit=unit).first()


@transaction.atomic
def section_ensure(*, unit: Unit, actor=None) -> SectionPage | None:
    """Give the unit its section with the five topics, and its newsroom.

    Idempotent: safe to run again for a unit that has some or all of it.
    Returns None when the unit has no page to hang the section from yet.
    """
    section = SectionPage.objects.filter(unit=unit).first()
    created = section is None
    if created:
        parent = _section_parent(unit)
        if parent is None:
            return None
        section = SectionPage(
            title=SECTION_TITLE,
            slug=SECTION_SLUG,
            unit=unit,
            live=True,
            search_description=f"Chuyên mục Cải cách hành chính – {unit.name}",
        )
        parent.add_child(instance=section)
    existing = set(TopicPage.objects.child_of(section).values_list("topic", flat=True))
    for topic in Topic:
        if topic.value not in existing:
            section.add_child(
                instance=TopicPage(
                    title=topic.label,
                    slug=topic.value,
                    topic=topic.value,
                    intro=TOPIC_INTROS[topic],
                    live=True,
                )
            )
    newsroom_ensure(unit=unit, section=section)
    if created:
        audit_record(
            actor=actor,
            action="news_section.create",
            obj=section,
            unit=unit,
            summary=f"Tạo chuyên mục Cải cách hành chính cho {unit.name}",
        )
    return section


@transaction.atomic
def newsroom_ensure(*, unit: Unit, section: SectionPage) -> Newsroom:
    """Groups, page and collection permissions and the approval workflow."""
    newsroom = Newsroom.objects.filter(unit=unit).first()
    if newsroom is None:
        label = f"{unit.name} ({unit.code})"
        task = GroupApprovalTask.objects.create(name=f"Duyệt tin CCHC – {label}"[:255])
        workflow = Workflow.objects.create(name=f"Duyệt tin bài CCHC – {label}"[:255])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        collection = _root_collection().add_child(name=f"Tin CCHC – {label}"[:255])
        newsroom = Newsroom.objects.create(
            unit=unit,
            editors=_group(f"Biên tập tin CCHC – {label}"),
            approvers=_group(f"Duyệt tin CCHC – {label}"),
            collection=collection,
            workflow=workflow,
        )
    permissions = _permissions()
    _grant(
        permissions,
        section,
        newsroom.collection,
        [
            (newsroom.editors, EDITOR_PAGE_PERMISSIONS),
            (newsroom.approvers, APPROVER_PAGE_PERMISSIONS),
        ],
    )
    admins = news_admin_grant_ensure(permissions)
    WorkflowPage.objects.update_or_create(page=section, defaults={"workflow": newsroom.workflow})
    for task in newsroom.workflow.tasks.specific():
        if isinstance(task, GroupApprovalTask):
            task.groups.add(newsroom.approvers, admins)
    return newsroom


def news_admin_grant_ensure(permissions: dict[str, Permission] | None = None) -> Group:
    """Grant the province-wide news administrators their rights once, at the top.

    Wagtail turns every page (and collection) permission row of a user into
    one more OR in its page queries; one row per unit made the
    administrator's screens grow with the province until SQLite refused them
    ("Expression tree is too large"). So the group holds its page permissions
    on the home page, the common ancestor of every section, and its media
    permissions on the root collection: the same few rows for 5 units or 116.
    The home page, the unit list and the unit pages stay out of its reach
    (`cchc.core.page_permissions`).
    """
    admins = news_admin_group()
    home = HomePage.objects.first()
    if home is None:
        return admins
    _grant(
        permissions or _permissions(), home, _root_collection(), [(admins, ADMIN_PAGE_PERMISSIONS)]
    )
    # Rows left from the per-section grants of older versions.
    GroupPagePermission.objects.filter(group=admins).exclude(page=home).delete()
    GroupCollectionPermission.objects.filter(group=admins).exclude(
        collection=_root_collection()
    ).delete()
    return admins


# Which role puts a user in which of a newsroom's groups.
ROLE_GROUPS = {Role.NEWS_EDITOR: "editors", Role.NEWS_APPROVER: "approvers"}


@transaction.atomic
def newsroom_sync_user(user) -> None:
    """Make the user's editorial groups match their current role assignments."""
    current = RoleAssignment.objects.current().filter(user=user)
    wanted: set[int] = set()
    by_unit = {n.unit_id: n for n in Newsroom.objects.filter(unit__role_assignments__in=current)}
    for assignment in current:
        if assignment.role == Role.ADMIN:
            wanted.add(news_admin_group().pk)
        attr = ROLE_GROUPS.get(Role(assignment.role))
        newsroom = by_unit.get(assignment.unit_id)
        if attr and newsroom:
            wanted.add(getattr(newsroom, f"{attr}_id"))
    managed = newsroom_group_ids()
    have = set(user.groups.filter(pk__in=managed).values_list("pk", flat=True))
    if have - wanted:
        user.groups.remove(*(have - wanted))
    if wanted - have:
        user.groups.add(*(wanted - have))


def newsroom_group_ids() -> set[int]:
    ids = set(Group.objects.filter(name=NEWS_ADMIN_GROUP).values_list("pk", flat=True))
    for editors, approvers in Newsroom.objects.values_list("editors_id", "approvers_id"):
        ids |= {editors, approvers}
    return ids


def sections_ensure_all(*, actor=None) -> int:
    """Sections for every active unit, then everyone's groups; returns sections made."""
    before = SectionPage.objects.count()
    for unit in Unit.objects.active().order_by("unit_type", "name"):
        section_ensure(unit=unit, actor=actor)
    users = {a.user for a in RoleAssignment.objects.select_related("user")}
    for user in users:
        newsroom_sync_user(user)
    return SectionPage.objects.count() - before


def sections_ensure_missing() -> None:
    """A section for every active unit lacking one (hooks.SITE_TREE)."""
    for unit in Unit.objects.active():
        if not SectionPage.objects.filter(unit=unit).exists():
            section_ensure(unit=unit)


# Articles written in code (demo data, imports) -----------------------------


@transaction.atomic
def article_create(
    *,
    actor,
    topic_page: TopicPage,
    title: str,
    summary: str,
    body: str,
    slug: str = "",
    lead_image=None,
    lead_image_caption: str = "",
    documents=(),
    publish: bool = False,
    published_at: datetime.datetime | None = None,
) -> ArticlePage:
    """Create an article as a draft revision; publish it when asked.

    Bypasses the approval workflow, so only code acting for an approver (demo
    data, migrations of old portals) should pass publish=True.
    """
    article = ArticlePage(
        title=title,
        summary=summary,
        body=body,
        lead_image=lead_image,
        lead_image_caption=lead_image_caption,
        live=False,
        owner=actor,
        first_published_at=published_at,
    )
    if slug:
        article.slug = slug
    for position, document in enumerate(documents):
        article.attachments.add(ArticleAttachment(document=document, sort_order=position))
    topic_page.add_child(instance=article)
    revision = article.save_revision(user=actor, log_action=True)
    if publish:
        revision.publish(user=actor)
        if published_at is not None:
            # Backdated imports keep their original date; publishing sets "now".
            ArticlePage.objects.filter(pk=article.pk).update(
                first_published_at=published_at, last_published_at=published_at
            )
            site_version.bump()  # past the signals: the lists kept under the version
            article.refresh_from_db()
    return article
