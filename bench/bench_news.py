"""News-section statistics benchmarks: the beacon, public pages, the dashboard.

Run by `make bench` (bench/run.py) or alone: python -m bench.bench_news [--backend sqlite].
For each database (SQLite, and PostgreSQL when reachable on 127.0.0.1:5432,
in a scratch database `cchc_bench`), it serves the product with gunicorn and
loads it with wrk (when installed; else the threaded Python generator of
common.py, which shares the cores with the server and caps the figures):

1. beacon in the default configuration, 200 connections: rounds of the
   minimal view (`/bench/ping`) and the beacon interleaved, best of N; every
   count must equal the requests answered (views and visitors);
2. the same server recycled by max_requests, gracefully reloaded (SIGHUP:
   old workers get SIGTERM) during load: loss must be 0; a worker killed
   with SIGKILL during load: the loss and its documented bound;
3. public pages not cached (PUBLIC_PAGE_CACHE_SECONDS=0), anonymous and
   signed in: home, section, topic, article: ratio and queries; /cchc/ from
   the page cache;
4. django-hitcount counting a 5 KB page, beside that page uncounted;
5. dashboard over 10 million generated page views (the daily rows they
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
    from django.db.models import Sum

    first_day = today - datetime.timedelta(days=365)
    kept = DailyCount.objects.filter(day=first_day, unit_id=0).exists()
    if kept:
        # The year generated by an earlier run: a 3-day range stands for the
        # tiny data set (the query count must not depend on the rows read).
        three = {
            "tu_ngay": (today - datetime.timedelta(days=3)).strftime("%d/%m/%Y"),
            "den_ngay": (today - datetime.timedelta(days=1)).strftime("%d/%m/%Y"),
        }
        small = {name: measure(path, three)[0] for name, path in paths.items()}
        views = DailyCount.objects.filter(unit_id=0, day__lt=today).aggregate(v=Sum("views"))["v"]
        generated_s = 0.0
    else:
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
            start=first_day,
            end=today - datetime.timedelta(days=1),
            views_per_day=int(TARGET_VIEWS / 365 / weekday_mean),
        )
        generated_s = time.perf_counter() - t0
    figures = {
        "views": views,
        "rows": DailyCount.objects.count(),
        "generate_s": generated_s,
        "kept": kept,
    }
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
    from django.utils import timezone

    from cchc.stats.models import DailyCount, DailyDimension, DailySalt, VisitorDay

    # Today's rows only: the dashboard's generated year (past days) is kept
    # between runs, as generating it takes minutes.
    today = timezone.localdate()
    for model in (DailyCount, DailyDimension):
        model.objects.filter(day__gte=today).delete()
    for model in (VisitorDay, DailySalt):
        model.objects.all().delete()


# wrk measurements -------------------------------------------------------------

WRK_CONNECTIONS = 200  # beacon rounds: the concurrency counts are checked at
PAGE_CONNECTIONS = 20
PAGE_ROUNDS = 5  # each uncached page measured five times, the best kept (rounds vary 1.5x here)
ROUNDS = 3  # ping and beacon interleaved; the best of each
PING_SECONDS = 4
BEACON_SECONDS = 4  # the quota of a round: about this long at the ping's rate
WRITE_BEHIND = 1.0  # the default STATS_WRITE_BEHIND_SECONDS, for the kill -9 bound
_BEACON_LUA = r"""
TOKENS = %(tokens)s
UAS = %(uas)s
QUOTA = %(quota)d
RUN = %(run)d
LOADS = %(loads)d
local ping
function init(args)
  i = 0
  ping = wrk.format("GET", "/bench/ping")
