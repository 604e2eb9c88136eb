"""What every correction shares: who and why (checked), storing it, and undoing it."""

from __future__ import annotations

from collections.abc import Sequence

from storyline.link.people import corrected as people_fixes
from storyline.link.stories import pinned
from storyline.store import Store
from storyline.store.base import now
from storyline.store.records import Correction

QUOTE = "quote-speaker"
KINDS = (people_fixes.MERGE, people_fixes.SPLIT, QUOTE, pinned.MOVE, pinned.SPLIT)
MAX_REASON = 2000  # characters; a reason is a sentence or two, not a document
MAX_AUTHOR = 200


class CorrectionError(ValueError):
    """A correction that cannot be made as asked (unknown id, nothing to change, no reason);
    the message names the input and says why. Nothing was stored."""


def who_and_why(author: str | None, reason: str | None) -> tuple[str, str]:
    """The author and reason, trimmed; a reason is required (a correction nobody can explain
    later is one nobody can review), and both are bounded."""
    author = " ".join((author or "").split())
    reason = " ".join((reason or "").split())
    if not author:
        raise CorrectionError("a correction needs an author (--author, or the 'author' field)")
    if not reason:
        raise CorrectionError("a correction needs a reason (--why, or the 'reason' field): say why it is right")
    if len(author) > MAX_AUTHOR:
        raise CorrectionError(f"the author is {len(author)} characters long; at most {MAX_AUTHOR}")
    if len(reason) > MAX_REASON:
        raise CorrectionError(f"the reason is {len(reason)} characters long; at most {MAX_REASON}")
    return author, reason


def record(store: Store, kind: str, targets: Sequence[str], payload: dict, keys: Sequence[str],
           author: str | None, reason: str | None) -> Correction:
    """Check who and why, and store the correction (it is applied by the caller)."""
    author, reason = who_and_why(author, reason)
    return store.add_correction(Correction(0, kind, tuple(targets), payload, author, reason, now(),
                                           keys=tuple(dict.fromkeys(keys))))
