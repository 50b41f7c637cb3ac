"""The year's reports, built in the background (/quan-tri/chi-so-cchc/…/bao-cao/…).

- the "Báo cáo" panel of a year (every kind: a button, the job under way, or the
  file) — its own page here, and the partial par/_report_jobs.html that the
  dashboard includes;
- the request (POST): the job already under way or a file built from the same data
  is returned instead of a second build;
- a job's state, polled by HTMX every second while it is queued or running;
- the download, from storage "reports" (never served by the web server).

All of it is VIEW_PAR_RESULTS (Sở Nội vụ, provincial leaders, appraisers): a unit's
own people get 403, as for the other province-wide results screens.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from cchc import access
from cchc.access import Action
from cchc.lib.downloads import content_disposition
from cchc.lib.forms import flash_validation_error
from cchc.par.models import EvaluationYear, JobStatus, ReportJob
from cchc.par.models.reports import data_version, report_files
from cchc.par.reports import KINDS
from cchc.par.selectors.reports import report_jobs
from cchc.par.services import reports as services


def _year(number: int) -> EvaluationYear:
    found = EvaluationYear.objects.filter(year=number).first()
    if found is None:
        raise Http404("Không có kỳ đánh giá năm này.")
    return found


def _job(pk: int) -> ReportJob:
    job = ReportJob.objects.select_related("year").filter(pk=pk).first()
    if job is None or job.kind not in KINDS:
        raise access.not_found()
    return job


def _job_context(job: ReportJob, **extra) -> dict:
    return {
        "year": job.year,
        "kind": KINDS[job.kind],
        "filename": KINDS[job.kind].filename(job.year),
        "job": job,
        "current": job.is_done and job.data_version == data_version(job.year),
        **extra,
    }


def reports_page(request, year: int):
    access.require(request.user, Action.VIEW_PAR_RESULTS)
    evaluation_year = _year(year)
    return render(
        request,
        "par/reports.html",
        {
            "year": evaluation_year,
            "jobs": report_jobs(evaluation_year),
            "page_title": f"Báo cáo Chỉ số CCHC năm {evaluation_year.year}",
        },
    )


@require_POST
def report_request(request, year: int, kind: str):
    access.require(request.user, Action.VIEW_PAR_RESULTS)
    evaluation_year = _year(year)
    if kind not in KINDS:
        raise access.not_found()
    try:
        job = services.report_request(
            year=evaluation_year,
            kind=kind,
            user=request.user,
            rebuild=request.POST.get("tao-lai") == "1",
        )
    except ValidationError as exc:
        if request.htmx:
            found = KINDS[kind]
            context = {
                "year": evaluation_year,
                "kind": found,
                "filename": found.filename(evaluation_year),
                "job": None,
            }
            return render(request, "par/_report_job.html", {**context, "errors": exc.messages})
        flash_validation_error(request, exc)
        return redirect("par_reports", year=year)
    if request.htmx:
        return render(request, "par/_report_job.html", _job_context(job))
    return redirect("par_report_job", pk=job.pk)


def report_job(request, pk: int):
    """A job's state: the whole page, or (HTMX) the fragment that replaces itself."""
    access.require(request.user, Action.VIEW_PAR_RESULTS)
    job = _job(pk)
    if services.report_job_is_stale(job):
        services.report_jobs_expire(year=job.year, kind=job.kind)
        job.refresh_from_db()
    if request.htmx:
        return render(request, "par/_report_job.html", _job_context(job))
    kind = KINDS[job.kind]
    title = f"{kind.label} năm {job.year.year}"
    return render(request, "par/report_job.html", _job_context(job, page_title=title))


def report_download(request, pk: int):
    access.require(request.user, Action.VIEW_PAR_RESULTS)
    job = _job(pk)
    if job.status != JobStatus.DONE:
        raise access.not_found()
    kind = KINDS[job.kind]
    try:
        handle = report_files.open(job.file, "rb")
    except OSError:
        raise access.not_found() from None
    response = FileResponse(handle, content_type=kind.content_type)
    response["Content-Disposition"] = content_disposition(kind.filename(job.year))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("chi-so-cchc/<int:year>/bao-cao/", reports_page, name="par_reports"),
    path("chi-so-cchc/<int:year>/bao-cao/<slug:kind>/", report_request, name="par_report_request"),
    path("chi-so-cchc/bao-cao/<int:pk>/", report_job, name="par_report_job"),
    path("chi-so-cchc/bao-cao/<int:pk>/tai-ve/", report_download, name="par_report_download"),
]
