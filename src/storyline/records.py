"""Plain typed records that flow through the pipeline.

Records are plain data: no methods that do I/O, no references to the Store. Every fact that
comes out of analysis keeps its provenance as an article id plus character offsets into
``Article.body``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Origin = Literal["stated", "inferred", "missing"]


@dataclass(slots=True, frozen=True)
class FieldSource:
    """Where a metadata field came from.

    ``origin`` is "stated" when the input says it (a "Source:" line, a <meta> tag, a JSON key),
    "inferred" when Storyline derived it (a headline made from the first sentence), and
    "missing" when there was nothing to go on. ``evidence`` quotes what it was read from.
    """

    origin: Origin
    evidence: str | None = None


@dataclass(slots=True, frozen=True)
class Cut:
    """Text removed from a body on the way in, so that no removal is silent.

    ``kind`` names the rule (e.g. "aggregator-boilerplate", "repeated-headline", "byline"),
    ``text`` is exactly what was removed.
    """

    kind: str
    text: str


@dataclass(slots=True, frozen=True)
class RawDocument:
    """One document as read from a source, before cleaning.

    ``data`` keeps the original bytes (decompressed for .gz inputs). ``locator`` says where in
    the input it was ("line 12", "entry 3", "record 5"), so every problem can point at it.
    ``meta`` carries metadata that a structured source states (JSONL keys, feed fields, WARC
    headers); cleaning treats it as "stated".
    """

    source: str
    media_type: str  # "text/plain" | "text/html" | "application/json"
    data: bytes
    locator: str | None = None
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True, frozen=True)
class Link:
    """A feed entry that names an article by URL only; fetched only when asked (--fetch)."""

    url: str
    source: str
    title: str | None = None
    published: str | None = None
    locator: str | None = None


@dataclass(slots=True, frozen=True)
class Problem:
    """An input that could not be read, with the reason, and where it was."""

    source: str
    reason: str
    locator: str | None = None

    def __str__(self) -> str:
        where = f"{self.source} ({self.locator})" if self.locator else self.source
        return f"{where}: {self.reason}"


@dataclass(slots=True, frozen=True)
class Article:
    """A cleaned article.

    ``id`` is derived from ``content_hash`` so that the same text gets the same id in every
    store and on every run. ``published`` is an ISO 8601 string (date, or date and time,
    with an offset when the input gave one). ``fields`` maps each metadata field name
    (title, outlet, published, byline, abstract) to its :class:`FieldSource`. ``raw`` is the
    original input bytes; ``cuts`` lists what cleaning removed from it.
    """

    id: str
    content_hash: str
    source: str
    body: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    byline: str | None = None
    abstract: str | None = None
    locator: str | None = None
    fields: dict[str, FieldSource] = field(default_factory=dict)
    cuts: tuple[Cut, ...] = ()
    raw: bytes | None = None
    raw_type: str | None = None
    ingested_at: str | None = None



@dataclass(slots=True, frozen=True)
class Sighting:
    """Another place a stored article's text was seen: the same cleaned text (same content
    hash) from another URL, or without a URL from another outlet (syndicated wire copy run
    word for word). The article is stored once; each sighting keeps the copy's own URL,
    outlet, title, publication time and where it was read (``source``, ``locator``), and
    ``seen_at``, when it was first recorded. See ``Store.add_articles`` for when one is kept."""

    article_id: str
    source: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    locator: str | None = None
    seen_at: str | None = None

# --- Records produced by the analysis and linking stages -------------------------------------
# They are defined here, beside Article, so that every stage and Store speaks one vocabulary.


@dataclass(slots=True, frozen=True)
class Mention:
    """A span of an article's body that names or refers to an entity."""

    article_id: str
    start: int
    end: int
    text: str


@dataclass(slots=True, frozen=True)
class Role:
    """A role or title given to a person ("Defence Secretary"), with where the article says it.

    ``start``/``end`` are the offsets of the title itself; ``sentence_start``/``sentence_end``
    those of the sentence that gives it, so a reader can check the claim in context.
    """

    title: str
    article_id: str
    start: int
    end: int
    sentence_start: int | None = None
    sentence_end: int | None = None


@dataclass(slots=True, frozen=True)
class Entity:
    """A person, organisation or place with its canonical name and every mention of it."""

    id: str
    name: str
    type: Literal["PERSON", "ORG", "PLACE"]
    aliases: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()
    roles: tuple[Role, ...] = ()


