"""The leaders' dashboard in a real browser, as a provincial leader would use it.

The leader signs in, opens the results overview of 2023 (seed 003's year), sees the
component indices of the two years side by side, opens a criterion where the province
loses points and drills into one of the units that lost them. Screenshots at desktop
width and at a 375 px phone width in test-artifacts/.
"""

import pytest
from playwright.sync_api import expect

from cchc.org.models import UnitType
from cchc.par.demo import load_criteria_sets
from cchc.par.demo_2023 import load_year_2023

from .test_year_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}


def open_dashboard(page, live_server, user, year: int):
    """Sign in as `user`, open the overview from its menu address, choose `year`."""
    sign_in(page, live_server, user)
    page.goto(f"{live_server.url}/quan-tri/chi-so-cchc/tong-quan/")
    page.get_by_label("Năm", exact=True).select_option(str(year))
    with page.expect_navigation():
        page.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("heading", name=f"Tổng quan Chỉ số CCHC năm {year}")).to_be_visible()


def fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_leader_opens_the_2023_dashboard_and_drills_into_a_unit(
    cast, live_server, page, screenshot
):
    load_criteria_sets()
    load_year_2023(actor=cast.admin)
    page.set_viewport_size(DESKTOP)
    open_dashboard(page, live_server, cast.leader, 2023)

    district = page.locator(f"#section-{UnitType.DISTRICT}")
    expect(district.locator(f"#par-average-{UnitType.DISTRICT}")).to_have_text("88,58")
    for unit_type in (UnitType.DEPARTMENT, UnitType.DISTRICT):
        chart = page.locator(f"#par-area-chart-{unit_type}")
        expect(chart.locator("svg")).to_be_visible()
        # the legend: the two years side by side, as in seed 003's chart
        expect(chart.locator("svg")).to_contain_text("Năm 2023")
        expect(chart.locator("svg")).to_contain_text("Năm 2022")
        expect(chart.locator("figcaption")).to_contain_text("so với năm 2022")
    screenshot(page, "par-dashboard-1-desktop")
    page.locator(f"#par-area-chart-{UnitType.DISTRICT}").scroll_into_view_if_needed()
    screenshot(page, "par-dashboard-2-areas")

    # where the districts lose most: open the first criterion, follow its first unit
    loss = district.locator("details.par-loss").first
    loss.locator("summary").click()
    unit_link = loss.locator("tbody th a").first
    expect(unit_link).to_be_visible()
    name = unit_link.inner_text()
    loss.scroll_into_view_if_needed()
    screenshot(page, "par-dashboard-3-losses")
    with page.expect_navigation():
        unit_link.click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.locator("#par-unit-rank")).to_contain_text("/11")
    expect(page.locator("#par-profile-chart svg")).to_contain_text("Bình quân")
    expect(page.locator("#par-unit-losses tbody tr").first).to_be_visible()
    screenshot(page, "par-dashboard-4-unit")
    page.locator("#par-profile-chart").scroll_into_view_if_needed()
    screenshot(page, "par-dashboard-5-unit-profile")

    # a phone: the page reflows, tables scroll inside their box, charts shrink
    page.set_viewport_size(PHONE)
    page.go_back()
    expect(page.locator(f"#par-area-chart-{UnitType.DISTRICT} svg")).to_be_visible()
    assert fits_the_width(page)
    page.locator(f"#par-area-chart-{UnitType.DISTRICT}").scroll_into_view_if_needed()
    screenshot(page, "par-dashboard-6-phone-chart")
    page.goto(page.url.split("#")[0])
    screenshot(page, "par-dashboard-7-phone")
    with page.expect_navigation():
        page.locator(f"#section-{UnitType.DEPARTMENT} details.par-loss summary").first.click()
        page.locator(f"#section-{UnitType.DEPARTMENT} details.par-loss tbody th a").first.click()
    expect(page.locator("#par-unit-total")).to_be_visible()
    assert fits_the_width(page)
    screenshot(page, "par-dashboard-8-unit-phone")
