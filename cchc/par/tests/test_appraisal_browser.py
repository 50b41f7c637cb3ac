"""In a real browser: the Sở Tư pháp appraiser saves one leaf of area 2 by HTMX; the
unit's officer sees the explanation screen. Screenshots of each workspace."""

import pytest
import time_machine
from playwright.sync_api import expect

from cchc.par.models import Decision, ParticipationState

from .test_appraisal import put, small_year
from .year import IN_EXPLANATION, IN_ROUND1, entry, participation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/quan-tri/login/")
    page.fill('input[name="username"]', user.username)
    page.fill('input[name="password"]', user.raw_password)
    page.locator('input[name="password"]').press("Enter")
    page.wait_for_load_state("networkidle")


def test_the_appraiser_saves_a_leaf_and_the_unit_sees_what_to_explain(
    cast, live_server, page, screenshot
):
    year = small_year(cast)
    put(year, cast.unit_a)
    e = entry(year, cast.unit_a, "2.2")
    with time_machine.travel(IN_ROUND1, tick=False):
        sign_in(page, live_server, cast.appraiser)
        page.goto(f"{live_server.url}/quan-tri/chi-so-cchc/2026/tham-dinh/")
        expect(page.locator('tr[data-unit="xa-an-phu"] td[data-area="2"] a')).to_be_visible()
        expect(page.locator('tr[data-unit="xa-an-phu"] td[data-area="1"] a')).to_have_count(0)
        screenshot(page, "par-appraisal-matrix")
        page.locator('tr[data-unit="xa-an-phu"] td[data-area="2"] a').click()
        leaf = page.locator(f"#tc-{e.pk}")
        leaf.get_by_label("Đề nghị giải trình, bổ sung").check()
        leaf.get_by_label("Ý kiến thẩm định").fill("Chưa có biên bản rà soát")
        leaf.get_by_role("button", name="Lưu tiêu chí 2.2").click()
        expect(page.locator(f"#tc-{e.pk}")).to_contain_text("Đã lưu kết quả thẩm định")
        screenshot(page, "par-appraisal-area")
    e.refresh_from_db()
    assert e.r1_decision == Decision.RETURNED
    type(participation(year, cast.unit_a)).objects.filter(year=year, unit=cast.unit_a).update(
        state=ParticipationState.RETURNED
    )
    with time_machine.travel(IN_EXPLANATION, tick=False):
        sign_in(page, live_server, cast.officer_a)
        page.goto(f"{live_server.url}/quan-tri/chi-so-cchc/2026/don-vi/xa-an-phu/giai-trinh/")
        expect(page.locator("main")).to_contain_text("Chưa có biên bản rà soát")
        screenshot(page, "par-explanation")
