"""Desk: the one façade that the CLI, the Python API and (later) the web layer call."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from storyline.ingest.fetch import fetch_link
from storyline.ingest.files import DEFAULT_MAX_BYTES, InputFile, discover
from storyline.ingest.pipeline import articles as clean_articles
from storyline.ingest.pipeline import documents
from storyline.records import Article, Link, Problem
from storyline.store import Store, StoreError, open_store

# Articles written per transaction: large enough that commit cost is amortised, small enough
# that a killed run loses (and re-does) little.
DEFAULT_BATCH = 100

Progress = Callable[[int, int, str], None]


@dataclass(slots=True)
class IngestReport:
    """What one ingest run did: ids added and already present, links recorded, problems."""

    added: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    links_seen: int = 0
    links_new: int = 0
    files: int = 0

    @property
    def read_anything(self) -> bool:
        """True when at least one article or link could be read from the inputs."""
        return bool(self.added or self.present or self.links_seen)


class IngestAborted(StoreError):
    """The store failed mid-run. Batches committed before the failure are kept (``report``)."""

    def __init__(self, message: str, report: IngestReport):
        super().__init__(message)
        self.report = report


class Desk:
    """Storyline over one store: ingest inputs, then query what was stored."""

    def __init__(self, store: Store):
        self.store = store

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
        progress: Progress | None = None,
    ) -> IngestReport:
        """Read every input under ``paths``, clean it, and store new articles.

        Safe to re-run and to interrupt: each batch of ``batch_size`` articles is one
        transaction, and articles already stored (same content or same URL) are reported as
        present rather than written twice. Feed entries with only a link are recorded as
        links, and fetched and ingested only when ``fetch`` is true.
        """
        report = IngestReport()
        found = list(discover(list(paths)))
        report.files = len(found)
        batch: list[Article] = []
        links: list[Link] = []
        try:
            for done, item in enumerate(found, start=1):
                if isinstance(item, tuple):
                    report.problems.append(Problem(item[0], item[1]))
                else:
                    for out in clean_articles(self._documents(item, max_bytes, fetch, links)):
                        if isinstance(out, Problem):
                            report.problems.append(out)
                        elif isinstance(out, Article):
                            batch.append(out)
                            if len(batch) >= batch_size:
                                self._flush(batch, report)
                if progress:
                    progress(done, len(found), str(item[0] if isinstance(item, tuple) else item.path))
            self._flush(batch, report)
            if links:
                report.links_seen = len(links)
                report.links_new = self.store.add_links(links)
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
        for status, article_id in self.store.add_articles(batch):
            (report.added if status == "added" else report.present).append(article_id)
        batch.clear()

    # --- queries ---------------------------------------------------------------------------
    def articles(self, *, limit: int | None = None, offset: int = 0) -> list[Article]:
        """Stored articles in the order first ingested (bodies included, raw input not)."""
        return self.store.articles(limit=limit, offset=offset)

    def article(self, id_or_prefix: str) -> Article | None:
        """One article with its raw input, by id or unique id prefix."""
        return self.store.article(id_or_prefix)

    def links(self) -> list[Link]:
        """Link-only feed entries recorded so far."""
        return self.store.links()


def open(db: str | os.PathLike | None = None) -> Desk:  # noqa: A001 - the public name is storyline.open
    """Open a Desk over the store at ``db`` (SQLite path or ``postgresql://`` URL).

    Without ``db``, ``$STORYLINE_DB`` and then ``./storyline.db`` are used.
    """
    return Desk(open_store(db))
