"""Analysis of stored articles in batches: each batch is one transaction that replaces the
batch's earlier analyses, so a killed run loses at most one batch and the next carries on.

The analyzer (and with it spaCy, about a second to import) is loaded on first use, once; a
failure to load it is remembered, since trying again costs seconds each time."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from storyline.link.corrections.quotes import corrected_analyses
from storyline.records import Analysis, Article, Problem
from storyline.run.common import (
    ANALYZE_BATCH,
    ANALYZER_SOURCE,
    ANALYZER_VERSION,
    AnalysisUnavailable,
    AnalyzeAborted,
    AnalyzeReport,
    Progress,
    Skipped,
)
from storyline.store import Store, StoreError

if TYPE_CHECKING:
    from storyline.analyze import Analyzer


def load_analyzer() -> Analyzer:
    """A new :class:`storyline.analyze.Analyzer` (the spaCy model loads once per process)."""
    try:
        from storyline.analyze import Analyzer

        return Analyzer()
    except Exception as exc:  # noqa: BLE001 - a missing model shows up as several error types
        raise AnalysisUnavailable(f"the analyzer could not be loaded ({type(exc).__name__}: {exc})") from exc


def analyze_each(analyzer: Analyzer, articles: Sequence[Article]) -> Iterator[Analysis | Problem | Skipped]:
    """Each article's analysis, a Problem for an article the analyzer fails on, or, for an
    article not written in English (analyze/language.py), a :class:`Skipped` with an empty
    analysis and the note saying why.

    The batch goes through the analyzer at once (spaCy batches well); only if that fails is each
    article tried on its own, so one bad article costs the others nothing but time.
    """
    from storyline.analyze.language import not_english

    english = []
    for article in articles:
        reason = not_english(article.body)
        if reason is None:
            english.append(article)
        else:
            yield Skipped(Analysis(article.id), Problem(article.source, f"article {article.id} {reason}", article.locator))
    articles = english
    if not articles:
        return
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


class Analysing:
    """Analysis over one store by one analyzer version (``analyzer``: anything with the
    :class:`storyline.analyze.Analyzer` ``analyze`` method; by default one is loaded the first
    time there is an article to analyse)."""

    def __init__(self, store: Store, analyzer: Analyzer | None = None, version: str = ANALYZER_VERSION):
        self.store = store
        self.version = version
        self._analyzer = analyzer
        self._error: AnalysisUnavailable | None = None

    def analyzer(self) -> Analyzer:
        """The analyzer, loaded on first call (:class:`AnalysisUnavailable` if it cannot be)."""
        if self._analyzer is None:
            if self._error is not None:  # tried once: failing again costs seconds each time
                raise self._error
            try:
                self._analyzer = load_analyzer()
            except AnalysisUnavailable as exc:
                self._error = exc
                raise
        return self._analyzer

    def due(self) -> list[str]:
        """Ids of the stored articles with no analysis by this version, in stored order."""
        return self.store.unanalysed(self.version)

    def due_among(self, ids: Sequence[str]) -> list[str]:
        """Those of ``ids`` with no analysis by this version (run/due.py asks this)."""
        return self.store.unanalysed(self.version, among=ids)

    def run(self, *, all: bool = False, batch_size: int = ANALYZE_BATCH,  # noqa: A002 - the option is --all
            progress: Progress | None = None) -> AnalyzeReport:
        """Analyse the articles due (every stored article with ``all``), ``batch_size`` per
        transaction. Raises :class:`AnalysisUnavailable` when the analyzer cannot be loaded and
        :class:`AnalyzeAborted` when the store fails."""
        report = AnalyzeReport()
        if all:
            total = self.store.count()
            batches: Iterator[list[Article]] = (
                self.store.articles(limit=batch_size, offset=start) for start in range(0, total, batch_size)
            )
        else:
            ids = self.due()
            total = len(ids)
            batches = (
                self.store.articles(ids=ids[start : start + batch_size]) for start in range(0, total, batch_size)
            )
        report.due = total
        done = 0
        try:
            for batch in batches:
                self.batch(batch, report)
                done += len(batch)
                if progress and batch:
                    progress(done, total, batch[-1].title or batch[-1].id)
        except StoreError as exc:
            raise AnalyzeAborted(
                f"{exc}; {len(report.analysed)} articles analysed before the failure are kept", report
            ) from exc
        return report

    def batch(self, articles: Sequence[Article], report: AnalyzeReport) -> None:
        """Analyse and store one batch in one transaction; failures go to ``report.problems``."""
        if not articles:
            return
        analyses = []
        skipped = set()
        where = {a.id: a for a in articles}
        for item in analyze_each(self.analyzer(), articles):
            if isinstance(item, Skipped):
                # Stored empty, so that it is not due again; the note says why.
                analyses.append(item.analysis)
                skipped.add(item.analysis.article_id)
                report.skipped.append(item.note)
            elif isinstance(item, Problem):
                report.problems.append(item)
            else:
                analyses.append(item)
                if item.truncated:
                    article = where[item.article_id]
                    report.truncated.append(Problem(
                        article.source, f"article {article.id} analysed in part: {'; '.join(item.truncated)}",
                        article.locator))
        # Speakers corrected by hand stay corrected however often an article is analysed.
        analyses = corrected_analyses(self.store, analyses)
        self.store.put_analyses(analyses, self.version)
        for analysis in analyses:
            if analysis.article_id in skipped:
                continue
            report.analysed.append(analysis.article_id)
            report.entities += len(analysis.entities)
            report.quotes += len(analysis.quotes)

    def while_ingesting(self, articles: Sequence[Article], report: AnalyzeReport) -> None:
        """Analyse articles an ingest has just stored; an analyzer that cannot load is reported
        once in ``report``, not raised, so that the ingest goes on storing."""
        try:
            for start in range(0, len(articles), ANALYZE_BATCH):
                self.batch(articles[start : start + ANALYZE_BATCH], report)
        except AnalysisUnavailable as exc:
            if not any(p.source == ANALYZER_SOURCE for p in report.problems):
                report.problems.append(Problem(ANALYZER_SOURCE, f"{exc}; articles are stored without analysis"))

    def those_due(self, ids: Sequence[str], report: AnalyzeReport) -> None:
        """Analyse those of ``ids`` that are due (articles an earlier, killed run stored but
        did not analyse)."""
        todo = self.due_among(list(dict.fromkeys(ids)))
        for start in range(0, len(todo), ANALYZE_BATCH):
            self.while_ingesting(self.store.articles(ids=todo[start : start + ANALYZE_BATCH]), report)

    def fresh(self, articles: Sequence[Article]) -> dict[str, Analysis]:
        """Analyses of ``articles`` by article id, not stored (failures left out)."""
        return {r.article_id: r for r in analyze_each(self.analyzer(), articles) if isinstance(r, Analysis)}
