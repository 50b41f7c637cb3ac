"""As a new user would: the home page, then signing in as a commune's officer."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_signs_in_and_lands_on_their_communes_page(cast, live_server, page, screenshot):
    page.goto(live_server.url + "/")
    assert page.locator("h1").first.inner_text().startswith("Cổng thông tin")
    screenshot(page, "foundation-home")

    page.get_by_role("link", name="Đăng nhập").click()
    page.wait_for_url("**/quan-tri/login/**")
    screenshot(page, "foundation-login")
    page.fill("#id_username", cast.officer_a.username)
    page.fill("#id_password", cast.officer_a.raw_password)
    page.locator("form button[type=submit]").click()

    page.wait_for_url(f"**/quan-tri/don-vi/{cast.unit_a.slug}/")
    assert cast.unit_a.name in page.locator("h1").first.inner_text()
    assert "Cán bộ CCHC" in page.content()
    screenshot(page, "foundation-officer-landing")


def test_the_home_page_fits_a_phone(cast, live_server, browser, screenshot):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="vi-VN")
    phone = context.new_page()
    phone.goto(live_server.url + "/don-vi/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375  # nothing overflows sideways
    screenshot(phone, "foundation-units-phone")
    context.close()
