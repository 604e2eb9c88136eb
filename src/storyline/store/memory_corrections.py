"""The corrections part of MemoryStore (store/memory.py), with the rules of
store/sql/corrections.py written plainly."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from storyline.store.base import storable
from storyline.store.records import Correction, Membership


class CorrectionsMixin:
    _t: Any  # the MemoryStore's tables
    _writing: Any

    def add_correction(self, correction: Correction) -> Correction:
        with self._writing(f"writing a {correction.kind} correction"):
            cid = max(self._t.corrections, default=0) + 1
            # As the SQL stores keep it: JSON round trip, text made storable.
            payload = json.loads(storable(json.dumps(correction.payload, ensure_ascii=False, sort_keys=True)))
            stored = correction._replace(
                id=cid, targets=tuple(storable(t) for t in correction.targets), payload=payload,
                author=storable(correction.author), reason=storable(correction.reason),
                undone_at=None, undone_by=None, keys=tuple(sorted(dict.fromkeys(correction.keys))))
            self._t.corrections[cid] = stored
            for key in stored.keys:
                self._t.correction_keys[key] = self._t.correction_keys.get(key, frozenset()) | {cid}
        return stored

    def corrections(self, *, limit: int | None = None, offset: int = 0,
                    active: bool | None = None) -> list[Correction]:
        chosen = [c for _, c in sorted(self._t.corrections.items(), reverse=True)
                  if active is None or (c.undone_at is None) == active]
        chosen = chosen[offset:]
        return chosen if limit is None else chosen[:limit]

    def correction(self, correction_id: int) -> Correction | None:
        return self._t.corrections.get(correction_id)

    def undo_correction(self, correction_id: int, undone_at: str, undone_by: str) -> bool:
        found = self._t.corrections.get(correction_id)
        if found is None or found.undone_at is not None:
            return False
        with self._writing(f"undoing correction {correction_id}"):
            self._t.corrections[correction_id] = found._replace(undone_at=undone_at, undone_by=storable(undone_by))
        return True

    def corrections_by_keys(self, keys: Sequence[str]) -> list[Correction]:
        ids = set().union(*(self._t.correction_keys.get(k, frozenset()) for k in keys))
        return [self._t.corrections[i] for i in sorted(ids) if self._t.corrections[i].undone_at is None]

    def correction_keys(self, prefix: str) -> list[str]:
        return sorted(k for k, ids in self._t.correction_keys.items()
                      if k.startswith(prefix) and any(self._t.corrections[i].undone_at is None for i in ids))

    def memberships_of(self, article_ids: Sequence[str]) -> list[Membership]:
        found = (self._t.members.get(a) for a in dict.fromkeys(article_ids))
        return sorted((m.value for m in found if m is not None), key=lambda m: m.seq)
