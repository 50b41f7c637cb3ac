"""Write-behind across a worker's end: a graceful exit loses nothing, kill -9 a bounded tail.

Each test runs a real process (Django on its own SQLite file, the stats tables
only) that counts visits through the writer, as a gunicorn worker does.
"""

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

CHILD = r"""
import os, signal, sys, threading, time
import django
django.setup()
from django.db import connection
from cchc.stats import services, writer
from cchc.stats.models import DailyCount, DailyDimension, DailySalt, VisitorDay

with connection.schema_editor() as editor:
    for model in (DailySalt, VisitorDay, DailyCount, DailyDimension):
        editor.create_model(model)

# As gunicorn's worker: SIGTERM ends the process through sys.exit (atexit runs).
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
committed = [0]
# The writer's thread and the main thread both report; one line per write,
# under a lock, so their lines never interleave.
out = threading.Lock()
def say(line):
    with out:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
def write(batch):
    n = services.visits_write(batch)
    committed[0] += len(batch)
    say(f"committed {committed[0]}")
    return n
w = writer.writer(write)
ua = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
      "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")
target = services.Target(5, 50, 51)
for i in range(int(os.environ["VISITS"])):
    ip = f"10.0.{i // 250}.{i % 250}"
    services.visit_record(target=target, client_ip=ip, user_agent=ua)
    say(f"answered {i + 1}")
    time.sleep(float(os.environ["PAUSE"]))
say("done")
time.sleep(3600)
"""


def start(tmp_path, *, visits, pause, interval):
    db = tmp_path / "stats.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cchc.settings",
        "SQLITE_PATH": str(db),
        "STATS_WRITE_BEHIND_SECONDS": str(interval),
        "VISITS": str(visits),
        "PAUSE": str(pause),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    return proc, db


def views(db) -> int:
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT SUM(views) FROM stats_dailycount WHERE unit_id = 0").fetchone()
    return row[0] or 0


def read_until(proc, predicate, lines):
    for line in proc.stdout:
        lines.append(line.strip())
        if predicate(line.strip()):
            return
    raise AssertionError(f"the process ended: {lines[-5:]}")


def test_a_graceful_exit_sigterm_writes_every_waiting_visit(tmp_path):
    proc, db = start(tmp_path, visits=300, pause=0, interval=3600)  # never by the timer
    lines = []
    try:
        read_until(proc, lambda x: x == "done", lines)
        assert not any(x.startswith("committed") for x in lines)  # all still waiting
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
    assert views(db) == 300


def test_kill_9_loses_only_the_visits_answered_since_the_last_committed_batch(tmp_path):
    proc, db = start(tmp_path, visits=100_000, pause=0.002, interval=0.3)
    lines = []
    try:
        # Let a few batches commit, then kill the process outright mid-stream.
        read_until(proc, lambda x: x.startswith("committed") and int(x.split()[1]) > 200, lines)
        read_until(proc, lambda x: x.startswith("answered"), lines)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        lines += [x.strip() for x in proc.stdout.read().splitlines()]
    finally:
        proc.kill()
    answered = max(int(x.split()[1]) for x in lines if x.startswith("answered"))
    committed = max(int(x.split()[1]) for x in lines if x.startswith("committed"))
    counted = views(db)
    # Every committed batch survives; what is lost is the tail not yet written.
    assert counted >= committed
    lost = answered - counted
    assert 0 <= lost
    # The documented bound: the visits of one interval plus one write. The
    # visits answered after the last committed batch was taken are at most
    # those answered since the previous commit line.
    commits = [i for i, x in enumerate(lines) if x.startswith("committed")]
    before_last = commits[-2] if len(commits) > 1 else 0
    answered_then = max(
        (int(x.split()[1]) for x in lines[:before_last] if x.startswith("answered")), default=0
    )
    assert lost <= answered - answered_then
