"""The one connection wrapper every SQL query goes through, with the few dialect differences.

Backends differ only in how they connect, open a transaction, spell a few column types and
mark query parameters. A backend subclasses :class:`Connection` and fills those in; queries are
written once, with ``?`` parameters, and run through :meth:`Connection.run`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal

from storyline.store.base import StoreError, storable

Dialect = Literal["sqlite", "postgres"]

# Ids per "IN (...)" query: far below SQLite's limit on bound parameters (32,766; 999 before 3.32).
IDS_PER_QUERY = 500


class Connection:
    """A DB-API connection plus the dialect hooks. Subclasses set the class attributes and
    override the hooks (``transaction``, ``errors``, ``lock_for_migration``)."""

    dialect: Dialect
    serial_pk: str  # the column type of an auto-incrementing primary key
    blob: str  # the column type of binary data
    param: str = "?"  # how the driver marks a query parameter

    def __init__(self, raw: Any, url: str):
        self.raw = raw
        self.url = url
        # Whether the full-text index exists (migration 005); see search.has_search_index.
        self.search_ready = False
        # Whether the change log exists (migration 016); see changes.log.
        self.logs_changes = False
        # Whether the sightings table exists (migration 017); see sightings.ready.
        self.sightings_ready = False

    # --- dialect hooks -------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction: committed when the block ends, rolled back when it raises."""
        yield

    def lock_for_migration(self) -> None:
        """Serialise concurrent migrations (inside the migration transaction)."""

    def errors(self) -> tuple[type[BaseException], ...]:
        """The driver's exceptions that mean "this write failed" (reported as StoreError)."""
        return ()

    # --- running queries -----------------------------------------------------------------
    def sql(self, sql: str) -> str:
        return sql if self.param == "?" else sql.replace("?", self.param)

    def run(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Execute one statement; returns the cursor (for fetchone/fetchall/rowcount)."""
        cur = self.raw.cursor()
        cur.execute(self.sql(sql), tuple(storable(p) for p in params))
        return cur

    def run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self.raw.cursor().executemany(self.sql(sql), [tuple(storable(p) for p in row) for row in rows])

    def insert_all(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], *,
                   bulk: bool = False) -> None:
        """Insert rows; a key already stored is an error, as for one INSERT. Backends may load
        in bulk (PostgreSQL: COPY, for many rows or whenever ``bulk``); ``table`` and
        ``columns`` are ours, never input."""
        if rows:
            self.run_many(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks(columns)})", rows)

    def insert_new(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Insert rows, skipping any whose key is already stored (``ON CONFLICT DO NOTHING``).
        Backends may load in bulk (PostgreSQL: COPY); ``table`` and ``columns`` are ours, never
        input."""
        if rows:
            cols = ", ".join(columns)
            self.run_many(f"INSERT INTO {table} ({cols}) VALUES ({marks(columns)}) ON CONFLICT DO NOTHING", rows)

    def rows_in(self, sql: str, ids: Sequence[Any], suffix: str = "") -> list[tuple]:
        """The rows of ``sql`` (which ends in "IN", ``suffix`` follows the list) for every one
        of ``ids``, in chunks that stay under the backend's limit on bound parameters; each
        chunk's rows in turn. Duplicate ids are queried once."""
        rows: list[tuple] = []
        for chunk in chunks(ids):
            rows += self.run(f"{sql} ({marks(chunk)}){suffix}", chunk).fetchall()
        return rows

    def paged(self, sql: str, params: list[Any], limit: int | None, offset: int) -> tuple[str, list[Any]]:
        """``sql`` with LIMIT/OFFSET appended as each backend spells "no limit"."""
        if limit is not None:
            return sql + " LIMIT ? OFFSET ?", [*params, limit, offset]
        if offset:
            return sql + (" LIMIT -1 OFFSET ?" if self.dialect == "sqlite" else " OFFSET ?"), [*params, offset]
        return sql, params

    def due(self, select: str, order: str, params: Sequence[Any], *, limit: int | None = None,
            among: Sequence[Any] | None = None, columns: Sequence[str] = ()) -> list[tuple]:
        """The rows of a due query: ``select`` ends in its WHERE condition (parenthesised),
        ``order`` is its ORDER BY. With ``among``, only rows whose ``columns`` (any of them)
        hold one of those keys: the steps re-check just the keys the change log names this way,
        with the very condition of the full scan, in its order. Up to IDS_PER_QUERY keys that is
        one restricted query; more keys (a bulk load) would need several, whose rows could not
        be put in the scan's order (the people and story steps depend on it), so then the full
        query runs and its rows are filtered here: its cost is shared by that many keys' work."""
        keys = list(dict.fromkeys(among)) if among is not None else []
        if among is None or len(keys) > IDS_PER_QUERY:
            sql, args = self.paged(f"{select} ORDER BY {order}", list(params), None if among else limit, 0)
            rows = self.run(sql, args).fetchall()
            if among is None:
                return rows
            wanted = set(keys)
            # A due query selects its keys only (an id, or a pair's two ids): a row is kept
            # when one of them is among the keys, as the restricted query would.
            return [r for r in rows if any(value in wanted for value in r)][:limit]
        if not keys:
            return []
        restrict = " OR ".join(f"{c} IN ({marks(keys)})" for c in columns)
        return self.run(f"{select} AND ({restrict}) ORDER BY {order}", [*params, *keys * len(columns)]).fetchall()[:limit]

    @contextmanager
    def writing(self, what: str) -> Iterator[None]:
        """A write transaction whose driver errors become StoreError (after the rollback)."""
        try:
            with self.transaction():
                yield
        except self.errors() as exc:
            raise StoreError(f"{what} failed and was rolled back: {exc}") from exc

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """A read of several queries that all see one state of the store (a copy of the whole
        store reads every table inside one). Backends open a read-only transaction."""
        with self.transaction():
            yield

    def stream(self, sql: str, size: int = 1000) -> Iterator[list[tuple]]:
        """The rows of ``sql``, ``size`` at a time, without holding the whole result: a table
        of millions of rows is copied in constant memory."""
        cur = self.raw.cursor()
        cur.execute(self.sql(sql))
        while rows := cur.fetchmany(size):
            yield rows

    def columns(self, table: str) -> list[str]:
        """The names of ``table``'s columns, in their order (``table`` is ours, never input)."""
        raise NotImplementedError

    def after_bulk_load(self, tables: Sequence[str]) -> None:
        """Bring what the backend derives from rows inserted with their keys up to date
        (PostgreSQL: the serial sequences and the planner's statistics; SQLite: the search
        index). Runs inside the write transaction of the load."""

    def schema_version(self) -> int:
        """The newest migration applied (0 for a store not migrated yet)."""
        row = self.run("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def close(self) -> None:
        self.raw.close()


def chunks(ids: Sequence[Any]) -> Iterator[list[Any]]:
    """``ids`` without repeats, IDS_PER_QUERY at a time (one "IN (...)" list each)."""
    unique = list(dict.fromkeys(ids))
    for i in range(0, len(unique), IDS_PER_QUERY):
        yield unique[i : i + IDS_PER_QUERY]


def marks(values: Sequence[Any]) -> str:
    """One parameter mark per value: the inside of an "IN (...)" or "VALUES (...)" list."""
    return ", ".join("?" * len(values))
