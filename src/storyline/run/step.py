"""Steps: the pipeline's stages as named, versioned functions over batches of keys.

A step declares what it reads and writes in the Store, which keys are due (their output by
this version is missing: new articles, candidate pairs not compared yet, stories whose
membership changed), and how to process one batch of them. Processing a batch writes its
outputs in one transaction, so a killed run loses at most the open batch and the next run
finds exactly what is still due. A step keeps no module state and never reads the whole
store: it gets its batch's keys and looks up what it needs for them.

An executor runs steps in order (``run/local.py`` in this process; a Ray executor can run the
same steps, sharded by key).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from storyline.records import Problem
from storyline.run.common import Progress
from storyline.store import Store

# mapper(fn, args): fn(*a) for each a in args, wherever the executor runs work; results in order.
Mapper = Callable[[Callable, Sequence[tuple]], Sequence]
# store mapper(fn, args, done=None): fn(store, *a) for each a in args, each with a store open
# where it runs (this process's store; a Ray task's own connection by URL); results in order.
# ``done(k)``, when given, is called as the k-th call ends (in whatever order they end), so a
# sharded step can show its progress shard by shard.
StoreMapper = Callable[..., Sequence]


@dataclass(slots=True)
class BatchResult:
    """What one batch did: how many keys it finished, counters worth reporting, and the keys
    it could not do (each a Problem naming the key and the reason; they do not stop the batch)."""

    done: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def count(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


@dataclass(frozen=True, slots=True)
class Step:
    """One stage of the pipeline.

    ``due(store)`` lists the keys whose output by ``version`` is missing, in the order they
    should be done (a scan; the executors ask ``due_among`` instead when they can, see
    run/due.py); ``run(store, keys)`` processes one batch of at most ``batch_size`` of them
    and writes its outputs in one transaction. ``key`` says what a key is ("article", "pair",
    "story"); ``reads`` and ``writes`` name the stored facts, for the docs and the executor's
    report.
    """

    name: str
    version: str
    key: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    due: Callable[[Store], Sequence]
    run: Callable[[Store, Sequence], BatchResult]
    batch_size: int = 50
    label: str = ""  # what the progress display calls it ("pairs compared"); the name if empty
    # Incremental due work (run/due.py): the change kinds that can make a key due, and
    # ``due_among(store, changed, pending)``: the keys due among those the changes name
    # (``changed``: kind -> changed keys) and the step's own ``pending`` keys, by the very
    # condition ``due`` scans for. None: the step always scans.
    watches: tuple[str, ...] = ()
    due_among: Callable[[Store, Mapping[str, Sequence[str]], Sequence], Sequence] | None = None
    # A run with at least ``bulk_min`` (> 0) keys due does them all in one ``bulk(store, keys,
    # mapper, progress)`` call instead of batch after batch (the candidates step's sharded
    # search, link/reuse/bulk.py); ``mapper(fn, args)`` runs its independent parts where the
    # executor runs work (in this process, or as Ray tasks), results in the order of ``args``.
    bulk: Callable[[Store, Sequence, Mapper, Progress | None], BatchResult] | None = None
    bulk_min: int = 0
    # A step whose due keys split into independent shards (the people step's name-key shards,
    # link/people/sharded.py) does every run in one ``shards(store, keys, store_mapper,
    # progress)`` call, which plans the shards and runs them through ``store_mapper`` (one
    # after another here, side by side on Ray). Its plan must not depend on the executor, so
    # that both store the same results.
    shards: Callable[[Store, Sequence, StoreMapper, Progress | None], BatchResult] | None = None

    def describe(self) -> str:
        return self.label or self.name

    def in_bulk(self, due: int) -> bool:
        """Whether ``due`` keys are done by ``bulk`` rather than in batches."""
        return self.bulk is not None and 0 < self.bulk_min <= due


def local_map(fn: Callable, args: Sequence[tuple]) -> list:
    """The local executor's mapper (see ``Step.bulk``): each call in turn, in this process."""
    return [fn(*a) for a in args]


def local_store_map(store: Store) -> StoreMapper:
    """The local executor's store mapper (see ``Step.shards``): each call in turn, on ``store``."""

    def run(fn: Callable, args: Sequence[tuple], done: Callable[[int], None] | None = None) -> list:
        out = []
        for k, a in enumerate(args):
            out.append(fn(store, *a))
            if done:
                done(k)
        return out

    return run


def named(changed: Mapping[str, Sequence[str]], pending: Sequence, *kinds: str) -> list:
    """The step's pending keys, then every key the changes of ``kinds`` name (for ``due_among``)."""
    return [*pending, *(key for kind in kinds for key in changed.get(kind, ()))]
