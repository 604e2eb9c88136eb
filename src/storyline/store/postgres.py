"""PostgreSQL store: the same schema and behaviour as SQLite, for corpora that outgrow a file.

Only connecting and PostgreSQL's dialect live here; the queries are in store/sql/.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from storyline.store.base import StoreError, storable
from storyline.store.sql.connection import Connection
from storyline.store.sql.store import SQLStore
from storyline.store.sql.transfer import shown

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
            raise StoreError(f"cannot connect to PostgreSQL at {shown(url)} ({exc})") from exc
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

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        with self.raw.transaction():
            self.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield

    def stream(self, sql, size=1000):
        # A server-side cursor: psycopg's client cursor would fetch the whole result at once.
        with self.raw.transaction(), self.raw.cursor(name="storyline_stream") as cur:
            cur.itersize = size
            cur.execute(self.sql(sql))
            while rows := cur.fetchmany(size):
                yield rows

    def columns(self, table):
        return [row[0] for row in self.run(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = ? ORDER BY ordinal_position", (table,)).fetchall()]

    def after_bulk_load(self, tables):
        # Rows copied with their serial keys leave each sequence where it was: the next
        # nextval() would hand out a key already stored.
        for table, column in self.run(
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = "
                "current_schema() AND column_default LIKE 'nextval(%%' ORDER BY table_name").fetchall():
            if table in tables:
                self.run(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                         f"COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)")
        # Planner statistics now, not when autovacuum gets round to it (see analyse_unanalysed).
        for table in tables:
            self.run(f"ANALYZE {table}")

    def errors(self):
        return (psycopg.Error,)

    # Below this many rows a COPY's temporary table costs more than it saves.
    COPY_FROM = 256

    def insert_all(self, table, columns, rows, *, bulk=False):
        """COPY straight into the table (a stored key fails the COPY, as it fails an INSERT)."""
        if not rows or (len(rows) < self.COPY_FROM and not bulk):
            super().insert_all(table, columns, rows)
            return
        with self.raw.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(tuple(storable(v) for v in row))

    def insert_new(self, table, columns, rows):
        """COPY into a temporary table, then one INSERT ... SELECT that skips stored keys:
        COPY streams the rows in one round trip where executemany sends a statement a row
        (benchmarks/bulk_load.py measures both on the same rows). Must run in a transaction
        (every store write does: ``Connection.writing``)."""
        if len(rows) < self.COPY_FROM:
            super().insert_new(table, columns, rows)
            return
        cols = ", ".join(columns)
        stage = f"copy_{table}"
        # A savepoint inside the caller's transaction (a transaction of its own outside one),
        # so the staged rows never outlive the insert that reads them.
        with self.raw.transaction():
            cur = self.raw.cursor()
            cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {stage} (LIKE {table}) ON COMMIT DELETE ROWS")
            with cur.copy(f"COPY {stage} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(tuple(storable(v) for v in row))
            cur.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {stage} ON CONFLICT DO NOTHING")
            cur.execute(f"TRUNCATE {stage}")


# A table with more rows than this that was never analysed is analysed when a store opens.
ANALYSE_ROWS = 1000


class PostgresStore(SQLStore):
    def __init__(self, url: str):
        super().__init__(PostgresConnection(url))
        analyse_unanalysed(self.db)


def analyse_unanalysed(db: Connection) -> list[str]:
    """ANALYZE the tables that hold rows but have no planner statistics yet (a restored dump,
    a bulk load that autovacuum has not reached: it looks every minute or more). Until then the
    planner guesses, and a guessed plan of the story facts' due query took 4.7 s instead of
    57 ms at 10k articles. ANALYZE samples at most 30k rows a table: once, then nothing. A
    role that may not analyse a table is passed over (PostgreSQL warns and skips it)."""
    try:
        tables = [r[0] for r in db.run(
            "SELECT relname FROM pg_stat_user_tables WHERE schemaname = current_schema() AND n_live_tup > ? "
            "AND last_analyze IS NULL AND last_autoanalyze IS NULL ORDER BY relname", (ANALYSE_ROWS,)).fetchall()]
    except psycopg.Error:
        return []
    done = []
    for table in tables:
        try:
            db.run('ANALYZE "{}"'.format(table.replace('"', '""')))  # a name from the catalogue, quoted
            done.append(table)
        except psycopg.Error:
            continue
    return done


def held_tables(url: str) -> dict[str, bool]:
    """The tables of the database ``url`` names (its current schema), each with whether it holds
    a row (looked into for "articles" only)."""
    try:
        with psycopg.connect(url, autocommit=True) as raw:
            names = [r[0] for r in raw.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()").fetchall()]
            return {n: n == "articles" and raw.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is not None
                    for n in names}
    except psycopg.Error as exc:
        raise StoreError(f"cannot read PostgreSQL at {shown(url)} ({exc})") from exc
