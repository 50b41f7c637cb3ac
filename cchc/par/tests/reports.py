"""Background reports in tests: run the queue now, or keep the tasks in the request.

The test settings keep the real "background" backend (jobs are database rows that wait
for a worker). A test that wants a job built either runs a worker as production does
(`run_worker()`, e.g. from a thread while a browser watches the progress), or sets the
backend immediate (`immediate_tasks(settings)`), so the job runs after the request's
commit (with `django_capture_on_commit_callbacks(execute=True)` in a non-transactional
test). `report_storage(settings, tmp_path)` keeps the files out of var/reports.
"""

from __future__ import annotations

from django.core.management import call_command

IMMEDIATE = {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}


def run_worker() -> None:
    """A worker started now: runs every queued job, then exits."""
    call_command(
        "db_worker",
        "--backend",
        "background",  # the default backend is the immediate one, not a queue
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        verbosity=0,
    )


def immediate_tasks(settings) -> None:
    settings.TASKS = {"default": IMMEDIATE, "background": IMMEDIATE}


def report_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "reports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "reports"), "base_url": None},
        },
    }
    return tmp_path / "reports"
