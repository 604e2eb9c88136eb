"""The Store interface: everything Storyline keeps goes through these few methods."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol

from storyline.records import Analysis, Article, Entity, Link, Quote, ReusePair, Sighting, Story
from storyline.store.base_people import PeopleRecords
from storyline.store.base_steps import StepRecords
from storyline.store.records import (
    ArticlePage,
    AnalysisState,
    ArticleEntity,
    Bucket,
    ComparedPair,
    FingerprintBlob,
    SearchHit,
    FingerprintRow,
    Membership,
    StoryMerge,
    OutletCount,
    OutletDetail,
    OutletProfile,
    StoryCheckpoint,
    StorySummary,
    WriteResult,
    WriteStatus,
)

__all__ = ["AmbiguousIdError", "Store", "StoreError", "WriteStatus", "now", "now_precise", "speaker_key", "storable"]


# The URL that opens a MemoryStore (store/memory.py): nothing is written anywhere.
MEMORY_URL = "memory://"


class StoreError(RuntimeError):
    """The store could not complete an operation (disk full, server gone, schema too new).

    The batch that was being written is rolled back; everything committed before it stays.
    """


def check_base(checkpoint: StoryCheckpoint, stored: str | None) -> None:
    """Refuse a delta checkpoint that does not apply over the stored one (StoryCheckpoint.base)."""
    if stored is None or stored != checkpoint.base:
        raise StoreError(f"story checkpoint {checkpoint.token} is a delta over checkpoint {checkpoint.base}, "
                         f"but the store holds {stored!r}: another run clustered meanwhile; this batch "
                         "is rolled back and will be clustered again")


class AmbiguousIdError(LookupError):
    """An id prefix matches more than one article."""


class Store(StepRecords, PeopleRecords, Protocol):
    """A home for articles. Implementations: SQLite (default) and PostgreSQL (durable), and an
    in-memory reference implementation (store/memory.py) that the contract tests hold to the
    same rules.

    Writes are idempotent: an article whose content hash or normalised URL is already stored
    is reported as "present" and not written again. Each call that writes is one transaction.
    """

    url: str
    # Objects a step keeps in memory between its batches while this store is open, by name
    # (the story step's clusterer): a cache of this process, never a source of truth; whoever
    # takes one out checks that it still mirrors what is stored (story_checkpoint_token).
    warm: dict

    def add_articles(self, articles: Sequence[Article]) -> list[WriteResult]:
        """Store a batch in one transaction; per article, in order, whether it was added or
        already present (and under which id).

        A present article is kept as a *sighting* of the stored one (``WriteResult.sighting``)
        when its text is stored (same content hash) and it adds a place the store does not know:
        a URL (normalised) that is neither a stored article's nor an earlier sighting's, or,
        without a URL, an outlet (case ignored) that neither the stored article nor its
        sightings name. A URL known through a sighting counts as stored: another text from it
        later is present under the sighted article, as with an article's own URL. Recording is
        idempotent (a unique key per URL, or per article and outlet): ingesting the same input
        again, or resuming a killed run, records nothing new.
        """
        ...

    def sightings(self, article_ids: Sequence[str]) -> dict[str, list[Sighting]]:
        """The sightings of each of ``article_ids`` (one query), first seen first; articles
        without any are left out."""
        ...

    def count_sightings(self) -> int:
        """How many sightings are stored (with :meth:`count`, what says that the outlet list
        may have changed)."""
        ...

    def add_links(self, links: Sequence[Link]) -> int:
        """Record link-only feed entries (one transaction); returns how many were new."""
        ...

    def article(self, id_or_prefix: str) -> Article | None:
        """One article with its raw input, by id or unique id prefix (AmbiguousIdError if not)."""
        ...

    def articles(
        self, *, limit: int | None = None, offset: int = 0, ids: Sequence[str] | None = None,
        outlet: str | None = None, since: str | None = None, until: str | None = None,
        story_id: str | None = None, person: str | None = None,
    ) -> list[Article]:
        """Articles in the order they were first stored, without their raw input.

        With ``ids``, only the articles with those exact ids (unknown ids are passed over; the
        filters are not applied). Otherwise the filters (all must hold) keep articles from
        ``outlet`` (name, case ignored), stated as published on or after ``since`` and on or
        before ``until`` (ISO dates; undated articles are then left out), in the story
        ``story_id`` (exact id), naming a person whose name contains ``person`` (case ignored),
        as :meth:`search_hits` filters.
        """
        ...

    def article_heads(self, ids: Sequence[str]) -> list[Article]:
        """The articles with these ids as :meth:`articles` gives them, each with an empty body:
        a story's article list shows titles, outlets and dates (a big story has thousands of
        bodies); unknown ids are passed over."""
        ...

    def publication_dates(self, article_ids: Sequence[str]) -> dict[str, str | None]:
        """The stated publication date (``published``, as stored) of each of these articles, in
        the order they were first stored (as :meth:`articles`); unknown ids are passed over.
        Reads no text: what a story's date span needs, and which of a big story's articles its
        report covers."""
        ...

    def titled(self, article_ids: Sequence[str], title: str) -> list[str]:
        """The ids among ``article_ids`` of the articles titled ``title`` (surrounding
        whitespace ignored), in the order they were first stored. Reads titles only: which of a
        big story's articles carries its headline."""
        ...

    def links(self) -> list[Link]:
        """Link-only entries recorded from feeds, in the order first seen."""
        ...

    def list_articles(self, *, outlet: str | None = None, since: str | None = None, until: str | None = None,
                      story_id: str | None = None, person_id: str | None = None, limit: int = 50,
                      offset: int = 0) -> ArticlePage:
        """The article list page: articles from ``outlet`` (exact name), published on or after
        ``since`` and on or before ``until`` (ISO days), members of the story ``story_id`` and
        naming the person ``person_id`` (exact ids), newest stated publication first (undated
        last, then latest stored first); one page, without raw input, and the total matching."""
        ...

    def arrived_since(self, since: str, *, limit: int = 20) -> tuple[int, list[Article]]:
        """How many articles were stored after ``since`` (an ISO time as :func:`now` writes
        them), and the latest ``limit`` of them, newest first, without raw input."""
        ...

    # --- per-article analysis ----------------------------------------------------------------
    def put_analyses(self, analyses: Sequence[Analysis], version: str) -> None:
        """Store analyses in one transaction, each replacing any earlier analysis of its article.

        ``version`` names the analyzer that produced them (see :meth:`unanalysed`). Re-storing
        an article's analysis never duplicates its entities or quotes. Every article must be
        stored already; otherwise the whole batch is rolled back (StoreError).
        """
        ...

    def analysis(self, article_id: str) -> Analysis | None:
        """The stored analysis of one article (exact id), or None if it was never analysed."""
        ...

    def analyses_of(self, article_ids: Sequence[str]) -> dict[str, Analysis]:
        """The stored analyses of ``article_ids`` ({id: analysis}; those never analysed are
        left out), each as :meth:`analysis` gives it, in a few reads for all of them."""
        ...

    def unanalysed(self, version: str | None = None, *, limit: int | None = None,
                    among: Sequence[str] | None = None) -> list[str]:
        """Ids of articles with no analysis (or, given ``version``, none by that version), in
        the order the articles were stored."""
        ...

    def entities(self, type: str | None = None) -> list[ArticleEntity]:  # noqa: A002
        """Every stored entity with its article id, of one ``type`` if given ("PERSON",
        "ORG", "PLACE"), in article order and then the analyzer's order."""
        ...

    def entities_of(self, article_ids: Sequence[str], type: str | None = None, *,  # noqa: A002
                    mentions: bool = True) -> list[ArticleEntity]:
        """The stored entities of some articles (of one ``type`` if given), in article order and
        then the analyzer's order; unknown or unanalysed ids are passed over. ``mentions``
        False leaves each entity's mentions out (``()``): the people step reads names and roles
        only, and decoding the mentions was most of its reading."""
        ...

    def title_entities_of(self, article_ids: Sequence[str]) -> dict[str, tuple[Entity, ...]]:
        """``Analysis.title_entities`` of those of ``article_ids`` whose title has any (the
        story features read them with the body's entities)."""
        ...

    def quotes(self, speaker: str | None = None, *, people: Sequence[str] = (), limit: int | None = None,
               offset: int = 0) -> list[Quote]:
        """Stored quotes in article order, then by position in the body. ``speaker`` keeps the
        quotes whose speaker name equals it, ignoring case; ``people`` (person ids) those whose
        speaker entity is a member of one of these identities (with ``speaker``: either, each
        quote once)."""
        ...

    # --- reuse ------------------------------------------------------------------------------
    def put_fingerprints(
        self, fingerprints: Sequence[FingerprintRow], buckets: Sequence[Bucket], version: str,
    ) -> None:
        """Replace the fingerprints and LSH buckets of some articles in one transaction. Each
        fingerprint comes with its encoded signatures and vector (see link/reuse/candidates.py
        for the encoding)."""
        ...

    def unfingerprinted(self, version: str, *, limit: int | None = None,
                         among: Sequence[str] | None = None) -> list[str]:
        """Ids of articles with no fingerprint by ``version``, in the order they were stored."""
        ...

    def fingerprint_blobs(self, ids: Sequence[str] | None = None) -> list[FingerprintBlob]:
        """Fingerprints encoded as stored, for ``ids`` (in no set order) or for all (in the
        order the articles were stored)."""
        ...

    def bucket_mates(self, article_id: str, max_bucket: int, vector_votes: int = 1) -> dict[str, set[str]]:
        """By LSH kind: the articles sharing a bucket with ``article_id``, skipping buckets of
        ``max_bucket`` or more members; of kind "vector", only those sharing at least
        ``vector_votes`` such buckets (bands)."""
        ...

    def bucket_neighbours(self, ids: Sequence[str], max_bucket: int | None = None) -> list[Bucket]:
        """The LSH bucket rows of every other article in a bucket of one of ``ids`` (articles
        among ``ids`` left out; each row once, in no set order): what a bulk candidate search
        over ``ids`` needs of the rest of the store (link/reuse/bulk.py). With ``max_bucket``,
        a bucket holding more rows than that in all (``ids``' own included) is left out whole:
        the search makes no pair in it."""
        ...

    def settled_buckets(self, version: str, fingerprint_version: str) -> list[Bucket]:
        """The LSH bucket rows of every fingerprinted article not due for candidates (see
        :meth:`candidates_due`: looked up by ``version`` since its fingerprint, or fingerprinted
        by another version), in no set order: the other side of a bulk candidate search when
        the store holds fewer of them than the search's due articles."""
        ...

    def put_reuse(self, pairs: Sequence[ReusePair], version: str) -> None:
        """Insert or replace compared pairs (one row per unordered pair) in one transaction."""
        ...

    def compared(self, version: str | None = None) -> set[ComparedPair]:
        """The pairs compared by ``version`` (by any version when None)."""
        ...

    def reuse(self, *, kinds: Sequence[str] | None = None, article_id: str | None = None,
              limit: int | None = None, offset: int = 0) -> list[ReusePair]:
        """Compared pairs, optionally of some kinds or involving one article, most covered first
        (ties by the pair's ids); ``limit``/``offset`` page them in the store: only the page's
        pairs are read and decoded (a list of 20 of 150,000 pairs decodes 20)."""
        ...

    def count_reuse(self, *, kinds: Sequence[str] | None = None, article_id: str | None = None) -> int:
        """How many pairs :meth:`reuse` lists with these filters (no pair decoded)."""
        ...

    def reuse_among(self, article_ids: Sequence[str]) -> list[ReusePair]:
        """The compared pairs whose two articles are both among ``article_ids`` (a story's
        members), most covered first; only those pairs are read and decoded."""
        ...

    # --- stories ----------------------------------------------------------------------------
    def put_stories(self, stories: Sequence[Story], members: Sequence[Membership],
                    removed: Sequence[str], version: str, updated_at: str,
                    checkpoint: StoryCheckpoint | None = None, merges: Sequence[StoryMerge] = ()) -> None:
        """In one transaction: record memberships (each replacing the article's earlier one;
        a membership whose evidence is None keeps the stored evidence), record ``merges`` (an
        absorbed id already recorded is replaced), and
        replace the summaries of ``stories``, delete the stories in ``removed`` (merged
        away, with their stored facts) and, when given, write the clusterer's checkpoint (the state after these
        memberships): its header replaces the stored one; a whole checkpoint replaces every
        part, a delta replaces its parts and deletes its dropped keys, leaving the others.
        Every member must be a stored article; otherwise nothing is written (StoreError)."""
        ...

    def story_checkpoint(self) -> StoryCheckpoint | None:
        """The clusterer's checkpoint as the writes of :meth:`put_stories` left it, whole:
        the header and every stored part, in key order (None if none, or since
        :meth:`clear_stories`)."""
        ...

    def story_checkpoint_token(self) -> tuple[str, str] | None:
        """The stored checkpoint's (version, token), without its state: whether a clusterer
        kept in memory still mirrors it (None when there is no checkpoint)."""
        ...

    def unclustered(self, version: str, *, limit: int | None = None,
                     among: Sequence[str] | None = None) -> list[str]:
        """Ids of articles with no story membership by ``version``, in the order they were
        stored (at most ``limit``)."""
        ...

    def story_members(self, version: str | None = None) -> list[Membership]:
        """The memberships of the clustered articles (by ``version`` if given), in the
        clusterer's order (seq)."""
        ...

    def clear_stories(self) -> None:
        """Forget every story and membership, the merges, the clusterer's checkpoint and the
        stories' stored facts."""
        ...

    def member_evidence(self, article_ids: Sequence[str]) -> dict[str, str]:
        """Article id -> the stored JSON evidence of why it joined its story (articles without
        any are left out)."""
        ...

    def story_merge(self, absorbed_id: str) -> StoryMerge | None:
        """The merge that absorbed the story ``absorbed_id`` (exact id), or None."""
        ...

    def story_merges_of(self, absorbed_ids: Sequence[str]) -> dict[str, StoryMerge]:
        """The merges that absorbed these stories ({absorbed id: merge}; ids never absorbed
        are left out), in one read."""
        ...

    def stories(self, *, limit: int | None = None, offset: int = 0, query: str | None = None,
                outlet: str | None = None, person: str | None = None, since: str | None = None,
                until: str | None = None) -> list[Story]:
        """Stored stories, largest first, with their article ids in the clusterer's order;
        the filters keep stories with a member matching ``query`` (full text), from ``outlet``,
        naming ``person`` (part of a name), and whose date span reaches ``since``/``until``."""
        ...

    def story_summaries(self, *, limit: int | None = None, offset: int = 0, query: str | None = None,
                        outlet: str | None = None, person: str | None = None, since: str | None = None,
                        until: str | None = None) -> list[StorySummary]:
        """The stories :meth:`stories` lists, in its order, with the number of their articles
        instead of their ids: what the story lists (page, API, ``storyline stories``) show."""
        ...

    def outlets(self) -> list[OutletCount]:
        """Every named outlet with its article count and its sightings (the stored texts it also
        ran; an outlet seen only so is listed with 0 articles), most of both first, then by name."""
        ...

    def outlet_profiles(self, reuse_kinds: Sequence[str]) -> list[OutletProfile]:
        """Every named outlet with its article count, its sightings, first and last stated
        publication day (of its articles and sightings), and reuse across outlets (pairs of
        ``reuse_kinds`` whose two articles name different outlets), most articles and
        sightings first, then by name."""
        ...

    def outlet_detail(self, outlet: str, reuse_kinds: Sequence[str], *, stories: int = 50,
                      latest: int = 20) -> OutletDetail | None:
        """One outlet (exact canonical name) for its page, None when neither an article nor a
        sighting names it: its articles per stated publication day, reuse with each other outlet
        (pairs of ``reuse_kinds``, both directions), up to ``stories`` stories it covered (a
        sighted copy counts) with its first day there and its rank among the story's outlets
        (sightings' outlets included), its ``latest`` articles and its latest sightings."""
        ...

    def story(self, id_or_prefix: str) -> Story | None:
        """One story by id or unique prefix (LookupError when ambiguous)."""
        ...

    # --- search -----------------------------------------------------------------------------
    def search(self, query: str, *, limit: int | None = None, offset: int = 0) -> list[Article]:
        """Articles whose title or body holds every word of ``query`` (case ignored, words
        stemmed), best match first, without their raw input. Words only: no query operators."""
        ...

    def search_hits(self, query: str, *, outlet: str | None = None, since: str | None = None,
                    person: str | None = None, story_id: str | None = None, limit: int = 20,
                    offset: int = 0) -> list[SearchHit]:
        """As :meth:`search`, ranked, each with a snippet whose matched words are marked
        (``records.HIT_START``/``HIT_END``); the filters keep articles from ``outlet`` (name,
        case ignored), published on or after ``since`` (ISO date), naming a person whose name
        contains ``person`` (case ignored), or in the story ``story_id`` (exact id)."""
        ...

    def count(self, *, outlet: str | None = None, since: str | None = None, until: str | None = None,
              story_id: str | None = None, person: str | None = None) -> int:
        """How many articles are stored (those :meth:`articles` keeps with these filters)."""
        ...

    def count_stories(self, *, query: str | None = None, outlet: str | None = None, person: str | None = None,
                      since: str | None = None, until: str | None = None) -> int:
        """How many stories :meth:`stories` lists with these filters (a listing's total)."""
        ...

    def count_quotes(self, speaker: str | None = None, *, people: Sequence[str] = ()) -> int:
        """How many quotes :meth:`quotes` lists for ``speaker`` and ``people`` (all with neither)."""
        ...

    def count_hits(self, query: str, *, outlet: str | None = None, since: str | None = None,
                   person: str | None = None, story_id: str | None = None) -> int:
        """How many articles :meth:`search_hits` finds with these filters (a listing's total)."""
        ...

    def analysis_state(self) -> AnalysisState:
        """Articles analysed and the time of the latest analysis; a cheap reading that changes
        whenever stored analyses change (caches of what is derived from them key on it)."""
        ...

    def schema_version(self) -> int:
        """The newest migration applied to this store."""
        ...

    def close(self) -> None:
        ...


