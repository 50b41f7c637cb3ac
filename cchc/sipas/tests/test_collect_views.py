"""The paper forms' screens: print one unit's forms, key them twice, resolve mismatches."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.sipas.models import PaperEntry, Response

from .collect_helpers import entry_post, make_operator, make_sample, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    survey = make_survey()
    respondents = make_sample(survey, cast.snv, n=3, reserve=1)
    make_sample(survey, cast.unit_a, n=2, reserve=0)
    return survey, respondents, make_operator("nhapphieu.mot"), make_operator("nhapphieu.hai")


def url(name, survey, *args):
    return reverse(name, args=[survey.year, *args])


# Who may -------------------------------------------------------------------------------


def test_the_collect_page_is_for_operators_and_sở_nội_vụ(cast, world, client_as):
    survey, _, one, _two = world
    assert client_as(one).get(url("sipas_collect", survey)).status_code == 200
    page = client_as(cast.admin).get(url("sipas_collect", survey))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tải phiếu in (PDF)" in html and "Sở Nội vụ" in html and "Xã An Phú" in html
    assert client_as(cast.leader).get(url("sipas_collect", survey)).status_code == 403
    assert client_as(cast.officer_a).get(url("sipas_collect", survey)).status_code == 404


def test_operators_do_not_see_the_print_link(world, client_as):
    survey, _, one, _two = world
    assert "Tải phiếu in" not in client_as(one).get(url("sipas_collect", survey)).content.decode()


def test_the_collect_page_s_queries_do_not_grow_with_units(cast, world, client_as):
    from cchc.org.models import Unit, UnitType

    survey, *_ = world
    client = client_as(cast.admin)
    client.get(url("sipas_collect", survey))  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("sipas_collect", survey)).status_code == 200
    for unit in Unit.objects.filter(unit_type=UnitType.COMMUNE).exclude(pk=cast.unit_a.pk)[:10]:
        make_sample(survey, unit, n=2, reserve=1)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url("sipas_collect", survey))
    assert page.content.decode().count('id="sp-unit-') == 12
    assert len(many) == len(few) == 13


def test_sở_nội_vụ_downloads_one_unit_s_forms_as_a_pdf(cast, world, client_as):
    survey, _, one, _two = world
    got = client_as(cast.admin).get(url("sipas_paper_print", survey, cast.snv.slug))
    assert got.status_code == 200
    assert got["Content-Type"] == "application/pdf" and got.content.startswith(b"%PDF")
    assert "attachment" in got["Content-Disposition"]
    assert client_as(one).get(url("sipas_paper_print", survey, cast.snv.slug)).status_code == 403
    assert (
        client_as(cast.leader).get(url("sipas_paper_print", survey, cast.snv.slug)).status_code
        == 403
    )
    assert (
        client_as(cast.officer_b).get(url("sipas_paper_print", survey, cast.snv.slug)).status_code
        == 404
    )
    # a unit without a sample
    assert (
        client_as(cast.admin).get(url("sipas_paper_print", survey, cast.stp.slug)).status_code
        == 404
    )
    # past the last batch
    far = url("sipas_paper_print", survey, cast.snv.slug) + "?lo=9"
    assert client_as(cast.admin).get(far).status_code == 404


# Keying ---------------------------------------------------------------------------------


def test_the_entry_page_is_built_for_the_keyboard(cast, world, client_as):
    survey, (r, *_), one, _two = world
    page = client_as(one).get(url("sipas_paper_entry", survey, cast.snv.slug))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="code"' in html and "autofocus" in html
    assert html.count('inputmode="numeric"') == len(r.questionnaire.item_codes) + 3
    assert 'name="item_3.5"' in html and "sipas/collect.js" in html
    assert (
        client_as(cast.leader).get(url("sipas_paper_entry", survey, cast.snv.slug)).status_code
        == 403
    )
    assert (
        client_as(cast.officer_a).get(url("sipas_paper_entry", survey, cast.snv.slug)).status_code
        == 404
    )


def test_two_operators_key_a_form_and_it_is_counted(cast, world, client):
    survey, (r, *_), one, two = world
    entry = url("sipas_paper_entry", survey, cast.snv.slug)
    client.force_login(one)
    got = client.post(entry, entry_post(r), follow=True)
    assert got.redirect_chain and "Đã nhập lần 1 phiếu" in got.content.decode()
    client.force_login(two)
    got = client.post(entry, entry_post(r), follow=True)
    assert "khớp với lần 1, đã ghi nhận phiếu" in got.content.decode()
    assert Response.objects.get().respondent == r


def test_a_double_submit_stores_one_keying(cast, world, client_as):
    survey, (r, *_), one, _two = world
    client = client_as(one)
    entry = url("sipas_paper_entry", survey, cast.snv.slug)
    client.post(entry, entry_post(r))
    got = client.post(entry, entry_post(r), follow=True)
    assert "với đúng nội dung này" in got.content.decode()
    assert PaperEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"item_2.3": "7"}, "Câu 2.3: chỉ nhận 1, 2, 3, 4, 5 hoặc để trống"),
        ({"code": "ZZZZ2222"}, "Không có phiếu nào mã ZZZZ2222"),
        ({"code": ""}, "Nhập mã phiếu in trên phiếu."),
        ({"profile_sex": "9"}, "Giới tính: chỉ nhận số từ 1 đến 2"),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_nothing_stored(
    cast, world, client_as, change, message
):
    survey, (r, *_), one, _two = world
    got = client_as(one).post(
        url("sipas_paper_entry", survey, cast.snv.slug), entry_post(r, **change)
    )
    assert got.status_code == 422
    assert message in got.content.decode()
    assert not PaperEntry.objects.exists()


def test_a_form_of_another_unit_is_refused_in_this_batch(cast, world, client_as):
    survey, (r, *_), one, _two = world
    commune = make_sample(survey, cast.stp, n=1, reserve=0)[0]
    got = client_as(one).post(
        url("sipas_paper_entry", survey, cast.snv.slug), entry_post(r, code=commune.code)
    )
    assert got.status_code == 422
    assert "thuộc Sở Tư pháp, không thuộc lô phiếu của Sở Nội vụ" in got.content.decode()
    assert not PaperEntry.objects.exists()


def test_the_same_operator_cannot_key_round_two(cast, world, client_as):
    survey, (r, *_), one, _two = world
    client = client_as(one)
    entry = url("sipas_paper_entry", survey, cast.snv.slug)
    client.post(entry, entry_post(r))
    got = client.post(entry, entry_post(r, value=5))
    assert got.status_code == 422
    assert "phải do một người khác thực hiện" in got.content.decode()
    assert PaperEntry.objects.count() == 1 and not Response.objects.exists()


# Mismatches ------------------------------------------------------------------------------


def mismatch(cast, survey, r, one, two, client):
    entry = url("sipas_paper_entry", survey, cast.snv.slug)
    client.force_login(one)
    client.post(entry, entry_post(r))
    client.force_login(two)
    got = client.post(entry, entry_post(r, **{"item_3.2": "2"}), follow=True)
    assert "không khớp với lần 1 ở 1 chỗ" in got.content.decode()


def test_a_mismatch_is_listed_side_by_side_and_resolved(cast, world, client):
    survey, (r, *_), one, two = world
    mismatch(cast, survey, r, one, two, client)
    client.force_login(cast.admin)
    listing = client.get(url("sipas_mismatches", survey)).content.decode()
    assert f'id="sp-mismatch-{r.code}"' in listing and "Câu 3.2: 4 / 2" in listing
    resolve = url("sipas_mismatch_resolve", survey, r.code)
    page = client.get(resolve)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="sp-differs"' in html and html.count('class="sp-differs"') == 1
    data = {f"item_{c}": "4" for c in r.questionnaire.item_codes}
    data |= {"profile_sex": "nam", "profile_age": "25-34", "profile_education": "thpt"}
    got = client.post(resolve, data | {"item_3.2": "6"})
    assert got.status_code == 422 and "Câu 3.2: chỉ nhận" in got.content.decode()
    assert not Response.objects.exists()
    got = client.post(resolve, data, follow=True)
    assert f"Đã đối chiếu và ghi nhận phiếu {r.code}" in got.content.decode()
    response = Response.objects.get()
    assert response.answers["3.2"] == 4 and response.profile["sex"] == "nam"
    assert client.get(resolve).status_code == 404  # nothing left to resolve


def test_the_mismatch_pages_follow_the_roles(cast, world, client):
    survey, (r, *_), one, two = world
    mismatch(cast, survey, r, one, two, client)
    resolve = url("sipas_mismatch_resolve", survey, r.code)
    client.force_login(one)  # an operator who keyed it may open it; who resolves is recorded
    assert client.get(url("sipas_mismatches", survey)).status_code == 200
    assert client.get(resolve).status_code == 200
    client.force_login(cast.leader)
    assert client.get(url("sipas_mismatches", survey)).status_code == 403
    assert client.get(resolve).status_code == 403
    client.force_login(cast.officer_a)
    assert client.get(url("sipas_mismatches", survey)).status_code == 404
    assert client.get(resolve).status_code == 404


def test_a_big_unit_prints_in_batches(cast, world, client_as, monkeypatch):
    from cchc.sipas.views import collect as collect_views

    survey, *_ = world
    monkeypatch.setattr(collect_views, "PRINT_BATCH", 2)
    client = client_as(cast.admin)
    html = client.get(url("sipas_collect", survey)).content.decode()
    assert "phiếu 1–2" in html and "phiếu 3–3" in html and "?lo=2" in html
    got = client.get(url("sipas_paper_print", survey, cast.snv.slug) + "?lo=2")
    assert got.status_code == 200 and got.content.startswith(b"%PDF")
    assert "(lo 2).pdf" in got["Content-Disposition"]


def test_the_mismatch_list_s_queries_do_not_grow_with_mismatches(cast, world, client):
    from cchc.sipas.services import collect

    survey, respondents, one, two = world

    def disagree(r):
        answers = {c: "4" for c in r.questionnaire.item_codes}
        collect.paper_enter(actor=one, survey=survey, unit=r.unit, code=r.code, answers=answers)
        collect.paper_enter(
            actor=two, survey=survey, unit=r.unit, code=r.code, answers=answers | {"1.1": "1"}
        )

    disagree(respondents[0])
    client.force_login(cast.admin)
    client.get(url("sipas_mismatches", survey))
    with CaptureQueriesContext(connection) as few:
        client.get(url("sipas_mismatches", survey))
    disagree(respondents[1])
    disagree(respondents[2])
    for r in make_sample(survey, cast.stp, n=2, reserve=0):
        disagree(r)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url("sipas_mismatches", survey))
    assert page.content.decode().count('id="sp-mismatch-') == 5
    assert len(many) == len(few) == 13
