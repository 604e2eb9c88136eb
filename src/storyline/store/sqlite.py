"""SQLite store: one file, write-ahead log, safe against a killed process."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storyline.store.base import StoreError
from storyline.store.sql import SQLStore

# How long a writer waits for another process's transaction before giving up.
BUSY_TIMEOUT_MS = 30_000


class SQLiteStore(SQLStore):
    serial_pk = "INTEGER PRIMARY KEY AUTOINCREMENT"
    blob = "BLOB"
    param = "?"

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.url = str(self.path)
        try:
            if self.path.parent and not self.path.parent.exists():
                raise StoreError(f"{self.path}: folder {self.path.parent} does not exist")
            # isolation_level=None: we issue BEGIN/COMMIT ourselves, one per batch.
            self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._conn.execute("PRAGMA journal_mode = WAL")
            # NORMAL under WAL: a killed process never corrupts or half-writes a transaction;
            # only a power cut can lose the last commits (never consistency).
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot open as a SQLite store ({exc})") from exc
        self._migrate()

    def _cursor(self):
        return self._conn.cursor()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            self._conn.execute("COMMIT")
        except BaseException:
            # SQLite has already rolled back after some errors (SQLITE_FULL, SQLITE_IOERR);
            # a second ROLLBACK would fail and hide the real error.
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise

    def _errors(self):
        return (sqlite3.DatabaseError,)

    def schema_version(self) -> int:
        try:
            return super().schema_version()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a Storyline store ({exc})") from exc

    def close(self) -> None:
        self._conn.close()
