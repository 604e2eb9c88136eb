"""The small named records the Store interface takes and returns, besides the pipeline records.

They are NamedTuples so that code which unpacks them (``for status, article_id in ...``) and
tests that compare them with plain tuples keep working; new code reads them by name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:  # numpy loads with the vectors, not with every listing command
    import numpy as np


from storyline.records import Article, Entity, Fingerprint, Identity, Sighting, Story

WriteStatus = Literal["added", "present"]


class WriteResult(NamedTuple):
    """What ``add_articles`` did with one article: "added", or "present" under ``article_id``
    (the id of the copy already stored, which may differ from the article's own); ``sighting``
    is True when a present article was recorded as a new sighting of the stored one (the same
    text from a new URL or, without URL, a new outlet: see ``Store.add_articles``)."""

    status: WriteStatus
    article_id: str
    sighting: bool = False


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
    # Why it joined (JSON, link/stories/cluster.py ``_evidence``); None keeps what is stored
    # (a member moved by a merge keeps the reason it joined). Not read back by story_members.
    evidence: str | None = None


class StoryMerge(NamedTuple):
    """A story absorbed by another: ``absorbed_id`` now resolves to ``story_id``; ``evidence``
    is JSON (the article that showed they are one, the rule and its scores)."""

    absorbed_id: str
    story_id: str
    merged_at: str
    evidence: str


class ArticleEntity(NamedTuple):
    """A stored entity with the article it was found in."""

    article_id: str
    entity: Entity


class OutletCount(NamedTuple):
    """A named outlet, how many stored articles come from it and how many times it was seen
    running a stored article's text word for word (``sighted``: its sightings; an outlet that
    only syndicates has articles 0)."""

    outlet: str
    articles: int
    sighted: int = 0


# Where a search snippet's matched words start and end: private-use characters, which news text
# does not hold (one that did would show a stray highlight, nothing worse).
HIT_START = "\ue000"
HIT_END = "\ue001"


class SearchHit(NamedTuple):
    """One search result: the article (without raw input), its rank (higher is better; only
    comparable within one result list) and a snippet with the matched words between
    :data:`HIT_START` and :data:`HIT_END`."""

    article: Article
    rank: float
    snippet: str


class FetchRecord(NamedTuple):
    """What fetching one URL answered last (``put_fetches`` / ``fetches``): ``status`` is "ok",
    "not_modified" or "failed"; ``attempts`` counts failures in a row and ``next_try`` says when
    a failed page is due again; ``etag`` and ``last_modified`` make the next request conditional;
    ``feed`` is the feed whose entry named the page."""

    url: str
    status: str
    fetched_at: str
    reason: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    attempts: int = 0
    next_try: str | None = None
    feed: str | None = None


class FeedRecord(NamedTuple):
    """A watched feed (``put_feeds`` / ``feeds``). ``entries``: entries at the last successful
    poll; ``articles``: articles added from it over all polls; ``articles_7d`` (read only):
    stored articles whose source is the feed, ingested in the last seven days."""

    url: str
    added_at: str
    title: str | None = None
    last_polled: str | None = None
    last_success: str | None = None
    last_error: str | None = None
    last_error_at: str | None = None
    entries: int = 0
    articles: int = 0
    articles_7d: int = 0


class OutletProfile(NamedTuple):
    """An outlet as ``outlet_profiles`` reads it: articles, its first and last publication day
    (stated dates), and reuse across outlets: ``copied_from_others`` counts its articles that
    reuse another outlet's article, ``copied_by_others`` the other outlets' articles that reuse
    one of its own (reuse pairs of the reuse kinds, directed). ``sighted`` counts the stored
    articles whose text it also ran word for word (its sightings); the first and last days are
    over its articles and its sightings."""

    outlet: str
    articles: int
    first_published: str | None
    last_published: str | None
    copied_from_others: int
    copied_by_others: int
    sighted: int = 0


class OutletReuse(NamedTuple):
    """Reuse between one outlet and another (``other``), counted in reuse pairs of the reuse
    kinds: ``copied_from`` its articles that reuse one of the other's, ``copied_by`` the
    other's articles that reuse one of its own."""

    other: str
    copied_from: int
    copied_by: int


def sort_reuse(counts: dict[str, list[int]]) -> list[OutletReuse]:
    """``{other outlet: [copied_from, copied_by]}`` as OutletReuse rows, the most reuse in both
    directions first, then by name (every store orders them so)."""
    return [OutletReuse(o, f, b) for o, (f, b) in sorted(counts.items(), key=lambda x: (-sum(x[1]), x[0]))]


