"""A report of a year built in the background: the Excel appendices, the Word or PDF report.

One job at a time per year and kind is queued or running (a conditional unique
constraint): a second click, or a second leader asking for the same report, gets the
job already under way. A finished job remembers what it was built from
(``data_version``: the year's version and status), so the same file is offered again
until the year's data changes or someone asks to build it anew ("Tạo lại").
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models
from django.db.models import Q
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

from cchc.par.models.year import EvaluationYear


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang tạo"
    DONE = "done", "Đã xong"
    FAILED = "failed", "Không tạo được"


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class _ReportStorage(LazyObject):
    """settings.STORAGES["reports"], looked up when first used (and again after a test
    changes STORAGES): outside the web root, never given a public URL."""

    def _setup(self):
        self._wrapped = storages["reports"]


report_files = _ReportStorage()


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        report_files._wrapped = empty


def data_version(year: EvaluationYear) -> str:
    """What a report of `year` is built from: its version and status ("3-finalised")."""
    return f"{year.version}-{year.status}"


class ReportJobQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)


class ReportJob(models.Model):
    year = models.ForeignKey(EvaluationYear, on_delete=models.CASCADE, related_name="report_jobs")
    kind = models.CharField("loại báo cáo", max_length=32)  # a slug of cchc.par.reports.KINDS
    status = models.CharField(
        "trạng thái", max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    step = models.CharField("bước đang làm", max_length=200, blank=True)
    file = models.CharField("tệp (trong kho reports)", max_length=300, blank=True)
    data_version = models.CharField("dựng từ dữ liệu", max_length=40)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField("yêu cầu lúc")
    started_at = models.DateTimeField("bắt đầu lúc", null=True, blank=True)
    # the last sign of life from the worker (start, each percent): a running job
    # silent for REPORT_JOB_STALE_MINUTES lost its worker
    touched_at = models.DateTimeField("cập nhật lúc")
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)
    error = models.TextField("lỗi", blank=True)
    task_id = models.CharField("mã việc nền", max_length=64, blank=True)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        verbose_name = "báo cáo Chỉ số CCHC đang tạo"
        verbose_name_plural = "báo cáo Chỉ số CCHC đang tạo"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "kind"],
                condition=Q(status__in=["queued", "running"]),
                name="par_report_job_one_active",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in JobStatus]), name="par_report_job_status"
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="par_report_job_progress_max"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file=""), name="par_report_job_done_has_file"
            ),
        ]
        indexes = [models.Index(fields=["year", "kind", "-requested_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.year.year} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_done(self) -> bool:
        return self.status == JobStatus.DONE
