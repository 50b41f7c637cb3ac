"""Paper forms: one A4 form per sampled respondent, its code, a QR code of its link."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import segno

from cchc.sipas import paper

from .collect_helpers import make_sample, make_survey

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "phieu.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_the_link_is_absolute_and_the_qr_code_carries_it(settings):
    settings.BASE_URL = "https://cchc.angiang.gov.vn"
    link = paper.online_link("7KQ4M9XA")
    assert link == "https://cchc.angiang.gov.vn/khao-sat/7KQ4M9XA/"
    qr = paper.qr_code(link)
    # the QR code's own content, as segno encoded it
    assert qr.designator.startswith(("1", "2", "3", "4", "5"))  # a small QR code
    reference = segno.make_qr(link, error="m")
    assert qr.matrix == reference.matrix
    uri = paper.qr_data_uri(link)
    assert uri == reference.svg_data_uri(scale=4, border=2, dark="#000")
    assert uri.startswith("data:image/svg+xml")
    # another link gives another code
    assert paper.qr_code(paper.online_link("7KQ4M9XB")).matrix != qr.matrix


def test_one_unit_s_forms_carry_codes_items_and_no_contact_data(cast, tmp_path):
    survey = make_survey()
    respondents = make_sample(survey, cast.snv, n=3, reserve=1)
    sampled = [r for r in respondents if not r.reserve]
    html = paper.render_html(survey, cast.snv, sampled)
    for r in sampled:
        assert f'id="phieu-{r.code}"' in html
        assert paper.qr_data_uri(paper.online_link(r.code)) in html
    text = pdf_text(paper.render_pdf(survey, cast.snv, sampled), tmp_path)
    for r in sampled:
        assert r.code in text
    assert "Sở Nội vụ" in text
    assert "Công chức có thái độ giao tiếp lịch sự" in text  # an item of the standard form
    assert "Trình độ học vấn" in text and "Góp ý" not in text.split("Mã phiếu")[0]
    assert "Rất không" in text and "Bình" in text  # the scale over the boxes
    # no contact data at all: the post office addresses the envelopes
    for r in respondents:
        assert r.case.contact_name not in text
        assert r.case.contact_address not in text
        assert r.case.contact_phone not in text
    assert respondents[-1].code not in text  # the reserve's form is not printed


def test_the_commune_form_is_the_short_one(cast, tmp_path):
    survey = make_survey()
    (r,) = make_sample(survey, cast.unit_a, n=1, reserve=0)
    text = pdf_text(paper.render_pdf(survey, cast.unit_a, [r]), tmp_path)
    assert "mẫu rút gọn cấp xã" in text and r.code in text
    assert "Công chức có thái độ giao tiếp lịch sự" not in text


def test_one_print_batch_of_a_big_unit_is_one_page_per_form(cast, tmp_path):
    """A 400-respondent unit prints in batches of PRINT_BATCH forms, one page each."""
    from cchc.sipas.views.collect import PRINT_BATCH

    survey = make_survey()
    respondents = make_sample(survey, cast.snv, n=PRINT_BATCH, reserve=0)
    data = paper.render_pdf(survey, cast.snv, respondents)
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    # one A4 page per form, the full standard form's texts included (the time a batch
    # takes is measured by the bench, not asserted here)
    assert text.count("\f") == PRINT_BATCH
