"""Desks for concurrent requests: each request borrows a Desk that no other request uses.

A store connection is not meant for interleaved transactions (the SQLite store opens its one
connection with check_same_thread=False, the PostgreSQL one holds one psycopg connection), so
requests running at once in the server's threadpool must not share one. The pool lends each
request a Desk of its own, opening a new one only when none is idle, and keeps a few for reuse.
A Desk whose request failed with a store error is closed rather than kept.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import storyline
from storyline.desk import Desk
from storyline.store import StoreError

DEFAULT_KEEP = 8


class DeskPool:
    def __init__(self, db: str, *, keep: int = DEFAULT_KEEP):
        self.db = db
        self.keep = keep
        self._idle: list[Desk] = []
        self._lock = threading.Lock()
        self._closed = False

    def open_one(self) -> None:
        """Open (and migrate) the store now, so that a bad ``db`` fails at start, not at the
        first request."""
        with self.desk():
            pass

    @contextmanager
    def desk(self) -> Iterator[Desk]:
        with self._lock:
            desk = self._idle.pop() if self._idle else None
        if desk is None:
            desk = storyline.open(self.db)
        keep = False
        try:
            yield desk
            keep = True
        except StoreError:
            raise
        except Exception:
            keep = True  # a lookup or input error: the connection is fine
            raise
        finally:
            with self._lock:
                if keep and not self._closed and len(self._idle) < self.keep:
                    self._idle.append(desk)
                    desk = None
            if desk is not None:
                desk.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for desk in idle:
            desk.close()
