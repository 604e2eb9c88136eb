"""What a step has to do, from the change log instead of a scan of whole tables.

A full scan (``Step.due``) is an anti-join over a table: 46 s a run at a million articles
(benchmarks/due_queries.py). So a step that declares what it ``watches`` keeps a cursor in the
store (its version, the log position it read up to, the keys it left due) and its due work is
``Step.due_among(changed keys, pending keys)``: the same condition as the full scan, asked of
those keys only. The cost follows what changed, not the size of the store.

A step scans in full when it has no cursor yet, when its version changed (``storyline relink``
after an upgrade), or when it declares no ``watches``. The cursor is written only after the
step's last batch, with the keys still due then (failures), so a run killed anywhere reads the
same changes again next time, and a key that failed stays due.
"""

from __future__ import annotations

from dataclasses import dataclass

from storyline.run.step import Step
from storyline.store import Store
from storyline.store.records import StepCursor


@dataclass(frozen=True, slots=True)
class Due:
    """A step's due keys, the log position to store once they are done, and how they were found."""

    keys: list
    position: int
    scanned: bool  # True: a full scan (no cursor, or another version); False: from the change log


def due(store: Store, step: Step) -> Due:
    """The keys ``step`` has to do now (reads only)."""
    position = store.change_position()  # before reading: a change made meanwhile is read again next time
    cursor = store.step_cursor(step.name) if step.due_among is not None else None
    if cursor is None or cursor.version != step.version:
        return Due(list(step.due(store)), position, True)
    changed = store.changed_keys(step.watches, cursor.position)
    return Due(list(step.due_among(store, changed, list(cursor.pending))), position, False)


def settle(store: Store, step: Step, done: Due) -> None:
    """Store ``step``'s cursor after it went through ``done.keys``: the position read, and those
    of the keys still due (they failed; the next run tries them again)."""
    if step.due_among is None:
        return
    left = list(step.due_among(store, {kind: [] for kind in step.watches}, done.keys)) if done.keys else []
    store.put_step_cursor(StepCursor(step.name, step.version, done.position, tuple(left)))
