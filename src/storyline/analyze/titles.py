"""Whether an article's title is text of its own or the start of its body.

The ingest keeps a title apart from the body: one given with the article (a feed, a JSONL
field, an HTML headline) or a first line it cut off as a headline. Such a title is read by
nothing that reads the body (the analysis, the article vector), so the names it holds would be
lost to the story features; a title the ingest made from the body's first sentence (cut after
20 words with "…"), or a headline the body repeats, is the body's start and is read with it.
"""

from __future__ import annotations

import re

_WORDS = re.compile(r"\w+")
# The most of a title the analysis reads (a headline is a line; anything longer is not one).
MAX_TITLE_CHARS = 400


def separate_title(body: str, title: str | None) -> str | None:
    """``title`` when it is text of its own (the body does not open with its words, case,
    spacing and punctuation aside), else None."""
    if not title or not title.strip():
        return None
    head = title.strip().removesuffix("…").rstrip()
    return None if starts_with(body, head) else title.strip()


def starts_with(body: str, head: str) -> bool:
    """Whether ``body`` opens with the words of ``head`` (case, spacing and punctuation aside)."""
    words = _WORDS.findall(head.casefold())
    if not words:
        return True
    return _WORDS.findall(body[: len(head) * 2 + 40].casefold())[: len(words)] == words


def cut_short(text: str) -> bool:
    """Whether ``text`` ends in an ellipsis: a headline or teaser cut by whoever passed it on."""
    return text.rstrip().rstrip("\"'”’)]").rstrip().endswith(("...", "…"))


# A text is in Title Case when at least this share of its words of four letters or more start
# with a capital, and it has at least TITLE_WORDS of them (sentence case: the first and the names).
# Read here from the string and by headline_case.title_cased from a parse.
TITLE_SHARE = 0.8
TITLE_WORDS = 3
# Words of four letters or more (no digits), for :func:`title_case`.
_LONG_WORDS = re.compile(r"[^\W\d_]{4,}")


def title_case(text: str) -> bool:
    """Whether ``text`` is a headline in Title Case: of its words of four letters or more, at
    least three and four in five start with a capital (headline_case.title_cased reads a parsed
    text so; this reads the string, for code that has no parse). The small model tags names in
    such text loosely ("Carney Touts BOE Low-Rate", "Sbarro Files"); in sentence case it does not."""
    if len(text) > MAX_TITLE_CHARS:
        return False
    words = _LONG_WORDS.findall(text)
    return len(words) >= TITLE_WORDS and sum(w[0].isupper() for w in words) >= TITLE_SHARE * len(words)
