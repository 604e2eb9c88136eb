"""One side of a source/derived comparison, read once for every kind of change: the article, its
analysis, its aligned sentences, its quotations, the titles given to people, and its names; plus
helpers that address the side's sentences by index (a component of the alignment).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from storyline.analyze import marks
from storyline.analyze.roles import ROLE_HEADS
from storyline.folding import fold
from storyline.records import Analysis, Article, Entity, Quote


@dataclass(slots=True)
class Side:
    """One article of the pair, with what every kind of change looks up in it."""

    article: Article
    analysis: Analysis | None
    sentences: Sequence[tuple[int, int]]
    quoted: list[tuple[int, int, Quote | None]] = field(default_factory=list)  # (start, end, speech quote)
    # Quoted phrases that are not speech by the analysis (scare quotes, a quoted term, speech the
    # extractor did not attribute): their words are compared too, as a quote's are.
    phrases: list[tuple[int, int]] = field(default_factory=list)
    titles: list[tuple[int, int, str, str | None]] = field(default_factory=list)  # (start, end, title, person)
    names: dict[str, Entity] = field(default_factory=dict)  # folded alias -> entity
    folded: str = ""  # the body, folded: searched for names of organisations and places
    undotted: str = ""  # the body without full stops: an acronym "N.A.S.A." in it reads "NASA"
    # The PERSON names among ``names``, folded into words, by their last word (the surname).
    people: dict[str, list[list[str]]] = field(default_factory=dict)


def build_side(article: Article, analysis: Analysis | None, sentences: Sequence[tuple[int, int]]) -> Side:
    """Read ``article`` (and its analysis) once for every kind of change."""
    side = Side(article, analysis, sentences, folded=fold(article.body), undotted=article.body.replace(".", ""))
    body = article.body
    speech = [q for q in (analysis.quotes if analysis else ()) if q.kind in ("direct", "partial")]
    for q in marks.find(body):
        owner = next((x for x in speech if x.start <= q.start and q.end <= x.end + 1), None)
        if analysis is None or owner is not None:
            side.quoted.append((q.start, q.end, owner))
        else:
            side.phrases.append((q.start, q.end))
    people = {e.id: e for e in (analysis.entities if analysis else ())}
    for e in people.values():
        for alias in (e.name, *e.aliases):
            side.names.setdefault(fold(alias), e)
    for e in side.names.values():
        if e.type == "PERSON" and (words := fold(e.name).split()):
            side.people.setdefault(words[-1], []).append(words)
        if e.type == "PERSON":
            for r in e.roles:
                side.titles.append((r.start, r.end, r.title, e.name))
    for q in analysis.quotes if analysis else ():
        m = q.speaker_mention
        if m and q.speaker_id in people and has_role_head(m.text) and not q.anonymous:
            side.titles.append((m.start, m.end, m.text, people[q.speaker_id].name))
    taken = [(a, b) for a, b, _, _ in side.titles]
    for m in _DEFINITE_TITLE.finditer(body):
        a, b = m.start(1), m.end(1)
        if not any(x < b and a < y for x, y in taken) and has_role_head(m.group(1)):
            side.titles.append((a, b, m.group(1), None))
    return side


# "The US president", "the Prime Minister": a title with no name attached.
_DEFINITE_TITLE = re.compile(r"\b[Tt]he ((?:[A-Z][\w.’'-]*\s+|[a-z]+\s+){0,3}?(?:" + "|".join(
    sorted((h for h in ROLE_HEADS if len(h) > 2), key=len, reverse=True)) + r"))\b(?!\s+[A-Z][a-z])(?!’s|'s)")


def has_role_head(text: str) -> bool:
    """Whether ``text`` holds a role head word ("minister", "president" ...)."""
    return any(w in ROLE_HEADS for w in re.findall(r"[a-z]+", text.lower()))


def inside(side: Side, ids: Iterable[int], start: int, end: int) -> bool:
    """Whether the span start..end lies within the sentences ``ids``: inside one of them, or
    (a quotation of several sentences) from one of them to a later one with all between in ids."""
    ids = set(ids)
    first = next((k for k in ids if side.sentences[k][0] <= start < side.sentences[k][1]), None)
    if first is None:
        return False
    last = next((k for k in ids if side.sentences[k][0] < end <= side.sentences[k][1]), None)
    return last is not None and last >= first and all(k in ids for k in range(first, last + 1))


def nearby(side: Side, ids: set[int], pad: int = 1) -> set[int]:
    """The sentences ``ids`` and those up to ``pad`` sentences away."""
    return {k for i in ids for k in range(i - pad, i + pad + 1) if 0 <= k < len(side.sentences)}


def text_of(side: Side, ids: Iterable[int]) -> str:
    """The text of the sentences ``ids``, in body order."""
    return " ".join(side.article.body[slice(*side.sentences[k])] for k in sorted(ids))


def span_of(side: Side, ids: Iterable[int]) -> tuple[int, int]:
    """The body span from the first to the last of the sentences ``ids``."""
    ids = sorted(ids)
    return side.sentences[ids[0]][0], side.sentences[ids[-1]][1]


def words(text: str) -> list[str]:
    """The folded words of ``text``."""
    return re.findall(r"\w+", fold(text))


# Function words: a change that adds, drops or swaps only these changes the wording, not what
# is said. Negations are not here ("not", "no", "never"): they change the meaning.
FUNCTION_WORDS = frozenset("""
a an the and or but so of in on at to for from by with as into onto about over under than then that this these
those there here it its it's he she they them his her their we our us you your i me my is are was were be been
being am has have had do does did will would shall should can could may might must also just very really quite
which who whom whose what when where while if because though although however yet s t d ll ve re said says say
""".split())


_WORD = re.compile(r"\w+")
def content_words(text: str) -> list[str]:
    """The folded words of ``text`` that carry meaning (not :data:`FUNCTION_WORDS`)."""
    return [w for w in words(text) if w not in FUNCTION_WORDS]


def word_spans(side: Side, ids: Iterable[int]) -> list[tuple[str, int, int]]:
    """(folded word, start, end) of every word of the sentences ``ids``, in body order."""
    body = side.article.body
    out = []
    for k in sorted(ids):
        a, b = side.sentences[k]
        out += [(fold(m.group()), m.start(), m.end()) for m in _WORD.finditer(body, a, b)]
    return out


def sentence_of(side: Side, offset: int) -> int | None:
    """The index of the sentence holding body offset ``offset`` (None between sentences)."""
    return next((k for k, (a, b) in enumerate(side.sentences) if a <= offset < b), None)
