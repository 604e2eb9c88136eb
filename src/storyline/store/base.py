"""The Store interface: everything Storyline keeps goes through these few methods."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol

from storyline.records import Analysis, Article, Entity, Fingerprint, Link, Quote, ReusePair, Story

WriteStatus = Literal["added", "present"]


class StoreError(RuntimeError):
    """The store could not complete an operation (disk full, server gone, schema too new).

    The batch that was being written is rolled back; everything committed before it stays.
    """


class AmbiguousIdError(LookupError):
    """An id prefix matches more than one article."""


class Store(Protocol):
    """A durable home for articles. Implementations: SQLite (default) and PostgreSQL.

    Writes are idempotent: an article whose content hash or normalised URL is already stored
    is reported as "present" and not written again. Each call that writes is one transaction.
    """

    url: str

    def add_articles(self, articles: Sequence[Article]) -> list[tuple[WriteStatus, str]]:
        """Store a batch in one transaction; per article, ("added" | "present", stored id)."""
        ...

    def add_links(self, links: Sequence[Link]) -> int:
        """Record link-only feed entries (one transaction); returns how many were new."""
        ...

    def article(self, id_or_prefix: str) -> Article | None:
        """One article with its raw input, by id or unique id prefix (AmbiguousIdError if not)."""
        ...

    def articles(
        self, *, limit: int | None = None, offset: int = 0, ids: Sequence[str] | None = None
    ) -> list[Article]:
        """Articles in the order they were first stored, without their raw input.

        With ``ids``, only the articles with those exact ids (unknown ids are passed over).
        """
        ...

    def links(self) -> list[Link]:
        """Link-only entries recorded from feeds, in the order first seen."""
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

    def unanalysed(self, version: str | None = None, *, limit: int | None = None) -> list[str]:
        """Ids of articles with no analysis (or, given ``version``, none by that version), in
        the order the articles were stored."""
        ...

    def entities(self, type: str | None = None) -> list[tuple[str, Entity]]:  # noqa: A002
        """(article id, entity) for every stored entity, of one ``type`` if given ("PERSON",
        "ORG", "PLACE"), in article order and then the analyzer's order."""
        ...

    def quotes(self, speaker: str | None = None, *, limit: int | None = None, offset: int = 0) -> list[Quote]:
        """Stored quotes in article order, then by position in the body. ``speaker`` keeps the
        quotes whose speaker name equals it, ignoring case."""
        ...

    # --- reuse ------------------------------------------------------------------------------
    def put_fingerprints(
        self, fingerprints: Sequence[tuple[Fingerprint, bytes, bytes, bytes | None]],
        buckets: Sequence[tuple[str, str, int, int]], version: str,
    ) -> None:
        """Replace the fingerprints and LSH buckets ((article_id, kind, band, bucket)) of some
        articles in one transaction. Each fingerprint comes with its encoded signatures and
        vector (see link/reuse/candidates.py for the encoding)."""
        ...

    def unfingerprinted(self, version: str, *, limit: int | None = None) -> list[str]:
        """Ids of articles with no fingerprint by ``version``, in the order they were stored."""
        ...

    def fingerprint_blobs(self, ids: Sequence[str] | None = None) -> list[tuple[str, bytes, bytes, bytes | None]]:
        """(article_id, shingles, words, vector) encoded as stored, for ``ids`` or for all."""
        ...

    def bucket_mates(self, article_id: str, max_bucket: int) -> dict[str, set[str]]:
        """By LSH kind: the articles sharing a bucket with ``article_id``, skipping buckets of
        ``max_bucket`` or more members."""
        ...

    def put_reuse(self, pairs: Sequence[ReusePair], version: str) -> None:
        """Insert or replace compared pairs (one row per unordered pair) in one transaction."""
        ...

    def compared(self, version: str | None = None) -> set[tuple[str, str]]:
        """(first_id, second_id), first_id < second_id, of the pairs compared by ``version``
        (by any version when None)."""
        ...

    def reuse(self, *, kinds: Sequence[str] | None = None, article_id: str | None = None) -> list[ReusePair]:
        """Compared pairs, optionally of some kinds or involving one article, most covered first."""
        ...

    # --- stories ----------------------------------------------------------------------------
    def put_stories(self, stories: Sequence[Story], members: Sequence[tuple[str, str, int]],
                    removed: Sequence[str], version: str, updated_at: str) -> None:
        """In one transaction: record memberships ((article_id, story_id, seq)), replace the
        summaries of ``stories`` and delete the stories in ``removed`` (merged away)."""
        ...

    def story_members(self, version: str | None = None) -> list[tuple[str, str, int]]:
        """(article_id, story_id, seq) of the clustered articles, in the clusterer's order."""
        ...

    def clear_stories(self) -> None:
        """Forget every story and membership."""
        ...

    def stories(self, *, limit: int | None = None, offset: int = 0, query: str | None = None,
                outlet: str | None = None, person: str | None = None, since: str | None = None,
                until: str | None = None) -> list[Story]:
        """Stored stories, largest first, with their article ids in the clusterer's order;
        the filters keep stories with a member matching ``query`` (full text), from ``outlet``,
        naming ``person`` (part of a name), and whose date span reaches ``since``/``until``."""
        ...

    def outlets(self) -> list[tuple[str, int]]:
        """(outlet, article count) of every named outlet, most articles first."""
        ...

    def story(self, id_or_prefix: str) -> Story | None:
        """One story by id or unique prefix (LookupError when ambiguous)."""
        ...

    def story_of(self, article_id: str) -> str | None:
        """The story id of a clustered article."""
        ...

    # --- search -----------------------------------------------------------------------------
    def search(self, query: str, *, limit: int | None = None, offset: int = 0) -> list[Article]:
        """Articles whose title or body holds every word of ``query`` (case ignored, words
        stemmed), best match first, without their raw input. Words only: no query operators."""
        ...

    def count(self) -> int:
        """How many articles are stored."""
        ...

    def analysis_state(self) -> tuple[int, str | None]:
        """(articles analysed, time of the latest analysis); a cheap reading that changes
        whenever stored analyses change (caches of what is derived from them key on it)."""
        ...

    def schema_version(self) -> int:
        """The newest migration applied to this store."""
        ...

    def close(self) -> None:
        ...
