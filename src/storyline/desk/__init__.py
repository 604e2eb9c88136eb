"""Desk: the one façade that the CLI, the Python API and the web layer call. It runs the
pipeline (storyline/run/) and reads the Store; it holds no logic of its own.

Its methods live by what they do: ``ingesting`` (ingest, watch, analyse), ``linking`` (reuse,
stories, steps, the whole pipeline), ``reading`` (every read) and ``correcting`` (human
corrections); :class:`Desk` puts them together over one store."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from storyline.desk.correcting import Correcting
from storyline.desk.ingesting import Ingesting
from storyline.desk.linking import Linking
from storyline.desk.reading import MAX_MERGE_CHAIN, REUSE_KINDS, Reading
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
    RayOptions,
)
from storyline.store import Store, open_store

if TYPE_CHECKING:  # the analyzer imports spaCy (about a second): loaded only when needed
    from storyline.analyze import Analyzer

__all__ = [
    "ANALYZE_BATCH", "ANALYZER_VERSION", "DEFAULT_BATCH", "AnalysisUnavailable", "AnalyzeAborted",
    "AnalyzeReport", "Desk", "EngineError", "IngestAborted", "IngestReport", "MAX_MERGE_CHAIN", "REUSE_KINDS",
    "RayOptions", "open",
]


class Desk(Ingesting, Linking, Reading, Correcting):
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


def open(db: str | os.PathLike | None = None) -> Desk:  # noqa: A001 - the public name is storyline.open
    """Open a Desk over the store at ``db`` (SQLite path or ``postgresql://`` URL).

    Without ``db``, ``$STORYLINE_DB`` and then ``./storyline.db`` are used.
    """
    return Desk(open_store(db))
