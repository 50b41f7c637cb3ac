"""The year's exports for the province and for ten times the province.

Run by `make bench` (bench/run.py) or alone: python bench/bench_par_reports.py.

A child process builds the two appraised years of ``bench_par_year`` (115 units, and
1,150), finalises both, then times each export the product offers — the Excel
appendices, the Word report, the PDF report — through the same builders the
background job calls (``cchc.par.reports.KINDS``), best of REPEAT, and counts their SQL
queries. The figure is the ratio of the two times: well under 10 means the fixed parts
(fonts, charts, the document's skeleton) dominate; close to 10, linear in the units.
SQLite only: the exports read a fixed handful of rows per unit and no query per unit
(the query counts printed prove it), so the database does not change the picture.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

REPEAT = 2
SQLITE_PATH = ROOT / "var" / "bench-par-reports.sqlite3"


def _child(backend: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils.module_loading import import_string

    from bench.bench_par_year import prepare
    from cchc.par.reports import KINDS
    from cchc.par.services.results import year_finalise

    years = {}
    for label, year in prepare(backend).items():
        years[label] = year_finalise(actor=None, year=year, version=year.version)
    small_label, large_label = list(years)
    for kind in KINDS.values():
        build = import_string(kind.builder)
        best, queries, size = {}, {}, {}
        for _ in range(REPEAT):
            for label, year in years.items():
                connection.queries_log.clear()  # the set-up filled the log's 9,000 slots
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    content = build(year)
                    elapsed = time.perf_counter() - start
                best[label] = min(best.get(label, float("inf")), elapsed)
                queries[label], size[label] = len(captured), len(content)
        small, large = best[small_label], best[large_label]
        print(
            f"{backend}: {kind.label}: province {small * 1000:.0f} ms "
            f"({queries[small_label]} queries, {size[small_label] // 1024} KB), "
            f"{large_label} {large * 1000:.0f} ms ({queries[large_label]} queries, "
            f"{size[large_label] // 1024} KB), ratio {large / small:.1f} (best of {REPEAT})"
        )
    connection.close()


def main() -> int:
    from bench import bench_par_year

    return bench_par_year.main(script=__file__, sqlite_path=SQLITE_PATH, postgres=False)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _child(sys.argv[2])
        sys.exit(0)
    sys.exit(main())
