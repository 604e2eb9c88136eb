"""Desk: the one façade that the CLI, the Python API and the web layer call. It runs the
pipeline (storyline/run/) and reads the Store; it holds no logic of its own."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from storyline.ingest.files import DEFAULT_MAX_BYTES
from storyline.records import Analysis, Article, Identity, Link, Quote, ReusePair, Sighting, Story
from storyline.run.analyze import Analysing
from storyline.run.common import (
    ANALYZE_BATCH,
    ANALYZER_VERSION,
    DEFAULT_BATCH,
    AnalysisUnavailable,
    AnalyzeAborted,
    AnalyzeReport,
    EngineError,
    IngestAborted,
    IngestReport,
    Progress,
    RayOptions,
    shared_url,
)
from storyline.store import Store, open_store
from storyline.store.base import now
from storyline.store.records import ArticleEntity, Correction, FeedRecord, OutletCount, OutletDetail, OutletProfile, SearchHit

# The kinds of compared pair that are reuse (the others are independent reports).
REUSE_KINDS = ("duplicate", "syndicated", "rewrite", "partial")
# Merged-away story ids followed at most this far (a chain longer than this is a broken store).
MAX_MERGE_CHAIN = 100

if TYPE_CHECKING:  # the analyzer imports spaCy (about a second): loaded only when needed
    from storyline.ingest.fetch import FetchPolicy
    from storyline.run.watching import CycleReport
    from storyline.run.local import PipelineReport, RunReport
    from storyline.run.step import Step
    from storyline.analyze import Analyzer
    from storyline.run.reuse_steps import ReuseReport

__all__ = [
    "ANALYZE_BATCH", "ANALYZER_VERSION", "DEFAULT_BATCH", "AnalysisUnavailable", "AnalyzeAborted",
    "AnalyzeReport", "Desk", "EngineError", "IngestAborted", "IngestReport", "RayOptions", "open",
]


class Desk:
    """Storyline over one store: ingest inputs, analyse them, then query what was stored.

    ``analyzer`` is anything with the :class:`storyline.analyze.Analyzer` ``analyze`` method;
    by default one is created the first time there is an article to analyse.
    """

    def __init__(self, store: Store, *, analyzer: Analyzer | None = None):
        self.store = store
        self.analysing = Analysing(store, analyzer)

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    def check(self, *, repair: bool = False) -> list:
        """The store's integrity, checked (and with ``repair`` fixed where it can be) and
        reported in plain words: a list of findings (check, status, detail, repaired)."""
        run = getattr(self.store, "check", None)
        if run is None:
            raise NotImplementedError("this store keeps nothing on disk to check")
        return run(analyzer_version=ANALYZER_VERSION, repair=repair)

    # --- ingest ----------------------------------------------------------------------------
    def ingest(
        self,
        paths: Sequence[str | os.PathLike],
        *,
        batch_size: int = DEFAULT_BATCH,
        max_bytes: int = DEFAULT_MAX_BYTES,
        fetch: bool = False,
        analyze: bool = True,
        progress: Progress | None = None,
        fetch_policy: FetchPolicy | None = None,
        retry_failed: bool = False,
    ) -> IngestReport:
        """Read every input under ``paths``, clean it, and store new articles.

        Safe to re-run and to interrupt: each batch of ``batch_size`` articles is one
        transaction, and articles already stored (same content or same URL) are reported as
        present rather than written twice. Feed entries with only a link are recorded as
        links, and fetched and ingested only when ``fetch`` is true.

        An http(s) URL among ``paths`` is fetched (run/fetching.py): a page becomes an article, a
        feed has every entry's page fetched (entries fetched before are skipped). Fetching
        follows ``fetch_policy`` (default: polite limits, public addresses only unless
        ``$STORYLINE_ALLOW_PRIVATE`` is 1). A page that fails is recorded with its reason and,
        with ``retry_failed``, fetched again once due.

        With ``analyze`` (the default) each batch is analysed right after it is stored (its
        own transactions, see :meth:`analyze`), and so are articles of this run that were
        already present but not analysed by the current analyzer (left so by a killed run).
        An article whose analysis fails is kept, and reported in ``report.analysis.problems``.
        """
        from storyline.run.ingest import Ingesting  # the readers import trafilatura, lxml, feedparser

        ingesting = Ingesting(self.store, self.analysing if analyze else None, batch_size, max_bytes,
                              policy=fetch_policy)
        return ingesting.paths(paths, fetch=fetch, retry_failed=retry_failed, progress=progress)

    def ingest_objects(self, objects: Sequence[object], *, source: str, analyze: bool = True,
                       max_bytes: int = DEFAULT_MAX_BYTES, batch_size: int = DEFAULT_BATCH,
                       start: int = 1) -> IngestReport:
        """Store articles given in memory, each an object with the keys of a JSONL line (``url``,
        ``title``, ``text`` or ``html``, ``published``, ``outlet``, ``byline``), as :meth:`ingest`
        would from a JSONL file. Each article's source is ``source`` and its locator "item N"
        (numbered from ``start``); an item that is not such an object, or is over ``max_bytes`` as JSON, is a
        problem naming it, and the others go on."""
        from storyline.run.ingest import Ingesting

        ingesting = Ingesting(self.store, self.analysing if analyze else None, batch_size, max_bytes)
        return ingesting.objects(objects, source=source, start=start)

    # --- watching feeds ---------------------------------------------------------------------
    def add_feeds(self, feeds: Sequence[tuple[str, str | None]]) -> int:
        """Watch these feeds ((URL, title) pairs); returns how many were not watched already."""
        from storyline.run.watching import register_feeds

        return register_feeds(self.store, feeds)

    def feeds(self) -> list[FeedRecord]:
        """The watched feeds with their last success, last error and articles added."""
        return self.store.feeds()

    def watch(self, feeds: Sequence[str], *, every_s: float, cycles: int | None = None, link: bool = True,
              analyze: bool = True, fetch_policy: FetchPolicy | None = None,
              on_cycle: Callable[[CycleReport], None] | None = None) -> list[CycleReport]:
        """Poll ``feeds`` every ``every_s`` seconds (``cycles`` times, or until interrupted):
        ingest the entries not fetched before and the failed pages due again, update each
        feed's record, and with ``link`` bring stories up to date when anything was added.
        A failed cycle is reported (``on_cycle``) and the next one runs (run/watching.py)."""
        from storyline.run.watching import CycleReport, record_poll, watch

        self.add_feeds([(url, None) for url in feeds])

        def cycle(number: int) -> CycleReport:
            started = now()
            report = self.ingest(list(feeds), analyze=analyze, fetch_policy=fetch_policy, retry_failed=True)
            records = record_poll(self.store, feeds, report)
            if link and report.added:
                self.find_stories()
            return CycleReport(number, started, report, feeds=records)

        return watch(cycle, every_s=every_s, cycles=cycles, on_cycle=on_cycle)

    # --- analysis --------------------------------------------------------------------------
    def analyze(
        self,
        *,
        all: bool = False,  # noqa: A002 - the option is called --all
        batch_size: int = ANALYZE_BATCH,
        progress: Progress | None = None,
    ) -> AnalyzeReport:
        """Analyse the stored articles not yet analysed by :data:`ANALYZER_VERSION` (entities,
        roles, quotes and speakers), or every stored article with ``all``.

        Each batch of ``batch_size`` articles is one transaction that replaces the batch's
        earlier analyses, so a killed run loses at most one batch and re-running it carries on
        where it stopped. An article whose analysis fails is reported in ``problems`` and left
        as it was. Raises :class:`AnalysisUnavailable` when the analyzer cannot be loaded and
        :class:`AnalyzeAborted` when the store fails.
        """
        return self.analysing.run(all=all, batch_size=batch_size, progress=progress)

    # --- queries ---------------------------------------------------------------------------
    def articles(self, *, limit: int | None = None, offset: int = 0, outlet: str | None = None,
                 since: str | None = None, until: str | None = None, story: str | None = None,
                 person: str | None = None) -> list[Article]:
        """Stored articles in the order first ingested (bodies included, raw input not); the
        filters keep those from ``outlet`` (case ignored), stated as published within
        ``since``..``until`` (ISO days), in ``story`` (id or unique prefix; LookupError when
        there is none) and naming a person whose name contains ``person``."""
        return self.store.articles(limit=limit, offset=offset, outlet=outlet, since=since, until=until,
                                   story_id=self._story_id(story), person=person)

    def article_count(self, *, outlet: str | None = None, since: str | None = None, until: str | None = None,
                      story: str | None = None, person: str | None = None) -> int:
        """How many articles :meth:`articles` lists with these filters."""
        return self.store.count(outlet=outlet, since=since, until=until, story_id=self._story_id(story),
                                person=person)

    def _story_id(self, story: str | None) -> str | None:
        if not story:
            return None
        found = self.store.story(story)
        if found is None:
            raise LookupError(f"no story {story!r}")
        return found.id

    def article(self, id_or_prefix: str) -> Article | None:
        """One article with its raw input, by id or unique id prefix."""
        return self.store.article(id_or_prefix)

    def sightings(self, article_id: str) -> list[Sighting]:
        """The other places an article's text was seen (the same text from another URL or,
        without URL, another outlet), first seen first; by exact id."""
        return self.store.sightings([article_id]).get(article_id, [])

    def sightings_of(self, article_ids: Sequence[str]) -> dict[str, list[Sighting]]:
        """:meth:`sightings` of many articles in one read (ids without any left out)."""
        return self.store.sightings(list(article_ids))

    def search(self, query: str, *, limit: int | None = None, offset: int = 0) -> list[Article]:
        """Stored articles whose title or body holds every word of ``query`` (full text, case
        ignored, words stemmed), best match first (bodies included, raw input not)."""
        return self.store.search(query, limit=limit, offset=offset)

    def search_hits(self, query: str, *, outlet: str | None = None, since: str | None = None,
                    person: str | None = None, story: str | None = None, limit: int = 20,
                    offset: int = 0) -> list[SearchHit]:
        """Ranked articles holding every word of ``query``, each with a snippet whose matched
        words are marked (see :meth:`Store.search_hits`); ``story`` is a story id or unique
        prefix (LookupError when there is no such story)."""
        return self.store.search_hits(query, outlet=outlet, since=since, person=person,
                                      story_id=self._story_id(story), limit=limit, offset=offset)

    def search_count(self, query: str, *, outlet: str | None = None, since: str | None = None,
                     person: str | None = None, story: str | None = None) -> int:
        """How many articles :meth:`search_hits` finds with these filters (its pages' total)."""
        return self.store.count_hits(query, outlet=outlet, since=since, person=person,
                                     story_id=self._story_id(story))

    def links(self) -> list[Link]:
        """Link-only feed entries recorded so far."""
        return self.store.links()

    def analysis(self, id_or_prefix: str) -> Analysis | None:
        """The stored analysis of one article (id or unique id prefix), None if not analysed."""
        article = self.store.article(id_or_prefix)
        return self.store.analysis(article.id) if article else None

    def entities(self, type: str | None = None) -> list[ArticleEntity]:  # noqa: A002
        """Every stored entity with its article id, of one type ("PERSON", "ORG", "PLACE") if given."""
        return self.store.entities(type)

    def people(self) -> list[Identity]:
        """The people named across the stored articles: each stored PERSON entity merged with
        the others that mean the same person (approximate: see
        :func:`storyline.link.people.merge_people`). Those in most articles come first.
        Reads the stored identities, after assigning the people of articles not done yet
        (link/people/incremental.py)."""
        self.link(["people"])
        found = self.store.people()
        return sorted(found, key=lambda i: (-len({a for a, _ in i.members}), i.name.casefold()))

    def quotes(self, speaker: str | None = None, *, limit: int | None = None, offset: int = 0) -> list[Quote]:
        """Stored quotes in article order; ``speaker`` keeps those of the person it names (full
        name, surname, alias or person id: see :mod:`storyline.link.people.lookup`) and those
        whose speaker is written exactly so (case ignored)."""
        if speaker is None:
            return self.store.quotes(None, limit=limit, offset=offset)
        from storyline.link.people.lookup import speaker_quotes

        self.link(["people"])
        found = speaker_quotes(self.store, speaker)
        return found[offset : None if limit is None else offset + limit]

    def quote_count(self, speaker: str | None = None) -> int:
        """How many quotes :meth:`quotes` lists for ``speaker`` (all with None)."""
        if speaker is None:
            return self.store.count_quotes()
        return len(self.quotes(speaker))

    # --- reuse -----------------------------------------------------------------------------
    def find_reuse(self, *, progress: Progress | None = None) -> ReuseReport:
        """Fingerprint the articles not yet fingerprinted, find their candidate pairs (LSH and
        article-vector neighbours) and compare the pairs not yet compared (see run/reuse_steps.py).
        Incremental and safe to re-run; a killed run resumes where it stopped."""
        from storyline.run.reuse_steps import find_reuse

        return find_reuse(self.store, progress=progress)

    def reuse(self, *, all: bool = False, article: str | None = None) -> list[ReusePair]:  # noqa: A002
        """Compared pairs judged reuse (every compared pair with ``all``), most covered first;
        ``article`` (id or prefix) keeps the pairs involving it."""
        aid = None
        if article is not None:
            found = self.store.article(article)
            if found is None:
                raise LookupError(f"no article {article!r}")
            aid = found.id
        kinds = None if all else list(REUSE_KINDS)
        return self.store.reuse(kinds=kinds, article_id=aid)

    # --- stories ---------------------------------------------------------------------------
    def find_stories(self, *, progress: Progress | None = None, reuse: bool = True):
        """Bring the stories up to date: analyse the articles not analysed yet, find reuse
        (fingerprints give the article vectors; ``reuse=False`` only fingerprints), then
        cluster the articles not in a story yet, online and in publication order (see
        link/stories/scan.py), assign people and build the facts of changed stories.
        Incremental and safe to re-run; what a step could not do is in ``report.problems`` (it
        stays due)."""
        from storyline.link.stories.scan import StoriesReport

        skipped = () if reuse else ("candidates", "compare")
        linked = self.link([s.name for s in self.steps() if s.name not in skipped], progress=progress)
        clustered = linked.of("stories")
        counts = clustered.counts if clustered else {}
        return StoriesReport(clustered=counts.get("clustered", 0), stories=self.store.count_stories(),
                             merged=counts.get("merged", 0), restarted=bool(counts.get("restarted")),
                             problems=linked.problems)

    # --- the pipeline as steps -------------------------------------------------------------
    def steps(self) -> list[Step]:
        """Every step after ingest, in the order they run (analysis, then the linking steps)."""
        from storyline.run.pipeline import all_steps

        return all_steps(self.analysing)

    def link(self, steps: Sequence[str] | None = None, *, progress: Progress | None = None) -> RunReport:
        """Run the pipeline's steps (all, or those named, in pipeline order) over what is due
        for each: what is new, and what an outdated version of a step produced. Resumable: a
        run killed anywhere is finished by the next. A key that fails is reported in the
        returned report and stays due. Raises ValueError for an unknown step name."""
        from storyline.run.local import run_steps
        from storyline.run.pipeline import select

        return run_steps(self.store, select(self.steps(), steps), progress=progress)

    def run(self, paths: Sequence[str | os.PathLike], *, engine: str = "local", ray: RayOptions | None = None,
            fetch: bool = False, max_bytes: int = DEFAULT_MAX_BYTES,
            progress: Progress | None = None) -> PipelineReport:
        """The whole pipeline over ``paths``: ingest (stored in batches on this process; with Ray
        the files are read and cleaned on the cluster, a task a file), then
        every step (analysis, reuse, stories, people, story facts) over what is due, by the local
        executor or, with ``engine="ray"``, spread over a Ray cluster (``ray.address`` to join
        one; a local one is started and stopped otherwise). Resumable: a run killed anywhere is
        finished by running it again, with nothing stored twice. Raises ValueError for an
        unknown engine and :class:`EngineError` for a store Ray workers cannot open
        (``memory://``), before anything is read."""
        from storyline.run.local import PipelineReport, run_steps

        if engine not in ("local", "ray"):
            raise ValueError(f"unknown engine {engine!r}; the engines are local, ray")
        steps = self.steps()  # a bad setting (STORYLINE_REWRITE_MODEL) fails before ingesting, not after
        if engine == "local":
            ingest = self.ingest(paths, fetch=fetch, max_bytes=max_bytes, analyze=False, progress=progress)
            report = PipelineReport(engine, ingest)
            report.steps = run_steps(self.store, steps, progress=progress)
            return report
        shared_url(self.store)  # fail before ingesting, not after
        from storyline.run.ingest import Ingesting
        from storyline.run.ray_exec import cluster, file_reader, run_steps_ray  # imports ray (seconds)

        options = ray or RayOptions()
        with cluster(options):
            # Files are read and cleaned on the cluster; the articles are stored here, in order.
            ingesting = Ingesting(self.store, None, max_bytes=max_bytes)
            report = PipelineReport(engine, ingesting.paths(paths, fetch=fetch, progress=progress,
                                                            read=file_reader(options, max_bytes)))
            report.steps = run_steps_ray(self.store, self.steps(), options=options, progress=progress)
        return report

    def stories(self, *, limit: int | None = None, offset: int = 0, query: str | None = None,
                outlet: str | None = None, person: str | None = None, since: str | None = None,
                until: str | None = None) -> list[Story]:
        """Stored stories, largest first: id, label, article ids and date span. Filters: a
        member article holds every word of ``query`` (full text) or comes from ``outlet``
        (exact name, case ignored), a member names a person whose name contains ``person``,
        and the story's stated dates reach ``since``/``until`` (ISO dates)."""
        return self.store.stories(limit=limit, offset=offset, query=query, outlet=outlet, person=person,
                                  since=since, until=until)

    def story_count(self, *, query: str | None = None, outlet: str | None = None, person: str | None = None,
                    since: str | None = None, until: str | None = None) -> int:
        """How many stories :meth:`stories` lists with these filters."""
        return self.store.count_stories(query=query, outlet=outlet, person=person, since=since, until=until)

    def outlets(self) -> list[OutletCount]:
        """Every named outlet with its article count and sightings (stored texts it also ran),
        most of both first."""
        return self.store.outlets()

    def outlet_profiles(self) -> list[OutletProfile]:
        """Every named outlet with its article count, sightings, first and last stated
        publication day, and reuse across outlets (its articles copying others', others'
        copying its own)."""
        return self.store.outlet_profiles(REUSE_KINDS)

    def outlet(self, name: str, *, stories: int = 50, latest: int = 20) -> OutletDetail | None:
        """One outlet by its canonical name (exact), None when neither an article nor a
        sighting names it: articles
        per stated publication day, reuse with each other outlet in both directions (who it
        copies, who copies it), the stories it covered (latest first, at most ``stories``) with
        its first day there and its rank among the story's outlets, its ``latest`` articles and
        its latest sightings (``sighted_latest``). Aggregated by the store from stored facts."""
        return self.store.outlet_detail(name, REUSE_KINDS, stories=stories, latest=latest)

    def story(self, id_or_prefix: str):
        """Everything about one story (id or unique prefix): its articles with stated or
        inferred dates, events and timeline, people with roles, quotes by speaker, reuse pairs
        and cross-source findings (a :class:`storyline.link.stories.facts.StoryReport`).
        Read from the stored facts; facts missing or stale (linking interrupted) are built and
        stored first. Raises LookupError when there is no such story."""
        from storyline.link.stories.fact_steps import story_report

        story = self.store.story(id_or_prefix)
        absorbed = []
        wanted = id_or_prefix.strip().lower()
        while story is None and len(absorbed) < MAX_MERGE_CHAIN:  # a merged-away id resolves
            merge = self.store.story_merge(wanted)
            if merge is None:
                break
            absorbed.append(merge)
            wanted = merge.story_id
            story = self.store.story(wanted)
        if story is None:
            raise LookupError(f"no story {id_or_prefix!r}")
        report = story_report(self.store, story)
        report.why = {aid: json.loads(e) for aid, e in self.store.member_evidence(list(story.article_ids)).items()}
        report.sightings = self.store.sightings(list(story.article_ids))
        for merge in absorbed:
            report.notes.insert(0, f"story {merge.absorbed_id} was merged into {merge.story_id} on {merge.merged_at[:10]}")
        return report

    def diff(self, a: str, b: str) -> tuple[Article, Article, ReusePair]:
        """Compare any two stored articles now (ids or prefixes): (source, derived, pair) with
        the aligned sentences and the changes, whatever the kind. Articles not yet analysed are
        analysed for the comparison (not stored)."""
        from storyline.link.reuse.compare import compare

        found = []
        for ref in (a, b):
            article = self.store.article(ref)
            if article is None:
                raise LookupError(f"no article {ref!r}")
            found.append(article)
        analyses = [self.store.analysis(x.id) for x in found]
        missing = [x for x, an in zip(found, analyses) if an is None]
        if missing:
            fresh = self.analysing.fresh(missing)
            analyses = [an or fresh.get(x.id) for x, an in zip(found, analyses)]
        pair = compare(found[0], found[1], analyses[0], analyses[1], always=True)
        by_id = {x.id: x for x in found}
        return by_id[pair.source_id], by_id[pair.derived_id], pair


    # --- corrections (link/corrections) --------------------------------------------------------
    # Each is stored with who, when and why, applied now, and kept by every later linking run;
    # a bad request is a CorrectionError (a ValueError) naming the input and the reason.
    def merge_people(self, keep: str, other: str, *, author: str, reason: str) -> Correction:
        """Person ``other`` is the same as person ``keep`` (ids): one person from now on."""
        from storyline.link.corrections.people import merge_people

        self.link(["people"])
        return merge_people(self.store, keep, other, author=author, reason=reason)

    def split_person(self, person: str, *, names: Sequence[str] = (), articles: Sequence[str] = (),
                     name: str | None = None, author: str, reason: str) -> Correction:
        """The person's mentions under ``names`` or in ``articles`` are somebody else (``name``)."""
        from storyline.link.corrections.people import split_person

        self.link(["people"])
        return split_person(self.store, person, names=names, articles=articles, name=name, author=author,
                            reason=reason)

    def fix_quote_speaker(self, article: str, quote: int, speaker: str, *, author: str,
                          reason: str) -> Correction:
        """Quote number ``quote`` (1-based, as the article lists them) was said by ``speaker``."""
        from storyline.link.corrections.quotes import quote_speaker

        return quote_speaker(self.store, article, quote, speaker, author=author, reason=reason)

    def move_article(self, article: str, story: str, *, author: str, reason: str) -> Correction:
        """The article belongs to ``story`` (ids or unique prefixes)."""
        from storyline.link.corrections.stories import move_article

        return move_article(self.store, article, story, author=author, reason=reason)

    def split_story(self, story: str, articles: Sequence[str], *, author: str, reason: str) -> Correction:
        """These articles of ``story`` form a new story of their own."""
        from storyline.link.corrections.stories import split_story

        return split_story(self.store, story, articles, author=author, reason=reason)

    def undo_correction(self, correction_id: int, *, author: str) -> Correction:
        """Undo a correction (it stays listed, stamped undone by ``author``)."""
        from storyline.link.corrections.undo import undo

        return undo(self.store, correction_id, author=author)

    def corrections(self, *, limit: int | None = None, offset: int = 0,
                    active: bool | None = None) -> list[Correction]:
        """The corrections made, newest first (``active``: only those in force, or only undone)."""
        return self.store.corrections(limit=limit, offset=offset, active=active)


def open(db: str | os.PathLike | None = None) -> Desk:  # noqa: A001 - the public name is storyline.open
    """Open a Desk over the store at ``db`` (SQLite path or ``postgresql://`` URL).

    Without ``db``, ``$STORYLINE_DB`` and then ``./storyline.db`` are used.
    """
    return Desk(open_store(db))
