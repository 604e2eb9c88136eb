"""``SQLStore``: the Store protocol over one SQL connection, by delegation to the query modules.

Each method is a one-line hand-over to the module of its area (articles, analysis, reuse,
stories, search); the documentation of every method is on the protocol (store/base.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from storyline.records import Analysis, Article, Entity, Identity, Link, Quote, ReusePair, Sighting, Story
from storyline.store.records import (
    AnalysisStamp,
    ArticlePage,
    AnalysisState,
    ArticleEntity,
    Bucket,
    CandidatePair,
    ComparedPair,
    Correction,
    FeedRecord,
    FetchRecord,
    FingerprintBlob,
    SearchHit,
    FingerprintRow,
    Membership,
    StoryMerge,
    MentionCounts,
    OutletCount,
    OutletDetail,
    OutletProfile,
    SentenceVectors,
    StoryCheckpoint,
    StepCursor,
    StoryFacts,
    ValuePairEntry,
    PersonRedirect,
    PersonSources,
    PersonSummary,
    PersonTallies,
    StorySummary,
    StoredPerson,
    WriteResult,
)
from storyline.store.base import days_ago
from storyline.store.sql import analysis, articles, changes, check, corrections, facts, fetching, outlets, people, people_shards, reuse, reuse_steps, search, sightings, stories
from storyline.store.sql.connection import Connection
from storyline.store.sql.migrate import migrate


class SQLStore:
    """The Store implementation shared by SQLite and PostgreSQL. A backend opens a
    :class:`Connection` of its dialect and hands it over; the schema is migrated here."""

    def __init__(self, db: Connection):
        self.db = db
        self.url = db.url
        self._decoded_pairs = reuse.DecodedPairs()
        self.warm: dict = {}
        migrate(db)
        changes.adopt(db)

    # --- articles ----------------------------------------------------------------------------
    def check(self, *, analyzer_version: str, repair: bool = False) -> list[check.Finding]:
        """Integrity findings in plain words (storyline/store/sql/check.py)."""
        return check.check(self.db, analyzer_version=analyzer_version, repair=repair)

    def add_articles(self, batch: Sequence[Article]) -> list[WriteResult]:
        return articles.add_articles(self.db, batch)

    def add_links(self, links: Sequence[Link]) -> int:
        return articles.add_links(self.db, links)

    def sightings(self, article_ids: Sequence[str]) -> dict[str, list[Sighting]]:
        return sightings.sightings(self.db, article_ids)

    def count_sightings(self) -> int:
        return sightings.count(self.db)

    def article(self, id_or_prefix: str) -> Article | None:
        return articles.article(self.db, id_or_prefix)

    def articles(self, *, limit: int | None = None, offset: int = 0, ids: Sequence[str] | None = None,
                 outlet: str | None = None, since: str | None = None, until: str | None = None,
                 story_id: str | None = None, person: str | None = None) -> list[Article]:
        return articles.articles(self.db, limit=limit, offset=offset, ids=ids, outlet=outlet, since=since,
                                 until=until, story_id=story_id, person=person)

    def article_heads(self, ids: Sequence[str]) -> list[Article]:
        return articles.article_heads(self.db, ids)

    def publication_dates(self, article_ids: Sequence[str]) -> dict[str, str | None]:
        return articles.publication_dates(self.db, article_ids)

    def titled(self, article_ids: Sequence[str], title: str) -> list[str]:
        return articles.titled(self.db, article_ids, title)

    def links(self) -> list[Link]:
        return articles.links(self.db)

    def list_articles(self, *, outlet: str | None = None, since: str | None = None, until: str | None = None,
                      story_id: str | None = None, person_id: str | None = None, limit: int = 50,
                      offset: int = 0) -> ArticlePage:
        return articles.list_articles(self.db, outlet=outlet, since=since, until=until, story_id=story_id,
                                      person_id=person_id, limit=limit, offset=offset)

    def arrived_since(self, since: str, *, limit: int = 20) -> tuple[int, list[Article]]:
        return articles.arrived_since(self.db, since, limit)

    def count(self, *, outlet: str | None = None, since: str | None = None, until: str | None = None,
              story_id: str | None = None, person: str | None = None) -> int:
        return articles.count(self.db, outlet=outlet, since=since, until=until, story_id=story_id, person=person)

    def outlets(self) -> list[OutletCount]:
        return articles.outlets(self.db)

    def outlet_profiles(self, reuse_kinds: Sequence[str]) -> list[OutletProfile]:
        return articles.outlet_profiles(self.db, reuse_kinds)

    def outlet_detail(self, outlet: str, reuse_kinds: Sequence[str], *, stories: int = 50,
                      latest: int = 20) -> OutletDetail | None:
        return outlets.outlet_detail(self.db, outlet, reuse_kinds, stories=stories, latest=latest)

    # --- per-article analysis ----------------------------------------------------------------
    def put_analyses(self, analyses: Sequence[Analysis], version: str) -> None:
        analysis.put_analyses(self.db, analyses, version)

    def analysis(self, article_id: str) -> Analysis | None:
        return analysis.analysis(self.db, article_id)

    def analyses_of(self, article_ids: Sequence[str]) -> dict[str, Analysis]:
        return analysis.analyses_of(self.db, article_ids)

    def unanalysed(self, version: str | None = None, *, limit: int | None = None,
                    among: Sequence[str] | None = None) -> list[str]:
        return analysis.unanalysed(self.db, version, limit=limit, among=among)

    def entities(self, type: str | None = None) -> list[ArticleEntity]:  # noqa: A002
        return analysis.entities(self.db, type)

    def entities_of(self, article_ids: Sequence[str], type: str | None = None, *,  # noqa: A002
                    mentions: bool = True) -> list[ArticleEntity]:
        return analysis.entities_of(self.db, article_ids, type, mentions=mentions)

    def title_entities_of(self, article_ids: Sequence[str]) -> dict[str, tuple[Entity, ...]]:
        return analysis.title_entities_of(self.db, article_ids)

    def quotes(self, speaker: str | None = None, *, people: Sequence[str] = (), limit: int | None = None,
               offset: int = 0) -> list[Quote]:
        return analysis.quotes(self.db, speaker, people=people, limit=limit, offset=offset)

    def count_quotes(self, speaker: str | None = None, *, people: Sequence[str] = ()) -> int:
        return analysis.count_quotes(self.db, speaker, people)

    def analysis_state(self) -> AnalysisState:
        return analysis.analysis_state(self.db)

    # --- reuse -------------------------------------------------------------------------------
    def put_fingerprints(self, fingerprints: Sequence[FingerprintRow], buckets: Sequence[Bucket],
                         version: str) -> None:
        reuse.put_fingerprints(self.db, fingerprints, buckets, version)

    def unfingerprinted(self, version: str, *, limit: int | None = None,
                         among: Sequence[str] | None = None) -> list[str]:
        return reuse.unfingerprinted(self.db, version, limit=limit, among=among)

    def fingerprint_blobs(self, ids: Sequence[str] | None = None) -> list[FingerprintBlob]:
        return reuse.fingerprint_blobs(self.db, ids)

    def bucket_mates(self, article_id: str, max_bucket: int, vector_votes: int = 1) -> dict[str, set[str]]:
        return reuse.bucket_mates(self.db, article_id, max_bucket, vector_votes)

    def bucket_neighbours(self, ids: Sequence[str], max_bucket: int | None = None) -> list[Bucket]:
        return reuse.bucket_neighbours(self.db, ids, max_bucket)

    def settled_buckets(self, version: str, fingerprint_version: str) -> list[Bucket]:
        return reuse.settled_buckets(self.db, version, fingerprint_version)

    def put_reuse(self, pairs: Sequence[ReusePair], version: str) -> None:
        reuse.put_reuse(self.db, pairs, version)

    def compared(self, version: str | None = None) -> set[ComparedPair]:
        return reuse.compared(self.db, version)

    def reuse(self, *, kinds: Sequence[str] | None = None, article_id: str | None = None,
              limit: int | None = None, offset: int = 0) -> list[ReusePair]:
        return reuse.reuse(self.db, kinds=kinds, article_id=article_id, limit=limit, offset=offset)

    def count_reuse(self, *, kinds: Sequence[str] | None = None, article_id: str | None = None) -> int:
        return reuse.count_reuse(self.db, kinds=kinds, article_id=article_id)

    def reuse_among(self, article_ids: Sequence[str]) -> list[ReusePair]:
        return reuse.reuse_among(self.db, article_ids, self._decoded_pairs)

    # --- reuse steps -------------------------------------------------------------------------
    def put_sentence_vectors(self, vectors: dict[str, SentenceVectors], version: str) -> None:
        reuse_steps.put_sentence_vectors(self.db, vectors, version)

    def sentence_vectors(self, ids: Sequence[str], version: str | None = None) -> dict[str, SentenceVectors]:
        return reuse_steps.sentence_vectors(self.db, ids, version)

    def unembedded(self, version: str, *, limit: int | None = None,
                    among: Sequence[str] | None = None) -> list[str]:
        return reuse_steps.unembedded(self.db, version, limit=limit, among=among)

    def candidates_due(self, version: str, fingerprint_version: str, *, limit: int | None = None,
                        among: Sequence[str] | None = None) -> list[str]:
        return reuse_steps.candidates_due(self.db, version, fingerprint_version, limit=limit, among=among)

    def put_candidates(self, pairs: Sequence[CandidatePair], done: Sequence[str], version: str) -> None:
        reuse_steps.put_candidates(self.db, pairs, done, version)

    def candidates(self, article_id: str) -> list[CandidatePair]:
        return reuse_steps.candidates(self.db, article_id)

    def uncompared(self, version: str, *, limit: int | None = None,
                    among: Sequence[str] | None = None) -> list[ComparedPair]:
        return reuse_steps.uncompared(self.db, version, limit=limit, among=among)

    # --- stories -----------------------------------------------------------------------------
    def put_stories(self, summaries: Sequence[Story], members: Sequence[Membership],
                    removed: Sequence[str], version: str, updated_at: str,
                    checkpoint: StoryCheckpoint | None = None, merges: Sequence[StoryMerge] = ()) -> None:
        stories.put_stories(self.db, summaries, members, removed, version, updated_at, checkpoint, merges)

    def member_evidence(self, article_ids: Sequence[str]) -> dict[str, str]:
        return stories.member_evidence(self.db, article_ids)

    def story_merge(self, absorbed_id: str) -> StoryMerge | None:
        return stories.story_merge(self.db, absorbed_id)

    def story_merges_of(self, absorbed_ids: Sequence[str]) -> dict[str, StoryMerge]:
        return stories.story_merges_of(self.db, absorbed_ids)

    def story_checkpoint(self) -> StoryCheckpoint | None:
        return stories.story_checkpoint(self.db)

    def story_checkpoint_token(self) -> tuple[str, str] | None:
        return stories.story_checkpoint_token(self.db)

    def unclustered(self, version: str, *, limit: int | None = None,
                     among: Sequence[str] | None = None) -> list[str]:
        return stories.unclustered(self.db, version, limit=limit, among=among)

    def story_members(self, version: str | None = None) -> list[Membership]:
        return stories.story_members(self.db, version)

    def clear_stories(self) -> None:
        stories.clear_stories(self.db)

    def stories(self, *, limit: int | None = None, offset: int = 0, query: str | None = None,
                outlet: str | None = None, person: str | None = None, since: str | None = None,
                until: str | None = None) -> list[Story]:
        return stories.stories(self.db, limit=limit, offset=offset, query=query, outlet=outlet,
                               person=person, since=since, until=until)

    def story_summaries(self, *, limit: int | None = None, offset: int = 0, query: str | None = None,
                        outlet: str | None = None, person: str | None = None, since: str | None = None,
                        until: str | None = None) -> list[StorySummary]:
        return stories.story_summaries(self.db, limit=limit, offset=offset, query=query, outlet=outlet,
                                       person=person, since=since, until=until)

    def count_stories(self, *, query: str | None = None, outlet: str | None = None, person: str | None = None,
                      since: str | None = None, until: str | None = None) -> int:
        return stories.count_stories(self.db, query=query, outlet=outlet, person=person, since=since, until=until)

    def story(self, id_or_prefix: str) -> Story | None:
        return stories.story(self.db, id_or_prefix)

    def story_of(self, article_id: str) -> str | None:
        return stories.story_of(self.db, article_id)

    # --- story facts -------------------------------------------------------------------------
    def analysis_stamps(self, ids: Sequence[str]) -> list[AnalysisStamp]:
        return facts.analysis_stamps(self.db, ids)

    def put_story_facts(self, rows: Sequence[StoryFacts], removed: Sequence[str] = ()) -> None:
        facts.put_story_facts(self.db, rows, removed)

    def story_facts(self, story_ids: Sequence[str]) -> list[StoryFacts]:
        return facts.story_facts(self.db, story_ids)

    def value_pairs(self, pairs: Sequence[tuple[str, str]], version: str) -> list[ValuePairEntry]:
        return facts.value_pairs(self.db, pairs, version)

    def put_value_pairs(self, entries: Sequence[ValuePairEntry]) -> None:
        facts.put_value_pairs(self.db, entries)

    def story_facts_due(self, version: str, *, limit: int | None = None,
                         among: Sequence[str] | None = None) -> list[str]:
        return facts.story_facts_due(self.db, version, limit=limit, among=among)

    # --- people ------------------------------------------------------------------------------
    def people_due(self, version: str, *, limit: int | None = None,
                    among: Sequence[str] | None = None) -> list[str]:
        return people.people_due(self.db, version, limit, among=among)

    def put_people(self, persons: Sequence[StoredPerson], redirects: Sequence[PersonRedirect],
                   done: Sequence[str], version: str, updated_at: str,
                   surnames: Mapping[str, Sequence[str]] | None = None,
                   grown: Sequence[StoredPerson] = (), places: Mapping[str, Sequence[str]] | None = None) -> None:
        people.put_people(self.db, persons, redirects, done, version, updated_at, surnames or {}, grown, places)

    def mention_counts(self, keys: Sequence[str], excluding: Sequence[str] = ()) -> MentionCounts:
        return people.mention_counts(self.db, keys, excluding)

    def people(self, *, limit: int | None = None, offset: int = 0) -> list[Identity]:
        return people.people(self.db, limit=limit, offset=offset)

    def person(self, person_id: str, *, members: bool = True) -> Identity | None:
        return people.person(self.db, person_id, members)

    def person_summaries(self, *, keys: Sequence[str] | None = None, limit: int | None = None,
                         offset: int = 0) -> list[PersonSummary]:
        return people.person_summaries(self.db, keys=keys, limit=limit, offset=offset)

    def count_people(self) -> int:
        return people.count_people(self.db)

    def place_people(self, *, limit: int | None = None, offset: int = 0) -> list[tuple[PersonSummary, int]]:
        return people.place_people(self.db, limit=limit, offset=offset)

    def count_place_people(self) -> int:
        return people.count_place_people(self.db)

    def people_named(self, part: str, *, limit: int = 20) -> list[PersonSummary]:
        return people.people_named(self.db, part, limit)

    def person_sources(self, person_id: str, *, articles: Sequence[str] | None = None) -> PersonSources | None:
        return people.person_sources(self.db, person_id, articles)

    def person_tallies(self, person_id: str) -> PersonTallies | None:
        return people.person_tallies(self.db, person_id)

    def people_of(self, article_ids: Sequence[str], whole_below: int | None = None) -> list[Identity]:
        return people.people_of(self.db, article_ids, whole_below)

    def people_by_keys(self, keys: Sequence[str], whole_below: int | None = None,
                       among: Sequence[str] = ()) -> list[Identity]:
        return people.people_by_keys(self.db, keys, whole_below, among)

    def person_ids_by_keys(self, keys: Sequence[str]) -> set[str]:
        return people.person_ids_by_keys(self.db, keys)

    def people_by_ids(self, ids: Sequence[str]) -> list[Identity]:
        return people._by_ids(self.db, ids)

    def person_sizes(self, ids: Sequence[str]) -> dict[str, int]:
        return people.person_sizes(self.db, ids)

    def person_article_counts(self, ids: Sequence[str]) -> dict[str, int]:
        return people.person_article_counts(self.db, ids)

    def person_members(self, person_id: str, *, limit: int | None = None, offset: int = 0) -> list[tuple[str, str]]:
        return people.person_members(self.db, person_id, limit, offset)

    def known_person_ids(self, ids: Sequence[str]) -> set[str]:
        return people.known_person_ids(self.db, ids)

    def put_surnames(self, articles: Sequence[str], surnames: Mapping[str, Sequence[str]],
                     places: Mapping[str, Sequence[str]] | None = None) -> None:
        people_shards.put_surnames(self.db, articles, surnames, places)

    def people_done_among(self, article_ids: Sequence[str]) -> set[str]:
        return people_shards.people_done_among(self.db, article_ids)

    def assigned_members(self, members: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        return people_shards.assigned_members(self.db, members)

    def person_ids_by_key(self, keys: Sequence[str]) -> dict[str, set[str]]:
        return people_shards.person_ids_by_key(self.db, keys)

    def mark_people_done(self, article_ids: Sequence[str], version: str) -> None:
        people_shards.mark_people_done(self.db, article_ids, version)

    # --- corrections -------------------------------------------------------------------------
    def add_correction(self, correction: Correction) -> Correction:
        return corrections.add_correction(self.db, correction)

    def corrections(self, *, limit: int | None = None, offset: int = 0,
                    active: bool | None = None) -> list[Correction]:
        return corrections.corrections(self.db, limit=limit, offset=offset, active=active)

    def correction(self, correction_id: int) -> Correction | None:
        return corrections.correction(self.db, correction_id)

    def undo_correction(self, correction_id: int, undone_at: str, undone_by: str) -> bool:
        return corrections.undo_correction(self.db, correction_id, undone_at, undone_by)

    def corrections_by_keys(self, keys: Sequence[str]) -> list[Correction]:
        return corrections.corrections_by_keys(self.db, keys)

    def correction_keys(self, prefix: str) -> list[str]:
        return corrections.correction_keys(self.db, prefix)

    def memberships_of(self, article_ids: Sequence[str]) -> list[Membership]:
        return corrections.memberships_of(self.db, article_ids)

    # --- the change log and the steps' cursors ------------------------------------------------
    def change_position(self) -> int:
        return changes.position(self.db)

    def changed_keys(self, kinds: Sequence[str], since: int) -> dict[str, list[str]]:
        return changes.changed(self.db, kinds, since)

    def step_cursor(self, step: str) -> StepCursor | None:
        return changes.cursor(self.db, step)

    def put_step_cursor(self, cursor: StepCursor) -> None:
        changes.put_cursor(self.db, cursor)

    def prune_changes(self) -> int:
        return changes.prune(self.db)

    # --- fetching and watching ----------------------------------------------------------------
    def put_fetches(self, records: Sequence[FetchRecord]) -> None:
        fetching.put_fetches(self.db, records)

    def fetches(self, urls: Sequence[str]) -> dict[str, FetchRecord]:
        return fetching.fetches(self.db, urls)

    def failed_fetches(self, due_by: str | None = None) -> list[FetchRecord]:
        return fetching.failed_fetches(self.db, due_by)

    def put_feeds(self, records: Sequence[FeedRecord]) -> None:
        fetching.put_feeds(self.db, records)

    def feeds(self) -> list[FeedRecord]:
        return fetching.feeds(self.db, days_ago(7))

    # --- search and the store itself ---------------------------------------------------------
    def search(self, query: str, *, limit: int | None = None, offset: int = 0) -> list[Article]:
        return search.search(self.db, query, limit=limit, offset=offset)

    def search_hits(self, query: str, *, outlet: str | None = None, since: str | None = None,
                    person: str | None = None, story_id: str | None = None, limit: int = 20,
                    offset: int = 0) -> list[SearchHit]:
        return search.search_hits(self.db, query, outlet=outlet, since=since, person=person, story_id=story_id,
                                  limit=limit, offset=offset)

    def count_hits(self, query: str, *, outlet: str | None = None, since: str | None = None,
                   person: str | None = None, story_id: str | None = None) -> int:
        return search.count_hits(self.db, query, outlet=outlet, since=since, person=person, story_id=story_id)

    def schema_version(self) -> int:
        return self.db.schema_version()

    def close(self) -> None:
        self.db.close()
