"""Word-by-word comparison of two passages, for side-by-side views (diff page, `storyline diff`),
and how a quote is written out (:func:`quoted`)."""

from __future__ import annotations

import difflib
import re
from typing import Literal

_WORD = re.compile(r"\S+\s*")

Op = Literal["equal", "changed"]


def word_ops(source: str, derived: str) -> list[tuple[Op, str, str]]:
    """``source`` against ``derived`` as runs of (op, source words, derived words): "equal" runs
    hold the same words (case ignored) on both sides, "changed" runs what one side has in place
    of the other (either side may be empty). Joining each side's words gives the text back,
    whitespace included."""
    a, b = _WORD.findall(source), _WORD.findall(derived)
    matcher = difflib.SequenceMatcher(None, [w.strip().lower() for w in a], [w.strip().lower() for w in b],
                                      autojunk=False)
    ops: list[tuple[Op, str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        ops.append(("equal" if op == "equal" else "changed", "".join(a[i1:i2]), "".join(b[j1:j2])))
    return ops


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """"1 article", "3 articles": a count with its noun (``plural`` when not the noun + s)."""
    return f"{n} {noun}" if n == 1 else f"{n} {plural or noun + 's'}"


def quoted(text: str, kind: str) -> str:
    """A quote as a reader should see it: a direct quotation inside quotation marks; partial and
    indirect quotes as the reported speech they are ("that the bridge would reopen", with any
    quoted words keeping their own marks), never inside marks the speaker did not utter."""
    return f"“{text}”" if kind == "direct" else text


