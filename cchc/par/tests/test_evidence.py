"""Evidence files: uploaded through the workspace, served only through the permission check."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cchc.par.models import Evidence, EvidenceLink
from cchc.par.services import assessment as svc
from cchc.par.tests.test_assessment import EXE, PDF, stored_files
from cchc.par.tests.year import IN_SELF, entry, open_year, participation

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(cast):
    with time_machine.travel(IN_SELF, tick=False):
        yield open_year(actor=cast.admin)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(out, "PNG")
    return out.getvalue()


def upload(cast, year, unit=None, name="ke-hoach.pdf", content=PDF):
    unit = unit or cast.unit_a
    user = cast.officer_a if unit == cast.unit_a else cast.officer_b
    return svc.evidence_upload(
        actor=user,
        participation=participation(year, unit),
        file=SimpleUploadedFile(name, content),
    )


def file_url(evidence):
    return reverse("par_evidence_file", args=[evidence.pk])


def test_a_pdf_opens_inline_with_its_checked_type_for_the_unit_and_the_council(cast, client, year):
    evidence = upload(cast, year, name="Kế hoạch CCHC.pdf")
    for user in (cast.officer_a, cast.unit_leader_a, cast.appraiser, cast.leader, cast.admin):
        client.force_login(user)
        response = client.get(file_url(evidence))
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("inline;")
        assert "K%E1%BA%BF%20ho%E1%BA%A1ch" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "private" in response["Cache-Control"]


def test_unit_b_guessing_unit_as_file_gets_404(cast, client, year):
    evidence = upload(cast, year)
    for user in (cast.officer_b, cast.editor_a):
        client.force_login(user)
        assert client.get(file_url(evidence)).status_code == 404, user
    assert client.get(reverse("par_evidence_file", args=[evidence.pk + 999])).status_code == 404
    client.logout()
    assert client.get(file_url(evidence)).status_code in (302, 404)


def test_images_open_inline_and_office_files_download(cast, client, year):
    image = upload(cast, year, name="anh.png", content=png())
    client.force_login(cast.officer_a)
    response = client.get(file_url(image))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    link = svc.news_evidence_attach(actor=cast.officer_a, entry=entry(year, cast.unit_a, "1.4.2"))
    response = client.get(file_url(link.evidence))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")


def form_post(e, content, name):
    return {
        f"ev{e.pk}-file": SimpleUploadedFile(name, content),
        f"ev{e.pk}-location": "trang 2",
    }


def test_an_upload_through_the_workspace_links_the_file_to_the_leaf(cast, client, year):
    e = entry(year, cast.unit_a, "1.4.2")
    client.force_login(cast.officer_a)
    with time_machine.travel(IN_SELF, tick=False):
        response = client.post(
            reverse("par_assessment_evidence", args=[2026, cast.unit_a.slug, e.pk]),
            form_post(e, PDF, "bao-cao.pdf"),
            follow=True,
        )
    assert "Đã gắn «bao-cao.pdf»" in response.content.decode()
    link = EvidenceLink.objects.get(entry=e)
    assert link.location == "trang 2" and link.evidence.sha256


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bao-cao.pdf", EXE, "chương trình"),
        ("rong.pdf", b"", "Tệp trống"),
        ("anh.jpg", PDF, "không phải là tệp ảnh JPG"),
    ],
)
def test_upload_attacks_through_the_workspace_are_refused_in_vietnamese(
    cast, client, year, settings, name, content, message
):
    e = entry(year, cast.unit_a, "1.4.2")
    client.force_login(cast.officer_a)
    with time_machine.travel(IN_SELF, tick=False):
        response = client.post(
            reverse("par_assessment_evidence", args=[2026, cast.unit_a.slug, e.pk]),
            form_post(e, content, name),
            follow=True,
        )
    page = response.content.decode()
    assert message in page or (message == "Tệp trống" and "trống" in page)
    assert not Evidence.objects.exists() and not EvidenceLink.objects.exists()
    assert stored_files(settings) == []


def test_an_oversized_upload_through_the_workspace_is_refused(cast, client, year, settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    e = entry(year, cast.unit_a, "1.4.2")
    client.force_login(cast.officer_a)
    with time_machine.travel(IN_SELF, tick=False):
        response = client.post(
            reverse("par_assessment_evidence", args=[2026, cast.unit_a.slug, e.pk]),
            form_post(e, PDF + b"0" * (1024 * 1024 + 1), "lon.pdf"),
            follow=True,
        )
    assert "Tệp quá lớn" in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files(settings) == []


def test_readers_may_not_upload(cast, client, year, settings):
    e = entry(year, cast.unit_a, "1.4.2")
    for user, status in [(cast.leader, 403), (cast.appraiser, 403), (cast.officer_b, 404)]:
        client.force_login(user)
        with time_machine.travel(IN_SELF, tick=False):
            response = client.post(
                reverse("par_assessment_evidence", args=[2026, cast.unit_a.slug, e.pk]),
                form_post(e, PDF, "x.pdf"),
            )
        assert response.status_code == status, user
    assert not Evidence.objects.exists()
