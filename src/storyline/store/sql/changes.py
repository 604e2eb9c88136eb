"""The change log and the steps' cursors (store/schema/016_changes.sql).

Writers call :func:`log` inside their own transaction, so a change is in the log exactly when
what it announces is stored. A position is a number a step stores and later reads the log
from: SQLite's sequence (one writer at a time: sequence order is commit order); PostgreSQL's
snapshot xmin, because concurrent transactions commit out of sequence order (the migration
says why that is exact).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from storyline.store.base import now
from storyline.store.records import StepCursor
from storyline.store.sql.connection import Connection, marks


# The migration that creates the log (016_changes.sql).
CHANGES_MIGRATION = 16
# The migration that records which cluster the cursors come from (025_log_origin.sql).
ORIGIN_MIGRATION = 25


def adopt(db: Connection) -> bool:
    """Make the steps' cursors this cluster's (migration 025 says why): when the store was last
    opened on another PostgreSQL cluster (or never since the migration), drop every cursor, so
    each step scans in full once, and record this cluster. Returns whether cursors were dropped.
    Two processes opening a restored store at once may both drop them: one more full scan."""
    if db.dialect != "postgres" or db.schema_version() < ORIGIN_MIGRATION:  # an upgrade test's old store
        return False
    if not db.run("SELECT has_function_privilege('pg_control_system()', 'EXECUTE')").fetchone()[0]:
        return _drop_ahead(db)
    # The cluster's system identifier: the same for every database of one cluster, another for a
    # cluster made by initdb elsewhere. (SQLite's positions are the file's own and travel with it.)
    here = str(db.run("SELECT system_identifier FROM pg_control_system()").fetchone()[0])
    row = db.run("SELECT origin FROM log_origin WHERE id = 1").fetchone()
    if row is not None and row[0] == here:
        return False
    with db.writing("adopting the change log on this PostgreSQL cluster"):
        dropped = db.run("DELETE FROM step_cursors").rowcount
        db.run("INSERT INTO log_origin (id, origin) VALUES (1, ?) "
               "ON CONFLICT (id) DO UPDATE SET origin = excluded.origin", (here,))
    return bool(dropped and dropped > 0)


# A PostgreSQL log position: the oldest transaction still running when the snapshot was taken.
_XMIN = "pg_snapshot_xmin(pg_current_snapshot())"


def _drop_ahead(db: Connection) -> bool:
    """adopt without the cluster's identity (a server that revokes pg_control_system from its
    users, as a managed service may): drop the cursors ahead of this cluster's snapshot. Only
    those can miss a change: they are another cluster's, and this one logs below them. A
    cursor behind it reads every change logged here (their positions all come after it), so
    it may stay, whichever cluster wrote it. The comparison is inside the statement, against
    its own snapshot: a cursor another process commits meanwhile is at or below that
    snapshot's xmin (a snapshot's xmin never goes back on one cluster). The recorded cluster
    is forgotten too: back on a cluster that can tell its identity, every cursor written here
    is then dropped. Written only when there is something to drop."""
    xmin = f"CAST(CAST({_XMIN} AS text) AS bigint)"
    ahead = db.run(f"SELECT COUNT(*) FROM step_cursors WHERE position > {xmin}").fetchone()[0]  # noqa: S608
    recorded = db.run("SELECT COUNT(*) FROM log_origin").fetchone()[0]
    if not ahead and not recorded:
        return False
    with db.writing("dropping the change log cursors of another PostgreSQL cluster"):
        dropped = db.run(f"DELETE FROM step_cursors WHERE position > {xmin}").rowcount  # noqa: S608
        db.run("DELETE FROM log_origin")
    return bool(dropped and dropped > 0)


def log(db: Connection, kind: str, keys: Iterable[str]) -> None:
    """Append one change of ``kind`` per distinct key (inside the caller's transaction). A
    store held at an older schema (only while it is being upgraded, or in the upgrade tests)
    has no log: its steps have no cursors either, so they scan."""
    if not db.logs_changes:
        db.logs_changes = db.schema_version() >= CHANGES_MIGRATION
        if not db.logs_changes:
            return
    rows = [(kind, k) for k in dict.fromkeys(keys)]
    db.run_many("INSERT INTO changes (kind, key) VALUES (?, ?)", rows)


def position(db: Connection) -> int:
    """Where a step that reads the log now should read from next time."""
    if db.dialect == "postgres":
        return int(db.run(f"SELECT {_XMIN}::text").fetchone()[0])  # noqa: S608
    # The highest sequence number ever given, which a prune never lowers (MAX(seq) would drop
    # to 0 when the log is emptied, and every cursor would look ahead of the log).
    row = db.run("SELECT seq FROM sqlite_sequence WHERE name = 'changes'").fetchone()
    return int(row[0]) if row else 0


def changed(db: Connection, kinds: Sequence[str], since: int) -> dict[str, list[str]]:
    """The keys of each kind changed after position ``since``, oldest first, each once."""
    if not kinds:
        return {}
    where = "xid >= CAST(? AS xid8)" if db.dialect == "postgres" else "seq > ?"
    rows = db.run(f"SELECT kind, key FROM changes WHERE {where} AND kind IN ({marks(kinds)}) "  # noqa: S608
                  "ORDER BY seq", [str(since) if db.dialect == "postgres" else since, *kinds]).fetchall()
    out: dict[str, dict[str, None]] = {k: {} for k in kinds}
    for kind, key in rows:
        out[kind][key] = None
    return {k: list(v) for k, v in out.items()}


def cursor(db: Connection, step: str) -> StepCursor | None:
    row = db.run("SELECT step, version, position, pending FROM step_cursors WHERE step = ?", (step,)).fetchone()
    if row is None:
        return None
    return StepCursor(row[0], row[1], int(row[2]), tuple(_key(k) for k in json.loads(row[3])))


def put_cursor(db: Connection, value: StepCursor) -> None:
    with db.writing(f"storing the {value.step} step's cursor"):
        db.run("INSERT INTO step_cursors (step, version, position, pending, updated_at) VALUES (?, ?, ?, ?, ?) "
               "ON CONFLICT (step) DO UPDATE SET version = excluded.version, position = excluded.position, "
               "pending = excluded.pending, updated_at = excluded.updated_at",
               (value.step, value.version, value.position, json.dumps(list(value.pending)), now()))


def prune(db: Connection) -> int:
    """Drop the changes every step with a cursor has read; returns how many. A step with no
    cursor scans in full on its next run, so it needs none of them. Nothing is dropped while a
    cursor lies ahead of the log (a store restored into another PostgreSQL cluster: its steps
    scan in full first, run/due.py)."""
    head = position(db)
    with db.writing("pruning the change log"):
        row = db.run("SELECT MIN(position), MAX(position) FROM step_cursors").fetchone()
        if row is None or row[0] is None or int(row[1]) > head:
            return 0
        if db.dialect == "postgres":
            cur = db.run("DELETE FROM changes WHERE xid < CAST(? AS xid8)", (str(row[0]),))
        else:
            cur = db.run("DELETE FROM changes WHERE seq <= ?", (int(row[0]),))
        return max(cur.rowcount, 0)


def _key(value: object) -> object:
    # A pair comes back from JSON as a list; a tuple keeps it hashable.
    return tuple(value) if isinstance(value, list) else value
