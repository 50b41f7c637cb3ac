"""Shared benchmark tools: scratch databases, a gunicorn server, a load generator.

Loopback only; every load is bounded in request count and in time.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH_URL = "postgres://postgres@127.0.0.1:5432/cchc_bench"
SQLITE_BENCH = ROOT / "var" / "bench.sqlite3"


# Databases -----------------------------------------------------------------


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(
            "host=127.0.0.1 port=5432 user=postgres dbname=postgres", connect_timeout=3
        ):
            return True
    except Exception:  # noqa: BLE001 - any failure means "skip PostgreSQL"
        return False


def ensure_postgres_database(name: str = "cchc_bench") -> None:
    import psycopg

    with psycopg.connect(
        "host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def database_env(backend: str) -> dict[str, str]:
    """Environment that points Django (here and in the server) at the scratch database."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH"}}
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    env["PYTHONPATH"] = str(ROOT)
    if backend == "postgres":
        env["DATABASE_URL"] = PG_BENCH_URL
    else:
        SQLITE_BENCH.parent.mkdir(exist_ok=True)
        env["SQLITE_PATH"] = str(SQLITE_BENCH)
    return env


# Server --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn (gthread) on 127.0.0.1 with the bench settings."""

    def __init__(
        self,
        env: dict[str, str],
        *,
        workers: int = 3,
        threads: int = 8,
        extra: list[str] | None = None,
    ):
        self.port = free_port()
        self.workers = workers
        self.env = env
        self.args = [
            sys.executable,
            "-m",
            "gunicorn",
            "cchc.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--keep-alive",
            "30",
            "--backlog",
            "1024",
            "--log-level",
            "warning",
            *(extra or []),
        ]
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(self.args, cwd=ROOT, env=self.env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/bench/ping")
                if conn.getresponse().status == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise RuntimeError("gunicorn did not start")

    def wait_ready(self, timeout: float = 90) -> None:
        """Until every worker is up and the minimal view answers."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.worker_pids()) == self.workers:
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                    conn.request("GET", "/bench/ping")
                    if conn.getresponse().status == 200:
                        return
                except OSError:
                    pass
            time.sleep(0.5)

    def worker_pids(self) -> list[int]:
        """The master's live worker processes (from /proc)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if self.process and ppid == self.process.pid:
                pids.append(int(entry.name))
        return pids

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


# Load ----------------------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class LoadResult:
    clients: int
    sent: int
    statuses: dict[int, int]
    errors: int
    elapsed: float
    latencies: list[float]

    @property
    def rps(self) -> float:
        return self.sent / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else 0.0

    @property
    def p99_ms(self) -> float:
        return self.percentile(99) * 1000


def load(
    port: int,
    *,
    clients: int,
    per_client: int,
    make: Callable[[int, int], Request],
    time_limit: float = 120.0,
) -> LoadResult:
    """`clients` threads, each with one keep-alive connection, `per_client` requests each."""
    statuses: dict[int, int] = {}
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    start_gate = threading.Barrier(clients + 1)
    deadline = [0.0]

    def worker(c: int) -> None:
        nonlocal errors
        mine_status: dict[int, int] = {}
        mine_lat: list[float] = []
        mine_err = 0
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start_gate.wait()
        for i in range(per_client):
            if time.monotonic() > deadline[0]:
                break
            req = make(c, i)
            t0 = time.perf_counter()
            try:
                conn.request(req.method, req.path, body=req.body, headers=req.headers)
                resp = conn.getresponse()
                resp.read()
                mine_lat.append(time.perf_counter() - t0)
                mine_status[resp.status] = mine_status.get(resp.status, 0) + 1
                if resp.will_close:
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            except (OSError, http.client.HTTPException):
                mine_err += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()
        with lock:
            for k, v in mine_status.items():
                statuses[k] = statuses.get(k, 0) + v
            latencies.extend(mine_lat)
            errors += mine_err

    threads = [threading.Thread(target=worker, args=(c,), daemon=True) for c in range(clients)]
    for t in threads:
        t.start()
    deadline[0] = time.monotonic() + time_limit
    t0 = time.perf_counter()
    start_gate.wait()
    for t in threads:
        t.join(time_limit + 60)
    elapsed = time.perf_counter() - t0
    return LoadResult(
        clients=clients,
        sent=sum(statuses.values()),
        statuses=statuses,
        errors=errors,
        elapsed=elapsed,
        latencies=latencies,
    )


def ping(port: int, *, clients: int, per_client: int) -> LoadResult:
    request = Request("GET", "/bench/ping")
    return load(port, clients=clients, per_client=per_client, make=lambda c, i: request)


# wrk -------------------------------------------------------------------------
#
# The load generator is wrk (C, epoll) when installed (Debian: apt-get install wrk):
# it takes a few per cent of a core where the Python generator above took
# as much CPU as the server and capped what could be measured. The Lua below
# counts statuses per thread; a "quota" script sends a fixed number of
# generated beacons per thread and stops its thread once all are answered,
# so the server's counts can be compared with exactly what was answered.

WRK = shutil.which("wrk")
WRK_THREADS = 2

_LUA_COMMON = r"""
local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
n200, n204, nother, answered = 0, 0, 0, 0
function count(status)
  if status == 200 then n200 = n200 + 1
  elseif status == 204 then n204 = n204 + 1
  else nother = nother + 1 end
end
function done(summary, latency, requests)
  local a, b, c, q = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("n200"); b = b + t:get("n204"); c = c + t:get("nother")
    q = q + t:get("answered")
  end
  local e = summary.errors
  io.write(string.format(
    "WRK {\"requests\": %d, \"duration_us\": %d, \"n200\": %d, \"n204\": %d, " ..
    "\"nother\": %d, \"answered\": %d, \"socket_errors\": %d, \"p50_us\": %d, \"p99_us\": %d}\n",
    summary.requests, summary.duration, a, b, c, q,
    e.connect + e.read + e.write + e.timeout, latency:percentile(50), latency:percentile(99)))
end
"""

_LUA_PLAIN = r"""
HEADERS = HEADERS or {}
function request() return wrk.format("GET", PATH, HEADERS) end
function response(status, headers, body) count(status); answered = answered + 1 end
"""


@dataclass
class WrkResult:
    requests: int
    seconds: float
    n200: int
    n204: int
    nother: int
    answered: int  # quota scripts: the generated requests answered
    socket_errors: int
    p50_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def answered_rps(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0


def lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def lua_table(values) -> str:
    if isinstance(values, dict):
        return (
            "{" + ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in values.items()) + "}"
        )
    return "{" + ", ".join(lua_string(v) for v in values) + "}"


def wrk(
    port: int,
    *,
    connections: int,
    seconds: float,
    script: str | None = None,
    path: str = "/bench/ping",
    headers: dict[str, str] | None = None,
    threads: int = WRK_THREADS,
) -> WrkResult:
    """Run wrk against the server; `script` (Lua) replaces the plain GET of `path`."""
    import json
    import tempfile

    body = script or (
        f"PATH = {lua_string(path)}\nHEADERS = {lua_table(headers or {})}\n" + _LUA_PLAIN
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(_LUA_COMMON + body)
        lua = f.name
    try:
        out = subprocess.run(
            [
                WRK,
                f"-t{min(threads, connections)}",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "10s",
                "-s",
                lua,
                f"http://127.0.0.1:{port}/",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
        )
    finally:
        os.unlink(lua)
    line = next((x for x in out.stdout.splitlines() if x.startswith("WRK ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {out.stdout}\n{out.stderr}")
    d = json.loads(line[4:])
    return WrkResult(
        requests=d["requests"],
        seconds=d["duration_us"] / 1e6,
        n200=d["n200"],
        n204=d["n204"],
        nother=d["nother"],
        answered=d["answered"],
        socket_errors=d["socket_errors"],
        p50_ms=d["p50_us"] / 1000,
        p99_ms=d["p99_us"] / 1000,
    )
