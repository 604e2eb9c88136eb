"""The Ray executor: the same Steps as run/local.py, spread over a Ray cluster (with
run/ray_read.py the only modules that import ray; loaded only for ``--engine ray``).

Input files are read and cleaned by reader actors, a call a file or a part of a big JSONL file
(run/ray_read.py ``file_reader``); the driver stores the articles in order. How each step runs:

- per-article steps whose batches are independent and model-bound (analyze, embed,
  fingerprint): Ray Data ``map_batches`` over the due keys, with an actor pool; each actor
  opens the store by URL and loads spaCy or the sentence model once, in its constructor
  (``fn_constructor_kwargs``), then processes batch after batch;
- steps over pairs, candidate look-ups and story facts (candidates, compare, story_facts):
  one Ray task per batch of keys, a bounded number in flight; a step with a ``bulk`` pass and
  enough keys due (the candidates step of a bulk load, link/reuse/bulk.py) runs it on the
  driver, with its partitions as Ray tasks (:func:`_ray_map`);
- the stories step runs on the driver through the local executor: the story clusterer is
  online (each article is placed against the stories made by the articles published before
  it, and its state, the checkpoint, is the result of every earlier batch), so its batches
  cannot run side by side without changing the stories; a bulk load (10,000 articles due or
  more) runs by time shards instead, each a Ray task, joined by a merge step on the driver
  (link/stories/time_shards.py, through :func:`_ray_store_map`);
- the people step plans its run by name-key shards (link/people/sharded.py: groups of
  mentions that no name key or identity joins) and runs each shard as a Ray task
  (:func:`_ray_store_map`); the plan does not depend on the executor, so both store the same
  people. It touches other tables than the stories, so its planning and its shards run from
  one Ray task beside the driver's stories (``BESIDE_STEPS``): the run waits for the longer
  of the two, not their sum. The story facts, which name the stored people, wait for it.

Every batch, wherever it runs, is ``step.run(store, keys)``: one transaction with idempotent
writes. A worker that dies mid-batch leaves nothing of that batch; one that dies after its
commit but before replying has its batch done again, which rewrites the same rows. Ray restarts
dead actors and retries lost tasks (``max_retries``), and a killed job is finished by the next
run, which asks each step what is still due.

Workers open the store themselves, so the store must be one several processes can open: a
SQLite file (WAL mode, which Storyline always uses; on one machine, or a shared file system
that supports locking) or PostgreSQL. ``memory://`` and SQLite's ``:memory:`` are refused.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import ray
import ray.data

from storyline.records import Problem
from storyline.run.analyze import Analysing
from storyline.run.common import EngineError, Progress, RayOptions, shared_url
from storyline.run.crash_hook import CRASH_DIR, CRASH_STEPS
from storyline.run.crash_hook import crash_once as _crash_once
from storyline.run.due import claim, due, settle
from storyline.run.local import RunReport, StepReport, run_step
from storyline.run.pipeline import analysis_step
from storyline.run.ray_read import file_reader
from storyline.run.step import BatchResult, Step
from storyline.store import Store, open_store

# Re-exported: the engine's entry points and its test hook's names are imported from here.
__all__ = ["CRASH_DIR", "CRASH_STEPS", "cluster", "file_reader", "run_steps_ray"]

# Steps whose batches are independent and load a model: Ray Data actor pools.
ACTOR_STEPS = frozenset({"analyze", "embed", "fingerprint"})
# Steps whose batches are independent and light to start: one Ray task per batch.
TASK_STEPS = frozenset({"candidates", "compare", "story_facts"})
# Everything else runs on the driver, in order (see the module docstring), except that a step
# here runs in one Ray task (the local executor, in that process) beside the driver's step
# before it when neither writes what the other reads or writes (their declared tables), and is
# waited for before any later step that touches what it writes, or at the end. People reads the
# analysed entities and its own tables; stories and story facts touch neither, so the run's two
# driver-bound stages overlap instead of adding up (docs/scale.md).
BESIDE_STEPS = frozenset({"people"})

# The environment a joined cluster's workers get from the driver.
# STORYLINE_REWRITE_MODEL: the compare step's workers must decide as the driver versioned it.
# STORYLINE_PEOPLE_SHARDS / _SHARD_MIN: the people step is planned in a Ray task (beside the stories).
PASSED_ON = ("STORYLINE_DEVICE", "STORYLINE_TORCH_THREADS", "STORYLINE_REWRITE_MODEL", "STORYLINE_EMBEDDER",
             "STORYLINE_MODEL_CACHE", "STORYLINE_PEOPLE_SHARDS", "STORYLINE_PEOPLE_SHARD_MIN")

@contextmanager
def cluster(options: RayOptions = RayOptions(), *, num_cpus: int | None = None) -> Iterator[None]:
    """Ray, started for the block: joins ``options.address`` if given, else starts a local
    cluster (``num_cpus`` of this machine's CPUs, all by default) and shuts it down afterwards.
    An already initialised Ray (a test's fixture, a notebook) is used as is and left running."""
    if ray.is_initialized():
        yield
        return
    if options.address:
        # Workers on other machines do not inherit this process's environment: pass on the
        # settings that change how they run (the device, torch's threads).
        settings = {k: v for k, v in os.environ.items() if k in PASSED_ON}
        ray.init(address=options.address, logging_level=logging.WARNING, log_to_driver=False,
                 runtime_env={"env_vars": settings} if settings else None)
    else:
        ray.init(num_cpus=num_cpus, include_dashboard=False, logging_level=logging.WARNING, log_to_driver=False)
    try:
        yield
    finally:
        ray.shutdown()


def run_steps_ray(store: Store, steps: Sequence[Step], *, options: RayOptions = RayOptions(),
                  progress: Progress | None = None) -> RunReport:
    """Run ``steps`` in order over what is due for each, on the Ray cluster this process is
    connected to (see :func:`cluster`). Same contract as ``run.local.run_steps``: a key that
    fails is reported and stays due."""
    url = shared_url(store)
    if not ray.is_initialized():
        raise EngineError("Ray is not initialised: run inside storyline.run.ray_exec.cluster()")
    _quiet_ray_data()
    workers = options.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
    steps = list(steps)
    reports: dict[int, StepReport] = {}
    beside: dict[int, Any] = {}  # position of a step running in a Ray task -> its result's ref
    for n, step in enumerate(steps):
        for at in [at for at in beside if _conflict(step, steps[at])]:
            reports[at] = ray.get(beside.pop(at))
        if n in reports or n in beside:
            continue
        following = steps[n + 1] if n + 1 < len(steps) else None
        if (following is not None and following.name in BESIDE_STEPS and step.name not in ACTOR_STEPS | TASK_STEPS
                and not _conflict(step, following)):
            remote = ray.remote(_run_beside).options(num_cpus=options.cpus_per_worker, max_retries=options.max_retries)
            beside[n + 1] = remote.remote(url, _portable(following), options)
        if step.name in ACTOR_STEPS:
            reports[n] = _on_actors(store, url, step, options, workers, progress)
        elif step.name in TASK_STEPS:
            reports[n] = _on_tasks(store, url, step, options, workers, progress)
        else:
            reports[n] = run_step(store, step, progress=progress, store_mapper=_ray_store_map(url, options))
    for at, ref in beside.items():
        reports[at] = ray.get(ref)
    report = RunReport(steps=[reports[n] for n in range(len(steps))])
    if any(s.due for s in report.steps):
        store.prune_changes()
    return report


def _conflict(a: Step, b: Step) -> bool:
    """Whether one of the two steps writes a table the other reads or writes (as declared)."""
    return bool(set(a.writes) & (set(b.reads) | set(b.writes)) or set(b.writes) & set(a.reads))


def _run_beside(url: str, recipe: Step | _AnalysisRecipe, options: RayOptions) -> StepReport:
    """A driver step run in a Ray task, as the local executor runs it (in order, resumable);
    a sharded step's shards as more Ray tasks (the people step's name-key shards)."""
    store = open_store(url)
    try:
        step, _ = _bind(recipe, store)
        return run_step(store, step, store_mapper=_ray_store_map(url, options))
    finally:
        store.close()


# --- what a worker runs ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _AnalysisRecipe:
    """The analysis step as shipped to a worker: its run is bound to one store and analyzer,
    so the worker builds its own over the store it opened."""

    version: str


def _portable(step: Step) -> Step | _AnalysisRecipe:
    # Other steps are plain functions of (store, keys): cloudpickle ships them as they are.
    return _AnalysisRecipe(step.version) if step.name == "analyze" else step


def _bind(recipe: Step | _AnalysisRecipe, store: Store) -> tuple[Step, Analysing | None]:
    if isinstance(recipe, _AnalysisRecipe):
        analysing = Analysing(store, version=recipe.version)
        return analysis_step(analysing), analysing
    return recipe, None


class _StepWorker:
    """A Ray Data actor: one store connection and one loaded model for its whole life."""

    def __init__(self, url: str, recipe: Step | _AnalysisRecipe):
        self.store = open_store(url)
        self.step, analysing = _bind(recipe, self.store)
        self._warm(analysing)

    def _warm(self, analysing: Analysing | None) -> None:
        # Load the model now, once per actor, not inside the first batch. A failure to load is
        # left to the batches, which report it the way the local executor does.
        try:
            if analysing is not None:
                analysing.analyzer()
            elif self.step.name == "embed":
                from storyline.analyze.embed import encoder

                encoder()
        except Exception:  # noqa: BLE001, S110 - raised again, with its message, by the first batch
            pass

    def __call__(self, batch: dict) -> dict:
        keys = [str(k) for k in batch["key"]]
        result = self.step.run(self.store, keys)
        _crash_once(self.step.name)
        return {"keys": [len(keys)], "result": [_encode(result)]}


def _run_task(url: str, recipe: Step | _AnalysisRecipe, keys: list) -> BatchResult:
    store = open_store(url)
    try:
        step, _ = _bind(recipe, store)
        result = step.run(store, keys)
        _crash_once(step.name)
        return result
    finally:
        store.close()


def _encode(result: BatchResult) -> str:
    # JSON, so that Ray Data keeps the output column as plain strings in Arrow.
    return json.dumps({"done": result.done, "counts": result.counts,
                       "problems": [[p.source, p.reason, p.locator] for p in result.problems]})


def _decode(text: str) -> BatchResult:
    data = json.loads(text)
    return BatchResult(data["done"], data["counts"], [Problem(*p) for p in data["problems"]])


# --- the driver's side ------------------------------------------------------------------------


def _on_actors(store: Store, url: str, step: Step, options: RayOptions, workers: int,
               progress: Progress | None) -> StepReport:
    started = time.perf_counter()
    todo = due(store, step)
    claim(store, step, todo)
    keys = [str(k) for k in todo.keys]
    out = StepReport(step.name, step.version, due=len(keys))
    if keys:
        dataset = ray.data.from_items([{"key": k} for k in keys]).map_batches(
            _StepWorker,
            fn_constructor_kwargs={"url": url, "recipe": _portable(step)},
            batch_size=step.batch_size,
            batch_format="numpy",
            # Ray Data restarts a dead pool actor and gives its batch to a live one (its
            # defaults: max_restarts=-1, max_task_retries=-1).
            compute=ray.data.ActorPoolStrategy(size=max(1, min(workers, -(-len(keys) // step.batch_size)))),
            num_cpus=options.cpus_per_worker,
            num_gpus=options.gpus_per_worker or None,
        )
        position = 0
        for row in dataset.iter_rows():
            position += int(row["keys"])
            out.add(_decode(row["result"]))
            if progress:
                progress(position, len(keys), step.describe())
    settle(store, step, todo)
    out.seconds = time.perf_counter() - started
    return out


def _on_tasks(store: Store, url: str, step: Step, options: RayOptions, workers: int,
              progress: Progress | None) -> StepReport:
    started = time.perf_counter()
    todo = due(store, step)
    claim(store, step, todo)
    keys = todo.keys
    out = StepReport(step.name, step.version, due=len(keys))
    if step.in_bulk(len(keys)):
        # The driver reads and spills; each partition is a Ray task (bulk.partition_task).
        out.add(step.bulk(store, keys, _ray_map(options), progress))
        keys = []
    remote = ray.remote(_run_task).options(num_cpus=options.cpus_per_worker, max_retries=options.max_retries)
    recipe = ray.put(_portable(step))
    batches = iter([keys[i : i + step.batch_size] for i in range(0, len(keys), step.batch_size)])
    pending: dict = {}
    done_keys = 0
    # As many in flight as workers: a million pairs must not become a million queued tasks, and
    # each worker process a task lands on loads the sentence model once (compare and story_facts
    # embed sentences), so more processes than workers would only load it more often.
    limit = workers
    while True:
        while len(pending) < limit and (batch := next(batches, None)) is not None:
            pending[remote.remote(url, recipe, batch)] = len(batch)
        if not pending:
            break
        finished, _ = ray.wait(list(pending), num_returns=1)
        for ref in finished:
            done_keys += pending.pop(ref)
            out.add(ray.get(ref))
            if progress:
                progress(done_keys, len(keys), step.describe())
    settle(store, step, todo)
    out.seconds = time.perf_counter() - started
    return out


def _ray_map(options: RayOptions) -> Callable[[Callable, Sequence[tuple]], list]:
    """A bulk step's mapper (``Step.bulk``): one Ray task a call, ``cpus_per_worker`` CPUs each
    (fractional: the driver keeps working beside them), retried when lost; results in order. A
    bulk step makes a few dozen calls (its partitions), so all are submitted at once."""

    def run(fn: Callable, args: Sequence[tuple]) -> list:
        remote = ray.remote(fn).options(num_cpus=options.cpus_per_worker, max_retries=options.max_retries)
        return ray.get([remote.remote(*a) for a in args])

    return run


# Tasks that each hold a story clusterer's window of state (about 1 GB at the million): each
# runs in a worker process of its own, which exits after it. A worker kept for the next task
# keeps its high-water memory (the allocator does not hand it back), so two idle workers held
# 2 GB while the driver joined the round, which set the run's peak (session 33).
FRESH_WORKER = frozenset({"run_time_shard", "stitch"})


def _ray_store_map(url: str, options: RayOptions) -> Callable[[Callable, Sequence[tuple]], list]:
    """A sharded step's store mapper (``Step.shards``): one Ray task a call, each opening the
    store by ``url``, ``cpus_per_worker`` CPUs each, retried when lost (a shard run again skips
    the batches it finished); results in order. A run has a few shards (sharded.SHARDS)."""

    def run(fn: Callable, args: Sequence[tuple], done: Callable[[int], None] | None = None) -> list:
        task = ray.remote(max_calls=1)(_store_task) if getattr(fn, "__name__", "") in FRESH_WORKER \
            else ray.remote(_store_task)  # (max_calls is not an .options() one)
        remote = task.options(num_cpus=options.cpus_per_worker, max_retries=options.max_retries)
        refs = [remote.remote(url, fn, *a) for a in args]
        if done is None:
            return ray.get(refs)
        waiting = {ref: k for k, ref in enumerate(refs)}
        while waiting:
            ended, _ = ray.wait(list(waiting), num_returns=1)
            for ref in ended:
                ray.get(ref)  # a task that failed for good raises here, as ray.get(refs) would
                done(waiting.pop(ref))
        return ray.get(refs)

    return run


def _store_task(url: str, fn: Callable, *args: Any) -> Any:
    store = open_store(url)
    try:
        result = fn(store, *args)
        _crash_once(getattr(fn, "__name__", ""))
        return result
    finally:
        store.close()


def _quiet_ray_data() -> None:
    # Ray Data's own progress bars and execution banners would interleave with ours on stderr.
    from ray.data import DataContext

    context = DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
