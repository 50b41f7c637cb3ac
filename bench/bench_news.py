"""News-section statistics benchmarks: the beacon, a section page, the dashboard.

Run by `make bench` (bench/run.py) or alone: python -m bench.bench_news [--backend sqlite].
For each database (SQLite, and PostgreSQL when reachable on 127.0.0.1:5432,
in a scratch database `cchc_bench`), it serves the product with gunicorn and:

1. beacon: 200 concurrent clients; every count must equal the requests
   answered (no lost update); throughput as a ratio to a minimal Django view
   served by the same server in the same run (measured before and after);
2. section page /cchc/ with its counter: 50 clients, ratio and p99 latency;
3. dashboard over 10 million generated page views (the daily rows they
   produce): number of queries (must equal a tiny data set's) and time.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402

BEACON_CLIENTS = 200
BEACON_PER_CLIENT = 25
PAGE_CLIENTS = 50
PAGE_PER_CLIENT = 10
LOADS_PER_VISITOR = 5  # each simulated visitor reloads: views > visitors
TARGET_VIEWS = 10_000_000
UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)
# Real traffic repeats a few browser strings; visitors differ by address.
USER_AGENTS = [
    UA,
    "Mozilla/5.0 (Linux; Android 14; SM-A556E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (Linux; Android 13; Redmi Note 12) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/123.0.0.0 Mobile Safari/537.36 Zalo android/12110801",
]


def visitor_headers(c: int, i: int) -> dict[str, str]:
    """Client c's i-th load: a visitor reloads LOADS_PER_VISITOR times."""
    v = c * 1000 + i // LOADS_PER_VISITOR
    return {
        "User-Agent": USER_AGENTS[v % len(USER_AGENTS)],
        "X-Forwarded-For": f"10.{v // 65536 % 256}.{v // 256 % 256}.{v % 256}",
    }


def main() -> int:
    backends = ["sqlite"] + (["postgres"] if common.postgres_available() else [])
    if "postgres" not in backends:
        print("PostgreSQL not reachable on 127.0.0.1:5432: SQLite only.")
    failures = 0
    for backend in backends:
        if backend == "postgres":
            common.ensure_postgres_database()
        env = common.database_env(backend)
        result = subprocess.run(
            [sys.executable, "-m", "bench.bench_news", "--backend", backend], cwd=ROOT, env=env
        )
        failures += result.returncode != 0
    return failures


# In the child process: one database -----------------------------------------


def _setup_django():
    import django

    django.setup()


def prepare() -> dict:
    """Migrate, load the province's units (with their sections), a few articles."""
    from django.core.management import call_command
    from django.utils import timezone

    from cchc.news.models import ArticlePage, SectionPage, Topic, TopicPage
    from cchc.news.services import article_create
    from cchc.org.models import Role, RoleAssignment, Unit
    from cchc.org.services import role_assign

    call_command("migrate", verbosity=0, interactive=False)
    if Unit.objects.count() < 100:
        print("  preparing: loading units and their sections (once)...", flush=True)
        call_command("load_units", verbosity=0)
    if ArticlePage.objects.count() < 30:
        sections = list(SectionPage.objects.select_related("unit").order_by("pk")[:10])
        for section in sections:
            topic = TopicPage.objects.child_of(section).get(topic=Topic.ACTIVITIES)
            for n in range(3):
                article_create(
                    actor=None,
                    topic_page=topic,
                    title=f"Tin thử nghiệm {n + 1} của {section.unit.name}",
                    summary="Tin tạo cho phép đo.",
                    body="<p>Nội dung.</p>",
                    publish=True,
                    published_at=timezone.now() - datetime.timedelta(days=n * 30 + 1),
                )
    from django.contrib.auth import get_user_model

    admin, created = get_user_model().objects.get_or_create(username="bench-admin")
    if not RoleAssignment.objects.filter(user=admin, role=Role.ADMIN).exists():
        role_assign(actor=None, user=admin, role=Role.ADMIN, unit=None)
    return {"admin": admin}