end
function request()
  if i >= QUOTA then return ping end
  local k = math.floor(i / LOADS)
  local v = RUN * 1000000 + tid * 100000 + k
  local ip = string.format("10.%%d.%%d.%%d", math.floor(v / 65536) %% 256,
    math.floor(v / 256) %% 256, v %% 256)
  i = i + 1
  return wrk.format("POST", "/thong-ke/luot-xem", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["User-Agent"] = UAS[v %% #UAS + 1],
    ["X-Forwarded-For"] = ip,
  }, "t=" .. TOKENS[(tid * 7 + k) %% #TOKENS + 1] .. "&r=https%%3A%%2F%%2Fwww.google.com.vn%%2F")
end
function response(status, headers, body)
  if status ~= 200 then
    count(status)
    answered = answered + 1
    if answered >= QUOTA then wrk.thread:stop() end
  end
end
"""


def beacon_lua(run: int, quota: int) -> str:
    from urllib.parse import quote

    _, tokens = beacon_targets()
    return _BEACON_LUA % {
        "tokens": common.lua_table([quote(t, safe="") for t in tokens]),
        "uas": common.lua_table(USER_AGENTS),
        "quota": quota,
        "run": run,
        "loads": LOADS_PER_VISITOR,
    }


def expected_counts(runs: list[tuple[int, int]]) -> dict:
    """(views, visitors) the rules give for the beacons of wrk rounds (run, quota per thread)."""
    targets, _ = beacon_targets()
    views, pages, units, province = 0, set(), set(), set()
    for run, quota in runs:
        for tid in range(common.WRK_THREADS):
            for i in range(quota):
                k = i // LOADS_PER_VISITOR
                v = run * 1_000_000 + tid * 100_000 + k
                target = targets[(tid * 7 + k) % len(targets)]
                views += 1
                pages.add((v, target.page_id))
                units.add((v, target.unit_id))
                province.add(v)
    return {
        "page_rows": (views, len(pages)),
        "unit_rows": (views, len(units)),
        "province_row": (views, len(province)),
    }


def counted() -> dict:
    from django.db import close_old_connections
    from django.db.models import Sum
    from django.utils import timezone

    from cchc.stats.models import DailyCount

    close_old_connections()
    today = timezone.localdate()

    def total(**filters):
        got = DailyCount.objects.filter(day=today, **filters).aggregate(
            v=Sum("views"), u=Sum("visitors")
        )
        return got["v"] or 0, got["u"] or 0

    return {
        "page_rows": total(page_id__gt=0),
        "unit_rows": total(unit_id__gt=0, page_id=0),
        "province_row": total(unit_id=0),
    }


def quota_for(ping_rps: float) -> int:
    per_thread = int(ping_rps * BEACON_SECONDS / common.WRK_THREADS)
    return max(LOADS_PER_VISITOR * 20, per_thread - per_thread % LOADS_PER_VISITOR)


def wrk_beacon_rounds(port: int) -> dict:
    """Ping and beacon interleaved for throughput, then one counted round.

    Throughput rounds run for a fixed time (the beacons in flight when wrk
    stops are counted but not answered, so they are not compared); the
    counted round sends a fixed number per wrk thread and waits for every
    answer: the server's counts must then equal what was answered.
    """
    common.wrk(port, connections=WRK_CONNECTIONS, seconds=1)  # warm every worker
    # ... and its first beacon (crawlerdetect compiles its patterns once, ~1 s)
    common.wrk(port, connections=WRK_CONNECTIONS, seconds=2, script=beacon_lua(99, 10**9))
    pings, beacons = [], []
    pings.append(common.wrk(port, connections=WRK_CONNECTIONS, seconds=PING_SECONDS))
    for run in range(1, ROUNDS + 1):
        beacons.append(
            common.wrk(
                port,
                connections=WRK_CONNECTIONS,
                seconds=BEACON_SECONDS,
                script=beacon_lua(run, 10**9),
            )
        )
        pings.append(common.wrk(port, connections=WRK_CONNECTIONS, seconds=PING_SECONDS))
    time.sleep(WRITE_BEHIND * 3 + 1)  # the throughput rounds' beacons are written
    before = counted()
    # About BEACON_SECONDS at the beacon's measured rate; ample time to answer all.
    quota = quota_for(min(b.n204 / b.seconds for b in beacons))
    run = ROUNDS + 1
    check = common.wrk(
        port, connections=WRK_CONNECTIONS, seconds=BEACON_SECONDS * 8, script=beacon_lua(run, quota)
    )
    return {
        "pings": pings,
        "beacons": beacons,
        "check": check,
        "before": before,
        "run": (run, quota),
    }


def settled_views(limit: float = 20) -> int:
    """The province's view count once it stops changing (two reads a write-behind apart)."""
    views = counted()["province_row"][0]
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        time.sleep(WRITE_BEHIND * 1.5)
        again = counted()["province_row"][0]
        if again == views:
            break
        views = again
    return views


def wrk_beacon_disruptions(port: int, server: common.Server, first_run: int) -> list[tuple]:
    """Beacon load while workers recycle, reload gracefully, or die: (name, answered, counted)."""
    import signal
    import threading

    results = []
    warm = common.wrk(port, connections=WRK_CONNECTIONS, seconds=2, script=beacon_lua(98, 10**9))
    # Workers restart during these rounds (a boot takes seconds on a loaded
    # machine): a smaller quota and a long time limit, so that all is answered.
    # The undisturbed rate, for the SIGKILL bound: a round that waits on the
    # killed worker's connections until wrk's time limit averages far lower.
    warm_rps = warm.n204 / warm.seconds
    quota = max(LOADS_PER_VISITOR * 20, quota_for(warm_rps) // 2)
    quota -= quota % LOADS_PER_VISITOR
    for n, (name, action) in enumerate(
        (
            ("max_requests recycling", None),
            ("graceful restart of one worker (SIGTERM)", "term"),
            ("one worker killed (SIGKILL)", "kill"),
        )
    ):
        server.wait_ready()  # recycled or killed workers have been replaced
        time.sleep(WRITE_BEHIND * 2)
        # Beacons still in flight when wrk stopped the round before are answered and
        # counted after it: wait until nothing more arrives.
        before = settled_views()
        answered_rps = [0.0]

        def disrupt(action=action):
            time.sleep(BEACON_SECONDS / 3)
            if action == "term":
                os.kill(server.worker_pids()[0], signal.SIGTERM)
            elif action == "kill":
                os.kill(server.worker_pids()[0], signal.SIGKILL)

        t = threading.Thread(target=disrupt)
        t.start()
        b = common.wrk(
            port,
            connections=WRK_CONNECTIONS,
            seconds=BEACON_SECONDS * 12,
            script=beacon_lua(first_run + n, quota),
        )
        t.join()
        answered_rps[0] = b.answered_rps
        time.sleep(WRITE_BEHIND * 3 + 2)  # every live worker has flushed
        after = settled_views()
        complete = b.answered == quota * common.WRK_THREADS
        if not complete:  # wrk's time limit: beacons in flight were counted, not answered
            name += f" [time limit: {quota * common.WRK_THREADS - b.answered} unanswered]"
        results.append((name, b.n204, after - before, warm_rps, b.socket_errors))
        if os.environ.get("BENCH_DEBUG"):
            print("   ", name, b, flush=True)
    return results


def signed_in_cookie() -> dict[str, str]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.get(username="bench-admin")
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return {"Cookie": f"{name}={client.cookies[name].value}"}


def public_pages() -> dict[str, str]:
    from cchc.news.models import ArticlePage, SectionPage, Topic, TopicPage

    section = SectionPage.objects.get(unit__unit_type="province")
    article = ArticlePage.objects.live().descendant_of(section).order_by("-pk").first()
    if article is None:
        article = ArticlePage.objects.live().order_by("-pk").first()
    topic = article.get_parent().specific
    unit_section = (
        SectionPage.objects.live().exclude(unit__unit_type="province").order_by("pk").first()
    )
    return {
        "home": "/",
        "section": section.get_url(),
        # A filter the cache never keeps: its count, the ids of its page, the cards kept.
        "filtered": f"{section.get_url()}?chu_de={Topic.ACTIVITIES.value}",
        "unit section": unit_section.get_url(),
        "topic": topic.get_url() if isinstance(topic, TopicPage) else topic.url,
        "article": article.get_url(),
    }


def page_queries(pages: dict[str, str], cookie: dict[str, str]) -> dict[tuple[str, str], int]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    anon = Client(HTTP_USER_AGENT=UA)
    signed = Client(HTTP_USER_AGENT=UA)
    signed.force_login(get_user_model().objects.get(username="bench-admin"))
    result = {}
    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0):
        for name, path in pages.items():
            for who, client in (("anonymous", anon), ("signed in", signed)):
                client.get(path)  # per-process caches, as a running server has them
                with CaptureQueriesContext(connection) as ctx:
                    response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
                result[(name, who)] = len(ctx)
    return result


def wrk_pages(port: int, pages: dict[str, str], cookie: dict[str, str]) -> tuple[dict, list]:
    """Each page PAGE_ROUNDS times, the minimal view between: {(name, who): [results]}."""
    rows: dict[tuple[str, str], list] = {}
    pings = [common.wrk(port, connections=PAGE_CONNECTIONS, seconds=PING_SECONDS / 2)]
    for round_ in range(PAGE_ROUNDS):
        for name, path in pages.items():
            for who, headers in (
                ("anonymous", {"User-Agent": UA}),
                ("signed in", {"User-Agent": UA, **cookie}),
            ):
                if not round_:  # every worker's template, URL and fragment caches first
                    common.wrk(port, connections=6, seconds=1, path=path, headers=headers)
                r = common.wrk(
                    port,
                    connections=PAGE_CONNECTIONS,
                    seconds=PING_SECONDS / 2,
                    path=path,
                    headers=headers,
                )
                rows.setdefault((name, who), []).append(r)
            pings.append(common.wrk(port, connections=PAGE_CONNECTIONS, seconds=PING_SECONDS / 4))
    return rows, pings


def wrk_hitcount(port: int) -> dict:
    pings, pages, counted_ = [], [], []
    for _ in range(2):
        pings.append(common.wrk(port, connections=50, seconds=PING_SECONDS / 2))
        pages.append(common.wrk(port, connections=50, seconds=PING_SECONDS / 2, path="/bench/page"))
        counted_.append(
            common.wrk(
                port,
                connections=50,
                seconds=PING_SECONDS,
                path="/bench/hitcount",
                headers={"User-Agent": UA},
            )
        )
    from hitcount.models import Hit

    return {
        "ping": max(p.rps for p in pings),
        "page": max(p.rps for p in pages),
        "counted": max(p.rps for p in counted_),
        "answered": sum(p.n200 for p in counted_),
        "errors": sum(p.nother + p.socket_errors for p in counted_),
        "hits": Hit.objects.count(),
    }


def wrk_child(backend: str, parts: set[str], state: dict) -> int:
    """The whole suite for one database, loaded by wrk."""
    from django.conf import settings

    ok = True
    print(f"load generator: wrk ({common.WRK}), {common.WRK_THREADS} threads", flush=True)
    reset_counts()
    if "beacon" in parts:
        env = {**os.environ}
        env.pop("STATS_WRITE_BEHIND_SECONDS", None)  # the default a deployment gets
        with common.Server(env) as server:
            r = wrk_beacon_rounds(server.port)
            if "page" in parts:
                cached = [
                    common.wrk(
                        server.port,
                        connections=50,
                        seconds=PING_SECONDS / 2,
                        path="/cchc/",
                        headers={"User-Agent": UA},
                    ),
                    common.wrk(server.port, connections=50, seconds=PING_SECONDS / 2),
                ]
        # Counted after the server stopped: each worker flushes its buffer on exit.
        after, want = counted(), expected_counts([r["run"]])
        check = r["check"]
        sent = r["run"][1] * common.WRK_THREADS
        unanswered = sent - check.answered  # closed by the server before it read them
        got = {
            k: tuple(x - y for x, y in zip(after[k], r["before"][k], strict=True)) for k in after
        }
        equal = check.nother == 0 and all(
            got[k][0] == check.n204 and want[k][1] - unanswered <= got[k][1] <= want[k][1]
            for k in got
        )
        ok &= equal
        best_ping = max(p.rps for p in r["pings"])
        best_beacon = max(b.n204 / b.seconds for b in r["beacons"])
        pairs = [
            b.n204 / b.seconds / ((r["pings"][k].rps + r["pings"][k + 1].rps) / 2)
            for k, b in enumerate(r["beacons"])
        ]
        print(
            f"beacon, default configuration (write-behind "
            f"{settings.STATS_WRITE_BEHIND_SECONDS:g} s), {WRK_CONNECTIONS} connections:\n"
            f"  throughput ratio to minimal view: {best_beacon / best_ping:.2f} best of {ROUNDS} "
            f"({best_beacon:.0f} vs {best_ping:.0f} req/s); per round "
            f"{', '.join(f'{x:.2f}' for x in pairs)}; beacon p99 "
            f"{min(b.p99_ms for b in r['beacons']):.0f} ms, minimal view p99 "
            f"{min(p.p99_ms for p in r['pings']):.0f} ms\n"
            f"  counted round, {sent} beacons sent: {check.n204} answered 204, "
            f"{check.nother} other, {unanswered} closed unanswered; counts "
            f"{'EQUAL' if equal else 'MISMATCH'} to answered: (views, visitors) "
            f"page rows={got['page_rows']} unit rows={got['unit_rows']} "
            f"province={got['province_row']}; expected views {check.n204}, visitors "
            f"{want['page_rows'][1]}, {want['unit_rows'][1]}, {want['province_row'][1]}"
            f"{f' (less at most {unanswered})' if unanswered else ''}",
            flush=True,
        )
        reset_counts()
        extra = ["--max-requests", "2500", "--max-requests-jitter", "1500"]
        with common.Server(env, extra=extra) as server:
            disruptions = wrk_beacon_disruptions(server.port, server, first_run=ROUNDS + 1)
        for name, answered, got_views, rps, errors in disruptions:
            lost = answered - got_views
            if "SIGKILL" in name:
                # A worker may hold most of the keep-alive connections: its own rate is
                # bounded by the server's, not by an even share of it.
                bound = rps * (2 * WRITE_BEHIND)
                ok &= 0 <= lost <= bound
                print(
                    f"  {name}: {answered} answered, {got_views} counted: {lost} lost; "
                    f"bound: the killed worker's last {2 * WRITE_BEHIND:g} s, at most the "
                    f"server's undisturbed rate (≈ {rps:.0f} req/s × {2 * WRITE_BEHIND:g} s = "
                    f"{bound:.0f})"
                    f" {'within' if 0 <= lost <= bound else 'OVER'}",
                    flush=True,
                )
            else:
                ok &= lost == 0
                print(
                    f"  {name}: {answered} answered, {got_views} counted: loss {lost}"
                    f" ({errors} connections closed by recycled workers)",
                    flush=True,
                )
    if "page" in parts:
        cookie = signed_in_cookie()
        pages = public_pages()
        queries = page_queries(pages, cookie)
        env = {**os.environ, "PUBLIC_PAGE_CACHE_SECONDS": "0"}
        with common.Server(env) as server:
            rows, pings = wrk_pages(server.port, pages, cookie)
        base = max(p.rps for p in pings)
        print(
            f"public pages NOT cached (PUBLIC_PAGE_CACHE_SECONDS=0), "
            f"{PAGE_CONNECTIONS} connections, "
            f"minimal view {base:.0f} req/s:",
            flush=True,
        )
        for (name, who), runs in rows.items():
            good = all(r.n200 and not r.nother and not r.socket_errors for r in runs)
            ok &= bool(good)
            r = max(runs, key=lambda x: x.rps)
            print(
                f"  {name:13} {who:9} {pages[name]:32.32} ratio {r.rps / base:.3f} best of "
                f"{len(runs)} ({', '.join(f'{x.rps / base:.3f}' for x in runs)}; "
                f"{r.rps:.0f} req/s, p50 {r.p50_ms:.0f} ms), {queries[(name, who)]} queries"
                f"{'' if good else ' ERRORS'}",
                flush=True,
            )
        if "beacon" in parts:
            print(
                f"  /cchc/ from the anonymous page cache, 50 connections: ratio "
                f"{cached[0].rps / cached[1].rps:.2f} "
                f"({cached[0].rps:.0f} vs {cached[1].rps:.0f} req/s)",
                flush=True,
            )
    if "hitcount" in parts:
        if not settings.HITCOUNT:
            print("django-hitcount not installed (pip install -r bench/requirements.txt): no row")
        else:
            with common.Server({**os.environ}) as server:
                h = wrk_hitcount(server.port)
            print(
                f"django-hitcount counting its 5 KB page, 50 connections: "
                f"{h['counted']:.0f} req/s, "
                f"ratio {h['counted'] / h['ping']:.2f} to the minimal view, "
                f"{h['counted'] / h['page']:.2f} of the same page uncounted "
                f"({h['page']:.0f} req/s); "
                f"{h['answered']} answered, {h['hits']} hits stored, {h['errors']} errors",
                flush=True,
            )
    return 0 if ok else 1


def child(backend: str, parts: set[str]) -> int:
    _setup_django()
    from django.db import connection

    print(f"\n--- {backend} ({connection.vendor}, {os.cpu_count()} CPUs) ---", flush=True)
    state = prepare()
    if common.WRK:
        failures = wrk_child(backend, parts, state)
        return failures | (_dashboard_part(state) if "dashboard" in parts else 0)
    print(
        "wrk is not installed (apt-get install wrk): the Python load generator shares "
        "the two cores with the server, so these ratios are lower bounds.",
        flush=True,
    )
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
    return 0 if all_ok and p["ok"] and not _dashboard_part(state) else 1


def _dashboard_part(state) -> int:
    d = bench_dashboard(state["admin"])
    print(
        f"dashboard over {d['views']:,} generated views ({d['rows']:,} daily rows, "
        + (
            "kept from an earlier run; tiny data set = a 3-day range):"
            if d["kept"]
            else f"generated in {d['generate_s']:.0f} s):"
        ),
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
    return 0 if constant else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgres"])
    parser.add_argument("--parts", default="beacon,page,hitcount,dashboard")
    args = parser.parse_args()
    sys.exit(child(args.backend, set(args.parts.split(","))) if args.backend else main())
