"""Finalising a PAR year through the database: the province, and ten times that.

Run by `make bench` (bench/run.py) or alone: python bench/bench_par_year.py.

For each database (SQLite always, PostgreSQL when it answers on 127.0.0.1:5432) a
child process builds a scratch database: the real units (load_units), the 2026 draft
criteria sets, a 2026 year opened over the 115 departments and communes, and a 2027
year over those and 1,035 synthetic communes (1,150 units, ten times the province).
Every entry gets four rounds of data — the unit's inputs, round 1 (accepted, adjusted
or returned), the unit's explanation, round 2 — and every unit a SIPAS index. Then
``year_finalise`` (the product's service: the engine over every unit, the results and
summaries stored, the audit entry) is timed for both years, best of REPEAT (each run
rolled back). The figure is the ratio of the two times: close to 10 means finalising is
linear in the number of units.
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
SCALE = 10
SQLITE_PATH = ROOT / "var" / "bench-par-year.sqlite3"
PG_NAME = "cchc_bench_par"


def prepare(backend: str) -> dict:
    """Migrate the scratch database and build both appraised years: label → year."""
    import random

    from django.core.management import call_command

    from cchc.org.models import CommuneKind, Unit, UnitType
    from cchc.par.engine.samples import sample_inputs
    from cchc.par.models import Decision, Entry, Method, Participation, ParticipationState
    from cchc.par.services.year import year_open
    from cchc.par.tests.year import WINDOWS, import_draft_sets

    call_command("migrate", verbosity=0)
    call_command("load_units", stdout=open(os.devnull, "w"))  # noqa: SIM115
    base = list(
        Unit.objects.filter(unit_type__in=[UnitType.DEPARTMENT, UnitType.COMMUNE]).order_by("pk")
    )
    province = Unit.objects.get(unit_type=UnitType.PROVINCE)
    synthetic = Unit.objects.bulk_create(
        Unit(
            name=f"Xã Tổng Hợp {n}",
            code=f"TH{n:05d}",
            slug=f"xa-tong-hop-{n}",
            unit_type=UnitType.COMMUNE,
            commune_kind=CommuneKind.XA,
            parent=province,
            active_from=province.active_from,
        )
        for n in range(len(base) * (SCALE - 1))
    )
    shift = {k: (a.replace(year=2027), b.replace(year=2027)) for k, (a, b) in WINDOWS.items()}
    years = {
        "province": year_open(
            actor=None, year=2026, windows=WINDOWS, sets=import_draft_sets(2026), units=base
        ),
        f"×{SCALE}": year_open(
            actor=None,
            year=2027,
            windows=shift,
            sets=import_draft_sets(2027),
            units=base + synthetic,
        ),
    }
    rng = random.Random(2026)  # noqa: S311 - bench data
    for year in years.values():
        entries = list(Entry.objects.filter(participation__year=year).select_related("node"))
        for i, entry in enumerate(entries):
            node = entry.node
            entry.self_inputs = sample_inputs(node.rule, node.max_points, rng)
            if node.method == Method.SURVEY:
                continue
            entry.r1_decision = Decision.ACCEPTED
            if i % 10 == 3:
                entry.r1_decision = Decision.ADJUSTED
                entry.r1_inputs = sample_inputs(node.rule, node.max_points, rng)
                entry.r1_comment = "Điều chỉnh theo tài liệu kiểm chứng."
            elif i % 20 == 7:
                entry.r1_decision = Decision.RETURNED
                entry.r1_comment = "Đề nghị giải trình."
                entry.explanation = "Đơn vị bổ sung tài liệu."
                entry.explanation_inputs = sample_inputs(node.rule, node.max_points, rng)
                entry.r2_decision = Decision.ADJUSTED if i % 40 == 7 else Decision.ACCEPTED
                if entry.r2_decision == Decision.ADJUSTED:
                    entry.r2_points = node.max_points / 2
                    entry.r2_comment = "Chấp nhận một phần."
        Entry.objects.bulk_update(
            entries,
            [
                "self_inputs",
                "r1_decision",
                "r1_inputs",
                "r1_comment",
                "explanation",
                "explanation_inputs",
                "r2_decision",
                "r2_points",
                "r2_comment",
            ],
            batch_size=1000,
        )
        Participation.objects.filter(year=year).update(state=ParticipationState.APPRAISED)
    print(
        f"{backend}: {len(base)} units (province) and {len(base) * SCALE} units (×{SCALE}); "
        f"{Entry.objects.filter(participation__year=years['province']).count()} and "
        f"{Entry.objects.filter(participation__year=years[f'×{SCALE}']).count()} entries, "
        "four rounds each"
    )
    return years


def _child(backend: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    django.setup()
    from django.db import connection, transaction

    from cchc.par.services.results import year_finalise

    years = prepare(backend)

    class Rollback(Exception):
        pass

    best = {}
    for _ in range(REPEAT):
        for label, year in years.items():
            year.refresh_from_db()
            try:
                with transaction.atomic():
                    start = time.perf_counter()
                    year_finalise(actor=None, year=year, version=year.version)
                    elapsed = time.perf_counter() - start
                    raise Rollback
            except Rollback:
                pass
            best[label] = min(best.get(label, float("inf")), elapsed)
    small, large = best["province"], best[f"×{SCALE}"]
    print(
        f"{backend}: finalise the province {small * 1000:.0f} ms, ×{SCALE} {large * 1000:.0f} ms, "
        f"ratio {large / small:.1f} (10 = linear; best of {REPEAT}, wall time)"
    )
    connection.close()


def main(script: str = __file__, sqlite_path: Path = SQLITE_PATH, postgres: bool = True) -> int:
    from bench.common import ensure_postgres_database, postgres_available

    backends = [("sqlite", f"sqlite:///{sqlite_path}")]
    if postgres and postgres_available():
        ensure_postgres_database(PG_NAME)
        backends.append(("postgres", f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"))
    elif postgres:
        print("PostgreSQL not reachable on 127.0.0.1:5432: SQLite only.")
    failures = 0
    for backend, url in backends:
        if backend == "sqlite":
            sqlite_path.parent.mkdir(exist_ok=True)
            sqlite_path.unlink(missing_ok=True)
        else:
            _drop_postgres(PG_NAME)
            ensure_postgres_database(PG_NAME)
        env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, script, "--child", backend], env=env, cwd=ROOT, check=False
        )
        failures += done.returncode != 0
    return failures


def _drop_postgres(name: str) -> None:
    import psycopg

    with psycopg.connect(
        "host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _child(sys.argv[2])
        sys.exit(0)
    sys.exit(main())