# --- rules every implementation applies alike ------------------------------------------------


def storable(value: Any) -> Any:
    """Text as every store keeps it: file names read with surrogate escapes (undecodable bytes
    in a path) become U+FFFD, and NUL (refused by PostgreSQL) is dropped. Other values as given."""
    if not isinstance(value, str):
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        value = value.encode("utf-8", "replace").decode("utf-8")
    return value.replace("\x00", "") if "\x00" in value else value


def speaker_key(name: str | None) -> str | None:
    """A speaker name as the ``quotes(speaker=...)`` filter compares it: case-folded in Python
    (so that SQLite, whose LOWER() folds ASCII only, agrees with PostgreSQL), spaces collapsed."""
    return " ".join(name.casefold().split()) if name is not None else None


def now() -> str:
    """The time of a write, to the second (UTC, ISO 8601)."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def day_after(day: str) -> str:
    """The ISO day after ``day`` (an ISO day); ValueError for anything else. Article lists keep
    ``published < day_after(until)`` so that a publication time on ``until`` itself counts."""
    return (dt.date.fromisoformat(day[:10]) + dt.timedelta(days=1)).isoformat()


def days_ago(days: float) -> str:
    """The time ``days`` ago, as :func:`now` writes times."""
    then = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)
    return then.replace(microsecond=0).isoformat()


def now_precise() -> str:
    """Now, to the microsecond: two analyses a moment apart get different times (analysis_state)."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")
