"""No English or internal text on the back-office screens, and help in Vietnamese."""

import re

import pytest
from django.urls import reverse

from cchc.core.guide import render_markdown
from cchc.core.site_tree import HOME_INTRO

pytestmark = pytest.mark.django_db


def test_the_unit_list_column_is_named_in_vietnamese(cast, client_as):
    html = client_as(cast.admin).get(reverse("wagtailsnippets_org_unit:list")).text
    assert "Kind label" not in html
    assert "Loại đơn vị" in html


def test_yes_no_columns_are_not_python_booleans(cast, client_as):
    html = client_as(cast.admin).get(reverse("wagtailusers_users:index")).text
    read_aloud = {t.strip() for t in re.findall(r'<span class="w-sr-only">([^<]*)</span>', html)}
    assert not read_aloud & {"True", "False", "None"}
    assert "Có" in read_aloud


def test_the_header_actions_are_labelled_in_vietnamese(cast, client_as):
    html = client_as(cast.admin).get(reverse("wagtailsnippets_org_unit:list")).text
    assert 'aria-label="Actions"' not in html


def test_the_slug_help_is_vietnamese_without_the_english_example(cast, client_as):
    from cchc.news.models import SectionPage, TopicPage

    topic = TopicPage.objects.child_of(SectionPage.objects.get(unit=cast.unit_a)).first()
    url = reverse("wagtailadmin_pages:add", args=["news", "articlepage", topic.pk])
    html = client_as(cast.editor_a).get(url).text
    assert "domain.com" not in html and "[my-slug]" not in html


def test_a_system_publication_shows_no_none_as_its_author(cast, client_as, settings):
    from cchc.news.services import article_create
    from cchc.news.tests.conftest import topic_of

    article_create(
        actor=None,
        topic_page=topic_of(cast.unit_a),
        title="Tin mẫu",
        summary="x",
        body="<p>x</p>",
        publish=True,
    )
    html = client_as(cast.admin).get(reverse("wagtailadmin_reports:aging_pages")).text
    assert "Hệ thống" in html
    assert "</span>\n\nNone" not in html and "\nNone\n" not in html


# Help ------------------------------------------------------------------------


def test_the_help_menu_opens_our_guide_not_wagtails(cast, client_as):
    html = client_as(cast.editor_a).get(reverse("wagtailadmin_home")).text
    assert reverse("cchc_user_guide") in html
    assert "guide.wagtail.org" not in html
    assert "Hướng dẫn biên tập Wagtail" not in html


def test_the_guide_page_renders_the_user_guide(cast, client_as):
    response = client_as(cast.editor_a).get(reverse("cchc_user_guide"))
    assert response.status_code == 200
    html = response.text
    assert "<h1" in html and "Hướng dẫn sử dụng" in html
    assert 'href="#1-dang-nhap"' in html and 'id="1-dang-nhap"' in html
    assert "<strong>Tin bài CCHC</strong>" in html
    assert "**" not in html


def test_every_back_office_role_may_read_the_guide(cast, client_as):
    for user in (cast.leader, cast.officer_a, cast.appraiser):
        assert client_as(user).get(reverse("cchc_user_guide")).status_code == 200


def test_the_guide_needs_sign_in(cast, client):
    assert client.get(reverse("cchc_user_guide"))["Location"].startswith("/quan-tri/login/")


def test_the_guide_cannot_inject_markup():
    guide = render_markdown("# Tiêu đề\n\nChữ <script>x</script> và **đậm** `<b>`\n")
    assert "<script" not in guide.html
    assert "<strong>đậm</strong>" in guide.html and "<code>&lt;b&gt;</code>" in guide.html


def test_lists_nest_and_tables_render():
    guide = render_markdown(
        "1. Một\n    - con\n      tiếp\n2. Hai\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n"
    )
    flat = " ".join(guide.html.split())
    assert flat.startswith("<ol> <li>Một<ul> <li>con tiếp</li> </ul> </li> <li>Hai</li> </ol>")
    assert '<th scope="col">a</th>' in guide.html and "<td>2</td>" in guide.html


# Only what works -------------------------------------------------------------


def test_the_home_page_promises_only_what_the_portal_has(cast, client):
    html = client.get("/").text
    assert "chỉ số cải cách hành chính, khảo sát sự hài lòng" not in html
    assert HOME_INTRO in html


def test_the_officers_landing_offers_self_assessment_but_not_appraisal(cast, client_as):
    response = client_as(cast.officer_a).get(reverse("cchc_landing"), follow=True)
    html = response.text
    assert "Tự đánh giá Chỉ số CCHC, nộp tài liệu kiểm chứng" in html
    assert "Thẩm định kết quả" not in html


def test_the_administrators_landing_offers_no_appraisal(cast, client_as):
    html = client_as(cast.admin).get(reverse("cchc_landing")).text
    assert "Thẩm định kết quả" not in html and "Tự đánh giá" not in html


def test_the_root_collection_has_a_vietnamese_name(cast):
    from wagtail.models import Collection

    assert Collection.get_first_root_node().name == "Thư viện chung"
