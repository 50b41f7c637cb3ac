"""Reports built in the background: request, progress, download, one job at a time.

The builders here are small fakes (the real ones are tested with their own modules):
they report progress and return bytes, or fail. Most tests run the task with the
immediate backend, after the request's commit; one runs the real database backend and
a worker started afterwards, as after a restart of the server.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cchc import settings as project_settings
from cchc.par.models import EvaluationYear, JobStatus, ReportJob
from cchc.par.models.reports import data_version, report_files
from cchc.par.reports import DOCX, KINDS
from cchc.par.selectors.reports import report_jobs
from cchc.par.services import reports as services
from cchc.par.services import results
from cchc.par.tests.reports import immediate_tasks, report_storage, run_worker
from cchc.par.tests.test_results_helpers import appraise_all
from cchc.par.tests.year import open_year

pytestmark = pytest.mark.django_db

BUILT: list[int] = []
CONTENT = b"PK\x03\x04 fake report of "


def fake_build(year, *, progress=lambda percent, text: None) -> bytes:
    BUILT.append(year.year)
    for percent, text in (
        (5, "Đang đọc kết quả"),
        (5, "Đang đọc kết quả"),
        (40, "Đang vẽ biểu đồ"),
    ):
        progress(percent, text)
    progress(80, "Đang viết các mục")
    return CONTENT + str(year.year).encode()


def failing_build(year, *, progress=lambda percent, text: None) -> bytes:
    progress(30, "Đang vẽ biểu đồ")
    raise RuntimeError("chart library exploded")


def refusing_build(year, *, progress=lambda percent, text: None) -> bytes:
    raise ValidationError("Năm này chưa có kết quả của khối xã, phường, đặc khu.")


def never_build(year, *, progress=lambda percent, text: None) -> bytes:
    raise AssertionError("a reused job must not be built again")


def _builder(monkeypatch, name: str, kind: str = "bao-cao-word") -> None:
    monkeypatch.setitem(KINDS, kind, replace(KINDS[kind], builder=f"{__name__}.{name}"))


@pytest.fixture(autouse=True)
def reports(settings, tmp_path, monkeypatch):
    """Reports stored under the test's own folder; the fake builder; the immediate backend."""
    folder = report_storage(settings, tmp_path)
    immediate_tasks(settings)
    BUILT.clear()
    for kind in KINDS:
        _builder(monkeypatch, "fake_build", kind)
    return folder


def _finalised(cast) -> EvaluationYear:
    year = open_year(actor=cast.admin, units=[cast.unit_a])
    appraise_all(year)
    return results.year_finalise(actor=cast.admin, year=year, version=year.version)


@pytest.fixture
def year(cast):
    return _finalised(cast)


def _request(client, user, year, kind="bao-cao-word", **data):
    client.force_login(user)
    return client.post(f"/quan-tri/chi-so-cchc/{year.year}/bao-cao/{kind}/", data)


def _job_url(job, suffix=""):
    return f"/quan-tri/chi-so-cchc/bao-cao/{job.pk}/{suffix}"


# -- request → built → download --------------------------------------------------------------


