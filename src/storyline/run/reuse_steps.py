"""The reuse stage as Steps, and ``find_reuse``, which runs them with the local executor.

The due/run functions live in link/reuse/steps.py (what each step does); this module names
them, versions them and says what they read and write. Order matters only for speed: each step
asks the store what is due, so a run killed anywhere is finished by the next.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Mapping, Sequence

from storyline.link.reuse import steps as reuse
from storyline.link.reuse.candidates import FINGERPRINT_VERSION
from storyline.link.reuse.rewrite_switch import SwitchError
from storyline.link.reuse.steps import ReuseReport
from storyline.run.common import Progress, work_folder
from storyline.run.local import run_steps
from storyline.run.step import BatchResult, Mapper, Step, named
from storyline.store import Store

__all__ = ["ReuseReport", "find_reuse", "reuse_steps"]


def _result(run: Callable[..., reuse.Outcome]) -> Callable[[Store, Sequence], BatchResult]:
    def batch(store: Store, keys: Sequence) -> BatchResult:
        out = run(store, keys)
        return BatchResult(out.done, out.counts, out.problems)

    return batch


# What each step re-checks from the change log (run/due.py): the articles stored since (embed,
# fingerprint), fingerprinted since (candidates); for compare, the pairs of the articles that got
# new candidates or were analysed again (a pair's changes read both analyses).
def _embed_among(store: Store, changed: Mapping[str, Sequence[str]], pending: Sequence) -> list:
    return store.unembedded(reuse.EMBED_VERSION, among=named(changed, pending, "article"))


def _fingerprint_among(store: Store, changed: Mapping[str, Sequence[str]], pending: Sequence) -> list:
    return store.unfingerprinted(FINGERPRINT_VERSION, among=named(changed, pending, "article"))


def _candidates_among(store: Store, changed: Mapping[str, Sequence[str]], pending: Sequence) -> list:
    return store.candidates_due(reuse.CANDIDATES_VERSION, FINGERPRINT_VERSION,
                                among=named(changed, pending, "fingerprint"))


def _compare_among(store: Store, changed: Mapping[str, Sequence[str]], pending: Sequence) -> list:
    articles = [aid for pair in pending for aid in pair]  # pending keys are pairs
    return store.uncompared(reuse.reuse_version(), among=named(changed, articles, "candidate", "analysis"))


EMBED = Step(
    "embed", reuse.EMBED_VERSION, "article", reads=("articles",), writes=("sentence_vectors",),
    due=reuse.embed_due, run=_result(reuse.embed_run), batch_size=reuse.EMBED_BATCH,
    label="articles embedded", watches=("article",), due_among=_embed_among,
)
# The number of due articles from which the candidates step runs sharded (see BULK_CANDIDATES).
BULK_SETTING = "STORYLINE_BULK_CANDIDATES"
CANDIDATES_LABEL = "candidates found"


class BulkSettingError(SwitchError):
    """STORYLINE_BULK_CANDIDATES is not a whole number (the commands report it as they report a
    bad STORYLINE_REWRITE_MODEL: exit 2, the message on stderr)."""


def bulk_candidates_min() -> int:
    """BULK_CANDIDATES, or the STORYLINE_BULK_CANDIDATES setting (a whole number; 0: never);
    a bad setting is a :class:`BulkSettingError` naming it."""
    raw = os.environ.get(BULK_SETTING, "").strip()
    if not raw:
        return reuse.BULK_CANDIDATES
    if not raw.isdigit():
        raise BulkSettingError(f"{BULK_SETTING} must be a whole number of articles (0 turns the sharded "
                         f"candidate search off), not {raw!r}")
    return int(raw)


def _bulk_candidates(store: Store, keys: Sequence, mapper: Mapper, progress: Progress | None) -> BatchResult:
    from storyline.link.reuse import bulk

    label = CANDIDATES_LABEL + " (sharded)"
    folder = work_folder(store, "candidates")
    done, counts, problems = bulk.run(store, list(keys), folder, reuse.CANDIDATES_VERSION, mapper,
                                      (lambda n, total: progress(n, total, label)) if progress else None)
    with contextlib.suppress(OSError):
        folder.parent.rmdir()  # the store's work folder, when no other bulk step uses it
    return BatchResult(done, counts, problems)


def candidates_step() -> Step:
    """The candidates step; from ``bulk_candidates_min()`` due articles on (read now), sharded."""
    return Step(
        "candidates", reuse.CANDIDATES_VERSION, "article", reads=("lsh_buckets", "fingerprints"),
        writes=("reuse_candidates", "candidates_done"), due=reuse.candidates_due,
        run=_result(reuse.candidates_run), batch_size=reuse.CANDIDATES_BATCH, label=CANDIDATES_LABEL,
        watches=("fingerprint",), due_among=_candidates_among,
        bulk=_bulk_candidates, bulk_min=bulk_candidates_min(),
    )


def compare_step() -> Step:
    """The compare step, versioned by the rewrite cross-encoder setting read now
    (STORYLINE_REWRITE_MODEL, see link/reuse/rewrites.py): a run started with the other setting
    finds every stored pair due again."""
    return Step(
        "compare", reuse.reuse_version(), "pair",
        reads=("reuse_candidates", "articles", "analyses", "sentence_vectors"), writes=("reuse_pairs",),
        due=reuse.compare_due, run=_result(reuse.compare_run), batch_size=reuse.COMPARE_BATCH,
        label="pairs compared", watches=("candidate", "analysis"), due_among=_compare_among,
    )


def fingerprint_step(vectors: bool = True) -> Step:
    """Fingerprints with article vectors (from the stored sentence vectors) or without."""
    return Step(
        "fingerprint", FINGERPRINT_VERSION, "article",
        reads=("articles", "sentence_vectors") if vectors else ("articles",),
        writes=("fingerprints", "lsh_buckets"), due=reuse.fingerprint_due,
        run=_result(functools.partial(reuse.fingerprint_run, vectors=vectors)),
        batch_size=reuse.FINGERPRINT_BATCH, label="fingerprints", watches=("article",),
        due_among=_fingerprint_among,
    )


def reuse_steps(vectors: bool = True, compare: bool = True) -> list[Step]:
    """The steps in order. ``vectors=False`` leaves article vectors out of the fingerprints (the
    compare step still needs sentence vectors, so embed stays when comparing);
    ``compare=False`` stops after the fingerprints."""
    steps = [EMBED] if vectors or compare else []
    steps.append(fingerprint_step(vectors))
    if compare:
        steps += [candidates_step(), compare_step()]
    return steps


def find_reuse(store: Store, *, progress: Progress | None = None, vectors: bool = True,
               compare: bool = True) -> ReuseReport:
    """Embed and fingerprint new articles, then (unless ``compare`` is False) find their
    candidate pairs and compare every pair not compared by the current compare version."""
    run = run_steps(store, reuse_steps(vectors, compare), progress=progress)
    report = ReuseReport(problems=run.problems)
    if fp := run.of("fingerprint"):
        report.fingerprinted = fp.done
    if found := run.of("candidates"):
        report.by_source = dict(found.counts)
    if compared := run.of("compare"):
        report.candidates, report.compared = compared.due, compared.done
        report.reuse = compared.counts.get("reuse", 0)
    return report
