"""Issue 11's acceptance, in a real browser, as new users would go through it.

Sở Nội vụ's administrator imports Xã An Phú's completed cases through the import page,
draws its sample, starts collecting and prints the forms (the PDF carries every code).
Two survey operators key paper forms twice; one mistake is caught as a mismatch and
resolved. A respondent answers online on a phone-sized screen through the link of the
QR code, and axe finds no WCAG 2.1 AA violation on the way. The administrator feeds
the results into the 2026 PAR year, and the unit's index and points appear in area 9
of its PAR result. Screenshots in test-artifacts/.
"""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from cchc.lib.formats import number_vi
from cchc.par.models import Entry, Method
from cchc.par.tests.test_year_browser import sign_in
from cchc.par.tests.year import open_year
from cchc.sipas import paper
from cchc.sipas.models import Channel, Respondent, Response, Survey
from cchc.sipas.tests import factories as f

from .collect_helpers import make_operator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def no_axe_violations(page) -> None:
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()


def key_form(page, respondent, values: dict[str, str]) -> None:
    """The operator's keyboard: the code, then each box in tab order, Enter to save."""
    page.locator("#id_code").fill(respondent.code)
    for code in respondent.questionnaire.item_codes:
        page.locator(f'[name="item_{code}"]').fill(values.get(code, "4"))
    page.locator('[name="profile_sex"]').fill("1")
    page.locator('[name="profile_age"]').fill("3")
    page.locator('[name="profile_education"]').fill("4")
    with page.expect_navigation():
        page.locator('[name="profile_education"]').press("Enter")


