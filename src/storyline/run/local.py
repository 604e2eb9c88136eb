"""The local executor: runs steps in this process, in order, one batch at a time, with one
progress display. Resumable by construction: each batch is one transaction and each step
asks the store what is still due, so a run killed at any point is finished by the next."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from storyline.records import Problem
from storyline.run.common import IngestReport, Progress
from storyline.run.due import claim, due, settle
from storyline.run.step import BatchResult, Step, StoreMapper, local_map, local_store_map
from storyline.store import Store


@dataclass(slots=True)
class StepReport:
    """What one step did in a run."""

    step: str
    version: str
    due: int = 0
    done: int = 0
    seconds: float = 0.0  # wall time of the step in this run
    cpu_seconds: float = 0.0  # this process's CPU time in the step
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def add(self, result: BatchResult) -> None:
        """Count one finished batch in."""
        self.done += result.done
        for name, n in result.counts.items():
            self.counts[name] = self.counts.get(name, 0) + n
        self.problems += result.problems


@dataclass(slots=True)
class RunReport:
    steps: list[StepReport] = field(default_factory=list)

    def of(self, name: str) -> StepReport | None:
        return next((s for s in self.steps if s.step == name), None)

    @property
    def problems(self) -> list[Problem]:
        return [p for s in self.steps for p in s.problems]


@dataclass(slots=True)
class PipelineReport:
    """What ``Desk.run`` did: the ingest, then every step after it (either executor)."""

    engine: str
    ingest: IngestReport
    steps: RunReport = field(default_factory=RunReport)


def run_steps(store: Store, steps: Sequence[Step], *, progress: Progress | None = None) -> RunReport:
    """Run ``steps`` in order over what is due for each. A key that fails is reported and left
    due (the next run tries it again); it does not stop its batch or the run. Then the change
    log is pruned of what every step has read."""
    report = RunReport()
    for step in steps:
        report.steps.append(run_step(store, step, progress=progress))
    if any(s.due for s in report.steps):
        store.prune_changes()
    return report


def run_step(store: Store, step: Step, *, progress: Progress | None = None,
             store_mapper: StoreMapper | None = None) -> StepReport:
    """One step over what is due for it; a sharded step's shards through ``store_mapper``
    (the Ray executor's tasks), else one after another in this process."""
    started, started_cpu = time.perf_counter(), time.process_time()
    out = StepReport(step.name, step.version)
    todo = due(store, step)
    claim(store, step, todo)
    keys = todo.keys
    out.due = len(keys)
    position = 0
    if step.in_bulk(len(keys)):
        out.add(step.bulk(store, keys, local_map, progress))
        position = len(keys)
    elif step.shards is not None and keys:
        out.add(step.shards(store, keys, store_mapper or local_store_map(store), progress))
        position = len(keys)
    while position < len(keys):
        batch = keys[position : position + step.batch_size]
        position += len(batch)
        out.add(step.run(store, batch))
        if progress:
            progress(min(position, len(keys)), len(keys), step.describe())
    settle(store, step, todo)
    out.seconds = time.perf_counter() - started
    out.cpu_seconds = time.process_time() - started_cpu
    return out
