import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission, WorkflowPage

from cchc.news.models import Newsroom, SectionPage, Topic, TopicPage
from cchc.news.services import sections_ensure_all
from cchc.org.models import CommuneKind, Unit, UnitType
from cchc.org.services import unit_create

pytestmark = pytest.mark.django_db


def test_the_province_section_lives_at_cchc(cast, client):
    section = SectionPage.objects.get(unit=cast.province)
    assert section.url == "/cchc/"
    assert client.get("/cchc/").status_code == 200


def test_a_unit_section_lives_under_its_unit_page(cast, client):
    section = SectionPage.objects.get(unit=cast.unit_a)
    assert section.url == "/don-vi/xa-an-phu/cchc/"
    assert section.get_parent().specific.unit == cast.unit_a
    assert client.get("/don-vi/xa-an-phu/cchc/").status_code == 200


def test_every_section_has_the_five_topics_at_fixed_urls(cast, client):
    section = SectionPage.objects.get(unit=cast.unit_a)
    topics = TopicPage.objects.child_of(section)
    assert sorted(topics.values_list("topic", flat=True)) == sorted(Topic.values)
    for topic in Topic:
        url = f"/don-vi/xa-an-phu/cchc/{topic.value}/"
        assert client.get(url).status_code == 200, url
    assert client.get("/cchc/mo-hinh-hay/").status_code == 200


def test_a_new_unit_gets_its_section_newsroom_and_workflow(cast):
    unit = unit_create(
        actor=cast.admin,
        unit=Unit(
            name="Xã Thử Nghiệm",  # not one of the province's 116 units
            code="X999",
            slug="xa-thu-nghiem",
            unit_type=UnitType.COMMUNE,
            commune_kind=CommuneKind.XA,
            parent=cast.province,
        ),
    )
    section = SectionPage.objects.get(unit=unit)
    assert section.url == "/don-vi/xa-thu-nghiem/cchc/"
    newsroom = Newsroom.objects.get(unit=unit)
    assert WorkflowPage.objects.get(page=section).workflow == newsroom.workflow
    assert GroupPagePermission.objects.filter(group=newsroom.editors, page=section).exists()
    assert set(
        GroupPagePermission.objects.filter(group=newsroom.approvers, page=section).values_list(
            "permission__codename", flat=True
        )
    ) >= {"add_page", "change_page", "publish_page"}


def test_ensure_sections_is_idempotent_and_repairs_missing_topics(cast):
    section = SectionPage.objects.get(unit=cast.unit_b)
    TopicPage.objects.child_of(section).get(topic=Topic.MODELS).delete()
    groups = Group.objects.count()
    assert sections_ensure_all() == 0
    assert TopicPage.objects.child_of(section).count() == 5
    assert Group.objects.count() == groups
    assert SectionPage.objects.count() == Unit.objects.count()


def test_section_pages_expose_the_stats_interface(cast):
    section = SectionPage.objects.get(unit=cast.unit_a)
    topic = TopicPage.objects.child_of(section).first()
    assert section.is_cchc_section is True
    assert section.unit == cast.unit_a
    assert section.stats_target() == (cast.unit_a.pk, section.pk, None)
    assert topic.stats_target() == (cast.unit_a.pk, section.pk, None)
    assert SectionPage.objects.get(unit__slug="tinh-an-giang").unit.unit_type == "province"
