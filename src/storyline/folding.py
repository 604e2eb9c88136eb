"""Case- and accent-insensitive keys for names, shared by in-article clustering
(analyze/entities.py) and cross-article merging (link/people/). No spaCy import here, so
the link stage can use it without loading the model."""

from __future__ import annotations

import re
import unicodedata

# Letters that NFKD does not decompose into a base letter plus an accent.
_FOLD_EXTRA = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae",
                             "œ": "oe", "ı": "i", "’": "'", "‘": "'"})


# Combining marks are never ASCII: only the other characters are looked up (a body folded
# whole has a few curly quotes among thousands of ASCII letters).
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def fold(text: str) -> str:
    """Casefold and strip accents: "José" -> "jose", "Łukasz" -> "lukasz", "NATO" -> "nato"."""
    if text.isascii():  # most names: skip the per-character work
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return _NOT_ASCII.sub(_unless_combining, decomposed).translate(_FOLD_EXTRA)


def _unless_combining(m: re.Match) -> str:
    return "" if unicodedata.combining(m.group()) else m.group()
