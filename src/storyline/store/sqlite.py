"""SQLite store: one file, write-ahead log, safe against a killed process.

Only connecting and SQLite's dialect live here; the queries are in store/sql/.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storyline.store.base import StoreError
from storyline.store.sql.connection import Connection
from storyline.store.sql.store import SQLStore

# How long a writer waits for another process's transaction before giving up.
BUSY_TIMEOUT_MS = 30_000


class SQLiteConnection(Connection):
    dialect = "sqlite"
    serial_pk = "INTEGER PRIMARY KEY AUTOINCREMENT"
    blob = "BLOB"
    param = "?"

    def __init__(self, path: Path):
        self.path = path
        try:
            if path.parent and not path.parent.exists():
                raise StoreError(f"{path}: folder {path.parent} does not exist")
            # isolation_level=None: we issue BEGIN/COMMIT ourselves, one per batch.
            raw = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            raw.execute("PRAGMA journal_mode = WAL")
            # NORMAL under WAL: a killed process never corrupts or half-writes a transaction;
            # only a power cut can lose the last commits (never consistency).
            raw.execute("PRAGMA synchronous = NORMAL")
            raw.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: cannot open as a SQLite store ({exc})") from exc
        super().__init__(raw, str(path))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.raw.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.raw.execute("COMMIT")
        except BaseException:
            # SQLite has already rolled back after some errors (SQLITE_FULL, SQLITE_IOERR);
            # a second ROLLBACK would fail and hide the real error.
            if self.raw.in_transaction:
                self.raw.execute("ROLLBACK")
            raise

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        # A deferred BEGIN reads without taking the write lock; under WAL it sees the store as
        # of its first read until it ends, whatever other processes commit meanwhile.
        self.raw.execute("BEGIN")
        try:
            yield
        finally:
            if self.raw.in_transaction:
                self.raw.execute("ROLLBACK")

    def columns(self, table: str) -> list[str]:
        return [row[1] for row in self.raw.execute(f"PRAGMA table_info({table})").fetchall()]

    def after_bulk_load(self, tables) -> None:
        # The external-content FTS index (migration 005) holds no row of a copied article.
        if "articles" in tables and self.schema_version() >= 5:
            self.run("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")

    def errors(self):
        return (sqlite3.DatabaseError,)

    def schema_version(self) -> int:
        try:
            return super().schema_version()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a Storyline store ({exc})") from exc


class SQLiteStore(SQLStore):
    def __init__(self, path: str | Path):
        self.path = Path(path)
        super().__init__(SQLiteConnection(self.path))


def held_tables(path: Path) -> dict[str, bool]:
    """The tables of the SQLite file ``path`` (opened read-only), each with whether it holds a
    row (looked into for "articles" only)."""
    try:
        raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            names = [r[0] for r in raw.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()]
            return {n: n == "articles" and raw.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is not None
                    for n in names}
        finally:
            raw.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not a SQLite store ({exc})") from exc
