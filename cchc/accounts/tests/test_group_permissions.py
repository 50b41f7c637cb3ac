"""Page, document, image and collection rights come only from CCHC roles.

Every such right is held by a group that cchc.news.services manages
(a newsroom's editors or approvers, or the province's news administrators),
and is exactly what the services grant: wiping every grant and running the
services again must give back the same rows, no more.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from cchc.news import services as news_services

pytestmark = pytest.mark.django_db


def grants() -> dict[str, set[tuple]]:
    return {
        "page": set(
            GroupPagePermission.objects.values_list(
                "group__name", "page_id", "permission__codename"
            )
        ),
        "collection": set(
            GroupCollectionPermission.objects.values_list(
                "group__name", "collection_id", "permission__codename"
            )
        ),
        "model": set(
            Group.permissions.through.objects.values_list(
                "group__name", "permission__content_type__app_label", "permission__codename"
            )
        ),
    }


def test_wagtails_default_groups_are_gone(cast):
    assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()


def test_every_group_right_is_one_the_roles_derive(cast):
    news_services.sections_ensure_all()
    managed = set(
        Group.objects.filter(pk__in=news_services.newsroom_group_ids()).values_list(
            "name", flat=True
        )
    )
    found = grants()

    for kind, rows in found.items():
        strangers = {row for row in rows if row[0] not in managed}
        assert not strangers, f"{kind} rights held by groups no role manages: {strangers}"

    GroupPagePermission.objects.all().delete()
    GroupCollectionPermission.objects.all().delete()
    Group.permissions.through.objects.all().delete()
    news_services.sections_ensure_all()
    assert grants() == found, "some group rights are not what the newsroom services grant"


def test_a_user_without_a_role_gets_no_page_rights_from_a_group(cast, client_as, root_page_editor):
    """The finding: a user with no role, put in "Moderators", unpublished unit B's article."""
    assert not root_page_editor.groups.exists()
    assert client_as(root_page_editor).get(reverse("wagtailadmin_explore_root")).status_code in (
        302,
        403,
    )


@pytest.fixture
def root_page_editor(cast):
    # What the administrator could do before: tick "Moderators" on the user form.
    for group in Group.objects.filter(name__in=["Moderators", "Editors"]):
        cast.nobody.groups.add(group)
    return cast.nobody
