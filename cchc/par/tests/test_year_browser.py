"""A whole PAR year in a real browser, as new users would go through it.

Xã An Phú's officer fills leaves and uploads evidence, its leader submits; the Sở Tư pháp
appraiser appraises area 2 only (returns a leaf, accepts another); the administrator
closes round 1; the unit explains and sends; round 2 adjusts the returned leaf; the
administrator enters SIPAS, finalises and publishes; anyone reads the published score,
group and rank, exactly the engine's. A screenshot of each workspace in test-artifacts/.
"""

import random
import re
from decimal import Decimal

import pytest
import time_machine
from playwright.sync_api import expect

from cchc.lib.formats import decimal_vi, number_vi
from cchc.par.models import (
    Decision,
    Entry,
    EvidenceLink,
    ParticipationState,
    UnitResult,
    YearStatus,
)
from cchc.par.selectors import year as selectors
from cchc.par.services import assessment, results, scoring
from cchc.par.tests.helpers import leaf_input

from .year import IN_EXPLANATION, IN_ROUND1, IN_ROUND2, IN_SELF, entry, open_year, participation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BY_BROWSER = ("1.1.2", "1.4.2")  # the leaves the officer fills in the browser


def sign_in(page, live_server, user):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/quan-tri/login/")
    page.fill('input[name="username"]', user.username)
    page.fill('input[name="password"]', user.raw_password)
    with page.expect_navigation():
        page.locator('input[name="password"]').press("Enter")
    expect(page.locator('input[name="password"]')).to_have_count(0)


def fill(user, year, unit, *, seed, skip=()):
    """Every fillable leaf of `unit` saved through the service (with a note, so none
    lacks evidence or explanation), except `skip`."""
    rng = random.Random(seed)
    for row in selectors.workspace(participation(year, unit)):
        if not row.fillable or row.node.code in skip:
            continue
        fake = type("N", (), {"rule": row.node.rule, "max": row.node.max_points})
        assessment.entry_self_save(
            actor=user,
            entry=Entry.objects.select_related(
                "node", "participation__year", "participation__unit"
            ).get(pk=row.entry.pk),
            inputs=leaf_input(fake, rng),
            note="Có báo cáo kèm theo",
            version=row.entry.version,
        )


def submit(user, year, unit):
    p = participation(year, unit)
    assessment.assessment_submit(actor=user, participation=p, version=p.version)


