"""Ingest: read inputs, clean them into articles and store the new ones in batches.

Each batch is one transaction, and articles already stored (same content or same URL) are
reported as present rather than written twice, so a killed run loses at most its open batch
and re-running adds exactly what is missing."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence

from storyline.ingest.fetch import Fetcher, FetchPolicy, fetch_link, private_allowed_by_env
from storyline.ingest.files import DEFAULT_MAX_BYTES, InputFile, discover
from storyline.ingest.jsonl import document_from_object
from storyline.ingest.parts import Part
from storyline.ingest.pipeline import articles as clean_articles
from storyline.ingest.pipeline import documents
from storyline.records import Article, Link, Problem, RawDocument, Sighting
from storyline.run.analyze import Analysing
from storyline.run.common import DEFAULT_BATCH, AnalyzeReport, IngestAborted, IngestReport, Progress
from storyline.run.fetching import WebSource, is_url
from storyline.store import Store, StoreError


# Reads and cleans files elsewhere: yields, per file in order, the file's articles, links and
# problems (an iterable of them, in order: a big file comes in parts; Ingesting.paths).
FileReader = Callable[[Sequence[InputFile]], Iterator[Iterable]]


def read_file(file: InputFile, max_bytes: int, part: Part | None = None, index: bytes | None = None) -> list:
    """One file (or one part of a big JSONL or WARC file: ingest/parts.py) read and cleaned:
    its articles, links and problems, in order (what a reader actor of run/ray_exec.py does)."""
    return list(clean_articles(documents(file, max_bytes=max_bytes, part=part, index=index)))


class Ingesting:
    """Ingest into one store; with ``analysing``, each stored batch is analysed right after it
    is stored (its own transactions), and so are articles of the run that were already present
    but not analysed (left so by a killed run)."""

    def __init__(self, store: Store, analysing: Analysing | None = None,
                 batch_size: int = DEFAULT_BATCH, max_bytes: int = DEFAULT_MAX_BYTES,
                 policy: FetchPolicy | None = None):
        self.store = store
        self.analysing = analysing
        self.batch_size = batch_size
        self.max_bytes = max_bytes
        self.policy = policy or FetchPolicy(max_bytes=max_bytes, allow_private=private_allowed_by_env())
        self._web: WebSource | None = None

    def paths(self, paths: Sequence[str | os.PathLike], *, fetch: bool = False, retry_failed: bool = False,
              progress: Progress | None = None, read: FileReader | None = None) -> IngestReport:
        """Every input under ``paths``: files and folders, and http(s) URLs (a page, or a feed
        whose every entry's page is fetched: see run/fetching.py). Link-only entries of feed
        files are recorded as links, and fetched and ingested only with ``fetch``. With
        ``retry_failed``, pages whose fetch failed earlier and is due again are fetched too.

        ``read`` reads and cleans the files elsewhere (the Ray engine: run/ray_ingest.py): given
        the files, it yields each one's items (articles, links, problems) in the files' order;
        storing stays here, in that order, so both engines store the same articles under the
        same ids. Without it, files are read here one after another, lazily."""
        report = self._report()
        urls = [str(p) for p in paths if is_url(p)]
        found = list(discover([p for p in paths if not is_url(p)]))
        report.files = len(found) + len(urls)
        links: list[Link] = []
        fetcher = Fetcher(self.policy) if fetch or urls or retry_failed else None
        read_elsewhere = read([f for f in found if not isinstance(f, tuple)]) if read else None

        def stream() -> Iterator[Article | RawDocument | Link | Problem]:
            for done, item in enumerate(found, start=1):
                if isinstance(item, tuple):
                    yield Problem(item[0], item[1])
                elif read_elsewhere is not None:
                    yield from self._with_links(next(read_elsewhere), fetcher if fetch else None, links)
                else:
                    yield from self._documents(item, fetcher if fetch else None, links)
                if progress:
                    progress(done, len(found), str(item[0] if isinstance(item, tuple) else item.path))
            if urls or retry_failed:
                self._web = WebSource(self.store, fetcher)
                yield from self._web.documents(urls, retry_failed=retry_failed, progress=progress)

        try:
            return self._store_all(stream(), report, links)
        finally:
            if self._web is not None:
                report.fetched, report.not_modified = self._web.fetched, self._web.not_modified
                report.outcomes = self._web.outcomes
                self._web = None
            if fetcher is not None:
                fetcher.close()

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
            if self._web is not None:  # pages that gave no article (unchanged, or skipped)
                self._web.commit()
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

    def _documents(self, file: InputFile, fetcher: Fetcher | None,
                   links: list[Link]) -> Iterator[RawDocument | Problem]:
        yield from self._with_links(documents(file, max_bytes=self.max_bytes), fetcher, links)

    def _with_links(self, items: Iterable, fetcher: Fetcher | None, links: list[Link]) -> Iterator:
        """``items`` with each link recorded in ``links`` and, given a ``fetcher``, replaced by
        its fetched page (fetching stays on this process: one polite fetcher per run)."""
        for item in items:
            if isinstance(item, Link):
                links.append(item)
                if fetcher is not None:
                    yield fetch_link(item, max_bytes=self.max_bytes, fetcher=fetcher)
            else:
                yield item

    def _flush(self, batch: list[Article], report: IngestReport) -> None:
        if not batch:
            return
        added = []
        for article, result in zip(batch, self.store.add_articles(batch), strict=True):
            if result.status == "added":
                report.added.append(result.article_id)
                report.added_by_source[article.source] = report.added_by_source.get(article.source, 0) + 1
                added.append(article)
            else:
                report.present.append(result.article_id)
                if result.sighting:
                    report.sighted.append(Sighting(result.article_id, article.source, url=article.url,
                                                   outlet=article.outlet, title=article.title,
                                                   published=article.published, locator=article.locator))
        batch.clear()
        if self._web is not None:  # the pages of this batch are stored: record them fetched
            self._web.commit()
        if self.analysing:
            self.analysing.while_ingesting(added, report.analysis)
