"""The self-assessment workspace: who sees it, who writes, HTMX points, survey leaves."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from cchc.par.models import Entry, EvidenceLink, ParticipationState
from cchc.par.selectors import year as selectors
from cchc.par.tests.year import IN_SELF, entry, open_year, participation

pytestmark = pytest.mark.django_db

WORKSPACE_QUERIES = 22  # session, user, roles, participation, the tree (3), files, indicator links…


@pytest.fixture
def year(cast):
    with time_machine.travel(IN_SELF, tick=False):
        yield open_year(actor=cast.admin)


def url(cast, name="par_assessment", *args, unit=None):
    unit = unit or cast.unit_a
    return reverse(name, args=[2026, unit.slug, *args])


def leaf_post(e, **values):
    data = {f"e{e.pk}-version": e.version, f"e{e.pk}-note": values.pop("note", "")}
    data.update({f"e{e.pk}-{k}": v for k, v in values.items()})
    return data


def test_the_workspace_shows_the_tree_to_the_units_people_and_the_council(cast, client, year):
    for user, status in [
        (cast.officer_a, 200),
        (cast.unit_leader_a, 200),
        (cast.leader, 200),
        (cast.appraiser, 200),
        (cast.admin, 200),
        (cast.officer_b, 404),
        (cast.editor_a, 403),
    ]:
        client.force_login(user)
        response = client.get(url(cast))
        assert response.status_code == status, user
    client.force_login(cast.officer_a)
    page = client.get(url(cast)).content.decode()
    assert "1.4.2" in page and "Do Sở Nội vụ nhập từ kết quả SIPAS" in page
    assert "Gắn minh chứng từ chuyên mục tin CCHC" in page
    assert (
        "par/assessment.js" in page and "<script>" not in page.split("par/assessment.js")[0][-300:]
    )


def test_readers_may_not_write(cast, client, year):
    e = entry(year, cast.unit_a, "1.4.2")
    for user, status in [(cast.leader, 403), (cast.appraiser, 403), (cast.officer_b, 404)]:
        client.force_login(user)
        response = client.post(
            url(cast, "par_assessment_save", e.pk), leaf_post(e, passed="1"), HTTP_HX_REQUEST="true"
        )
        assert response.status_code == status, user
    assert entry(year, cast.unit_a, "1.4.2").self_inputs is None


def test_the_officer_saves_a_leaf_with_htmx_and_sees_the_points(cast, client, year):
    e = entry(year, cast.unit_a, "1.4.2")
    client.force_login(cast.officer_a)
    with time_machine.travel(IN_SELF, tick=False):
        preview = client.post(
            url(cast, "par_assessment_preview", e.pk),
            leaf_post(e, passed="1"),
            HTTP_HX_REQUEST="true",
        )
        assert preview.status_code == 200 and "0,5" in preview.content.decode()
        bad = client.post(
            url(cast, "par_assessment_preview", entry(year, cast.unit_a, "1.4.1").pk),
            leaf_post(entry(year, cast.unit_a, "1.4.1"), passed="x"),
            HTTP_HX_REQUEST="true",
        )
        assert bad.status_code == 200
        response = client.post(
            url(cast, "par_assessment_save", e.pk),
            leaf_post(e, passed="1", note="Chuyên mục ở trang chủ"),
            HTTP_HX_REQUEST="true",
        )
    assert response.status_code == 200
    assert (
        "Đã lưu" in response.content.decode() and 'data-par-saved="1"' in response.content.decode()
    )
    saved = entry(year, cast.unit_a, "1.4.2")
    assert saved.self_inputs == {"passed": True} and saved.self_note == "Chuyên mục ở trang chủ"


def test_a_stale_save_keeps_what_was_typed_and_shows_the_newer_value(cast, client, year):
    e = entry(year, cast.unit_a, "1.4.2")
    stale = leaf_post(e, passed="0", note="Gõ ở tab thứ hai")
    client.force_login(cast.officer_a)
    with time_machine.travel(IN_SELF, tick=False):
        client.post(
            url(cast, "par_assessment_save", e.pk), leaf_post(e, passed="1"), HTTP_HX_REQUEST="true"
        )
        client.force_login(cast.unit_leader_a)
        response = client.post(
            url(cast, "par_assessment_save", e.pk), stale, HTTP_HX_REQUEST="true"
        )
    page = response.content.decode()
    assert response.status_code == 422
    assert "vừa được" in page and "Đạt" in page
    assert "Gõ ở tab thứ hai" in page  # nothing lost
    assert f'name="e{e.pk}-version" value="2"' in page  # a second click overwrites knowingly
    assert entry(year, cast.unit_a, "1.4.2").self_inputs == {"passed": True}


def test_a_crafted_post_on_a_survey_leaf_is_refused(cast, client, year):
    e = entry(year, cast.unit_a, "9.1.1")
    client.force_login(cast.officer_a)
    with time_machine.travel(IN_SELF, tick=False):
        response = client.post(
            url(cast, "par_assessment_save", e.pk),
            {f"e{e.pk}-version": 1, f"e{e.pk}-index": "100"},
        )
    assert response.status_code == 403
    assert entry(year, cast.unit_a, "9.1.1").self_inputs is None


def test_only_the_leader_submits_and_a_double_click_submits_once(cast, client, year, settings):
    from cchc.par.tests.test_assessment import fill_everything

    with time_machine.travel(IN_SELF, tick=False):
        p = fill_everything(cast, year)
        client.force_login(cast.officer_a)
        assert (
            client.post(url(cast, "par_assessment_submit"), {"version": p.version}).status_code
            == 403
        )
        client.force_login(cast.unit_leader_a)
        first = client.post(url(cast, "par_assessment_submit"), {"version": p.version}, follow=True)
        second = client.post(
            url(cast, "par_assessment_submit"), {"version": p.version}, follow=True
        )
    assert "Đã gửi bản tự đánh giá" in first.content.decode()
    assert second.status_code == 200 and "đã được gửi" in second.content.decode()
    p = participation(year, cast.unit_a)
    assert p.state == ParticipationState.SUBMITTED and p.version == 2 + 0 or p.version


def test_the_workspace_queries_do_not_grow_with_leaves_or_evidence(
    cast, client, year, django_assert_num_queries
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cchc.par.services import assessment as svc
    from cchc.par.tests.test_assessment import PDF

    client.force_login(cast.officer_a)
    with time_machine.travel(IN_SELF, tick=False):
        client.get(url(cast))  # warm caches (session, roles)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as before:
            assert client.get(url(cast)).status_code == 200
        p = participation(year, cast.unit_a)
        leaves = [r for r in selectors.workspace(p) if r.fillable]
        for n, row in enumerate(leaves[:12]):
            ev = svc.evidence_upload(
                actor=cast.officer_a,
                participation=p,
                file=SimpleUploadedFile(f"t{n}.pdf", PDF + str(n).encode()),
            )
            svc.evidence_link(
                actor=cast.officer_a,
                entry=Entry.objects.select_related(
                    "node", "participation__year", "participation__unit"
                ).get(pk=row.entry.pk),
                evidence=ev,
            )
        assert EvidenceLink.objects.count() == 12
        with django_assert_num_queries(len(before.captured_queries)):
            assert client.get(url(cast)).status_code == 200
    assert len(leaves) == 39  # the 2026 commune set: 46 leaves, 7 of them SIPAS
    assert len(before.captured_queries) == WORKSPACE_QUERIES, before.captured_queries


def test_the_menu_opens_the_users_unit_of_the_open_year_and_previews_swap_only_the_points(
    cast, client, year
):
    client.force_login(cast.officer_a)
    response = client.get(reverse("par_assessment_start"))
    assert response.status_code == 302 and response["Location"] == url(cast)
    page = client.get(url(cast)).content.decode()
    # the preview's output must not inherit the leaf form's target (the whole leaf)
    assert 'hx-target="this" hx-swap="innerHTML"' in page
    client.force_login(cast.leader)
    assert client.get(reverse("par_assessment_start")).status_code == 403
