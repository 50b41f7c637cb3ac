"""The public online form: by the one-time link, step by step, saved as it goes, once."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from cchc.sipas.models import Channel, RespondentStatus, Response, SurveyStatus
from cchc.sipas.views import online

from .collect_helpers import make_sample, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(cast):
    survey = make_survey()
    respondents = make_sample(survey, cast.snv, n=2, reserve=1)
    return survey, respondents


def link(r) -> str:
    return reverse("sipas:online", args=[r.code])


def step(client, r, number: int, data: dict, go: str = "next"):
    return client.post(link(r), {"step": str(number), "go": go, **data})


def answer_everything(client, r, value="4"):
    q = r.questionnaire
    for number, element in enumerate(q.elements, start=1):
        got = step(client, r, number, {f"item_{i['code']}": value for i in element["items"]})
        assert got.status_code == 302
    return step(
        client,
        r,
        len(q.elements) + 1,
        {"profile_sex": "nu", "profile_age": "50-60", "suggestion": "Cần thêm ghế chờ."},
        go="send",
    )


def test_the_link_opens_the_first_step_without_an_account(world, client):
    _survey, (r, *_) = world
    page = client.get(link(r))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="vi">' in html
    assert "Bước 1 trên 6" in html and "Sở Nội vụ" in html
    assert html.count("<fieldset") == 1 + 4  # the element, then each of its four items
    assert 'for="cau-1-1-5"' in html and "Rất hài lòng" in html
    assert "<script" not in html.split("</main>")[0].split("<main")[1]  # no inline script
    assert "Nguyễn Văn Liên Hệ" not in html  # no contact data


def test_a_respondent_answers_step_by_step_and_the_answer_counts_once(world, client):
    _survey, (r, *_) = world
    got = answer_everything(client, r)
    assert got.status_code == 302
    response = Response.objects.get()
    assert response.channel == Channel.ONLINE and response.unit == r.unit
    assert response.answers["3.5"] == 4 and response.profile == {"sex": "nu", "age": "50-60"}
    assert response.suggestion == "Cần thêm ghế chờ."
    thanks = client.get(link(r))
    assert thanks.status_code == 200 and "đã được ghi nhận" in thanks.content.decode()
    again = step(client, r, 6, {}, go="send")
    assert again.status_code == 409 and "không được tính thêm" in again.content.decode()
    assert Response.objects.count() == 1


def test_reopening_the_link_returns_to_the_step_reached_with_its_answers(world, client):
    _survey, (r, *_) = world
    step(client, r, 1, {"item_1.1": "5", "item_1.2": "3"})
    step(client, r, 2, {"item_2.1": "2"})
    r.refresh_from_db()
    assert r.draft["answers"] == {
        "1.1": "5",
        "1.2": "3",
        "1.3": "",
        "1.4": "",
        **r.draft["answers"],
    }
    page = client.get(link(r))  # a new visit: the lost-signal case
    assert "Bước 3 trên 6" in page.content.decode()
    back = client.get(link(r) + "?buoc=1").content.decode()
    assert 'id="cau-1-1-5" value="5" checked' in back
    assert 'id="cau-1-2-3" value="3" checked' in back
    # a step not reached yet cannot be skipped to
    assert "Bước 3 trên 6" in client.get(link(r) + "?buoc=6").content.decode()


def test_going_back_keeps_the_step_s_answers(world, client):
    _survey, (r, *_) = world
    step(client, r, 1, {"item_1.1": "5"})
    got = step(client, r, 2, {"item_2.1": "1"}, go="back")
    assert got.status_code == 302 and got["Location"].endswith("?buoc=1")
    r.refresh_from_db()
    assert r.draft["answers"]["2.1"] == "1"


def test_a_value_out_of_range_is_refused_with_a_linked_summary_and_nothing_saved(world, client):
    _survey, (r, *_) = world
    got = step(client, r, 1, {"item_1.1": "9"})
    assert got.status_code == 422
    html = got.content.decode()
    assert 'href="#cau-1-1"' in html and "Câu 1.1: chỉ nhận 1, 2, 3, 4, 5" in html
    assert 'role="alert"' in html
    r.refresh_from_db()
    assert r.draft is None


def test_a_too_long_suggestion_is_refused(world, client):
    _survey, (r, *_) = world
    for number in range(1, 6):
        step(client, r, number, {})
    got = step(client, r, 6, {"suggestion": "x" * 2001}, go="send")
    assert got.status_code == 422 and "Góp ý dài quá 2000 ký tự" in got.content.decode()
    assert not Response.objects.exists()


def test_unknown_refused_and_reserve_codes_get_the_same_neutral_page(world, client):
    _survey, (r, other, reserve) = world
    other.status = RespondentStatus.REFUSED
    other.save(update_fields=["status"])
    pages = [
        client.get(reverse("sipas:online", args=["ZZZZZZZZ"])),
        client.get(reverse("sipas:online", args=["abc"])),
        client.get(link(other)),
        client.get(link(reserve)),
    ]
    assert {p.status_code for p in pages} == {404}
    assert all("Không tìm thấy phiếu khảo sát" in p.content.decode() for p in pages)


def test_a_closed_survey_takes_no_answers(world, client):
    survey, (r, *_) = world
    survey.answers_until = timezone.localdate() - datetime.timedelta(days=1)
    survey.save(update_fields=["answers_until"])
    got = step(client, r, 1, {"item_1.1": "5"})
    assert got.status_code == 410 and "không nhận phiếu" in got.content.decode()
    survey.status = SurveyStatus.CLOSED
    survey.save(update_fields=["status"])
    assert client.get(link(r)).status_code == 410
    r.refresh_from_db()
    assert r.draft is None


def test_guessing_codes_is_throttled_per_address_and_no_address_is_kept(world, client, monkeypatch):
    _survey, (r, *_) = world
    monkeypatch.setattr(online, "GUESS_LIMIT", 3)
    for n in range(3):
        assert client.get(reverse("sipas:online", args=[f"ZZZZZZZ{n + 2}"])).status_code == 404
    assert client.get(link(r)).status_code == 429  # even a good code, from this address
    other = client.get(link(r), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200
    keys = list(cache._cache)  # locmem: nothing in it names the address
    assert keys and not any("127.0.0.1" in str(k) for k in keys)


def test_the_code_entry_page_opens_the_form(world, client):
    _survey, (r, *_) = world
    page = client.get(reverse("sipas:online_start"))
    assert page.status_code == 200 and 'for="ma-phieu"' in page.content.decode()
    got = client.post(reverse("sipas:online_start"), {"code": f" {r.code.lower()} "})
    assert got.status_code == 302 and got["Location"] == link(r)
    bad = client.post(reverse("sipas:online_start"), {"code": "12"})
    assert bad.status_code == 422 and "Mã phiếu gồm 8 ký tự" in bad.content.decode()


def test_the_pages_carry_no_inline_script_under_the_csp(world, client):
    _survey, (r, *_) = world
    page = client.get(link(r))
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "style=" not in page.content.decode()


def test_the_page_s_autosave_keeps_each_choice_without_moving_on(world, client):
    _survey, (r, *_) = world
    got = step(client, r, 1, {"item_1.1": "5"}, go="save")
    assert got.status_code == 204
    r.refresh_from_db()
    assert r.draft["answers"]["1.1"] == "5" and r.draft["step"] == 0
    assert 'id="cau-1-1-5" value="5" checked' in client.get(link(r)).content.decode()
    bad = step(client, r, 1, {"item_1.1": "8"}, go="save")
    assert bad.status_code == 422
    r.refresh_from_db()
    assert r.draft["answers"]["1.1"] == "5"
