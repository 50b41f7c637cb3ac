"""Reports built in the background: request one, run it in the worker, expire a lost one.

- `report_request` claims the one active job of a year and kind (a conditional unique
  constraint; on SQLite and PostgreSQL alike) or returns the job already under way, or
  the finished file when the year's data has not changed since; the task is enqueued
  after the commit, so the worker never sees a job that does not exist yet.
- `report_job_run` (the task's body) moves the job queued → running → done or failed
  with conditional updates, so two workers given the same job build it once.
- A job whose worker died (killed, machine restarted) stays "running" with no sign of
  life: after REPORT_JOB_STALE_MINUTES without progress it is marked failed, the next
  time anyone requests that report or watches that job, and "Tạo lại" builds it anew.
  A queued job is never expired: it waits in the database for the next worker.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from cchc.par.models import EvaluationYear, YearStatus
from cchc.par.models.reports import (
    JobStatus,
    ReportJob,
    data_version,
    report_files,
)
from cchc.par.reports import KINDS

logger = logging.getLogger(__name__)

FAILED_TEXT = (
    "Không tạo được {label} do lỗi trong khi tạo tệp. Lỗi đã được ghi lại cho quản trị "
    "hệ thống; hãy bấm “Tạo lại” để thử lần nữa."
)
STALE_TEXT = (
    "Việc tạo {label} bị gián đoạn (máy chủ hoặc tiến trình chạy nền đã khởi động lại). "
    "Hãy bấm “Tạo lại”."
)
QUEUE_TEXT = "Không đưa được yêu cầu tạo {label} vào hàng đợi. Hãy thử lại sau ít phút."


def _label(kind: str) -> str:
    found = KINDS.get(kind)
    return found.in_sentence if found else "báo cáo"


def report_request(*, year: EvaluationYear, kind: str, user, rebuild: bool = False) -> ReportJob:
    """The job that gives `user` the `kind` report of `year`: the one under way, the
    finished one built from the same data (unless `rebuild`), or a new one, queued."""
    if kind not in KINDS:
        raise ValidationError("Không có loại báo cáo này.")
    if year.status == YearStatus.OPEN:
        raise ValidationError(
            f"Kỳ đánh giá năm {year.year} chưa chốt kết quả: chỉ tạo được báo cáo "
            "khi kết quả đã được chốt hoặc công bố."
        )
    report_jobs_expire(year=year, kind=kind)
    version = data_version(year)
    with transaction.atomic():
        active = ReportJob.objects.active().filter(year=year, kind=kind).first()
        if active is not None:
            return active
        if not rebuild:
            done = (
                ReportJob.objects.filter(
                    year=year, kind=kind, status=JobStatus.DONE, data_version=version
                )
                .order_by("-finished_at")
                .first()
            )
            if done is not None:
                return done
        now = timezone.now()
        try:
            with transaction.atomic():
                job = ReportJob.objects.create(
                    year=year,
                    kind=kind,
                    data_version=version,
                    requested_by=user if getattr(user, "pk", None) else None,
                    requested_at=now,
                    touched_at=now,
                    step="Đang chờ đến lượt",
                )
        except IntegrityError:
            # Another request claimed it between our read and our insert.
            return ReportJob.objects.active().get(year=year, kind=kind)
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from cchc.par.tasks import report_build

    try:
        result = report_build.enqueue(job_id)
    except Exception:
        logger.exception("report job %s: could not be enqueued", job_id)
        job = ReportJob.objects.filter(pk=job_id).first()
        ReportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.FAILED,
            error=QUEUE_TEXT.format(label=_label(job.kind if job else "")),
            finished_at=timezone.now(),
        )
        return
    ReportJob.objects.filter(pk=job_id).update(task_id=str(result.id))


def report_job_run(*, job_id: int) -> str:
    """Build the job's file (the task's body); returns the job's final status."""
    now = timezone.now()
    claimed = ReportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, touched_at=now, step="Đang bắt đầu"
    )
    if not claimed:
        # run already, expired, or deleted with its year: nothing to do
        logger.info("report job %s: not queued any more, skipped", job_id)
        return ""
    job = ReportJob.objects.select_related("year").get(pk=job_id)
    kind = KINDS[job.kind]
    last = [0]

    def progress(percent, text: str = "") -> None:
        percent = max(0, min(99, int(percent)))  # 100 means the file is stored
        if percent == last[0]:
            return
        last[0] = percent
        ReportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
            progress=percent, step=str(text)[:200], touched_at=timezone.now()
        )

    name = ""
    try:
        build = import_string(kind.builder)
        content = build(job.year, progress=progress)
        progress(99, "Đang lưu tệp")
        name = report_files.save(
            f"{job.year.year}/{kind.slug}-{job.pk}.{kind.extension}", ContentFile(content)
        )
    except Exception as exc:
        logger.exception("report job %s (%s %s) failed", job_id, kind.slug, job.year.year)
        if isinstance(exc, ValidationError):
            error = " ".join(exc.messages)
        else:
            error = FAILED_TEXT.format(label=kind.in_sentence)
        ReportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED, error=error, step="", finished_at=timezone.now()
        )
        return JobStatus.FAILED
    done = ReportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
        status=JobStatus.DONE, progress=100, step="Đã xong", file=name, finished_at=timezone.now()
    )
    if not done:
        # expired while we worked (silent too long): its file would belong to no one
        report_files.delete(name)
        return JobStatus.FAILED
    return JobStatus.DONE


def report_jobs_expire(*, year: EvaluationYear | None = None, kind: str | None = None) -> int:
    """Mark failed the running jobs whose worker has been silent too long."""
    cutoff = timezone.now() - dt.timedelta(minutes=settings.REPORT_JOB_STALE_MINUTES)
    stale = ReportJob.objects.filter(status=JobStatus.RUNNING, touched_at__lt=cutoff)
    if year is not None:
        stale = stale.filter(year=year)
    if kind is not None:
        stale = stale.filter(kind=kind)
    expired = 0
    for job_id, job_kind in stale.values_list("pk", "kind"):
        expired += ReportJob.objects.filter(
            pk=job_id, status=JobStatus.RUNNING, touched_at__lt=cutoff
        ).update(
            status=JobStatus.FAILED,
            error=STALE_TEXT.format(label=_label(job_kind)),
            finished_at=timezone.now(),
        )
    if expired:
        logger.warning("report jobs: %s stale running job(s) marked failed", expired)
    return expired


def report_job_is_stale(job: ReportJob) -> bool:
    cutoff = timezone.now() - dt.timedelta(minutes=settings.REPORT_JOB_STALE_MINUTES)
    return job.status == JobStatus.RUNNING and job.touched_at < cutoff
