"""The REST API's response shapes as Pydantic models, so that /openapi.json documents every
field of every answer.

The routes serialise the shapes of report/json.py themselves (one JSON encoding, hashed for the
ETag, with no second validation pass on large lists); these models are the documentation of
those shapes, and tests/web/test_api_schema.py holds the answers to them with schemathesis.
A field added to a shape in report/json.py is added here too (the schema test fails otherwise
only if the new field breaks a declared type, so keep them in step by hand).
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class ErrorDetail(BaseModel):
    status: int
    message: str


class Error(BaseModel):
    """Every API error: the status again and a message in plain words."""

    error: ErrorDetail


class Page(BaseModel, Generic[T]):
    """One page of a list. ``total`` counts every item the filters keep (not just this page);
    ``next``/``prev`` are the paths of the neighbouring pages (same filters and limit), null at
    either end."""

    items: list[T]
    total: int = Field(ge=0)
    limit: int = Field(ge=1)
    offset: int = Field(ge=0)
    next: str | None
    prev: str | None


class Index(BaseModel):
    name: str
    version: str
    openapi: str
    endpoints: list[str]
    linking: bool = Field(description="A background linking run (after POSTed articles) is under way.")


# --- articles -------------------------------------------------------------------------------


class ArticleSummary(BaseModel):
    """An article as lists give it: no body. ``source`` is the URL it came from, or the name of
    the file (never a path on the server)."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None
    byline: str | None
    abstract: str | None
    url: str | None
    source: str | None
    where: str | None = Field(description="Where in the source: a line, a record, an item.")
    content_hash: str
    ingested_at: str | None


class FieldOrigin(BaseModel):
    origin: str = Field(description="stated, inferred or missing")
    evidence: str | None


class CutText(BaseModel):
    kind: str
    text: str


class RoleSpan(BaseModel):
    title: str
    start: int
    end: int
    sentence_start: int | None
    sentence_end: int | None


class MentionSpan(BaseModel):
    start: int
    end: int
    text: str


class EntityOut(BaseModel):
    id: str
    name: str
    type: str
    aliases: list[str]
    roles: list[RoleSpan]
    mentions: list[MentionSpan]


class QuoteSpeaker(BaseModel):
    name: str | None
    id: str | None
    mention: str | None
    mention_start: int | None
    mention_end: int | None
    anonymous: bool


class QuoteOut(BaseModel):
    text: str
    start: int
    end: int
    kind: str = Field(description="direct, partial or indirect")
    cue: str | None
    speaker: QuoteSpeaker | None
    group: int | None


class ListedQuote(QuoteOut):
    article_id: str


class _TimeSpan(BaseModel):
    """A time expression's text, offsets and TimeML type, value and modifier."""

    text: str
    start: int
    end: int
    type: str
    value: str | None
    mod: str | None


class TimeOut(_TimeSpan):
    anchored: bool


class AnalysisOut(BaseModel):
    entities: list[EntityOut]
    quotes: list[QuoteOut]
    times: list[TimeOut]


class SightingOut(BaseModel):
    """Another place an article's text was seen: the same cleaned text from another URL or,
    without URL, another outlet (syndicated copy run word for word). The article is stored once;
    this is the copy's own metadata."""

    url: str | None
    outlet: str | None
    title: str | None
    published: str | None
    source: str | None = Field(description="The URL or file name it was read from.")
    where: str | None = Field(description="Where in the source: a line, a record, an item.")
    seen_at: str | None = Field(description="When this copy was first recorded.")


class ArticleOut(ArticleSummary):
    """One article in full: body, where each metadata field came from, what cleaning cut, the
    other places its text was published, its analysis (null before it is analysed) and, when
    asked, the raw input."""

    body: str
    fields: dict[str, FieldOrigin]
    cuts: list[CutText]
    also_published: list[SightingOut] = Field(description="The same text seen elsewhere, first seen first.")
    analysis: AnalysisOut | None
    raw_type: str | None = None
    raw: str | None = None


class SearchHitOut(ArticleSummary):
    rank: float
    snippet: str
    highlights: list[list[int]] = Field(description="[start, end) offsets of matched words in the snippet.")


class IngestItem(BaseModel):
    index: int
    status: Literal["added", "present", "skipped"]
    id: str | None
    reasons: list[str] | None = None
    analysed: bool | None = None
    not_analysed: list[str] | None = None
    analysed_in_part: list[str] | None = None
    sighting: bool | None = Field(None, description="Present, and kept as a new sighting of the stored "
                                                    "article: the same text from a new URL or outlet.")


class IngestResult(BaseModel):
    items: list[IngestItem]
    added: int
    present: int
    sightings: int = Field(description="How many of the present ones were kept as new sightings.")
    skipped: int
    linking: bool


# --- people, reuse, stories -----------------------------------------------------------------


class PersonSummary(BaseModel):
    """A person merged across articles, as lists give them (the members are on the person)."""

    id: str
    name: str
    type: str
    aliases: list[str]
    roles: list[str]
    articles: int


class PlaceName(PersonSummary):
    """/api/v1/place-names: a one-word "person" the people list leaves out as a place the
    tagger took for a person, with the articles naming its word as a place (link/people/places.py)."""

    named_as_place: int


class Member(BaseModel):
    article_id: str
    entity_id: str


class PersonOut(PersonSummary):
    members: list[Member]
    merges: list[str]


class PersonPage(PersonOut):
    """/api/v1/people/{id}: ``members`` is a page (from ``members_offset``, at most
    ``members_limit``) of the person's ``members_total``."""

    members_total: int
    members_offset: int


