"""Desk: the one façade that the CLI, the Python API and (later) the web layer call."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from storyline.ingest.convert import ID_LENGTH, content_hash
from storyline.ingest.decode import UndecodableError, decode_text
from storyline.ingest.fetch import fetch_link
from storyline.ingest.files import DEFAULT_MAX_BYTES, InputError, InputFile, discover, read_capped
from storyline.ingest.pipeline import articles as clean_articles
from storyline.ingest.jsonl import document_from_object
from storyline.ingest.pipeline import documents
from storyline.records import Analysis, Article, Identity, Link, Problem, Quote, RawDocument, ReusePair, Story
from storyline.store import Store, StoreError, open_store
from storyline.store.records import ArticleEntity, OutletCount

if TYPE_CHECKING:  # the analyzer imports spaCy (about a second): loaded only when needed
    from storyline.analyze import Analyzer
    from storyline.link.reuse.scan import ReuseReport

# Articles written per transaction: large enough that commit cost is amortised, small enough
# that a killed run loses (and re-does) little.
DEFAULT_BATCH = 100

# The analyzer whose output is stored with each analysis. Bump it whenever the extractors'
# output changes (new rules, another model): `storyline analyze` then re-analyses every article
# analysed by an older version, and leaves the up-to-date ones alone.
ANALYZER_VERSION = "3"  # bump when the analysis output changes, so stored articles are re-analysed

# Articles analysed per store transaction. Parsing dominates (tens of ms per article with the
# full extractor), so commit cost is negligible; a killed run re-does at most this many.
ANALYZE_BATCH = 50

Progress = Callable[[int, int, str], None]


@dataclass(slots=True)
class AnalyzeReport:
    """What one analysis run did: articles analysed, what was found, and articles that failed.

    An article that fails keeps its earlier analysis (if any) and stays due for the next run.
    """

    analysed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    entities: int = 0
    quotes: int = 0
    due: int = 0


@dataclass(slots=True)
class IngestReport:
    """What one ingest run did: ids added and already present, links recorded, problems."""

    added: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    links_seen: int = 0
    links_new: int = 0
    files: int = 0
    # None when the ingest was run without analysis.
    analysis: AnalyzeReport | None = None

    @property
    def read_anything(self) -> bool:
        """True when at least one article or link could be read from the inputs."""
        return bool(self.added or self.present or self.links_seen)


class IngestAborted(StoreError):
    """The store failed mid-run. Batches committed before the failure are kept (``report``)."""

    def __init__(self, message: str, report: IngestReport):
        super().__init__(message)
        self.report = report


class AnalyzeAborted(StoreError):
    """The store failed mid-analysis. Batches committed before the failure are kept (``report``)."""

    def __init__(self, message: str, report: AnalyzeReport):
        super().__init__(message)
        self.report = report


class AnalysisUnavailable(RuntimeError):
    """The analyzer could not be loaded (no spaCy model installed, a broken install)."""


class Desk:
    """Storyline over one store: ingest inputs, analyse them, then query what was stored.

    ``analyzer`` is anything with the :class:`storyline.analyze.Analyzer` ``analyze`` method;
    by default one is created the first time there is an article to analyse.
    """

    def __init__(self, store: Store, *, analyzer: Analyzer | None = None):
        self.store = store
        self._analyzer = analyzer
        self._analyzer_error: AnalysisUnavailable | None = None

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

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
    ) -> IngestReport:
        """Read every input under ``paths``, clean it, and store new articles.

        Safe to re-run and to interrupt: each batch of ``batch_size`` articles is one
        transaction, and articles already stored (same content or same URL) are reported as
        present rather than written twice. Feed entries with only a link are recorded as
        links, and fetched and ingested only when ``fetch`` is true.

        With ``analyze`` (the default) each batch is analysed right after it is stored (its
        own transactions, see :meth:`analyze`), and so are articles of this run that were
        already present but not analysed by the current analyzer (left so by a killed run).
        An article whose analysis fails is kept, and reported in ``report.analysis.problems``.
        """
        report = IngestReport(analysis=AnalyzeReport() if analyze else None)
        found = list(discover(list(paths)))
        report.files = len(found)
        links: list[Link] = []

        def stream():
            for done, item in enumerate(found, start=1):
                if isinstance(item, tuple):
                    yield Problem(item[0], item[1])
                else:
                    yield from self._documents(item, max_bytes, fetch, links)
                if progress:
                    progress(done, len(found), str(item[0] if isinstance(item, tuple) else item.path))

        return self._store_all(stream(), report, links, batch_size)

    def ingest_objects(self, objects: Sequence[object], *, source: str, analyze: bool = True,
                       max_bytes: int = DEFAULT_MAX_BYTES, batch_size: int = DEFAULT_BATCH,
                       start: int = 1) -> IngestReport:
        """Store articles given in memory, each an object with the keys of a JSONL line (``url``,
        ``title``, ``text`` or ``html``, ``published``, ``outlet``, ``byline``), as :meth:`ingest`
        would from a JSONL file. Each article's source is ``source`` and its locator "item N"
        (numbered from ``start``); an item that is not such an object, or is over ``max_bytes`` as JSON, is a
        problem naming it, and the others go on."""
        report = IngestReport(analysis=AnalyzeReport() if analyze else None)
        report.files = 1 if objects else 0

        def stream():
            for number, obj in enumerate(objects, start=start):
                yield document_from_object(obj, source=source, where=f"item {number}", max_bytes=max_bytes)

        return self._store_all(stream(), report, [], batch_size)

    def _store_all(self, items: Iterable[RawDocument | Link | Problem], report: IngestReport, links: list[Link],
                   batch_size: int) -> IngestReport:
        """Clean ``items`` into articles and store them in batches (the body of :meth:`ingest`);
        ``links`` fills up as ``items`` is read."""
        batch: list[Article] = []
        try:
            for out in clean_articles(items):
                if isinstance(out, Problem):
                    report.problems.append(out)
                elif isinstance(out, Article):
                    batch.append(out)
                    if len(batch) >= batch_size:
                        self._flush(batch, report)
            self._flush(batch, report)
            if links:
                report.links_seen = len(links)
                report.links_new = self.store.add_links(links)
            if report.analysis is not None and report.present:
                self._analyze_present(report)
        except StoreError as exc:
            raise IngestAborted(
                f"{exc}; {len(report.added)} articles added before the failure are kept", report
            ) from exc
        return report

    def _documents(self, file: InputFile, max_bytes: int, fetch: bool, links: list[Link]):
        for item in documents(file, max_bytes=max_bytes):
            if isinstance(item, Link):
                links.append(item)
                if fetch:
                    yield fetch_link(item, max_bytes=max_bytes)
            else:
                yield item

    def _flush(self, batch: list[Article], report: IngestReport) -> None:
        if not batch:
            return
        added = []
        for article, result in zip(batch, self.store.add_articles(batch), strict=True):
            if result.status == "added":
                report.added.append(result.article_id)
                added.append(article)
            else:
                report.present.append(result.article_id)
        batch.clear()
        if report.analysis is not None:
            self._analyze_during_ingest(added, report.analysis)

    def _analyze_during_ingest(self, articles: list[Article], report: AnalyzeReport) -> None:
        """Analyse while ingesting; an analyzer that cannot load is reported once, not raised."""
        try:
            for start in range(0, len(articles), ANALYZE_BATCH):
                self._analyze_batch(articles[start : start + ANALYZE_BATCH], report)
        except AnalysisUnavailable as exc:
            if not any(p.source == _ANALYZER for p in report.problems):
                report.problems.append(Problem(_ANALYZER, f"{exc}; articles are stored without analysis"))

    def _analyze_present(self, report: IngestReport) -> None:
        due = set(self.store.unanalysed(ANALYZER_VERSION))
        ids = [i for i in dict.fromkeys(report.present) if i in due]
        for start in range(0, len(ids), ANALYZE_BATCH):
            self._analyze_during_ingest(self.store.articles(ids=ids[start : start + ANALYZE_BATCH]),
                                        report.analysis)

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
        report = AnalyzeReport()
        if all:
            total = self.store.count()
            batches: Iterator[list[Article]] = (
                self.store.articles(limit=batch_size, offset=start) for start in range(0, total, batch_size)
            )
        else:
            ids = self.store.unanalysed(ANALYZER_VERSION)
            total = len(ids)
            batches = (
                self.store.articles(ids=ids[start : start + batch_size]) for start in range(0, total, batch_size)
            )
        report.due = total
        done = 0
        try:
            for batch in batches:
                self._analyze_batch(batch, report)
                done += len(batch)
                if progress and batch:
                    progress(done, total, batch[-1].title or batch[-1].id)
        except StoreError as exc:
            raise AnalyzeAborted(
                f"{exc}; {len(report.analysed)} articles analysed before the failure are kept", report
            ) from exc
        return report

    def _analyze_batch(self, articles: Sequence[Article], report: AnalyzeReport) -> None:
        if not articles:
            return
        analyses = []
        for item in analyze_each(self._load_analyzer(), articles):
            if isinstance(item, Problem):
                report.problems.append(item)
            else:
                analyses.append(item)
        self.store.put_analyses(analyses, ANALYZER_VERSION)
        for analysis in analyses:
            report.analysed.append(analysis.article_id)
            report.entities += len(analysis.entities)
            report.quotes += len(analysis.quotes)

    def _load_analyzer(self) -> Analyzer:
        if self._analyzer is None:
            if self._analyzer_error is not None:  # tried once: failing again costs seconds each time
                raise self._analyzer_error
            try:
                self._analyzer = load_analyzer()
            except AnalysisUnavailable as exc:
                self._analyzer_error = exc
                raise
        return self._analyzer

    # --- queries ---------------------------------------------------------------------------
    def articles(self, *, limit: int | None = None, offset: int = 0) -> list[Article]:
        """Stored articles in the order first ingested (bodies included, raw input not)."""
        return self.store.articles(limit=limit, offset=offset)

    def article(self, id_or_prefix: str) -> Article | None:
        """One article with its raw input, by id or unique id prefix."""
        return self.store.article(id_or_prefix)

    def search(self, query: str, *, limit: int | None = None, offset: int = 0) -> list[Article]:
        """Stored articles whose title or body holds every word of ``query`` (full text, case
        ignored, words stemmed), best match first (bodies included, raw input not)."""
        return self.store.search(query, limit=limit, offset=offset)

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
        :func:`storyline.link.people.merge_people`). Those in most articles come first."""
        from storyline.link.people import merge_people

        found = merge_people(self.store.entities("PERSON"))
        return sorted(found, key=lambda i: (-len({a for a, _ in i.members}), i.name.casefold()))

    def quotes(self, speaker: str | None = None, *, limit: int | None = None, offset: int = 0) -> list[Quote]:
        """Stored quotes in article order; ``speaker`` keeps those whose speaker name equals it
        (case ignored)."""
        return self.store.quotes(speaker, limit=limit, offset=offset)

    # --- reuse -----------------------------------------------------------------------------
    def find_reuse(self, *, progress: Progress | None = None) -> ReuseReport:
        """Fingerprint the articles not yet fingerprinted, find their candidate pairs (LSH and
        article-vector neighbours) and compare the pairs not yet compared (see link/reuse/scan.py).
        Incremental and safe to re-run; a killed run resumes where it stopped."""
        from storyline.link.reuse.scan import find_reuse

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
        kinds = None if all else ["duplicate", "syndicated", "rewrite", "partial"]
        return self.store.reuse(kinds=kinds, article_id=aid)

    # --- stories ---------------------------------------------------------------------------
    def find_stories(self, *, progress: Progress | None = None, reuse: bool = True):
        """Bring the stories up to date: analyse the articles not analysed yet, find reuse
        (fingerprints give the article vectors; ``reuse=False`` only fingerprints), then
        cluster the articles not in a story yet, online and in publication order (see
        link/stories/scan.py). Incremental and safe to re-run."""
        from storyline.link.reuse.scan import find_reuse
        from storyline.link.stories.scan import find_stories

        if self.store.unanalysed(ANALYZER_VERSION):
            self.analyze(progress=progress)
        if reuse:
            find_reuse(self.store, progress=progress)
        else:
            find_reuse(self.store, progress=progress, compare=False)
        return find_stories(self.store, progress=progress)

    def stories(self, *, limit: int | None = None, offset: int = 0, query: str | None = None,
                outlet: str | None = None, person: str | None = None, since: str | None = None,
                until: str | None = None) -> list[Story]:
        """Stored stories, largest first: id, label, article ids and date span. Filters: a
        member article holds every word of ``query`` (full text) or comes from ``outlet``
        (exact name, case ignored), a member names a person whose name contains ``person``,
        and the story's stated dates reach ``since``/``until`` (ISO dates)."""
        return self.store.stories(limit=limit, offset=offset, query=query, outlet=outlet, person=person,
                                  since=since, until=until)

    def outlets(self) -> list[OutletCount]:
        """Every named outlet with its article count, most articles first."""
        return self.store.outlets()

    def story(self, id_or_prefix: str):
        """Everything about one story (id or unique prefix): its articles with stated or
        inferred dates, events and timeline, people with roles, quotes by speaker, reuse pairs
        and cross-source findings (a :class:`storyline.link.stories.report.StoryReport`).
        Raises LookupError when there is no such story."""
        from storyline.link.stories.report import build_report

        story = self.store.story(id_or_prefix)
        if story is None:
            raise LookupError(f"no story {id_or_prefix!r}")
        return build_report(self.store, story)

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
            fresh = {r.article_id: r for r in analyze_each(self._load_analyzer(), missing) if isinstance(r, Analysis)}
            analyses = [an or fresh.get(x.id) for x, an in zip(found, analyses)]
        pair = compare(found[0], found[1], analyses[0], analyses[1], always=True)
        by_id = {x.id: x for x in found}
        return by_id[pair.source_id], by_id[pair.derived_id], pair