def test_from_cases_to_area_9_through_paper_and_online_forms(
    cast, live_server, browser, page, screenshot, tmp_path
):
    par_year = open_year(actor=cast.admin, year=2026)
    survey = f.make_survey(2026)
    Survey.objects.filter(pk=survey.pk).update(
        answers_until=datetime.date.today() + datetime.timedelta(days=30)
    )
    unit = cast.unit_a
    cases = tmp_path / "ho-so.xlsx"
    cases.write_bytes(f.xlsx(f.case_rows(survey, unit, 6)))
    page.set_viewport_size(DESKTOP)

    # Sở Nội vụ: import the cases, draw the sample, start collecting, print the forms
    sign_in(page, live_server, cast.admin)
    page.goto(f"{live_server.url}/quan-tri/khao-sat-sipas/2026/nhap-ho-so/")
    page.locator('input[type="file"]').set_input_files(str(cases))
    with page.expect_navigation():
        page.get_by_role("button", name="Nhập hồ sơ").click()
    expect(page.get_by_text("Đã nhập 6 hồ sơ.")).to_be_visible()
    row = page.locator(f'#sipas-overview tr[data-unit="{unit.code}"]')
    with page.expect_navigation():
        row.get_by_role("button", name="Chọn mẫu").click()
    expect(page.get_by_text(re.compile(f"Đã chọn mẫu {unit.name}"))).to_be_visible()
    screenshot(page, "sipas-1-sample")
    page.goto(f"{live_server.url}/quan-tri/khao-sat-sipas/2026/thiet-lap/")
    with page.expect_navigation():
        page.get_by_role("button", name="Bắt đầu thu phiếu").click()
    page.goto(f"{live_server.url}/quan-tri/khao-sat-sipas/2026/thu-phieu/")
    expect(page.locator("#sp-survey-status")).to_have_text("Đang thu phiếu")
    sampled = list(
        Respondent.objects.filter(unit=unit, reserve=False)
        .select_related("questionnaire")
        .order_by("position")
    )
    assert len(sampled) >= 3
    with page.expect_download() as info:
        page.locator(f"#sp-unit-{unit.slug}").get_by_role("link", name=re.compile("PDF")).click()
    pdf = tmp_path / "phieu.pdf"
    info.value.save_as(pdf)
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True
        ).stdout
        for r in sampled:
            assert r.code in text
        assert "Nguyễn Văn Thử" not in text  # no contact data on the forms
    screenshot(page, "sipas-2-collect")

    # two operators key two forms; the second keying of the second form has a slip
    one, two = make_operator("nhapphieu.mot"), make_operator("nhapphieu.hai")
    first, second, online = sampled[0], sampled[1], sampled[2]
    entry_url = f"{live_server.url}/quan-tri/khao-sat-sipas/2026/thu-phieu/{unit.slug}/nhap/"
    sign_in(page, live_server, one)
    page.goto(entry_url)
    expect(page.locator("#id_code")).to_be_focused()
    key_form(page, first, {})
    expect(page.get_by_text(f"Đã nhập lần 1 phiếu {first.code}")).to_be_visible()
    key_form(page, second, {"2.1": "5"})
    screenshot(page, "sipas-3-entry")
    sign_in(page, live_server, two)
    page.goto(entry_url)
    key_form(page, first, {})
    expect(page.get_by_text(re.compile(f"Phiếu {first.code}: lần 2 khớp"))).to_be_visible()
    key_form(page, second, {"2.1": "3"})
    expect(page.get_by_text(re.compile(f"Phiếu {second.code}: lần 2 không khớp"))).to_be_visible()
    assert Response.objects.filter(respondent=first, channel=Channel.PAPER).exists()
    assert not Response.objects.filter(respondent=second).exists()

    # Sở Nội vụ looks at the paper and resolves it
    sign_in(page, live_server, cast.admin)
    page.goto(f"{live_server.url}/quan-tri/khao-sat-sipas/2026/thu-phieu/khong-khop/")
    mismatch = page.locator(f"#sp-mismatch-{second.code}")
    expect(mismatch).to_contain_text("Câu 2.1: 5 / 3")
    with page.expect_navigation():
        mismatch.get_by_role("link", name="Đối chiếu").click()
    expect(page.locator("tr.sp-differs")).to_have_count(1)
    page.locator('[name="item_2.1"]').fill("5")
    screenshot(page, "sipas-4-resolve")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Ghi nhận phiếu")).click()
    expect(page.get_by_text(f"Đã đối chiếu và ghi nhận phiếu {second.code}.")).to_be_visible()
    assert Response.objects.get(respondent=second).answers["2.1"] == 5

    # a respondent on a phone, by the link the form's QR code carries
    link = paper.online_link(online.code).replace(
        paper.public_url("/").rstrip("/"), live_server.url
    )
    forms_html = paper.render_html(survey, unit, [online])
    assert paper.qr_data_uri(paper.online_link(online.code)) in forms_html
    assert paper.qr_code(paper.online_link(online.code)).matrix == (
        paper.segno.make_qr(paper.online_link(online.code), error="m").matrix
    )
    phone = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport=PHONE, has_touch=True
    )
    mobile = phone.new_page()
    mobile.goto(link)
    expect(mobile.get_by_text("Bước 1 trên")).to_be_visible()
    no_axe_violations(mobile)
    screenshot(mobile, "sipas-5-online-step1")
    steps = online.questionnaire.elements
    for number, element in enumerate(steps, start=1):
        for item in element["items"]:
            value = "2" if item["code"] == "1.1" else "5"
            choice = mobile.locator(f"#cau-{item['code'].replace('.', '-')}-{value}")
            if number == 3:  # each choice saved as it is made, before the step is sent
                with mobile.expect_response(lambda r: r.status == 204):
                    choice.check()
            else:
                choice.check()
        if number == 3:
            mobile.goto(link)
            expect(mobile.get_by_text("Bước 3 trên")).to_be_visible()
            first_item = element["items"][0]["code"].replace(".", "-")
            expect(mobile.locator(f"#cau-{first_item}-5")).to_be_checked()
        if number == 2:
            # the signal drops: the link opened again shows where the respondent was
            with mobile.expect_navigation():
                mobile.get_by_role("button", name="Lưu và tiếp tục").click()
            mobile.goto(link)
            expect(mobile.get_by_text(f"Bước {number + 1} trên")).to_be_visible()
            continue
        with mobile.expect_navigation():
            mobile.get_by_role("button", name="Lưu và tiếp tục").click()
    assert mobile.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    mobile.get_by_label("Nữ").check()
    mobile.get_by_label(re.compile("Ông/Bà có góp ý")).fill("Nên có thêm ghế chờ.")
    no_axe_violations(mobile)
    screenshot(mobile, "sipas-6-online-last")
    with mobile.expect_navigation():
        mobile.get_by_role("button", name="Gửi phiếu").click()
    expect(mobile.get_by_role("heading", name=re.compile("Cảm ơn"))).to_be_visible()
    no_axe_violations(mobile)
    screenshot(mobile, "sipas-7-online-thanks")
    phone.close()
    response = Response.objects.get(respondent=online)
    assert response.channel == Channel.ONLINE and response.answers["1.1"] == 2

    # the results, fed into area 9 of the unit's PAR result
    page.goto(f"{live_server.url}/quan-tri/khao-sat-sipas/2026/ket-qua/")
    with page.expect_navigation():
        page.locator("#sipas-feed-button").click()
    screenshot(page, "sipas-8-results")
    leaves = list(
        Entry.objects.filter(
            participation__year=par_year, participation__unit=unit, node__method=Method.SURVEY
        ).select_related("node")
    )
    assert leaves and all(e.self_points is not None for e in leaves)
    index = leaves[0].self_inputs["index"]
    page.goto(f"{live_server.url}/quan-tri/khao-sat-sipas/2026/ket-qua/don-vi/{unit.slug}/")
    shown = page.locator("#sipas-unit-index")
    expect(shown).to_contain_text("%")
    assert shown.inner_text().split()[0].replace(",", ".") == f"{float(index):.2f}"
    page.goto(f"{live_server.url}/quan-tri/chi-so-cchc/2026/don-vi/{unit.slug}/ket-qua/")
    tree = page.locator("#par-unit-tree")
    for leaf in leaves:
        row = tree.locator("tr", has=page.locator(f"td:text-is('{leaf.node.code}')"))
        expect(row).to_contain_text(number_vi(leaf.self_points))
    screenshot(page, "sipas-9-par-area-9")
