"""The change log and the steps' cursors of MemoryStore (store/memory.py inherits them); the
SQL stores keep them in the tables of store/schema/016_changes.sql. A position is the sequence
number of the last change read (one process, one writer)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from storyline.store.records import StepCursor


def only_among(due: list, among: Sequence[str] | None, limit: int | None, *, pairs: bool = False) -> list:
    """``due`` cut to the keys ``among`` (for pairs: the pairs with either article among them)
    and to ``limit``: the memory store's version of a restricted due query."""
    if among is not None:
        inside = set(among)
        due = [k for k in due if (inside.intersection(k) if pairs else k in inside)]
    return due if limit is None else due[:limit]


class ChangesMixin:
    """Methods over ``self._t.changes`` ({seq: (kind, key)}) and ``self._t.cursors``
    ({step: StepCursor}); ``_writing`` and ``_t`` come from MemoryStore."""

    _t: Any
    _last_change: int = 0

    def _log(self, kind: str, keys: Iterable[str]) -> None:
        """Append changes (inside the caller's ``_writing``)."""
        for key in dict.fromkeys(keys):
            self._last_change += 1
            self._t.changes[self._last_change] = (kind, key)

    def change_position(self) -> int:
        return self._last_change

    def changed_keys(self, kinds: Sequence[str], since: int) -> dict[str, list[str]]:
        out: dict[str, dict[str, None]] = {k: {} for k in kinds}
        for seq in sorted(self._t.changes):
            kind, key = self._t.changes[seq]
            if seq > since and kind in out:
                out[kind][key] = None
        return {k: list(v) for k, v in out.items()}

    def step_cursor(self, step: str) -> StepCursor | None:
        return self._t.cursors.get(step)

    def put_step_cursor(self, cursor: StepCursor) -> None:
        with self._writing(f"storing the {cursor.step} step's cursor"):  # type: ignore[attr-defined]
            self._t.cursors[cursor.step] = cursor._replace(pending=tuple(cursor.pending))

    def prune_changes(self) -> int:
        positions = [c.position for c in self._t.cursors.values()]
        if not positions or max(positions) > self._last_change:  # a cursor ahead of the log: none
            return 0
        below = min(positions)
        gone = [seq for seq in self._t.changes if seq <= below]
        for seq in gone:
            del self._t.changes[seq]
        return len(gone)
