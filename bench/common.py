"""Shared benchmark tools: scratch databases, a gunicorn server, a load generator.

Loopback only; every load is bounded in request count and in time.
"""

from __future__ import annotations

import http.client
import os
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

    def __init__(self, env: dict[str, str], *, workers: int = 3, threads: int = 8):
        self.port = free_port()
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
