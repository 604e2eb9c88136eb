"""The Desk's intake: ingest files, URLs and objects, watch feeds, analyse what is stored
(storyline/run/ does the work)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from storyline.ingest.files import DEFAULT_MAX_BYTES
from storyline.run.common import ANALYZE_BATCH, DEFAULT_BATCH, AnalyzeReport, IngestReport, Progress
from storyline.store.base import now
from storyline.store.records import FeedRecord

if TYPE_CHECKING:
    from storyline.ingest.fetch import FetchPolicy
    from storyline.run.watching import CycleReport


class Ingesting:
    """Desk methods that bring articles in (mixed into :class:`storyline.desk.Desk`)."""

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
        (numbered from ``start``; "item N, id X" with the item's own id, jsonl.record_id); an item that is not such an object, or is over ``max_bytes`` as JSON, is a
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