class Side(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    published: str | None


class ChangeOut(BaseModel):
    type: str
    subject: str | None
    source_text: str | None
    derived_text: str | None
    source_span: list[int] | None
    derived_span: list[int] | None


class PairOut(BaseModel):
    source: Side
    derived: Side
    kind: str
    direction: Literal["known", "unknown"]
    direction_confidence: float
    coverage: float
    source_coverage: float
    verbatim: float
    similarity: float
    evidence: list[str]
    changes: list[ChangeOut]


class AlignedOut(BaseModel):
    source_span: list[int]
    derived_span: list[int]
    source_text: str
    derived_text: str
    score: float
    verbatim: float


class DiffOut(PairOut):
    aligned: list[AlignedOut]


class StorySummary(BaseModel):
    """A story as lists give it: ``articles`` counts its members (their ids are on the story)."""

    id: str
    label: str
    headline: str | None
    key_entities: list[str]
    articles: int
    first: str | None
    last: str | None
    undated: int
    coverage_first: str | None
    coverage_last: str | None


class CitationOut(BaseModel):
    article_id: str
    start: int
    end: int
    text: str


class EventOut(BaseModel):
    id: str
    date: str | None
    date_inferred: bool
    label: str
    article_ids: list[str]
    sentences: list[CitationOut]
    date_evidence: list[CitationOut]
    date_source: Literal["text", "published"] = Field(
        "text", description="Where the date comes from: a day the sentences name (text; date_evidence cites it) or "
                            "the publication day of the briefs whose headlines tell the event (published).")


class FindingOut(BaseModel):
    kind: str
    subject: str | None
    summary: str
    differs: bool
    citations: list[CitationOut]


class DateOut(BaseModel):
    first: str | None
    last: str | None
    likely: str | None
    inferred: bool
    evidence: list[str]


class TimePointOut(_TimeSpan):
    inferred: bool


class MemberSighting(BaseModel):
    """Where else a story member's text ran (see SightingOut)."""

    url: str | None
    outlet: str | None
    title: str | None
    published: str | None


class StoryArticle(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    url: str | None
    published: str | None
    date: DateOut | None
    times: list[TimePointOut]
    sightings: list[MemberSighting] = Field(description="The same text run elsewhere, first seen first.")
    why: dict | None = Field(None, description="How the story clusterer placed it, as stored when it did: kind "
                             "(founded, joined, rescued, split, time shard), score and the bar, the parts of the "
                             "score, shared names and words (stems), nearest article and its similarity.")
    merged: dict | None = Field(None, description="For an article that started a story merged into this one "
                                "later: how that story joined (rule, score, the article that matched both).")


class TimelineEntry(BaseModel):
    date: str | None
    date_inferred: bool
    date_source: Literal["text", "published"] = "text"
    event: str
    label: str
    article_ids: list[str]


class StoryOut(BaseModel):
    """Everything about one story."""

    id: str
    label: str
    headline: str | None
    key_entities: list[str]
    article_ids: list[str]
    first: str | None
    last: str | None
    undated: int
    coverage_first: str | None
    coverage_last: str | None
    outlets: list[str] = Field(description="Every outlet that ran one of its articles, sightings included.")
    articles: list[StoryArticle] = Field(description="A page of the story's articles (articles_offset, "
                                         "at most articles_limit), in store order.")
    articles_total: int
    articles_offset: int
    events: list[EventOut]
    timeline: list[TimelineEntry]
    people: list[PersonOut] = Field(description="The people the story names, each under the id and name of the "
                                    "stored person (/api/v1/people/{id}) that holds its mentions (one going by its "
                                    "name first, then the one holding most); a person no stored identity holds "
                                    "(the people step has not run on its articles) keeps an id of the story "
                                    "alone. Members and roles as the story's articles give them.")
    quotes: dict[str, list[QuoteOut]] = Field(description="Quotes by speaker name.")
    reuse: list[PairOut]
    findings: list[FindingOut]
    notes: list[str]


# --- outlets --------------------------------------------------------------------------------


class DayCount(BaseModel):
    day: str
    articles: int


class OutletReuse(BaseModel):
    outlet: str
    copied_from: int
    copied_by: int


class OutletStory(BaseModel):
    id: str
    label: str
    articles: int
    first_day: str | None
    story_first_day: str | None
    rank: int | None
    first: bool
    outlets: int


class OutletSighting(BaseModel):
    """A stored article whose text the outlet also ran word for word (one of its sightings)."""

    article_id: str
    url: str | None
    outlet: str | None
    title: str | None
    published: str | None
    source: str
    where: str | None
    seen_at: str | None


class OutletOut(BaseModel):
    outlet: str
    articles: int
    undated: int
    first_published: str | None
    last_published: str | None
    per_day: list[DayCount]
    reuse: list[OutletReuse]
    stories: list[OutletStory]
    latest: list[ArticleSummary]
    sighted: int = Field(description="Stored texts it also ran word for word (its sightings).")
    sighted_latest: list[OutletSighting]


class OutletSummary(BaseModel):
    outlet: str
    articles: int
    sighted: int = Field(description="Stored texts it also ran word for word (its sightings).")
    first_published: str | None
    last_published: str | None
    copied_from: int = Field(description="Its articles reusing other outlets' articles.")
    copied_by: int = Field(description="Other outlets' articles reusing its own.")


class CorrectionOut(BaseModel):
    """A correction made by hand (report/json.py ``correction_json``)."""

    id: int
    kind: str
    targets: list[str]
    author: str
    reason: str
    created_at: str
    active: bool
    undone_at: str | None
    undone_by: str | None
    summary: str
    payload: dict[str, Any]