def test_a_request_is_queued_built_and_downloaded_with_its_name_and_type(
    client, cast, year, reports, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _request(client, cast.leader, year)
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == _job_url(job)
    assert (job.status, job.progress, job.step) == (JobStatus.DONE, 100, "Đã xong")
    assert job.requested_by == cast.leader and job.task_id
    assert job.data_version == data_version(year) and job.finished_at is not None
    assert BUILT == [year.year]
    assert (reports / job.file).read_bytes() == CONTENT + b"2026"

    download = client.get(_job_url(job, "tai-ve/"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == CONTENT + b"2026"
    assert download["Content-Type"] == DOCX
    name = "Báo cáo Chỉ số CCHC năm 2026.docx"
    assert f"filename*=UTF-8''{quote(name, safe='')}" in download["Content-Disposition"]
    assert 'filename="Bao cao Chi so CCHC nam 2026.docx"' in download["Content-Disposition"]
    assert download["Cache-Control"].startswith("private, no-store")

    page = client.get(_job_url(job)).content.decode()
    assert "Tải về “Báo cáo Chỉ số CCHC năm 2026.docx”" in page
    assert "hx-trigger" not in page.split('id="par-report-bao-cao-word"')[1].split(">")[0]


def test_each_kind_is_named_for_its_year(cast, year):
    assert KINDS["phu-luc"].filename(year) == "Phụ lục kết quả Chỉ số CCHC năm 2026.xlsx"
    assert KINDS["bao-cao-word"].filename(2023) == "Báo cáo Chỉ số CCHC năm 2023.docx"
    assert KINDS["bao-cao-pdf"].filename(2023) == "Báo cáo Chỉ số CCHC năm 2023.pdf"
    assert [k.label for k in KINDS.values()] == [
        "Phụ lục kết quả (Excel)",
        "Báo cáo (Word)",
        "Báo cáo (PDF)",
    ]


def test_progress_is_written_only_when_the_percentage_changes(cast, year):
    job = services.report_request(year=year, kind="bao-cao-word", user=cast.leader)
    with CaptureQueriesContext(connection) as queries:
        assert services.report_job_run(job_id=job.pk) == JobStatus.DONE
    updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    # claim; 5 %, 40 %, 80 % (the repeated 5 % is not written); "Đang lưu tệp"; done
    assert len(updates) == 6


# -- one job at a time ------------------------------------------------------------------------


def test_a_double_request_returns_the_same_job_and_builds_once(
    client, cast, year, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {
        **settings.TASKS,
        "background": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
    with django_capture_on_commit_callbacks(execute=True):
        first = _request(client, cast.leader, year)
        second = _request(client, cast.admin, year)
    assert first["Location"] == second["Location"]
    job = ReportJob.objects.get()
    assert job.status == JobStatus.QUEUED and DBTaskResult.objects.count() == 1
    assert str(DBTaskResult.objects.get().pk) == job.task_id


def test_a_finished_report_is_offered_again_until_the_data_changes_or_tao_lai(
    client, cast, year, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _request(client, cast.leader, year)
    done = ReportJob.objects.get()
    _builder(monkeypatch, "never_build")
    with django_capture_on_commit_callbacks(execute=True):
        again = _request(client, cast.appraiser, year)
    assert again["Location"] == _job_url(done) and ReportJob.objects.count() == 1

    _builder(monkeypatch, "fake_build")
    with django_capture_on_commit_callbacks(execute=True):
        rebuilt = _request(client, cast.leader, year, **{"tao-lai": "1"})
    assert ReportJob.objects.count() == 2 and rebuilt["Location"] != _job_url(done)
    assert BUILT == [2026, 2026]

    year = results.year_publish(actor=cast.admin, year=year)
    panel = {row.kind.slug: row for row in report_jobs(year)}
    assert panel["bao-cao-word"].job.is_done and not panel["bao-cao-word"].current
    with django_capture_on_commit_callbacks(execute=True):
        _request(client, cast.leader, year)
    assert ReportJob.objects.count() == 3 and BUILT == [2026, 2026, 2026]
    assert ReportJob.objects.first().data_version == data_version(year)


def test_the_database_refuses_a_second_active_job_of_a_year_and_kind(cast, year):
    now = timezone.now()
    fields = {"year": year, "kind": "phu-luc", "requested_at": now, "touched_at": now}
    ReportJob.objects.create(**fields, data_version="x")
    ReportJob.objects.create(**fields, data_version="x", status=JobStatus.FAILED)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportJob.objects.create(**fields, data_version="x", status=JobStatus.RUNNING)
    ReportJob.objects.create(**{**fields, "kind": "bao-cao-pdf"}, data_version="x")


# -- failures ---------------------------------------------------------------------------------


def test_a_failing_builder_marks_the_job_failed_in_vietnamese_and_nothing_is_downloadable(
    client, cast, year, reports, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    _builder(monkeypatch, "failing_build")
    with django_capture_on_commit_callbacks(execute=True):
        _request(client, cast.leader, year)
    job = ReportJob.objects.get()
    assert job.status == JobStatus.FAILED and job.progress == 30 and job.file == ""
    assert job.error.startswith("Không tạo được báo cáo (Word) do lỗi")
    assert "chart library exploded" not in job.error
    assert "chart library exploded" in caplog.text  # the traceback is in the log
    assert client.get(_job_url(job, "tai-ve/")).status_code == 404
    assert not reports.exists() or not any(reports.rglob("*.docx"))
    page = client.get(f"/quan-tri/chi-so-cchc/{year.year}/bao-cao/").content.decode()
    assert job.error in page and "Tạo lại" in page


def test_a_builder_that_refuses_shows_its_own_reason(
    client, cast, year, monkeypatch, django_capture_on_commit_callbacks
):
    _builder(monkeypatch, "refusing_build")
    with django_capture_on_commit_callbacks(execute=True):
        _request(client, cast.leader, year)
    job = ReportJob.objects.get()
    assert job.error == "Năm này chưa có kết quả của khối xã, phường, đặc khu."


def test_a_year_not_finalised_gets_a_clear_message_and_no_job(client, cast):
    year = open_year(actor=cast.admin, units=[cast.unit_a])
    response = _request(client, cast.leader, year)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Kỳ đánh giá năm 2026 chưa chốt kết quả" in page
    assert 'id="par-reports-closed"' in page and "Tạo báo cáo" not in page
    assert ReportJob.objects.count() == 0
    fragment = client.post(
        f"/quan-tri/chi-so-cchc/{year.year}/bao-cao/phu-luc/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'role="alert">Kỳ đánh giá năm 2026 chưa chốt kết quả' in fragment


def test_a_running_job_whose_worker_died_is_failed_and_can_be_requested_again(
    client, cast, year, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - dt.timedelta(hours=2)
    lost = ReportJob.objects.create(
        year=year,
        kind="bao-cao-word",
        status=JobStatus.RUNNING,
        progress=40,
        data_version=data_version(year),
        requested_at=long_ago,
        touched_at=long_ago,
    )
    waiting = ReportJob.objects.create(
        year=year,
        kind="phu-luc",
        data_version=data_version(year),
        requested_at=long_ago,
        touched_at=long_ago,
    )
    client.force_login(cast.leader)
    body = client.get(_job_url(lost), HTTP_HX_REQUEST="true").content.decode()
    assert "bị gián đoạn" in body and "Tạo lại" in body
    lost.refresh_from_db()
    assert lost.status == JobStatus.FAILED
    assert services.report_jobs_expire() == 0
    waiting.refresh_from_db()
    assert waiting.status == JobStatus.QUEUED  # a queued job waits for the next worker
    with django_capture_on_commit_callbacks(execute=True):
        _request(client, cast.leader, year, **{"tao-lai": "1"})
    assert ReportJob.objects.filter(kind="bao-cao-word", status=JobStatus.DONE).count() == 1


# -- the status fragment and the panel --------------------------------------------------------


def _running(year, kind="bao-cao-word", progress=45):
    now = timezone.now()
    return ReportJob.objects.create(
        year=year,
        kind=kind,
        status=JobStatus.RUNNING,
        progress=progress,
        step="Đang vẽ biểu đồ",
        data_version=data_version(year),
        requested_at=now,
        touched_at=now,
    )


def test_the_status_fragment_shows_the_percentage_and_polls_until_done(
    client, cast, year, django_assert_num_queries
):
    job = _running(year)
    client.force_login(cast.leader)
    client.get("/quan-tri/")  # the session and the user's roles are warm
    # what every back-office request costs (session, user, Wagtail's admin permission
    # from user and groups, Wagtail's user profile, the user's roles), then the job and its year
    with django_assert_num_queries(7):
        response = client.get(_job_url(job), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert (
        '<progress max="100" value="45"' in body
        and "<strong>45%</strong> · Đang vẽ biểu đồ" in body
    )
    assert f'hx-get="{_job_url(job)}" hx-trigger="every 1s" hx-swap="outerHTML"' in body
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, progress=100, file="x.docx")
    done = client.get(_job_url(job), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done and "Tải về" in done
    page = client.get(_job_url(job)).content.decode()
    assert 'aria-live="polite"' in page and "htmx" in page


def test_the_panel_lists_every_kind_in_one_query_whatever_the_history(
    client, cast, year, django_assert_num_queries
):
    assert [row.job for row in report_jobs(year)] == [None, None, None]
    client.force_login(cast.leader)
    client.get("/quan-tri/")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/quan-tri/chi-so-cchc/{year.year}/bao-cao/").status_code == 200
        return len(queries)

    empty = count()
    now = timezone.now()
    for n in range(20):
        ReportJob.objects.create(
            year=year,
            kind="phu-luc",
            status=JobStatus.FAILED,
            error=f"lỗi {n}",
            data_version="1-finalised",
            requested_at=now - dt.timedelta(minutes=30 - n),
            touched_at=now,
        )
    _running(year, kind="bao-cao-pdf", progress=12)
    assert count() == empty
    with django_assert_num_queries(1):
        rows = report_jobs(year)
    assert [r.kind.slug for r in rows] == ["phu-luc", "bao-cao-word", "bao-cao-pdf"]
    assert rows[0].job.error == "lỗi 19" and rows[1].job is None and rows[2].job.progress == 12
    page = client.get(f"/quan-tri/chi-so-cchc/{year.year}/bao-cao/").content.decode()
    assert "Tạo báo cáo (Word)" in page and '<progress max="100" value="12"' in page


# -- who may --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin", 200),
        ("leader", 200),
        ("appraiser", 200),
        ("officer_a", 403),
        ("unit_leader_a", 403),
        ("editor_a", 403),
        ("nobody", "sign-in"),
        ("anonymous", "sign-in"),
    ],
)
def test_reports_are_for_the_provinces_results_roles(client, cast, year, who, expected):
    job = _done(year)
    if who != "anonymous":
        client.force_login(getattr(cast, who))
    answers = [
        client.get(f"/quan-tri/chi-so-cchc/{year.year}/bao-cao/"),
        client.get(_job_url(job)),
        client.get(_job_url(job, "tai-ve/")),
        client.post(f"/quan-tri/chi-so-cchc/{year.year}/bao-cao/phu-luc/"),
    ]
    codes = [r.status_code for r in answers]
    if expected == "sign-in":
        assert codes == [302] * 4
        assert all(r["Location"].startswith(reverse("wagtailadmin_login")) for r in answers)
        assert ReportJob.objects.count() == 1
    elif expected == 403:
        assert codes == [403] * 4 and ReportJob.objects.count() == 1
    else:
        assert codes == [200, 200, 200, 302] and ReportJob.objects.count() == 2


def _done(year):
    now = timezone.now()
    return ReportJob.objects.create(
        year=year,
        kind="bao-cao-word",
        status=JobStatus.DONE,
        progress=100,
        file=report_files.save("2026/bao-cao-word-test.docx", ContentFile(b"docx")),
        data_version=data_version(year),
        requested_at=now,
        touched_at=now,
        finished_at=now,
    )


def test_a_missing_job_year_or_kind_is_not_found(client, cast, year):
    client.force_login(cast.admin)
    assert client.get(_job_url(ReportJob(pk=987654))).status_code == 404
    assert client.get("/quan-tri/chi-so-cchc/bao-cao/987654/tai-ve/").status_code == 404
    assert (
        client.post(f"/quan-tri/chi-so-cchc/{year.year}/bao-cao/bao-cao-excel/").status_code == 404
    )
    assert client.post("/quan-tri/chi-so-cchc/2031/bao-cao/phu-luc/").status_code == 404
    assert client.get("/quan-tri/chi-so-cchc/2031/bao-cao/").status_code == 404
    queued = _running(year)
    assert client.get(_job_url(queued, "tai-ve/")).status_code == 404  # not done yet
    assert client.get(f"/quan-tri/chi-so-cchc/{year.year}/bao-cao/phu-luc/").status_code == 405


# -- the real database backend and a worker started later -----------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_queued_job_survives_a_restart_and_the_next_worker_builds_it(client, cast, settings):
    settings.TASKS = project_settings.TASKS  # the real queue, as in production
    assert settings.TASKS["background"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    year = _finalised(cast)
    response = _request(client, cast.leader, year, kind="phu-luc")
    job = ReportJob.objects.get()
    assert response["Location"] == _job_url(job)
    # The web process is gone; what it asked for is rows in the database.
    assert job.status == JobStatus.QUEUED and BUILT == []
    task = DBTaskResult.objects.get()
    assert (str(task.pk), task.status, task.backend_name) == (job.task_id, "READY", "background")
    assert task.task_path == "cchc.par.tasks.report_build"

    run_worker()  # as `make run` and the systemd unit start it
    job.refresh_from_db()
    task.refresh_from_db()
    assert (job.status, job.progress) == (JobStatus.DONE, 100) and task.status == "SUCCESSFUL"
    assert BUILT == [year.year]
    download = client.get(_job_url(job, "tai-ve/"))
    assert b"".join(download.streaming_content) == CONTENT + b"2026"
    assert "Ph%E1%BB%A5%20l%E1%BB%A5c" in download["Content-Disposition"]
