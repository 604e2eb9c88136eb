"""PostgreSQL store: the same schema and behaviour as SQLite, for corpora that outgrow a file.

Only connecting and PostgreSQL's dialect live here; the queries are in store/sql/.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from storyline.store.base import StoreError
from storyline.store.sql.connection import Connection
from storyline.store.sql.store import SQLStore

# Any constant works; it only has to be the same in every Storyline process.
_MIGRATION_LOCK = 0x5707_1E


class PostgresConnection(Connection):
    dialect = "postgres"
    serial_pk = "BIGSERIAL PRIMARY KEY"
    blob = "BYTEA"
    param = "%s"

    def __init__(self, url: str):
        try:
            raw = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to PostgreSQL at {_redact(url)} ({exc})") from exc
        try:
            # Raw HTML pages are large: pglz compression made storing them cost ~2.5 ms per
            # article, lz4 ~0.9 ms at the same size (benchmarks/README.md). Servers built
            # without lz4 refuse the setting and keep pglz.
            raw.execute("SET default_toast_compression = 'lz4'")
        except psycopg.Error:
            pass
        super().__init__(raw, url)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.raw.transaction():
            yield

    def lock_for_migration(self) -> None:
        self.run("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))

    def errors(self):
        return (psycopg.Error,)


class PostgresStore(SQLStore):
    def __init__(self, url: str):
        super().__init__(PostgresConnection(url))


def _redact(url: str) -> str:
    """The URL without its password, for error messages."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        return "the given URL"
    info.pop("password", None)
    return " ".join(f"{k}={v}" for k, v in info.items())