class OutletStory(NamedTuple):
    """A story an outlet covered: its articles there (a sighted copy counts: the same text run
    at one more address), its first stated publication day there,
    the story's first day among all named outlets, ``rank`` (1 + the named outlets whose first
    day there is earlier: 1 is first, ties share; None when the outlet's articles are undated)
    and the named outlets in the story."""

    story_id: str
    label: str
    articles: int
    first_day: str | None
    story_first_day: str | None
    rank: int | None
    outlets: int


class OutletDetail(NamedTuple):
    """One outlet as ``outlet_detail`` reads it: articles per stated publication day (days in
    order; undated articles only in ``articles``), reuse with each other outlet (most first),
    the stories it covered (latest first day first; a story it only ran a sighted copy in
    counts too) and its latest articles (without raw input). ``sighted`` counts its sightings
    (stored texts it also ran word for word) and ``sighted_latest`` holds the latest of them,
    latest stated publication first; ``days`` counts its own articles only."""

    outlet: str
    articles: int
    days: list[tuple[str, int]]
    reuse: list[OutletReuse]
    stories: list[OutletStory]
    latest: list[Article]
    sighted: int = 0
    sighted_latest: tuple[Sighting, ...] = ()

    @property
    def undated(self) -> int:
        """Its articles with no stated publication day."""
        return self.articles - sum(n for _, n in self.days)

    @property
    def span(self) -> tuple[str | None, str | None]:
        """Its first and last stated publication day (None, None when none is dated)."""
        return (self.days[0][0], self.days[-1][0]) if self.days else (None, None)


class AnalysisState(NamedTuple):
    """How many articles are analysed and when the latest analysis was stored (None when none
    is): a cheap reading that changes whenever stored analyses change."""

    analysed: int
    latest: str | None


class CandidatePair(NamedTuple):
    """Two articles to compare for reuse (``first_id < second_id``) and the first way they were
    found: "shingles" or "words" (a shared MinHash LSH bucket), "vector" (article vectors
    within SEMANTIC_MIN), "compared" (compared before candidates were stored)."""

    first_id: str
    second_id: str
    found_by: str


class SentenceVectors(NamedTuple):
    """An article's sentences (``align_spans(body)``: character offsets into the body) and one
    unit embedding row per sentence (``matrix``: float32, n x 384)."""

    spans: tuple[tuple[int, int], ...]
    matrix: np.ndarray

    def encode(self) -> tuple[bytes, bytes]:
        """(spans, vectors) as stored: int32 and float16, little-endian. float16 halves the
        bytes of float32 (768 bytes a sentence) and changes a cosine by about 1e-3, far below
        any threshold the alignment uses (0.35 and up)."""
        import numpy as np

        spans = np.asarray(self.spans, dtype="<i4").reshape(-1, 2)
        return spans.tobytes(), np.asarray(self.matrix, dtype="<f2").tobytes()

    @classmethod
    def decode(cls, spans: bytes, vectors: bytes, dim: int = 384) -> SentenceVectors:
        import numpy as np

        pairs = np.frombuffer(spans, dtype="<i4").reshape(-1, 2)
        matrix = np.frombuffer(vectors, dtype="<f2").astype(np.float32).reshape(-1, dim)
        return cls(tuple((int(a), int(b)) for a, b in pairs), matrix)


class CheckpointPart(NamedTuple):
    """One keyed part of a story checkpoint (an active story, or a held member's item): JSON
    data and a little-endian binary blob (link/stories/checkpoint.py says what each holds)."""

    key: str
    data: str
    blob: bytes = b""


class StoryCheckpoint(NamedTuple):
    """The story clusterer's state after the last clustered batch (link/stories/checkpoint.py):
    enough to continue without replaying the memberships. Written with that batch's memberships.

    Stored as a header (``state``) and keyed parts. Written whole (``whole``: every stored part
    not in ``parts`` is deleted) or as a delta: the parts in ``parts`` replace those stored
    under their keys and the keys in ``dropped`` are deleted, so a batch writes what it
    changed, not the whole active state. Read, it is always whole."""

    version: str  # the clusterer version (CLUSTER_VERSION) that wrote it
    next_seq: int  # the seq the next clustered article gets
    state: str  # JSON header: document frequencies, clock, centroid rows (format 2: everything)
    vectors: bytes = b""  # format 2 only: the members' article vectors, float32, 384 a row
    sums: bytes = b""  # format 2 only: the active stories' vector sums, int64, 384 a row
    parts: tuple[CheckpointPart, ...] = ()
    dropped: tuple[str, ...] = ()
    whole: bool = True
    # A random id of this write, and for a delta the id of the checkpoint it applies over: a
    # delta is written only over that one (else StoreError: another run wrote meanwhile, and
    # the delta would corrupt the state). A clusterer kept in memory between batches is used
    # only while the stored token is the one it wrote (link/stories/scan.py).
    token: str = ""
    base: str | None = None
class PersonMember(NamedTuple):
    """An in-article entity in a stored identity, and why it joined ("same name", or the merge
    reason that brought it in)."""

    article_id: str
    entity_id: str
    reason: str