# --- analysis without a store ------------------------------------------------------------------

# Problem.source for a problem with the analyzer itself rather than with one input.
_ANALYZER = "analyzer"


@dataclass(slots=True, frozen=True)
class AnalysedText:
    """One input text and its analysis; offsets in ``analysis`` index ``body``."""

    source: str
    body: str
    analysis: Analysis
    locator: str | None = None


def load_analyzer() -> Analyzer:
    """A new :class:`storyline.analyze.Analyzer` (the spaCy model loads once per process)."""
    try:
        from storyline.analyze import Analyzer

        return Analyzer()
    except Exception as exc:  # noqa: BLE001 - a missing model shows up as several error types
        raise AnalysisUnavailable(f"the analyzer could not be loaded ({type(exc).__name__}: {exc})") from exc


def analyze_each(analyzer: Analyzer, articles: Sequence[Article]) -> Iterator[Analysis | Problem]:
    """Each article's analysis, or a Problem for an article the analyzer fails on.

    The batch goes through the analyzer at once (spaCy batches well); only if that fails is each
    article tried on its own, so one bad article costs the others nothing but time.
    """
    wanted = [a.id for a in articles]
    try:
        results = list(analyzer.analyze(articles))
        if [r.article_id for r in results] == wanted:
            yield from results
            return
    except Exception:  # noqa: BLE001,S110 - retried one by one below, where the error is reported
        pass
    for article in articles:
        try:
            results = list(analyzer.analyze([article]))
            if [r.article_id for r in results] != [article.id]:
                raise ValueError("the analyzer returned no analysis for this article")
        except Exception as exc:  # noqa: BLE001 - one odd article must not stop the others
            yield Problem(article.source, f"article {article.id} not analysed ({type(exc).__name__}: {exc})",
                          article.locator)
        else:
            yield results[0]


