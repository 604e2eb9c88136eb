"""The Store protocol's methods for the linking steps' bookkeeping and the desk's own records:
the reuse steps' vectors and candidates, story facts, corrections, the change log and cursors,
fetching and watching. ``store/base.py``'s :class:`~storyline.store.base.Store` inherits them
(kept apart so that neither file grows past a screenful of areas)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from storyline.store.records import (
    AnalysisStamp,
    CandidatePair,
    ComparedPair,
    Correction,
    FeedRecord,
    FetchRecord,
    Membership,
    SentenceVectors,
    StepCursor,
    StoryFacts,
    ValuePairEntry,
)


class StepRecords(Protocol):
    """What the linking steps and the desk keep besides the articles, analyses, reuse pairs,
    stories and people (see :class:`~storyline.store.base.Store` for the rules every store
    follows)."""

    # --- reuse steps (link/reuse/steps.py) ---------------------------------------------------
    def put_sentence_vectors(self, vectors: dict[str, SentenceVectors], version: str) -> None:
        """Store (or replace) the sentence vectors of some articles, by article id, in one
        transaction. Every article must be stored already (StoreError otherwise)."""
        ...

    def sentence_vectors(self, ids: Sequence[str], version: str | None = None) -> dict[str, SentenceVectors]:
        """The stored sentence vectors of ``ids`` (by ``version`` if given), by article id;
        articles without any are left out."""
        ...

    def unembedded(self, version: str, *, limit: int | None = None,
                    among: Sequence[str] | None = None) -> list[str]:
        """Ids of articles with no sentence vectors by ``version``, in the order stored."""
        ...

    def candidates_due(self, version: str, fingerprint_version: str, *, limit: int | None = None,
                        among: Sequence[str] | None = None) -> list[str]:
        """Ids of articles fingerprinted by ``fingerprint_version`` whose candidates were not
        looked up by ``version`` since (a new fingerprint makes them due again), in the order
        stored."""
        ...

    def put_candidates(self, pairs: Sequence[CandidatePair], done: Sequence[str], version: str) -> None:
        """In one transaction: add candidate pairs (a pair already stored keeps how it was first
        found) and mark the articles ``done`` as looked up by ``version``."""
        ...

    def candidates(self, article_id: str) -> list[CandidatePair]:
        """The stored candidate pairs involving one article, by (first_id, second_id)."""
        ...

    def uncompared(self, version: str, *, limit: int | None = None,
                    among: Sequence[str] | None = None) -> list[ComparedPair]:
        """Candidate pairs not compared by ``version`` (never compared, or by another version),
        by (first_id, second_id)."""
        ...

    # --- story facts (link/stories/facts.py) -----------------------------------------------------
    def analysis_stamps(self, ids: Sequence[str]) -> list[AnalysisStamp]:
        """The analyzer version and analysis time of each analysed article among ``ids`` (in no
        set order; articles not analysed are passed over)."""
        ...

    def put_story_facts(self, facts: Sequence[StoryFacts], removed: Sequence[str] = ()) -> None:
        """In one transaction: store the facts of some stories (each replacing that story's
        earlier facts) and forget the facts of the stories in ``removed``."""
        ...

    def story_facts(self, story_ids: Sequence[str]) -> list[StoryFacts]:
        """The stored facts of these stories (exact ids, in no set order; stories without facts
        are passed over)."""
        ...

    def story_facts_due(self, version: str, *, limit: int | None = None,
                         among: Sequence[str] | None = None) -> list[str]:
        """Ids of the stories whose facts may be out of date, largest first: none stored, or
        built by another ``version``, or built no later (to the second) than the story's last
        change, a member's analysis or the comparison of a pair with a member."""
        ...

    def value_pairs(self, pairs: Sequence[tuple[str, str]], version: str) -> list[ValuePairEntry]:
        """The stored value pairs among ``pairs`` ((first, second) ids, first < second) made by
        ``version``, in no set order (link/stories/value_pairs.py)."""
        ...

    def put_value_pairs(self, entries: Sequence[ValuePairEntry]) -> None:
        """Store value pairs in one transaction, each replacing the pair's earlier entry. An
        entry naming an article not stored is refused, with the whole call (StoreError)."""
        ...

    # --- corrections (link/corrections, run/corrections.py) ----------------------------------
    def add_correction(self, correction: Correction) -> Correction:
        """Store a correction with its lookup keys in one transaction; returns it with the id
        given (ids grow with every correction) and ``undone_at`` None. ``created_at`` as given."""
        ...

    def corrections(self, *, limit: int | None = None, offset: int = 0,
                    active: bool | None = None) -> list[Correction]:
        """Stored corrections, newest first; ``active`` True keeps those not undone, False the
        undone ones, None all."""
        ...

    def correction(self, correction_id: int) -> Correction | None:
        """One correction by id (undone or not), None if there is none."""
        ...

    def undo_correction(self, correction_id: int, undone_at: str, undone_by: str) -> bool:
        """Mark a correction undone (one transaction); False when it is unknown or undone already."""
        ...

    def corrections_by_keys(self, keys: Sequence[str]) -> list[Correction]:
        """The active corrections indexed under any of ``keys`` (the steps' lookup for the batch
        in hand), oldest first: a later correction is applied after, and wins over, an earlier one."""
        ...

    def correction_keys(self, prefix: str) -> list[str]:
        """The keys starting with ``prefix`` that an active correction is indexed under, sorted
        (corrections are made by hand: few; the people step asks which of its identities' articles
        any person correction names without reading those identities' members)."""
        ...

    def memberships_of(self, article_ids: Sequence[str]) -> list[Membership]:
        """The story memberships of these articles (those clustered), in the clusterer's order."""
        ...

    # --- the change log and the steps' cursors (run/due.py; store/schema/016_changes.sql) -----
    # Every write that can make work due for a step logs (kind, key) in its own transaction:
    # "article" (stored), "analysis", "fingerprint", "candidate" and "pair" (keys: the pair's
    # article ids), "story" (a story written, or members moved in or out).
    def change_position(self) -> int:
        """The log position a step reading the log now resumes from next time."""
        ...

    def changed_keys(self, kinds: Sequence[str], since: int) -> dict[str, list[str]]:
        """The keys of each of ``kinds`` changed after position ``since``, oldest first, each once
        (every kind asked for is in the answer)."""
        ...

    def step_cursor(self, step: str) -> StepCursor | None:
        """Where ``step`` stands in the log, or None when it never finished a run."""
        ...

    def put_step_cursor(self, cursor: StepCursor) -> None:
        """Store a step's cursor (replacing its last one)."""
        ...

    def prune_changes(self) -> int:
        """Delete the changes every stored cursor has read; returns how many went."""
        ...

    # --- fetching and watching (ingest/fetch.py, run/fetching.py) ----------------------------
    def put_fetches(self, records: Sequence[FetchRecord]) -> None:
        """Record what fetching some URLs answered (one transaction), each replacing the earlier
        record of the same normalised URL."""
        ...

    def fetches(self, urls: Sequence[str]) -> dict[str, FetchRecord]:
        """The last fetch of each of ``urls`` (matched by normalised URL), keyed by the URL as
        given; URLs never fetched are left out."""
        ...

    def failed_fetches(self, due_by: str | None = None) -> list[FetchRecord]:
        """Pages whose last fetch failed (those due again by ``due_by`` if given), soonest due
        first."""
        ...

    def put_feeds(self, records: Sequence[FeedRecord]) -> None:
        """Add or update watched feeds (one transaction; matched by normalised URL). A feed
        keeps the ``added_at`` of its first write; ``articles_7d`` is not stored."""
        ...

    def feeds(self) -> list[FeedRecord]:
        """Every watched feed, by normalised URL, with ``articles_7d`` counted from the fetches
        of its entries in the last seven days."""
        ...