def test_a_whole_year_from_self_assessment_to_the_published_rank(
    cast, live_server, page, screenshot
):
    units = [cast.unit_a, cast.unit_b, cast.snv]  # two communes (so a rank means something)
    with time_machine.travel(IN_SELF, tick=False):
        year = open_year(actor=cast.admin, units=units)
        # Not what this test is about: the other leaves of Xã An Phú, and the other two
        # units' whole self-assessments, are filled (and those two submitted) through the
        # services (cchc.par.services.assessment.entry_self_save / assessment_submit).
        fill(cast.officer_a, year, cast.unit_a, seed=1, skip=BY_BROWSER)
        fill(cast.officer_b, year, cast.unit_b, seed=2)
        submit(cast.admin, year, cast.unit_b)
        fill(cast.admin, year, cast.snv, seed=3)
        submit(cast.admin, year, cast.snv)

    pct, binary = (entry(year, cast.unit_a, code) for code in BY_BROWSER)
    pct_points = scoring.leaf_points(pct.node, {"pct": 85})
    workspace = f"{live_server.url}/quan-tri/chi-so-cchc/2026/don-vi/xa-an-phu/"

    # 1. self-assessment: the officer fills two leaves, uploads a PDF and links it
    with time_machine.travel(IN_SELF, tick=False):
        sign_in(page, live_server, cast.officer_a)
        page.goto(workspace)
        expect(page.locator("#par-state")).to_have_text("Đang tự đánh giá")
        leaf = page.locator(f"#tc-{pct.pk}")
        leaf.get_by_label("Tỷ lệ đạt được (%)").fill("85")
        expect(leaf.locator(f"#points-{pct.pk}")).to_have_text(number_vi(pct_points))
        leaf.get_by_label("Thuyết minh").fill("Báo cáo tự kiểm tra quý IV")
        leaf.get_by_role("button", name="Lưu", exact=True).click()
        expect(page.locator(f"#tc-{pct.pk}")).to_contain_text("Đã lưu")

        leaf = page.locator(f"#tc-{binary.pk}")
        leaf.get_by_label("Đạt", exact=True).check()
        expect(leaf.locator(f"#points-{binary.pk}")).to_have_text("0,5")
        leaf.get_by_role("button", name="Lưu", exact=True).click()
        leaf = page.locator(f"#tc-{binary.pk}")
        expect(leaf).to_contain_text("Đã lưu")
        expect(leaf).to_contain_text("Thiếu tài liệu")
        leaf.get_by_text("Thêm tài liệu kiểm chứng").click()
        leaf.get_by_label("Tải lên tệp mới").set_input_files(
            files=[{"name": "chuyen-muc-cchc.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        leaf.get_by_label("Vị trí trong tài liệu (trang, mục)").fill("trang 2, mục I")
        with page.expect_navigation():
            leaf.get_by_role("button", name="Gắn tài liệu").click()
        leaf = page.locator(f"#tc-{binary.pk}")
        expect(leaf.get_by_role("link", name="chuyen-muc-cchc.pdf")).to_be_visible()
        expect(leaf).to_contain_text("trang 2, mục I")
        expect(leaf).not_to_contain_text("Thiếu tài liệu")
        expect(page.get_by_role("button", name="Gửi bản tự đánh giá để thẩm định")).to_have_count(0)
        page.locator(f"#tc-{binary.pk}").scroll_into_view_if_needed()
        screenshot(page, "par-year-1-workspace")

        # 2. the leader submits
        sign_in(page, live_server, cast.unit_leader_a)
        page.goto(workspace)
        send = page.get_by_role("button", name="Gửi bản tự đánh giá để thẩm định")
        expect(send).to_be_enabled()
        with page.expect_navigation():
            send.click()
        expect(page.locator("#par-state")).to_contain_text("Đã gửi, chờ thẩm định")
        screenshot(page, "par-year-2-submitted")

    a = participation(year, cast.unit_a)
    assert a.state == ParticipationState.SUBMITTED and a.submitted_by == cast.unit_leader_a
    linked = EvidenceLink.objects.get(entry=binary, removed_at__isnull=True)
    assert linked.location == "trang 2, mục I" and linked.evidence.ext == "pdf"
    assert entry(year, cast.unit_a, "1.1.2").self_points == pct_points

    # 3. round 1: Sở Tư pháp appraises area 2 only; the administrator closes the round
    returned, accepted = entry(year, cast.unit_a, "2.2"), entry(year, cast.unit_a, "2.1")
    with time_machine.travel(IN_ROUND1, tick=False):
        sign_in(page, live_server, cast.appraiser)
        page.goto(f"{live_server.url}/quan-tri/chi-so-cchc/2026/tham-dinh/")
        links = page.locator("table.par-matrix td a")
        area2 = page.locator('table.par-matrix td[data-area="2"] a')
        expect(page.locator('tr[data-unit="xa-an-phu"] td[data-area="2"] a')).to_be_visible()
        expect(area2).to_have_count(len(units))
        expect(links).to_have_count(len(units))
        page.locator('tr[data-unit="xa-an-phu"] td[data-area="2"] a').click()
        expect(page.locator(f"#tc-{returned.pk}")).to_be_visible()
        expect(page.locator(f"#tc-{entry(year, cast.unit_a, '1.4.2').pk}")).to_have_count(0)

        leaf = page.locator(f"#tc-{returned.pk}")
        leaf.get_by_label("Đề nghị giải trình, bổ sung").check()
        leaf.get_by_label("Ý kiến thẩm định").fill("Chưa có biên bản rà soát")
        leaf.get_by_role("button", name="Lưu tiêu chí 2.2").click()
        expect(page.locator(f"#tc-{returned.pk}")).to_contain_text("Đã lưu kết quả thẩm định")
        leaf = page.locator(f"#tc-{accepted.pk}")
        leaf.get_by_label("Đồng ý kết quả tự chấm").check()
        leaf.get_by_role("button", name="Lưu tiêu chí 2.1").click()
        expect(page.locator(f"#tc-{accepted.pk}")).to_contain_text("Đã lưu kết quả thẩm định")
        page.locator(f"#tc-{returned.pk}-title").scroll_into_view_if_needed()
        screenshot(page, "par-year-3-appraisal")
        # the appraiser may not open another area
        response = page.goto(f"{live_server.url}/quan-tri/chi-so-cchc/2026/tham-dinh/xa-an-phu/1/")
        assert response.status == 403

        sign_in(page, live_server, cast.admin)
        page.goto(f"{live_server.url}/quan-tri/chi-so-cchc/2026/tham-dinh/")
        with page.expect_navigation():
            page.get_by_role("link", name="Kết thúc thẩm định vòng 1").click()
        expect(page.locator("main")).to_contain_text("Xã An Phú")
        with page.expect_navigation():
            page.get_by_role("button", name="Xác nhận kết thúc vòng 1").click()
        row = page.locator('tr[data-unit="xa-an-phu"]')
        expect(row).to_contain_text("Trả lại để giải trình")
        screenshot(page, "par-year-3-round1-closed")

    returned.refresh_from_db()
    accepted.refresh_from_db()
    assert returned.r1_decision == Decision.RETURNED and returned.r1_by == cast.appraiser
    assert accepted.r1_decision == Decision.ACCEPTED
    assert participation(year, cast.unit_a).state == ParticipationState.RETURNED
    assert participation(year, cast.unit_b).state == ParticipationState.APPRAISED
    assert participation(year, cast.snv).state == ParticipationState.APPRAISED

    # 4. explanation: the officer explains, the leader sends
    explanation = f"{live_server.url}/quan-tri/chi-so-cchc/2026/don-vi/xa-an-phu/giai-trinh/"
    with time_machine.travel(IN_EXPLANATION, tick=False):
        sign_in(page, live_server, cast.officer_a)
        page.goto(explanation)
        leaf = page.locator(f"#tc-{returned.pk}")
        expect(leaf).to_contain_text("Chưa có biên bản rà soát")
        leaf.get_by_label("Nội dung giải trình").fill("Đã bổ sung biên bản rà soát ngày 10/4")
        leaf.get_by_label("Tài liệu bổ sung").select_option(label="chuyen-muc-cchc.pdf")
        leaf.get_by_label("Vị trí trong tài liệu").fill("trang 3")
        with page.expect_navigation():
            leaf.get_by_role("button", name="Lưu giải trình tiêu chí 2.2").click()
        expect(page.get_by_label("Nội dung giải trình")).to_have_value(
            "Đã bổ sung biên bản rà soát ngày 10/4"
        )

        sign_in(page, live_server, cast.unit_leader_a)
        page.goto(explanation)
        with page.expect_navigation():
            page.get_by_role("button", name="Gửi giải trình đến Hội đồng thẩm định").click()
        expect(page.locator("#par-state")).to_have_text("Đã giải trình, thẩm định vòng 2")
        screenshot(page, "par-year-4-explanation")
    assert participation(year, cast.unit_a).state == ParticipationState.EXPLAINED

    # 5. round 2: the appraiser reads the explanation beside round 1 and adjusts
    with time_machine.travel(IN_ROUND2, tick=False):
        sign_in(page, live_server, cast.appraiser)
        page.goto(f"{live_server.url}/quan-tri/chi-so-cchc/2026/tham-dinh/xa-an-phu/2/")
        leaf = page.locator(f"#tc-{returned.pk}")
        expect(leaf).to_contain_text("Đề nghị giải trình, bổ sung")
        expect(leaf).to_contain_text("Chưa có biên bản rà soát")
        expect(leaf).to_contain_text("Đã bổ sung biên bản rà soát ngày 10/4")
        leaf.get_by_label("Điều chỉnh điểm").check()
        leaf.get_by_label("Điểm thẩm định").fill("0,75")
        leaf.get_by_label("Ý kiến thẩm định").fill("Biên bản chưa đủ chữ ký; chấm một nửa")
        leaf.get_by_role("button", name="Lưu tiêu chí 2.2").click()
        leaf = page.locator(f"#tc-{returned.pk}")
        expect(leaf).to_contain_text("Đã lưu kết quả thẩm định")
        expect(leaf).to_contain_text("0,75 điểm")
        expect(leaf.get_by_role("link", name="chuyen-muc-cchc.pdf")).to_be_visible()
        page.locator(f"#tc-{returned.pk}-title").scroll_into_view_if_needed()
        screenshot(page, "par-year-5-round2")
    returned.refresh_from_db()
    assert returned.r2_decision == Decision.ADJUSTED and returned.r2_points == Decimal("0.75")
    assert participation(year, cast.unit_a).state == ParticipationState.APPRAISED

    # 6. the administrator: SIPAS (Xã An Phú in the browser, the others by service),
    # then finalise and publish on the results review page
    with time_machine.travel(IN_ROUND2, tick=False):
        for unit, index in ((cast.unit_b, "78.5"), (cast.snv, "91")):
            results.survey_index_set(
                actor=cast.admin, participation=participation(year, unit), index=index
            )
        sign_in(page, live_server, cast.admin)
        page.goto(f"{live_server.url}/quan-tri/chi-so-cchc/2026/sipas/")
        row = page.locator("#par-survey-table tbody tr", has_text="Xã An Phú").first
        row.get_by_label("Chỉ số SIPAS của Xã An Phú").fill("86,25")
        with page.expect_navigation():
            row.get_by_role("button", name="Lưu").click()
        expect(page.locator(".messages")).to_contain_text("Đã lưu chỉ số SIPAS của Xã An Phú")

        year.refresh_from_db()
        engine = scoring.compute_year(year)  # what the public must show, before finalising
        mine = engine.units[str(cast.unit_a.pk)]
        ranked = next(r for r in engine.ranking if r.unit_id == str(cast.unit_a.pk))
        communes = [
            r for r in engine.ranking if r.unit_id in {str(cast.unit_a.pk), str(cast.unit_b.pk)}
        ]
        assert not mine.missing

        page.goto(f"{live_server.url}/quan-tri/chi-so-cchc/2026/ket-qua/")
        with page.expect_navigation():
            page.get_by_role("button", name="Chốt kết quả năm 2026").click()
        expect(page.locator("#par-year-status")).to_have_text("Đã chốt kết quả")
        with page.expect_navigation():
            page.get_by_role("button", name="Công bố kết quả năm 2026").click()
        expect(page.locator("#par-year-status")).to_have_text(re.compile("công bố", re.I))
        screenshot(page, "par-year-6-results")
    year.refresh_from_db()
    assert year.status == YearStatus.PUBLISHED
    stored = UnitResult.objects.get(year=year, unit=cast.unit_a)
    assert stored.total == mine.total and stored.group == mine.group
    assert stored.rank == ranked.rank

    # 7. anyone: the public pages give the engine's score, group and rank
    total = decimal_vi(mine.total)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/chi-so-cchc/2026/")
    rank_table = page.locator(f"#par-rank-commune-{mine.group}")
    row = rank_table.locator("tbody tr", has_text="Xã An Phú")
    expect(row.locator("td").first).to_have_text(str(ranked.rank))
    expect(row.locator("td").nth(1)).to_have_text(total)
    with page.expect_navigation():
        row.get_by_role("link", name="Xã An Phú").click()
    expect(page.locator("#par-unit-total")).to_have_text(total)
    expect(page.locator("#par-unit-group")).to_have_text(mine.group)
    expect(page.locator("#par-unit-rank")).to_contain_text(f"{ranked.rank}/{len(communes)}")
    screenshot(page, "par-year-7-public")
