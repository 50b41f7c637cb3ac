"""Benchmarks (`make bench`): python bench/run.py [suite ...].

Each suite is a module with a `main()` that prints its figures as ratios to
a baseline measured in the same run (these machines are shared and noisy).
Add a suite by adding it to SUITES.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SUITES = {
    "news": "bench.bench_news",
    "par": "bench.bench_par",
    "par_year": "bench.bench_par_year",
    "par_reports": "bench.bench_par_reports",
    "sipas": "bench.bench_sipas",
}


def main(argv: list[str]) -> int:
    names = argv or list(SUITES)
    unknown = [n for n in names if n not in SUITES]
    if unknown:
        print(f"Unknown suite(s): {', '.join(unknown)}; known: {', '.join(SUITES)}")
        return 2
    failures = 0
    for name in names:
        print(f"\n=== {name} ===", flush=True)
        failures += importlib.import_module(SUITES[name]).main() or 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
