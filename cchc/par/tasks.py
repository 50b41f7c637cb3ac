"""Background tasks of the PAR app (django-tasks; the "background" backend of
settings.TASKS, run by `manage.py db_worker --backend background`).

Tasks are thin: the work is in a service, so a test or a shell can run it directly.
Arguments are plain ids (a task's arguments are stored as JSON).
"""

from __future__ import annotations

from django_tasks import task

BACKEND = "background"


@task(backend=BACKEND)
def report_build(job_id: int) -> str:
    from cchc.par.services.reports import report_job_run

    return report_job_run(job_id=job_id)