@dataclass(slots=True, frozen=True)
class Quote:
    """Reported speech: the quoted or paraphrased text, its cue verb and its speaker.

    ``kind`` is "direct" for a quotation that is a whole utterance, "partial" for quoted words
    inside reported speech, and "indirect" for paraphrase ("X said that ..."). ``speaker`` is
    the canonical name of the person (or organisation) the article means, or, for an anonymous
    source, the description the article uses ("a senior MP"); ``speaker_mention`` is the span
    where the speaker is named or referred to near the quote ("he", "the Prime Minister").
    ``speaker_id`` is the in-article :class:`Entity` id. Quotes that continue one utterance
    over several paragraphs share a ``group`` number.
    """

    article_id: str
    text: str
    start: int
    end: int
    kind: Literal["direct", "partial", "indirect"]
    cue: str | None = None
    speaker: str | None = None
    speaker_mention: Mention | None = None
    anonymous: bool = False
    speaker_id: str | None = None
    group: int | None = None


@dataclass(slots=True, frozen=True)
class Analysis:
    """What the per-article analysis stage finds in one article (pure: article in, this out)."""

    article_id: str
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    times: tuple[TimePoint, ...] = ()
    # The names of a title that is text of its own (analyze/titles.py): read apart from the
    # body, their mentions' offsets are the title's; only the story features read them.
    title_entities: tuple[Entity, ...] = ()
    # What the analysis left out under its caps (storyline.analyze.bounds), in plain words; not
    # stored, reported by the run that made the analysis.
    truncated: tuple[str, ...] = ()


@dataclass(slots=True, frozen=True)
class Identity:
    """One real-world person (or organisation, place) across articles.

    ``members`` lists the in-article entities merged into it as (article_id, entity_id);
    ``merges`` records why each non-trivial merge was made ("Zelenskyy ~ Zelensky: name
    similarity 0.93, shared role 'President'").
    """

    id: str
    name: str
    type: Literal["PERSON", "ORG", "PLACE"]
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    members: tuple[tuple[str, str], ...] = ()
    merges: tuple[str, ...] = ()


@dataclass(slots=True, frozen=True)
class Fingerprint:
    """Near-duplicate fingerprints of an article body: MinHash signatures over word 5-shingles
    (near-verbatim reuse) and over the set of content words (rewrites that keep the vocabulary),
    and the article vector (normalised mean of its sentence embeddings) for semantic neighbours."""

    article_id: str
    shingles: tuple[int, ...]
    words: tuple[int, ...]
    vector: tuple[float, ...] = ()


@dataclass(slots=True, frozen=True)
class Change:
    """One difference between a source article and a text derived from it.

    ``type`` is one of CHANGE_TYPES. Spans are character offsets into each article's body;
    ``subject`` names what changed (a person for a role change, a speaker for a misquote).
    ``kind`` is what the change does to the meaning (one of CHANGE_KINDS; "wording" changes
    only the words, never the meaning) and ``severity`` how much a reader would care: "high"
    (a fact now differs: another number, title, speaker's words, a negation), "medium" (a
    claim, an entity, a hedge or a quotation added or lost), "low" (a detail made vaguer or
    dropped, or wording only). Empty ``kind`` (pairs stored before kinds existed) reads as
    the type's default kind (:data:`CHANGE_KIND_OF`)."""

    type: str
    source_text: str
    derived_text: str
    source_span: tuple[int, int] | None = None
    derived_span: tuple[int, int] | None = None
    subject: str | None = None
    kind: str = ""
    severity: str = ""

    @property
    def meaning_kind(self) -> str:
        return self.kind or CHANGE_KIND_OF.get(self.type, "wording")

    @property
    def meaning(self) -> bool:
        """Whether the change alters what the text says (every kind but "wording")."""
        return self.meaning_kind != "wording"


CHANGE_TYPES = (
    "entity_added", "entity_dropped", "entity_replaced", "role_changed", "number_changed",
    "date_changed", "misquote", "quote_to_paraphrase", "attribution_dropped", "hedge_dropped",
    "claim_dropped", "claim_added", "negation_changed", "number_dropped", "date_dropped",
    "number_added", "date_added",
    "reworded", "split", "merged", "moved",
)

# What each type of change does to the meaning, unless the change says otherwise (a misquote
# that only swaps function words is "wording").
CHANGE_KINDS = ("number", "date", "role", "entity", "negation", "attribution", "quote", "claim", "wording")
CHANGE_KIND_OF = {
    "entity_added": "entity", "entity_dropped": "entity", "entity_replaced": "entity", "role_changed": "role",
    "number_changed": "number", "number_dropped": "number", "number_added": "number", "date_changed": "date",
    "date_dropped": "date", "date_added": "date",
    "misquote": "quote", "quote_to_paraphrase": "quote", "attribution_dropped": "attribution",
    "hedge_dropped": "attribution", "claim_dropped": "claim", "claim_added": "claim", "negation_changed": "negation",
    "reworded": "wording", "split": "wording", "merged": "wording", "moved": "wording",
}
SEVERITIES = ("high", "medium", "low")


ReuseKind = Literal["duplicate", "syndicated", "rewrite", "partial", "independent"]


@dataclass(slots=True, frozen=True)
class SentencePair:
    """Two aligned sentences (character spans into each body), with the alignment score
    (probability that the derived sentence restates the source one) and the verbatim share
    (share of the derived sentence's words in runs copied from the source sentence)."""

    source_span: tuple[int, int]
    derived_span: tuple[int, int]
    score: float
    verbatim: float


