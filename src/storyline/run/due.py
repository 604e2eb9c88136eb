"""What a step has to do, from the change log instead of a scan of whole tables.

A full scan (``Step.due``) is an anti-join over a table: 7.8 s a run at a million articles
against 1.3 ms from the log (benchmarks/due_queries.py, same run). So a step that declares what it ``watches`` keeps a cursor in the
store (its version, the log position it read up to, the keys it left due) and its due work is
``Step.due_among(changed keys, pending keys)``: the same condition as the full scan, asked of
those keys only. The cost follows what changed, not the size of the store.

A step scans in full when it has no cursor yet, when its version changed (``storyline relink``
after an upgrade), when its cursor lies ahead of the log, or when it declares no ``watches``. A
PostgreSQL store opened on another cluster than the one its cursors were written on (restored
from a dump elsewhere) has them all dropped when it is opened (store/sql/changes.py, adopt):
that cluster numbers its transactions afresh, so a cursor can lie behind the new numbering and
still ahead of rows logged before it caught up. The
cursor is written only after the step's last batch, with the keys still due then (failures), so
a run killed anywhere reads the same changes again next time, and a key that failed stays due.

Several processes may run steps on one store (the web server's linker and a `relink`, say), and
each prunes the log of what every cursor has read. Two rules keep that safe: a full scan first
stores a cursor of version SCANNING at the position it read (:func:`claim`), so that no prune
passes it while the scan's work is under way; and a run that finds its step's cursor changed by
another run since it started merges with it (the other run's failed keys stay pending, the
earlier position is kept) instead of overwriting it.
"""

from __future__ import annotations

from dataclasses import dataclass

from storyline.run.step import Step
from storyline.store import Store
from storyline.store.records import StepCursor


# The version of a cursor that only holds the log for a full scan under way (see claim).
SCANNING = "(scanning)"


@dataclass(frozen=True, slots=True)
class Due:
    """A step's due keys, the log position to store once they are done, how they were found,
    and the step's cursor when they were read (settle compares it with the stored one)."""

    keys: list
    position: int
    scanned: bool  # True: a full scan; False: from the change log
    start: StepCursor | None = None


def due(store: Store, step: Step) -> Due:
    """The keys ``step`` has to do now (reads only)."""
    position = store.change_position()  # before reading: a change made meanwhile is read again next time
    cursor = store.step_cursor(step.name) if step.due_among is not None else None
    if cursor is None or cursor.version != step.version or cursor.position > position:
        return Due(list(step.due(store)), position, True, cursor)
    changed = store.changed_keys(step.watches, cursor.position)
    return Due(list(step.due_among(store, changed, list(cursor.pending))), position, False, cursor)


def claim(store: Store, step: Step, todo: Due) -> None:
    """Before the work of a full scan: hold the log from the position the scan read (prunes by
    other processes keep every change after it). A stored cursor at or before that position
    holds it already."""
    if step.due_among is None or not todo.scanned:
        return
    if todo.start is not None and todo.start.position <= todo.position:
        return
    store.put_step_cursor(StepCursor(step.name, SCANNING, todo.position, ()))


def settle(store: Store, step: Step, todo: Due) -> bool:
    """Store ``step``'s cursor after it went through ``todo.keys``: the position read, and those
    of the keys still due (they failed; the next run tries them again). Writes nothing when
    nothing was due and nothing was pending (a read that brings a step up to date first stays a
    read). Returns whether it wrote."""
    if step.due_among is None:
        return False
    start, stored = todo.start, store.step_cursor(step.name)
    if not todo.keys and not todo.scanned and start is not None and not start.pending and stored == start:
        return False
    keys, position = list(todo.keys), todo.position
    if stored is not None and stored != start and stored.version == step.version:
        # Another run of this step settled since this one started: keep its failures, and read
        # again from the earlier of the two positions.
        keys += list(stored.pending)
        position = min(position, stored.position)
    left = list(step.due_among(store, {kind: [] for kind in step.watches}, keys)) if keys else []
    store.put_step_cursor(StepCursor(step.name, step.version, position, tuple(left)))
    return True