def beacon_targets():
    from cchc.news.models import ArticlePage, SectionPage
    from cchc.stats.services import target_for_page, target_token

    pages = [
        *ArticlePage.objects.live().order_by("pk")[:30],
        *SectionPage.objects.order_by("pk")[:20],
    ]
    targets = [target_for_page(p) for p in pages]
    return targets, [target_token(t) for t in targets]


def bench_beacon(port: int) -> dict:
    targets, tokens = beacon_targets()

    def make(c: int, i: int) -> common.Request:
        body = urlencode(
            {
                "t": tokens[(c * 7 + i // LOADS_PER_VISITOR) % len(tokens)],
                "r": "https://www.google.com.vn/search?q=cchc",
            }
        ).encode()
        return common.Request(
            "POST",
            "/thong-ke/luot-xem",
            body,
            {"Content-Type": "application/x-www-form-urlencoded", **visitor_headers(c, i)},
        )

    before = common.ping(port, clients=BEACON_CLIENTS, per_client=BEACON_PER_CLIENT)
    run = common.load(port, clients=BEACON_CLIENTS, per_client=BEACON_PER_CLIENT, make=make)
    after = common.ping(port, clients=BEACON_CLIENTS, per_client=BEACON_PER_CLIENT)
    return {
        "answered_204": run.statuses.get(204, 0),
        "errors": run.errors + sum(n for s, n in run.statuses.items() if s != 204),
        "beacon_rps": run.rps,
        "baseline_rps": (before.rps + after.rps) / 2,
        "baseline_spread": abs(before.rps - after.rps) / max(before.rps, after.rps),
        "beacon_p99_ms": run.p99_ms,
    }


def verify_counts(b: dict) -> tuple[bool, dict]:
    """Compare the daily tables with what the rules say the answered beacons add."""
    from django.db.models import Sum

    from cchc.stats.models import DailyCount

    targets, _ = beacon_targets()
    answered = b["answered_204"]
    pages, units, province = set(), set(), set()
    for c in range(BEACON_CLIENTS):
        for i in range(BEACON_PER_CLIENT):
            visitor = (c, i // LOADS_PER_VISITOR)
            target = targets[(c * 7 + i // LOADS_PER_VISITOR) % len(targets)]
            pages.add((visitor, target.page_id))
            units.add((visitor, target.unit_id))
            province.add(visitor)

    def total(**filters):
        got = DailyCount.objects.filter(**filters).aggregate(v=Sum("views"), u=Sum("visitors"))
        return got["v"] or 0, got["u"] or 0

    sent = BEACON_CLIENTS * BEACON_PER_CLIENT
    figures = {
        **b,
        "sent": sent,
        "page_rows": total(page_id__gt=0),
        "unit_rows": total(unit_id__gt=0, page_id=0),
        "province_row": total(unit_id=0),
        "expected_visitors": (len(pages), len(units), len(province)),
    }
    ok = (
        figures["errors"] == 0
        and answered == sent
        and figures["page_rows"] == (sent, len(pages))
        and figures["unit_rows"] == (sent, len(units))
        and figures["province_row"] == (sent, len(province))
    )
    return ok, figures


def bench_section_page(port: int) -> dict:
    headers = {"User-Agent": UA}

    def make(c, i):
        return common.Request("GET", "/cchc/", None, headers)

    warm = common.load(port, clients=4, per_client=10, make=make)  # template and site caches
    assert warm.statuses.get(200), warm.statuses
    before = common.ping(port, clients=PAGE_CLIENTS, per_client=PAGE_PER_CLIENT)
    run = common.load(port, clients=PAGE_CLIENTS, per_client=PAGE_PER_CLIENT, make=make)
    after = common.ping(port, clients=PAGE_CLIENTS, per_client=PAGE_PER_CLIENT)
    return {
        "ok": run.statuses.get(200, 0) == PAGE_CLIENTS * PAGE_PER_CLIENT and not run.errors,
        "page_rps": run.rps,
        "baseline_rps": (before.rps + after.rps) / 2,
        "p50_ms": run.p50_ms,
        "p99_ms": run.p99_ms,
        "baseline_p99_ms": (before.p99_ms + after.p99_ms) / 2,
    }


def counter_share() -> tuple[float, float]:
    """In-process: ms to render /cchc/, and ms of it spent in the two stats tags."""
    from django.template import Context, Template
    from django.test import Client

    from cchc.news.models import SectionPage

    section = SectionPage.objects.get(unit__unit_type="province")
    tags = Template("{% load stats_tags %}{% visit_counter page %}{% visit_beacon page %}")
    client = Client(HTTP_USER_AGENT=UA)
    client.get("/cchc/")
    tags.render(Context({"page": section}))

    def median_ms(fn, n):
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        return statistics.median(times) * 1000

    page_ms = median_ms(lambda: client.get("/cchc/"), 30)
    tags_ms = median_ms(lambda: tags.render(Context({"page": section})), 200)
    return page_ms, tags_ms


def bench_dashboard(admin) -> dict:
    """10M generated views in the daily tables; the province and a unit dashboard."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from cchc.news.models import SectionPage
    from cchc.org.models import Unit, UnitType
    from cchc.stats.history import history_generate
    from cchc.stats.models import DailyCount
    from cchc.stats.services import Target, target_for_page

    today = timezone.localdate()
    sections = list(SectionPage.objects.all())
    units = [s.unit_id for s in sections]
    targets = [target_for_page(s) for s in sections]
    _, real = beacon_targets()
    articles = [target_for_page(p) for p in _articles()]
    # Ten articles per unit: the real ones, and made-up ids for the rest.
    for s in sections:
        for k in range(10):
            targets.append(Target(s.unit_id, s.pk, 50_000_000 + s.pk * 100 + k))
    targets += articles
    client = Client()
    client.force_login(admin)
    province = Unit.objects.get(unit_type=UnitType.PROVINCE)
    unit = Unit.objects.filter(unit_type=UnitType.COMMUNE).order_by("pk").first()
    year = {
        "tu_ngay": (today - datetime.timedelta(days=365)).strftime("%d/%m/%Y"),
        "den_ngay": today.strftime("%d/%m/%Y"),
    }

    def measure(path, query):
        client.get(path, query)  # warm per-process caches
        times = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(path, query)
                times.append(time.perf_counter() - t0)
            assert response.status_code == 200, response.status_code
        return len(ctx), statistics.median(times)

    paths = {
        "province": f"/quan-tri/thong-ke/{province.slug}/",
        "unit": f"/quan-tri/thong-ke/{unit.slug}/",
    }
    # A tiny data set first: the query counts must not grow with the data.
    history_generate(
        unit_ids=units,
        targets=targets,
        start=today - datetime.timedelta(days=3),
        end=today - datetime.timedelta(days=1),
        views_per_day=500,
    )
    small = {name: measure(path, year)[0] for name, path in paths.items()}

    t0 = time.perf_counter()
    weekday_mean = (5 * 1.0 + 2 * 0.55) / 7
    views = history_generate(
        unit_ids=units,
        targets=targets,
        start=today - datetime.timedelta(days=365),
        end=today - datetime.timedelta(days=1),
        views_per_day=int(TARGET_VIEWS / 365 / weekday_mean),
    )
    generated_s = time.perf_counter() - t0
    figures = {"views": views, "rows": DailyCount.objects.count(), "generate_s": generated_s}
    for name, path in paths.items():
        q_year, t_year = measure(path, year)
        q_month, t_month = measure(path, {})
        figures[name] = {
            "queries_small": small[name],
            "queries": q_year,
            "queries_30d": q_month,
            "year_ms": t_year * 1000,
            "month_ms": t_month * 1000,
        }
    ping_t = _in_process_ping(client)
    figures["ping_ms"] = ping_t * 1000
    return figures


def _articles():
    from cchc.news.models import ArticlePage

    return list(ArticlePage.objects.live())


def _in_process_ping(client) -> float:
    client.get("/bench/ping")
    times = []
    for _ in range(50):
        t0 = time.perf_counter()
        client.get("/bench/ping")
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def reset_counts() -> None:
    from cchc.stats.models import DailyCount, DailyDimension, DailySalt, VisitorDay

    for model in (DailyCount, DailyDimension, VisitorDay, DailySalt):
        model.objects.all().delete()


def child(backend: str, parts: set[str]) -> int:
    _setup_django()
    from django.db import connection

    print(f"\n--- {backend} ({connection.vendor}, {os.cpu_count()} CPUs) ---", flush=True)
    state = prepare()
    all_ok = True
    for mode, seconds in (("written at beacon time", "0"), ("write-behind, 1 s batches", "1")):
        reset_counts()
        env = {**os.environ, "STATS_WRITE_BEHIND_SECONDS": seconds}
        with common.Server(env) as server:
            b = bench_beacon(server.port)
            if seconds == "0" and "page" in parts:
                p = bench_section_page(server.port)
        # Counted after the server stopped: write-behind flushes on exit.
        ok, b = verify_counts(b)
        all_ok &= ok
        print(
            f"beacon ({mode}), {BEACON_CLIENTS} concurrent clients: "
            f"{b['answered_204']}/{b['sent']} answered 204, {b['errors']} errors; "
            f"counts {'EQUAL' if ok else 'MISMATCH'} to requests: (views, visitors) "
            f"page rows={b['page_rows']} unit rows={b['unit_rows']} "
            f"province={b['province_row']}; expected views={b['sent']}, "
            f"visitors={b['expected_visitors']}",
            flush=True,
        )
        print(
            f"  throughput ratio to minimal view: {b['beacon_rps'] / b['baseline_rps']:.2f} "
            f"({b['beacon_rps']:.0f} vs {b['baseline_rps']:.0f} req/s in this run; "
            f"baseline before/after differ by {b['baseline_spread']:.0%}; "
            f"beacon p99 {b['beacon_p99_ms']:.0f} ms)",
            flush=True,
        )
    if "page" not in parts:
        return 0 if all_ok else 1
    print(
        f"section page /cchc/ with counter, {PAGE_CLIENTS} clients: "
        f"throughput ratio to minimal view {p['page_rps'] / p['baseline_rps']:.2f} "
        f"({p['page_rps']:.0f} vs {p['baseline_rps']:.0f} req/s); "
        f"p50 {p['p50_ms']:.0f} ms, p99 {p['p99_ms']:.0f} ms "
        f"(minimal view p99 {p['baseline_p99_ms']:.0f} ms){'' if p['ok'] else ' ERRORS'}",
        flush=True,
    )
    page_ms, tags_ms = counter_share()
    print(
        f"  in-process: /cchc/ renders in {page_ms:.1f} ms, of which the counter and "
        f"beacon tags {tags_ms:.2f} ms ({tags_ms / page_ms:.0%})",
        flush=True,
    )
    if "dashboard" not in parts:
        return 0 if all_ok and p["ok"] else 1
    d = bench_dashboard(state["admin"])
    print(
        f"dashboard over {d['views']:,} generated views ({d['rows']:,} daily rows, "
        f"generated in {d['generate_s']:.0f} s):",
        flush=True,
    )
    constant = True
    for name in ("province", "unit"):
        f = d[name]
        constant &= f["queries_small"] == f["queries"]
        print(
            f"  {name}: {f['queries']} queries (tiny data set: {f['queries_small']}), "
            f"365 days {f['year_ms']:.0f} ms, 30 days {f['month_ms']:.0f} ms "
            f"(minimal view in-process {d['ping_ms']:.2f} ms)",
            flush=True,
        )
    return 0 if all_ok and p["ok"] and constant else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgres"])
    parser.add_argument("--parts", default="beacon,page,dashboard")
    args = parser.parse_args()
    sys.exit(child(args.backend, set(args.parts.split(","))) if args.backend else main())
