"""The search part of MemoryStore (store/memory.py): the crude stemmer its full-text search uses,
and ranked hits with highlighted snippets, written plainly (store/sql/search.py is the SQL
version)."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from storyline.store.records import HIT_END, HIT_START, SearchHit

_WORD = re.compile(r"\w+")
# Longest first: "es" must be tried before "s".
_SUFFIXES = ("ing", "es", "ed", "s")
SNIPPET_WORDS = 24


def stem(word: str) -> str:
    """A crude English stem, enough to match "saplings" with "sapling": case folded, then common
    suffixes dropped one after another ("saplings", "sapling" -> "sapl") while a stem of three
    letters or more is left. Query words and text are stemmed alike, so crude is enough."""
    word = word.casefold()
    stripped = True
    while stripped:
        stripped = False
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word, stripped = word[: -len(suffix)], True
                break
    return word


def stems(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text)]


class SearchMixin:
    _t: Any  # the MemoryStore's tables

    def search_hits(self, query: str, *, outlet: str | None = None, since: str | None = None,
                    person: str | None = None, story_id: str | None = None, limit: int = 20,
                    offset: int = 0) -> list[SearchHit]:
        words = {stem(w) for w in _WORD.findall(query)}
        if not words:
            return []
        scored = []
        for seq, a in enumerate(self._t.articles.values()):
            title, body = stems(a.title or ""), stems(a.body)
            if not all(w in title or w in body for w in words) or not self._kept(a, outlet, since, person, story_id):
                continue
            rank = sum(2 * title.count(w) + body.count(w) for w in words)
            scored.append((-rank, seq, a))
        scored.sort(key=lambda x: x[:2])
        page = scored[offset: offset + limit]
        return [SearchHit(dataclasses.replace(a, raw=None, raw_type=None), float(-r), _snippet(a, words))
                for r, _, a in page]

    def count_hits(self, query: str, *, outlet: str | None = None, since: str | None = None,
                   person: str | None = None, story_id: str | None = None) -> int:
        return len(self.search_hits(query, outlet=outlet, since=since, person=person, story_id=story_id,
                                    limit=len(self._t.articles)))

    def _kept(self, a, outlet, since, person, story_id, until=None) -> bool:
        """The article filters (search's and the article list's), as sql/filters.py applies them."""
        if outlet and not self._from_outlet(a, outlet.strip().casefold(), str.casefold):
            return False
        if since and not (a.published and a.published >= since):
            return False
        if until and not (a.published and a.published <= until + "\U0010ffff"):
            return False
        if person:
            analysis = self._t.analyses.get(a.id)
            names = [e.name for e in analysis.value.entities if e.type == "PERSON"] if analysis else []
            if not any(person.strip().casefold() in n.casefold() for n in names):
                return False
        if story_id:
            member = self._t.members.get(a.id)
            if member is None or member.value.story_id != story_id:
                return False
        return True


def _snippet(article, words: set[str]) -> str:
    """About SNIPPET_WORDS words of the body around its first match (the title when only the
    title matches), matched words marked."""
    for text in (article.body, article.title or ""):
        tokens = list(_WORD.finditer(text))
        first = next((i for i, m in enumerate(tokens) if stem(m[0]) in words), None)
        if first is None:
            continue
        lo = max(first - SNIPPET_WORDS // 3, 0)
        hi = min(lo + SNIPPET_WORDS, len(tokens)) - 1
        out, at = [], tokens[lo].start()
        for m in tokens[lo: hi + 1]:
            if stem(m[0]) in words:
                out += [text[at:m.start()], HIT_START, m[0], HIT_END]
                at = m.end()
        out.append(text[at: tokens[hi].end()])
        return ("…" if lo > 0 else "") + "".join(out) + ("…" if hi < len(tokens) - 1 else "")
    return ""
