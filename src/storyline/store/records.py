"""The small named records the Store interface takes and returns, besides the pipeline records.

They are NamedTuples so that code which unpacks them (``for status, article_id in ...``) and
tests that compare them with plain tuples keep working; new code reads them by name.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from storyline.records import Entity, Fingerprint

WriteStatus = Literal["added", "present"]


class WriteResult(NamedTuple):
    """What ``add_articles`` did with one article: "added", or "present" under ``article_id``
    (the id of the copy already stored, which may differ from the article's own)."""

    status: WriteStatus
    article_id: str


class FingerprintRow(NamedTuple):
    """One article's fingerprint with its encoded signatures and vector, as ``put_fingerprints``
    stores them (encoding: see link/reuse/candidates.py)."""

    fingerprint: Fingerprint
    shingles: bytes
    words: bytes
    vector: bytes | None


class Bucket(NamedTuple):
    """One LSH bucket an article falls in: for ``kind`` ("shingles" or "words") and ``band``,
    the 63-bit hash of the band's signature rows."""

    article_id: str
    kind: str
    band: int
    bucket: int


class FingerprintBlob(NamedTuple):
    """An article's stored fingerprint, still encoded (see link/reuse/candidates.py)."""

    article_id: str
    shingles: bytes
    words: bytes
    vector: bytes | None


class ComparedPair(NamedTuple):
    """Two articles that were compared for reuse, whichever way the reuse runs:
    ``first_id < second_id``."""

    first_id: str
    second_id: str


class Membership(NamedTuple):
    """An article's place in a story: ``seq`` is the order the clusterer saw it in."""

    article_id: str
    story_id: str
    seq: int


class ArticleEntity(NamedTuple):
    """A stored entity with the article it was found in."""

    article_id: str
    entity: Entity


class OutletCount(NamedTuple):
    """A named outlet and how many stored articles come from it."""

    outlet: str
    articles: int


class AnalysisState(NamedTuple):
    """How many articles are analysed and when the latest analysis was stored (None when none
    is): a cheap reading that changes whenever stored analyses change."""

    analysed: int
    latest: str | None


class AnalysisStamp(NamedTuple):
    """Which analyzer version analysed an article, and when (what derived facts depend on)."""

    article_id: str
    version: str
    analysed_at: str


class StoryFacts(NamedTuple):
    """A story's stored facts: ``facts`` is the JSON-ready document of link/stories/facts.py,
    ``state`` the fingerprint of what it was built from, ``version`` the builder's version."""

    story_id: str
    state: str
    version: str
    built_at: str
    facts: dict
