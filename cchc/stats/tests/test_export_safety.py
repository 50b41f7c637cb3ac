"""Exports never turn a title into a formula, and every link is the public address.

Titles come from editors; a title that starts like a formula (``=``, ``+``, ``-``,
``@``) must stay the text they typed in every file, and links in files and on the
dashboard must open the article on the public site (``BASE_URL``), not
``http://localhost/…`` or ``/trang-chu/…``.
"""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cchc.news.models import SectionPage, Topic, TopicPage
from cchc.news.services import article_create
from cchc.stats import services

from .conftest import BROWSER_UA

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(1)"]
PUBLIC = "https://cchc.angiang.example.vn"


@pytest.fixture
def hostile(cast, settings):
    """Unit A's articles titled like formulas, each read once three days ago."""
    settings.BASE_URL = PUBLIC
    section = SectionPage.objects.get(unit=cast.unit_a)
    topic = TopicPage.objects.child_of(section).get(topic=Topic.ACTIVITIES)
    published = timezone.now() - datetime.timedelta(days=3)
    articles = []
    for i, title in enumerate(HOSTILE, start=1):
        article = article_create(
            actor=cast.approver_a,
            topic_page=topic,
            title=title,
            slug=f"tin-{i}",
            summary="Tóm tắt.",
            body="<p>Nội dung.</p>",
            publish=True,
            published_at=published,
        )
        services.visit_record(
            target=services.target_for_page(article),
            client_ip=f"203.0.113.{i}",
            user_agent=BROWSER_UA,
            now=published,
        )
        articles.append(article)
    return articles


def _query():
    today = timezone.localdate()
    return {
        "tu_ngay": (today - datetime.timedelta(days=7)).strftime("%d/%m/%Y"),
        "den_ngay": today.strftime("%d/%m/%Y"),
    }


def _assert_text(cells, expected):
    assert sorted(c.value for c in cells) == sorted(expected)
    for cell in cells:
        assert cell.data_type == "s", cell.value
        assert cell.quotePrefix, cell.value


def test_the_dashboard_workbook_writes_formula_like_titles_as_text(cast, client_as, hostile):
    response = client_as(cast.officer_a).get(
        reverse("cchc_stats_xlsx", args=[cast.unit_a.slug]), _query()
    )
    sheet = load_workbook(io.BytesIO(response.content))["Tin bài xem nhiều"]
    _assert_text([row[0] for row in sheet.iter_rows(min_row=2)], HOSTILE)


def test_the_evidence_workbook_writes_formula_like_titles_as_text(cast, client_as, hostile):
    year = timezone.localtime(hostile[0].first_published_at).year
    response = client_as(cast.officer_a).get(
        reverse("cchc_stats_evidence", args=[cast.unit_a.slug]), {"nam": year}
    )
    sheet = load_workbook(io.BytesIO(response.content))["Tin bài"]
    cells = [row[1] for row in sheet.iter_rows(min_row=2) if row[1].value in HOSTILE]
    _assert_text(cells, HOSTILE)


def test_the_csv_makes_a_formula_like_unit_name_inert(cast, client_as):
    cast.unit_a.name = '=HYPERLINK("http://x","y")'
    cast.unit_a.save(update_fields=["name"])
    response = client_as(cast.officer_a).get(
        reverse("cchc_stats_csv", args=[cast.unit_a.slug]), _query()
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))
    assert rows[0] == ["Phạm vi", "'" + '=HYPERLINK("http://x","y")']


def test_the_evidence_links_use_the_public_address(cast, client_as, hostile):
    year = timezone.localtime(hostile[0].first_published_at).year
    response = client_as(cast.officer_a).get(
        reverse("cchc_stats_evidence", args=[cast.unit_a.slug]), {"nam": year}
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book["Tiêu chí 1.4"]["B3"].value == f"{PUBLIC}/don-vi/{cast.unit_a.slug}/cchc/"
    links = [row[4] for row in book["Tin bài"].iter_rows(min_row=2, values_only=True)]
    assert f"{PUBLIC}{hostile[0].get_url()}" in links
    assert all(link.startswith(PUBLIC + "/don-vi/") for link in links)
    assert not any("/trang-chu/" in link or "localhost" in link for link in links)


@pytest.mark.parametrize("who", ["officer_a", "admin"])
def test_every_most_read_link_on_the_dashboard_opens_the_article(cast, client_as, hostile, who):
    client = client_as(getattr(cast, who))
    unit = cast.unit_a if who == "officer_a" else cast.province
    response = client.get(reverse("cchc_stats_dashboard", args=[unit.slug]), _query())
    links = response.context["data"].top_articles
    assert {row.label for row in links} >= set(HOSTILE)
    for row in links:
        assert row.url and "/trang-chu/" not in row.url
        assert row.url in response.content.decode()
        assert client.get(row.url).status_code == 200, row.url


def test_an_unpublished_article_on_the_dashboard_has_no_link(cast, client_as, hostile):
    hostile[0].unpublish()
    response = client_as(cast.officer_a).get(
        reverse("cchc_stats_dashboard", args=[cast.unit_a.slug]), _query()
    )
    rows = {row.label: row.url for row in response.context["data"].top_articles}
    assert rows[HOSTILE[0]] == ""
    assert rows[HOSTILE[1]] == hostile[1].get_url()