class PersonAlias(NamedTuple):
    """A name an identity goes by, with the entity that used it."""

    alias: str
    article_id: str
    entity_id: str


class PersonRole(NamedTuple):
    """A role given to an identity, with where the article says it (offsets of the title)."""

    title: str
    article_id: str
    entity_id: str
    start: int
    end: int


class StoredPerson(NamedTuple):
    """One identity as ``put_people`` writes it: the :class:`Identity` fields (``aliases``,
    ``roles`` and ``merges`` as displayed), its members, its aliases and roles with their
    sources, and its name keys (the index a new entity finds it by)."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    roles: tuple[str, ...]
    merges: tuple[str, ...]
    members: tuple[PersonMember, ...]
    alias_sources: tuple[PersonAlias, ...]
    role_sources: tuple[PersonRole, ...]
    keys: tuple[str, ...]
    # The folded one-word name it would be a place by (link/people/places.place_key), or None.
    place_key: str | None = None


class PersonSummary(NamedTuple):
    """A stored identity as lists show it: no members (a well-known person has hundreds of
    thousands), the number of articles it is named in as the people step stored it."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    roles: tuple[str, ...]
    articles: int

    @classmethod
    def of(cls, identity: Identity) -> PersonSummary:
        """The summary of an identity read whole (its articles counted from its members)."""
        return cls(identity.id, identity.name, identity.type, identity.aliases, identity.roles,
                   len({a for a, _ in identity.members}))


class StorySummary(NamedTuple):
    """A stored story as lists show it: the number of its articles, not their ids (a big story
    has thousands; reading them was most of a list's cost at 50k articles)."""

    id: str
    label: str
    headline: str | None
    key_entities: tuple[str, ...]
    first: str | None
    last: str | None
    undated: int
    articles: int
    coverage_first: str | None = None
    coverage_last: str | None = None

    @classmethod
    def of(cls, story: Story) -> StorySummary:
        """The summary of a story read with its members."""
        return cls(story.id, story.label, story.headline, story.key_entities, story.first, story.last,
                   story.undated, len(story.article_ids), story.coverage_first, story.coverage_last)


class PersonTallies(NamedTuple):
    """How often a stored identity goes by each alias and why its members joined it, counted
    where they are stored: (text, count) pairs, most first, ties in text order."""

    aliases: tuple[tuple[str, int], ...]
    reasons: tuple[tuple[str, int], ...]


class PersonSources(NamedTuple):
    """Where a stored identity's facts come from, for its page: each member entity with the
    reason it joined, each alias and each role with the entity (and offsets) that gave it."""

    members: tuple[PersonMember, ...]
    aliases: tuple[PersonAlias, ...]
    roles: tuple[PersonRole, ...]


class ArticlePage(NamedTuple):
    """One page of a filtered article list, with how many articles match in all."""

    total: int
    articles: list  # of records.Article, without raw input


class PersonRedirect(NamedTuple):
    """An identity absorbed by another: lookups of ``old_id`` find ``new_id``. ``new_id`` None
    means the identity lost every member (its articles were re-analysed) and is gone."""

    old_id: str
    new_id: str | None



class MentionCounts(NamedTuple):
    """How many done articles mention each asked-for person (surname key), and how many done
    articles mention anybody at all."""

    counts: dict[str, int]
    articles: int


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
    # The span of its articles' publication days, stated or inferred (ISO dates).
    coverage_first: str | None = None
    coverage_last: str | None = None


class ValuePairEntry(NamedTuple):
    """A pair of articles compared for story facts (link/stories/value_pairs.py): ids with
    first < second, the version of what compared them, a stamp of each article, and
    ``evidence``: the JSON of what the number and date findings read of it, or None."""

    first_id: str
    second_id: str
    version: str
    first_stamp: str
    second_stamp: str
    evidence: str | None


class Correction(NamedTuple):
    """A correction made by hand (store/schema/015_corrections.sql). ``kind`` is one of
    link/corrections' kinds; ``targets`` the ids it names, ``payload`` what re-applying it
    needs (JSON-ready), ``keys`` the lookup keys the linking steps find it by. ``undone_at`` is
    set when it was undone (it is then no longer applied, but kept and listed)."""

    id: int
    kind: str
    targets: tuple[str, ...]
    payload: dict
    author: str
    reason: str
    created_at: str
    undone_at: str | None = None
    undone_by: str | None = None
    keys: tuple[str, ...] = ()


class StepCursor(NamedTuple):
    """Where a step stands in the change log (store/schema/016_changes.sql): the step version it
    last ran at, the log position it has read up to, and the keys it left due (failures).
    Pending keys are JSON values: an article or story id, or a pair as a two-item list."""

    step: str
    version: str
    position: int
    pending: tuple = ()