def analyze_inputs(
    paths: Iterable[str | os.PathLike],
    *,
    verbatim: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    analyzer: Analyzer | None = None,
) -> Iterator[AnalysedText | Problem]:
    """Analyse input files without storing anything, one result per article, in input order.

    Without ``verbatim`` each file is read and cleaned as ``ingest`` does (a file holding several
    articles, such as JSONL, gives several results; link-only feed entries are passed over), and
    offsets index the cleaned body. With ``verbatim`` each file's decoded text, exactly as is
    (line ends untouched; a byte-order mark is not counted), is the body, so offsets index the
    file. An input that cannot be read or analysed gives a :class:`Problem`. The analyzer is
    loaded when the first text is ready (:class:`AnalysisUnavailable` if it cannot be).
    """
    held: list[Analyzer] = [analyzer] if analyzer is not None else []
    for article in _input_articles(paths, verbatim=verbatim, max_bytes=max_bytes):
        if isinstance(article, Problem):
            yield article
            continue
        if not held:
            held.append(load_analyzer())
        for item in analyze_each(held[0], [article]):
            if isinstance(item, Problem):
                yield item
            else:
                yield AnalysedText(article.source, article.body, item, article.locator)


def _input_articles(
    paths: Iterable[str | os.PathLike], *, verbatim: bool, max_bytes: int
) -> Iterator[Article | Problem]:
    for raw in paths:
        if verbatim:
            yield _verbatim_article(Path(raw), max_bytes)
            continue
        for item in discover([raw]):
            if isinstance(item, tuple):
                yield Problem(item[0], item[1])
                continue
            found = links = 0
            for out in clean_articles(documents(item, max_bytes=max_bytes)):
                if isinstance(out, Link):
                    links += 1
                    continue
                found += isinstance(out, Article)
                yield out
            if links and not found:
                yield Problem(str(item.path),
                              f"holds only link-only feed entries ({links}); analyze does not fetch them")


def _verbatim_article(path: Path, max_bytes: int) -> Article | Problem:
    if path.is_dir():
        return Problem(str(path), "is a folder (--verbatim reads files only)")
    if not path.exists():
        return Problem(str(path), "no such file or folder")
    try:
        text = decode_text(read_capped(path, max_bytes))
    except (InputError, UndecodableError) as exc:
        return Problem(str(path), str(exc))
    digest = content_hash(text)
    return Article(id=digest[:ID_LENGTH], content_hash=digest, source=str(path), body=text)


def open(db: str | os.PathLike | None = None) -> Desk:  # noqa: A001 - the public name is storyline.open
    """Open a Desk over the store at ``db`` (SQLite path or ``postgresql://`` URL).

    Without ``db``, ``$STORYLINE_DB`` and then ``./storyline.db`` are used.
    """
    return Desk(open_store(db))
