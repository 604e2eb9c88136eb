"""What a briefing is made of: its records (:class:`Briefing` and its items) and its size limits.

Every section builder fills these records and every renderer reads them; they hold no logic
beyond :meth:`Briefing.refs`. Sizes are bounded by the named constants below; long texts are
clipped with "…" (:func:`storyline.report.text.clip`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from storyline.records import Citation

MAX_SUMMARY_SENTENCES = 7
MAX_SENTENCE_CHARS = 400
MAX_TIMELINE = 15
MAX_LABEL_CHARS = 200
MAX_ACTORS = 8
MAX_ROLES = 3
MAX_SPEAKERS = 5
MAX_QUOTES_PER_SPEAKER = 3
MAX_QUOTE_CHARS = 300
MIN_QUOTE_WORDS = 4  # shorter quotes ("Well…") are shown only when a speaker has nothing longer
MAX_DISAGREEMENTS = 15
MAX_SUMMARY_CHARS = 500
MAX_CITATIONS_PER_ITEM = 8
MAX_CITATION_CHARS = 200
CONTEXT_BELOW = 40  # cited spans shorter than this (a title) come with their sentence
MAX_PAIRS = 10
MAX_CHANGES_PER_PAIR = 12
MAX_CHANGE_CHARS = 200
MAX_SOURCES = 60
MAX_TITLE_CHARS = 200


@dataclass(slots=True, frozen=True)
class Source:
    """One article the briefing cites; ``number`` is its reference number ([1], [2], ...).
    ``date`` is the stated date, or "inferred: first..last". ``also_published``: the other
    outlets that ran the same text word for word (its sightings), first seen first."""

    number: int
    id: str
    outlet: str | None
    title: str | None
    date: str
    inferred: bool
    url: str | None
    also_published: tuple[str, ...] = ()


@dataclass(slots=True, frozen=True)
class Sentence:
    """A sentence of the account, taken from ``citation.article_id``; ``sources`` are the ids of
    every article that supports it (its own first)."""

    text: str
    citation: Citation
    sources: tuple[str, ...]
    date: str | None = None
    date_inferred: bool = False


@dataclass(slots=True, frozen=True)
class Development:
    date: str
    inferred: bool
    label: str
    sources: tuple[str, ...]


@dataclass(slots=True, frozen=True)
class Actor:
    name: str
    roles: tuple[str, ...]
    articles: int
    quotes: int


@dataclass(slots=True, frozen=True)
class QuoteItem:
    """One quotation and every article that carried it. ``differs`` says the articles word it
    differently; ``diff`` is the word diff ("[-removed-] {+added+}") when they do.
    ``paraphrased_in`` lists copies that turned it into reported speech."""

    text: str
    kind: str
    sources: tuple[str, ...]
    differs: bool = False
    diff: str | None = None
    paraphrased_in: tuple[str, ...] = ()


@dataclass(slots=True, frozen=True)
class Speaker:
    actor: Actor
    quotes: tuple[QuoteItem, ...]


@dataclass(slots=True, frozen=True)
class Cited:
    """A cited span: the article id, the words there (clipped) and, for a short span (a title),
    the sentence around it (clipped)."""

    article_id: str
    text: str
    context: str | None = None


@dataclass(slots=True, frozen=True)
class Disagreement:
    kind: str
    subject: str
    summary: str
    citations: tuple[Cited, ...]
    sources: tuple[str, ...]


@dataclass(slots=True, frozen=True)
class ChangeItem:
    type: str
    subject: str | None
    source_text: str
    derived_text: str


@dataclass(slots=True, frozen=True)
class Provenance:
    source_id: str
    derived_id: str
    kind: str
    coverage: float
    direction_confidence: float
    changes: tuple[ChangeItem, ...]
    more_changes: int = 0  # changes left out (beyond MAX_CHANGES_PER_PAIR)


@dataclass(slots=True)
class Briefing:
    story_id: str
    title: str
    label: str
    first: str | None  # the first and last publication day of its articles, stated or inferred
    last: str | None
    article_count: int
    representative_id: str | None
    what_happened: list[Sentence] = field(default_factory=list)
    developments: list[Development] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    same_quotes: int = 0  # quotations carried word for word by several articles
    provenance: list[Provenance] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def refs(self, article_ids: Iterable[str]) -> list[int]:
        """The reference numbers of these articles, in order, each once (unknown ids left out)."""
        numbers = {s.id: s.number for s in self.sources}
        return sorted({numbers[a] for a in article_ids if a in numbers})
