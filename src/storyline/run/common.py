"""What the Desk, CLI and API need to know about a run without loading its steps: batch sizes,
the analyzer version, the reports a run returns and the errors it raises. Imports nothing heavy."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from storyline.records import Analysis, Problem, Sighting
from storyline.store import MEMORY_URL, Store, StoreError

# Articles written per transaction: large enough that commit cost is amortised, small enough
# that a killed run loses (and re-does) little.
DEFAULT_BATCH = 100

# The analyzer whose output is stored with each analysis. Bump it whenever the extractors'
# output changes (new rules, another model): `storyline analyze` then re-analyses every article
# analysed by an older version, and leaves the up-to-date ones alone.
# Not bumped for the titles' names (Analysis.title_entities, session 18): they add to what the
# body gives without changing it, and a bump would re-analyse every stored article (hours for a
# big store) for a gain in the story features only. Articles analysed before have none until
# analysed again (`storyline analyze --all`); their stories are found as before.
# Nor for "the letter is dated Monday" read as the past Monday (session 25): one narrow timex
# rule, TempEval-3 unchanged; `storyline analyze --all` brings older analyses up to it.
# Nor for names cut where they run on (analyze/headline_case.py, session 34): in Title Case
# text (titles, briefs) at a verb; in any text a name written twice across a dash, and trailing
# punctuation; it only shortens names, and `storyline analyze --all` brings older analyses up.
# Nor for the Title Case "persons" made of dictionary words (session 37): it only drops names.
# Nor for online platforms and product models after a number typed as people (session 38):
# they only retype names. Nor for a text mostly outside the Latin script read as no English
# whatever the detector's confidence (session 38): such articles are skipped from then on.
ANALYZER_VERSION = "4"

# Articles analysed per store transaction. Parsing dominates (tens of ms per article with the
# full extractor), so commit cost is negligible; a killed run re-does at most this many.
ANALYZE_BATCH = 50

# Problem.source for a problem with the analyzer itself rather than with one input.
ANALYZER_SOURCE = "analyzer"

# progress(done, total, label): called as a run advances.
Progress = Callable[[int, int, str], None]


@dataclass(slots=True)
class AnalyzeReport:
    """What one analysis run did: articles analysed, what was found, and articles that failed.

    An article that fails keeps its earlier analysis (if any) and stays due for the next run.
    """

    analysed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)  # not English: stored empty, with why
    # Articles analysed only in part (over a cap of storyline.analyze.bounds), with what was left out.
    truncated: list[Problem] = field(default_factory=list)
    entities: int = 0
    quotes: int = 0
    due: int = 0


@dataclass(slots=True, frozen=True)
class Skipped:
    """An article the analysis does not read (not English): its empty analysis, and the note."""

    analysis: Analysis
    note: Problem


@dataclass(slots=True)
class IngestReport:
    """What one ingest run did: ids added and already present, links recorded, problems."""

    added: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    # The present articles kept as new sightings (same text, new URL or outlet): one per copy,
    # ``article_id`` the stored article's (store/base.py ``add_articles``).
    sighted: list[Sighting] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    links_seen: int = 0
    links_new: int = 0
    files: int = 0
    # Fetching (run/fetching.py): pages and feeds fetched, those unchanged since the last
    # fetch, the outcome of each URL asked for (by URL), and articles added by source.
    fetched: int = 0
    not_modified: int = 0
    outcomes: dict = field(default_factory=dict)
    added_by_source: dict[str, int] = field(default_factory=dict)
    # None when the ingest was run without analysis.
    analysis: AnalyzeReport | None = None

    @property
    def read_anything(self) -> bool:
        """True when at least one article or link could be read from the inputs (a page or feed
        unchanged since its last fetch counts as read)."""
        return bool(self.added or self.present or self.links_seen or self.fetched or self.not_modified)


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


class EngineError(ValueError):
    """The Ray engine cannot run over this store (or with these settings)."""


@dataclass(frozen=True, slots=True)
class RayOptions:
    """How the work is spread. ``workers``: actors per per-article step and tasks in flight
    (default: the cluster's CPUs, at least 1); ``cpus_per_worker`` below 1 leaves room for Ray
    Data's own read tasks (a pool that claims every CPU starves them and hangs); ``gpus_per_worker``
    above 0 puts the model steps on GPUs (set STORYLINE_DEVICE=cuda too); ``max_retries``:
    retries of a lost task before the job fails (Ray Data restarts dead pool actors itself)."""

    address: str | None = None
    workers: int | None = None
    cpus_per_worker: float = 0.5
    gpus_per_worker: float = 0.0
    max_retries: int = 3


def shared_url(store: Store) -> str:
    """The URL workers open ``store`` by: PostgreSQL as is, a SQLite file as an absolute path.
    An in-memory store cannot be shared between processes: :class:`EngineError`."""
    url = str(store.url)
    if url in (MEMORY_URL, ":memory:") or url.startswith("file::memory:"):
        raise EngineError(f"--engine ray needs a store several processes can open (a SQLite file or a "
                          f"postgresql:// URL); {url!r} lives in one process only")
    if url.startswith(("postgresql://", "postgres://")):
        return url
    return str(Path(url).resolve())


# Where bulk steps keep their intermediates (the candidates step's Parquet spills): a folder
# beside a SQLite file ("news.db.work"), the system's temporary folder for PostgreSQL and
# memory stores. This setting overrides it: on a Ray cluster of several machines it must be a
# folder every machine reads at the same path (a shared file system).
WORK_DIR = "STORYLINE_WORK_DIR"


def work_folder(store: Store, name: str) -> Path:
    """The folder a bulk step named ``name`` spills to for ``store`` (not created here)."""
    url = str(store.url)
    tag = hashlib.sha256(url.encode()).hexdigest()[:12]  # one folder a store, no password in a name
    if base := os.environ.get(WORK_DIR):
        return Path(base) / f"storyline-{tag}" / name
    if url in (MEMORY_URL, ":memory:") or url.startswith(("file:", "postgresql://", "postgres://")):
        return Path(tempfile.gettempdir()) / f"storyline-work-{tag}" / name
    path = Path(url).resolve()
    return path.parent / f"{path.name}.work" / name
