"""Ingest: read inputs, clean them into articles and store the new ones in batches.

Each batch is one transaction, and articles already stored (same content or same URL) are
reported as present rather than written twice, so a killed run loses at most its open batch
and re-running adds exactly what is missing."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence

from storyline.ingest.fetch import fetch_link
from storyline.ingest.files import DEFAULT_MAX_BYTES, InputFile, discover
from storyline.ingest.jsonl import document_from_object
from storyline.ingest.pipeline import articles as clean_articles
from storyline.ingest.pipeline import documents
from storyline.records import Article, Link, Problem, RawDocument
from storyline.run.analyze import Analysing
from storyline.run.common import DEFAULT_BATCH, AnalyzeReport, IngestAborted, IngestReport, Progress
from storyline.store import Store, StoreError


class Ingesting:
    """Ingest into one store; with ``analysing``, each stored batch is analysed right after it
    is stored (its own transactions), and so are articles of the run that were already present
    but not analysed (left so by a killed run)."""

    def __init__(self, store: Store, analysing: Analysing | None = None,
                 batch_size: int = DEFAULT_BATCH, max_bytes: int = DEFAULT_MAX_BYTES):
        self.store = store
        self.analysing = analysing
        self.batch_size = batch_size
        self.max_bytes = max_bytes

    def paths(self, paths: Sequence[str | os.PathLike], *, fetch: bool = False,
              progress: Progress | None = None) -> IngestReport:
        """Every input under ``paths``; link-only feed entries are recorded as links, and
        fetched and ingested only with ``fetch``."""
        report = self._report()
        found = list(discover(list(paths)))
        report.files = len(found)
        links: list[Link] = []

        def stream() -> Iterator[RawDocument | Link | Problem]:
            for done, item in enumerate(found, start=1):
                if isinstance(item, tuple):
                    yield Problem(item[0], item[1])
                else:
                    yield from self._documents(item, fetch, links)
                if progress:
                    progress(done, len(found), str(item[0] if isinstance(item, tuple) else item.path))

        return self._store_all(stream(), report, links)

    def objects(self, objects: Sequence[object], *, source: str, start: int = 1) -> IngestReport:
        """Articles given in memory, each an object with the keys of a JSONL line; each one's
        source is ``source`` and its locator "item N" (numbered from ``start``)."""
        report = self._report()
        report.files = 1 if objects else 0
        stream = (document_from_object(obj, source=source, where=f"item {number}", max_bytes=self.max_bytes)
                  for number, obj in enumerate(objects, start=start))
        return self._store_all(stream, report, [])

    def _report(self) -> IngestReport:
        return IngestReport(analysis=AnalyzeReport() if self.analysing else None)

    def _store_all(self, items: Iterable[RawDocument | Link | Problem], report: IngestReport,
                   links: list[Link]) -> IngestReport:
        """Clean ``items`` into articles and store them in batches; ``links`` fills up as
        ``items`` is read."""
        batch: list[Article] = []
        try:
            for out in clean_articles(items):
                if isinstance(out, Problem):
                    report.problems.append(out)
                elif isinstance(out, Article):
                    batch.append(out)
                    if len(batch) >= self.batch_size:
                        self._flush(batch, report)
            self._flush(batch, report)
            if links:
                report.links_seen = len(links)
                report.links_new = self.store.add_links(links)
            if self.analysing and report.present:
                self.analysing.those_due(report.present, report.analysis)
        except StoreError as exc:
            raise IngestAborted(
                f"{exc}; {len(report.added)} articles added before the failure are kept", report
            ) from exc
        return report

    def _documents(self, file: InputFile, fetch: bool, links: list[Link]) -> Iterator[RawDocument | Problem]:
        for item in documents(file, max_bytes=self.max_bytes):
            if isinstance(item, Link):
                links.append(item)
                if fetch:
                    yield fetch_link(item, max_bytes=self.max_bytes)
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
        if self.analysing:
            self.analysing.while_ingesting(added, report.analysis)
