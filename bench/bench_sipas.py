"""A SIPAS survey's results for 100,000 answers across the province.

Run by `make bench` (bench/run.py) or alone: python bench/bench_sipas.py.

For each database (SQLite always, PostgreSQL when it answers on 127.0.0.1:5432) a
child process builds a scratch database: the real units (load_units), then two surveys
over the 115 departments and communes, 2025 with 10,000 answers and 2026 with 100,000
(cases, current draws, respondents and responses written in bulk by
``cchc.sipas.tests.results_helpers.bulk_survey``: the bench measures reading results,
not collecting them). It times ``survey_results`` (the product's
selector: every unit's tallies, indices, rates, margins, the unit types' means), best
of REPEAT, with its query count, for both surveys and both ways of counting answers:
the Python scan of the answers JSON the product uses and the SQL aggregate over the
JSON it was compared with. The figure is the ratio of the 100,000 to the 10,000 time
of the same run: close to 10 means linear in the answers; the engine alone over
pre-counted tallies is printed too (the fixed part). On SQLite it also times one print
batch of paper forms against a single form.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

REPEAT = 3
ANSWERS = {2025: 10_000, 2026: 100_000}
SQLITE_PATH = ROOT / "var" / "bench-sipas.sqlite3"
PG_NAME = "cchc_bench_sipas"


def _child(backend: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cchc.org.models import Unit, UnitType
    from cchc.sipas import engine
    from cchc.sipas import selectors_results as sr
    from cchc.sipas.tests.results_helpers import bulk_survey

    call_command("migrate", verbosity=0)
    call_command("load_units", stdout=open(os.devnull, "w"))  # noqa: SIM115
    units = list(
        Unit.objects.filter(unit_type__in=[UnitType.DEPARTMENT, UnitType.COMMUNE]).order_by("pk")
    )
    start = time.perf_counter()
    surveys = {year: bulk_survey(year, units, n) for year, n in ANSWERS.items()}
    print(
        f"{backend}: built {sum(ANSWERS.values()):,} answers over {len(units)} units "
        f"in {time.perf_counter() - start:.0f} s"
    )
    small_year, large_year = ANSWERS
    for name, counter in (("scan", sr.tallies_by_scan), ("sql", sr.tallies_in_sql)):
        best, queries = {}, {}
        for _ in range(REPEAT):
            for year, survey in surveys.items():
                connection.queries_log.clear()
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    results = sr.survey_results(survey, counter=counter)
                    elapsed = time.perf_counter() - start
                best[year] = min(best.get(year, float("inf")), elapsed)
                queries[year] = len(captured)
                assert sum(r.result.responses for r in results.rows) == ANSWERS[year]
        small, large = best[small_year], best[large_year]
        print(
            f"{backend}: results ({name}): {ANSWERS[small_year]:,} answers "
            f"{small * 1000:.0f} ms ({queries[small_year]} queries), "
            f"{ANSWERS[large_year]:,} answers {large * 1000:.0f} ms "
            f"({queries[large_year]} queries), ratio {large / small:.1f} "
            f"(10 = linear; best of {REPEAT})"
        )
    # the engine alone, over the tallies of the large survey: the part that does not scale
    results = sr.survey_results(surveys[large_year])
    inputs = [
        engine.UnitInput(
            str(r.unit.pk),
            r.unit.unit_type,
            r.form,
            {i.code: (i.valid, i.satisfied) for i in r.result.items},
            r.result.responses,
            r.result.sample,
            r.result.population,
        )
        for r in results.rows
    ]
    best_engine = float("inf")
    for _ in range(REPEAT):
        start = time.perf_counter()
        engine.compute(inputs, results.formula)
        best_engine = min(best_engine, time.perf_counter() - start)
    print(
        f"{backend}: the engine alone over {len(inputs)} units' tallies {best_engine * 1000:.1f} ms"
    )
    if backend == "sqlite":
        _print_forms(surveys[large_year])
    connection.close()


def _print_forms(survey) -> None:
    """Paper forms: one print batch (PRINT_BATCH forms) against one form, same run."""
    from cchc.sipas import paper
    from cchc.sipas.models import Respondent
    from cchc.sipas.views.collect import PRINT_BATCH

    respondents = list(
        Respondent.objects.filter(survey=survey, reserve=False)
        .select_related("case", "questionnaire", "unit")
        .order_by("unit_id", "position")[:PRINT_BATCH]
    )
    unit = respondents[0].unit
    timing = {}
    for size in (1, PRINT_BATCH):
        start = time.perf_counter()
        pdf = paper.render_pdf(survey, unit, respondents[:size])
        timing[size] = time.perf_counter() - start
    print(
        f"paper forms (WeasyPrint, A4): 1 form {timing[1]:.2f} s, {PRINT_BATCH} forms "
        f"{timing[PRINT_BATCH]:.1f} s ({len(pdf) / 1e6:.1f} MB), "
        f"{timing[PRINT_BATCH] / PRINT_BATCH:.2f} s a form, ratio "
        f"{timing[PRINT_BATCH] / timing[1]:.1f} ({PRINT_BATCH} = linear)"
    )


def main() -> int:
    from bench.bench_par_year import _drop_postgres
    from bench.common import ensure_postgres_database, postgres_available

    backends = [("sqlite", f"sqlite:///{SQLITE_PATH}")]
    if postgres_available():
        backends.append(("postgres", f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"))
    else:
        print("PostgreSQL not reachable on 127.0.0.1:5432: SQLite only.")
    only = os.environ.get("BENCH_SIPAS_DB")
    failures = 0
    for backend, url in backends:
        if only and backend != only:
            continue
        if backend == "sqlite":
            SQLITE_PATH.parent.mkdir(exist_ok=True)
            SQLITE_PATH.unlink(missing_ok=True)
        else:
            _drop_postgres(PG_NAME)
            ensure_postgres_database(PG_NAME)
        env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, __file__, "--child", backend], env=env, cwd=ROOT, check=False
        )
        failures += done.returncode != 0
        if backend == "postgres":
            _drop_postgres(PG_NAME)
    return failures


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _child(sys.argv[2])
        sys.exit(0)
    sys.exit(main())