# Below this confidence a pair's direction is reported as unknown (link/reuse/direction.py weighs
# the evidence; every view of a pair reads this one threshold).
DIRECTION_MIN = 0.6


@dataclass(slots=True, frozen=True)
class ReusePair:
    """Two articles compared for reuse: the kind, which is the source, and what changed.

    ``direction_confidence`` is the probability that ``source_id`` is the source; below
    :data:`DIRECTION_MIN` the direction is reported as unknown. ``coverage`` is the
    share of the derived article that restates the source; ``source_coverage`` the share of the
    source that was reused; ``verbatim`` the share of the derived article's word 5-shingles found in
    the source. Pairs judged independent are kept too, so they are not compared again."""

    source_id: str
    derived_id: str
    kind: ReuseKind
    direction_confidence: float
    coverage: float
    changes: tuple[Change, ...] = ()
    source_coverage: float = 0.0
    verbatim: float = 0.0
    similarity: float = 0.0
    evidence: tuple[str, ...] = ()
    aligned: tuple[SentencePair, ...] = ()

    @property
    def is_reuse(self) -> bool:
        return self.kind != "independent"

    @property
    def direction_known(self) -> bool:
        """Whether the evidence says who copied whom (confidence at least DIRECTION_MIN)."""
        return self.direction_confidence >= DIRECTION_MIN


@dataclass(slots=True, frozen=True)
class TimePoint:
    """A temporal expression (TIMEX3) found in an article and resolved against its publication
    date. ``value`` is None when the expression is relative and the article has no date;
    ``inferred`` marks a value resolved against an inferred date. ``detail`` is what
    :func:`storyline.analyze.timex.resolve` needs to resolve it again against another date."""

    article_id: str
    text: str
    start: int
    end: int
    type: str  # DATE | TIME | DURATION | SET
    value: str | None  # TIMEX3 value: "2025-02-26", "2025-W10", "2025-01", "P1W", "PAST_REF", ...
    mod: str | None = None
    anchored: bool = False  # the value depends on the anchor date ("on Wednesday", "last month")
    inferred: bool = False
    detail: str | None = None


@dataclass(slots=True, frozen=True)
class Citation:
    """A span of one article that supports a statement: provenance for every finding."""

    article_id: str
    start: int
    end: int
    text: str


@dataclass(slots=True, frozen=True)
class Event:
    """Something that happened inside a story (a meeting, a statement, a decision), with its
    date and the sentences that report it. ``date`` is a TIMEX3 date value (a day, a week, a
    month) or None; ``date_inferred`` says it rests on an inferred publication date.
    ``date_source`` says where the date comes from: "text", a day its sentences name
    (``date_evidence`` cites the expressions), or "published", the publication day of the
    briefs whose headlines tell it (link/stories/events.py: no expression to cite)."""

    id: str
    story_id: str
    label: str
    date: str | None
    article_ids: tuple[str, ...] = ()
    sentences: tuple[Citation, ...] = ()
    date_inferred: bool = False
    date_evidence: tuple[Citation, ...] = ()
    date_source: str = "text"


@dataclass(slots=True, frozen=True)
class ArticleDate:
    """When an article was published: stated (``inferred`` False, first == last) or inferred
    as a range from the dates it mentions and its story neighbours (``evidence`` says how)."""

    article_id: str
    first: str | None
    last: str | None
    inferred: bool
    evidence: tuple[str, ...] = ()
    likely: str | None = None  # the likeliest day within an inferred range


@dataclass(slots=True, frozen=True)
class Finding:
    """A cross-source check: where the articles of a story agree or disagree.

    kind: "quote" (one quote in several articles; ``variants`` differ in wording when
    ``differs``), "role_conflict" (one person given incompatible roles or titles),
    "number_conflict" / "date_conflict" (the same claim with different figures or dates).
    """

    kind: str
    subject: str
    summary: str
    citations: tuple[Citation, ...] = ()
    differs: bool = True


@dataclass(slots=True, frozen=True)
class Story:
    """Articles that tell the same story. ``id`` is the id of its first article (the story
    that survives a merge keeps its id); ``first``/``last`` is the span of its members' stated
    dates (ISO dates); ``undated`` counts the members without one; ``coverage_first``/``coverage_last``
    is the span with inferred dates too."""

    id: str
    label: str
    article_ids: tuple[str, ...] = ()
    first: str | None = None
    last: str | None = None
    headline: str | None = None
    key_entities: tuple[str, ...] = ()
    undated: int = 0  # members with no stated date (their dates are inferred by `story`)
    # The days of coverage: the span of the members' publication days, stated or inferred,
    # as stored with the story's facts (None until they are built).
    coverage_first: str | None = None
    coverage_last: str | None = None
