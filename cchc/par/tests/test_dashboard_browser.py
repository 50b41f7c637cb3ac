"""The leaders' dashboard in a real browser, as a provincial leader would use it.

The leader signs in, opens the results overview of 2023 (seed 003's year), sees the
component indices of the two years side by side, opens a criterion where the province
loses points and drills into one of the units that lost them; then asks for the Word
report, watches the background job's progress and downloads the file. Screenshots at
desktop width and at a 375 px phone width in test-artifacts/.
"""

import re

import pytest
from docx import Document
from playwright.sync_api import expect

from cchc.org.models import UnitType
from cchc.par.demo import load_criteria_sets
from cchc.par.demo_2023 import load_year_2023
from cchc.par.reports import document

from .reports import run_worker
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


WORD = "#par-report-bao-cao-word"
SHOWN = """([selector, percent]) => {
  const panel = document.querySelector(selector);
  const bar = panel && panel.querySelector("progress");
  return !!panel && (panel.dataset.status === "done" || (!!bar && Number(bar.value) >= percent));
}"""


def test_a_leader_asks_for_the_word_report_watches_it_grow_and_downloads_it(
    cast, live_server, page, screenshot, monkeypatch, tmp_path
):
    load_criteria_sets()
    load_year_2023(actor=cast.admin)
    page.set_viewport_size(DESKTOP)
    open_dashboard(page, live_server, cast.leader, 2023)
    # a look at one unit first, then back to the overview
    loss = page.locator(f"#section-{UnitType.DEPARTMENT} details.par-loss").first
    loss.locator("summary").click()
    first = loss.locator("tbody th a").first
    name = first.inner_text()
    with page.expect_navigation():
        first.click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    page.go_back()

    # Every poll of the job passes through this process: while the worker below builds
    # the file here, the browser waits instead of sharing the database connection.
    page.route("**/chi-so-cchc/bao-cao/**", lambda route: route.continue_())
    panel = page.locator(WORD)
    panel.scroll_into_view_if_needed()
    panel.get_by_role("button", name="Tạo báo cáo (Word)").click()
    expect(panel).to_have_attribute("data-status", "queued")
    expect(panel.locator("progress")).to_have_attribute("value", "0")
    expect(panel).to_contain_text("Đang chờ đến lượt")
    screenshot(page, "par-report-1-queued")

    # The worker runs the real builder; at each step the test waits until the page
    # (polling every second) shows at least that far.
    seen = []
    real = document.build_docx

    def watched(year, *, progress):
        def step(percent, text=""):
            progress(percent, text)
            page.wait_for_function(SHOWN, arg=[WORD, min(int(percent), 99)], timeout=20_000)
            seen.append(int(page.locator(f"{WORD} progress").get_attribute("value") or 100))
            if len(seen) == 3:
                screenshot(page, "par-report-2-progress")

        return real(year, progress=step)

    monkeypatch.setattr(document, "build_docx", watched)
    run_worker()
    link = panel.get_by_role("link", name=re.compile("Tải về"))
    expect(link).to_be_visible()
    assert len(seen) >= 3 and seen == sorted(seen) and 0 < seen[1] < 100, seen
    screenshot(page, "par-report-3-done")

    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "Báo cáo Chỉ số CCHC năm 2023.docx"
    path = tmp_path / "bao-cao.docx"
    download.save_as(path)
    text = "\n".join(p.text for p in Document(path).paragraphs)
    assert "Bình quân Chỉ số CCHC các sở năm 2023 đạt 89,87 điểm." in text
    assert "88,58" in text
