"""Write-behind for the beacon (optional): batch page loads, one transaction per batch.

With STATS_WRITE_BEHIND_SECONDS > 0 a beacon only appends its (hashed)
visit to this process's queue; a thread writes the queue every that many
seconds through the write function it is given (the service hands it the
same `visits_write` as the synchronous path), and once
more when the process exits normally (gunicorn's graceful restarts and
shutdowns). The trade: at most that many seconds of counts are lost if a
worker is killed outright, in exchange for one transaction per batch instead
of one per page load (see README.md for the measured difference).
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from collections.abc import Callable, Sequence

from django.conf import settings
from django.db import close_old_connections, connection

logger = logging.getLogger(__name__)

# Beyond this many waiting visits (database down for a long time) new ones are
# dropped rather than exhausting the worker's memory.
MAX_PENDING = 200_000


# Writes one batch in one transaction; returns how many were counted.
WriteBatch = Callable[[Sequence], int]


class Writer:
    def __init__(self, interval: float, write: WriteBatch):
        self.interval = interval
        self.write = write
        self.pending: list = []
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.stopped = False
        self.pid = os.getpid()
        self.thread = threading.Thread(target=self._run, name="stats-writer", daemon=True)
        self.thread.start()
        atexit.register(self.stop)

    def add(self, visit) -> None:
        with self.lock:
            if len(self.pending) >= MAX_PENDING:
                logger.error("Thống kê: hàng đợi đầy, bỏ một lượt truy cập.")
                return
            self.pending.append(visit)

    def flush(self) -> int:
        with self.lock:
            batch, self.pending = self.pending, []
        if not batch:
            return 0
        try:
            return self.write(batch)
        except Exception:
            logger.exception("Thống kê: chưa ghi được %d lượt truy cập; sẽ thử lại.", len(batch))
            with self.lock:
                self.pending[:0] = batch
            return 0

    def _run(self) -> None:
        while not self.stopped:
            self.wake.wait(self.interval)
            # This thread's own connection: drop it if broken or past CONN_MAX_AGE.
            close_old_connections()
            self.flush()
        connection.close()

    def stop(self) -> None:
        self.stopped = True
        self.wake.set()
        if self.thread.is_alive() and threading.current_thread() is not self.thread:
            self.thread.join(timeout=30)
        self.flush()


_writer: Writer | None = None
_lock = threading.Lock()


def writer(write: WriteBatch) -> Writer:
    """This process's writer, writing through ``write`` (a forked process starts its own)."""
    global _writer
    if _writer is None or _writer.pid != os.getpid():
        with _lock:
            if _writer is None or _writer.pid != os.getpid():
                _writer = Writer(float(settings.STATS_WRITE_BEHIND_SECONDS), write)
    return _writer
