"""Undoing a correction."""

from __future__ import annotations

from storyline.link.corrections import people, quotes, stories
from storyline.link.corrections.common import MAX_AUTHOR, QUOTE, CorrectionError
from storyline.link.people import corrected as people_fixes
from storyline.store import Store
from storyline.store.base import now
from storyline.store.records import Correction


def undo(store: Store, correction_id: int, *, author: str | None) -> Correction:
    """Undo a correction: it stays listed, stamped undone (when and by whom), is no longer
    applied, and the facts it changed are put back to what the steps decide without it."""
    author = " ".join((author or "").split())
    if not author:
        raise CorrectionError("undoing a correction needs an author (--author, or the 'author' field)")
    found = store.correction(correction_id)
    if found is None:
        raise CorrectionError(f"no correction {correction_id}")
    if found.undone_at is not None:
        raise CorrectionError(f"correction {correction_id} was undone already ({found.undone_at} by {found.undone_by})")
    store.undo_correction(found.id, now(), author[:MAX_AUTHOR])
    if found.kind in (people_fixes.MERGE, people_fixes.SPLIT):
        people.reapply(store, found)
    elif found.kind == QUOTE:
        quotes.reapply(store, found)
    else:
        stories.reapply(store, found)
    return store.correction(found.id) or found
