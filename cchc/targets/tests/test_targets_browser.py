"""Issue 12's acceptance in a real browser, as new users would go through it.

At the end of 2026 Sở Nội vụ's administrator links the communes' online-payment leaf
of the PAR criteria to the online-payment indicator, then imports November's values
of every commune from an Excel file uploaded through the import page; the matrix shows
each commune's status in its colour; Xã An Phú's officer, off track, finds the warning
on the landing page, opens the self-assessment, asks for the figures from the
indicators and finds leaf 3.3 filled with November's 40 %, its source as evidence.
Screenshots in test-artifacts/.
"""

import pytest
import time_machine
from playwright.sync_api import expect

from cchc.org.models import Unit, UnitType
from cchc.par.tests.test_year_browser import sign_in
from cchc.targets.models import LeafPrefill, Value

from .helpers import ONLINE_PAYMENT, sheet
from .leafyear import YEAR_END, commune_leaf, leaf_entry, open_linked_year, payment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# the expected colour of each status (cchc/targets/static/targets/targets.css)
BACKGROUND = {
    "achieved": "rgb(227, 244, 230)",
    "at_risk": "rgb(255, 244, 224)",
    "off_track": "rgb(253, 231, 230)",
}


def figures(unit: Unit, a, b) -> tuple[int, int]:
    """November's online payment: Xã An Phú off track (40 %), Phường Long Xuyên at risk
    (80 % of 85 %), every other commune achieved (90 %)."""
    if unit.slug == a.slug:
        return 40, 100
    if unit.slug == b.slug:
        return 80, 100
    return 90, 100


def test_an_import_colours_the_matrix_warns_the_commune_and_fills_its_self_assessment(
    cast, live_server, page, screenshot, tmp_path
):
    communes = list(Unit.objects.active().filter(unit_type=UnitType.COMMUNE).order_by("code"))
    assert len(communes) > 90
    with time_machine.travel(YEAR_END, tick=False):
        plan, year = open_linked_year(cast, units=communes, link=False)
        rows = [
            [
                u.code,
                u.name,
                ONLINE_PAYMENT,
                "",
                "11/2026",
                *figures(u, cast.unit_a, cast.unit_b),
                "",
            ]
            for u in communes
        ]
        path = tmp_path / "so-lieu-thang-11-2026.xlsx"
        path.write_bytes(sheet(rows))
        node = commune_leaf(year)

        # Sở Nội vụ links the leaf to the indicator in the back office
        sign_in(page, live_server, cast.admin)
        page.goto(f"{live_server.url}/quan-tri/chi-tieu-cchc/?nam=2026")
        with page.expect_navigation():
            page.get_by_role("link", name="Tiêu chí Chỉ số CCHC lấy số liệu từ chỉ tiêu").click()
        page.locator('select[name="leaf"]').select_option(str(node.pk))
        page.locator('select[name="indicator"]').select_option(str(payment(plan).pk))
        with page.expect_navigation():
            page.get_by_role("button", name="Liên kết").click()
        expect(page.locator('#tg-leaf-links tr[data-leaf="3.3"]')).to_contain_text(
            payment(plan).name
        )

        # … and imports November for every commune from Excel, through the page
        page.goto(f"{live_server.url}/quan-tri/chi-tieu-cchc/?nam=2026")
        with page.expect_navigation():
            page.get_by_role("link", name="Nhập số liệu từ Excel").click()
        page.locator('input[type="file"][name="file"]').set_input_files(str(path))
        screenshot(page, "targets-1-import")
        with page.expect_navigation():
            page.get_by_role("button", name="Nhập số liệu").click()
        expect(page.get_by_text(f"Đã nhập {len(communes)} số liệu")).to_be_visible()
        assert Value.objects.filter(indicator=payment(plan)).count() == len(communes)

        # the matrix: each commune's online payment in its colour, sign and words
        page.get_by_label("Loại đơn vị").select_option(UnitType.COMMUNE)
        with page.expect_navigation():
            page.get_by_role("button", name="Xem").click()
        column = 1 + [i.code for i in plan.indicators.all()].index(ONLINE_PAYMENT)
        for unit, status, words in (
            (cast.unit_a, "off_track", "Chậm tiến độ"),
            (cast.unit_b, "at_risk", "Có nguy cơ"),
            (
                communes[0]
                if communes[0].slug not in (cast.unit_a.slug, cast.unit_b.slug)
                else communes[-1],
                "achieved",
                "Đạt",
            ),
        ):
            cell = page.locator(f'tr[data-unit="{unit.slug}"] > td').nth(column - 1)
            expect(cell).to_have_attribute("data-status", status)
            expect(cell).to_contain_text(words)
            badge = cell.locator(".tg-cell")
            expect(badge).to_have_css("background-color", BACKGROUND[status])
        page.locator(f'tr[data-unit="{cast.unit_a.slug}"]').scroll_into_view_if_needed()
        screenshot(page, "targets-2-matrix")

        # Xã An Phú's officer finds the warning on the landing page
        sign_in(page, live_server, cast.officer_a)
        page.goto(f"{live_server.url}/quan-tri/lam-viec/")
        warning = page.locator("#cchc-work-items li", has_text="Chỉ tiêu CCHC năm 2026")
        expect(warning).to_contain_text(f"Chỉ tiêu CCHC năm 2026 – {cast.unit_a.name}")
        expect(warning).to_contain_text(f"{payment(plan).name} (chậm tiến độ)")
        screenshot(page, "targets-3-landing")

        # at year end, the self-assessment takes the figure from the indicator
        page.goto(f"{live_server.url}/quan-tri/chi-so-cchc/2026/don-vi/{cast.unit_a.slug}/")
        entry = leaf_entry(year, cast.unit_a)
        leaf = page.locator(f"#tc-{entry.pk}")
        expect(leaf).to_contain_text("bấm «Lấy số liệu từ chỉ tiêu» ở đầu trang")
        with page.expect_navigation():
            page.get_by_role("button", name="Lấy số liệu từ chỉ tiêu").click()
        expect(
            page.get_by_text("Đã lấy số liệu từ chỉ tiêu CCHC cho tiêu chí 3.3.")
        ).to_be_visible()
        expect(leaf.get_by_label("Tỷ lệ đạt được (%)")).to_have_value("40")
        expect(leaf.locator(f"#tc-{entry.pk}-source")).to_contain_text(
            f"Số liệu lấy từ Chỉ tiêu CCHC «{payment(plan).name}»: 40% (tháng 11/2026)"
        )
        expect(leaf.locator(".par-evidence")).to_contain_text("(do hệ thống tạo)")
        expect(leaf.get_by_role("link", name="Xem chuỗi số liệu của chỉ tiêu")).to_be_visible()
        leaf.scroll_into_view_if_needed()
        screenshot(page, "targets-4-self-assessment")
        assert leaf_entry(year, cast.unit_a).self_inputs == {"pct": 40}
        assert LeafPrefill.objects.get(entry=entry).value.numerator == 40
