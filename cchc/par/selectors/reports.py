"""The year's reports as the "Báo cáo" panel shows them: every kind with its latest job."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from cchc.par.models import EvaluationYear, ReportJob
from cchc.par.models.reports import data_version
from cchc.par.reports import KINDS, Kind


@dataclass(frozen=True)
class KindJob:
    kind: Kind
    filename: str  # "Báo cáo Chỉ số CCHC năm 2023.docx"
    job: ReportJob | None  # the latest requested, whatever its state
    current: bool  # a finished job built from the year's data as it is now


def report_jobs(year: EvaluationYear) -> list[KindJob]:
    """One row per kind of KINDS, in its order; one query whatever the jobs' history."""
    latest = ReportJob.objects.filter(year=year, kind=OuterRef("kind")).order_by(
        "-requested_at", "-pk"
    )
    jobs = {
        job.kind: job
        for job in ReportJob.objects.filter(year=year, pk=Subquery(latest.values("pk")[:1]))
    }
    version = data_version(year)
    out = []
    for slug, kind in KINDS.items():
        job = jobs.get(slug)
        if job is not None:
            job.year = year  # no query for job.year in templates
        out.append(
            KindJob(
                kind=kind,
                filename=kind.filename(year),
                job=job,
                current=job is not None and job.is_done and job.data_version == version,
            )
        )
    return out
