"""The story stage as a Step (its functions live in link/stories/steps.py; run sits above link,
so the Step record is built here)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from storyline.link.stories import scan
from storyline.link.stories import steps as story
from storyline.link.stories.time_shards import run_sharded
from storyline.run.common import Progress
from storyline.run.step import BatchResult, Step, StoreMapper, named
from storyline.store import Store


def _run(store: Store, keys: Sequence[str]) -> BatchResult:
    return _result(story.run(store, keys))


def _shards(store: Store, keys: Sequence[str], store_mapper: StoreMapper, progress: Progress | None) -> BatchResult:
    def moved(finished: int, total: int) -> None:
        if progress:
            progress(finished, total, "articles clustered")

    return _result(run_sharded(store, keys, store_mapper, moved))


def _result(outcome: story.BatchOutcome) -> BatchResult:
    result = BatchResult(done=outcome.clustered, problems=list(outcome.problems or ()))
    result.count("clustered", outcome.clustered)
    result.count("merged", outcome.merged)
    if outcome.restarted:
        result.count("restarted")
    if outcome.shards:
        result.count("story shards", outcome.shards)
    return result


def stories_step() -> Step:
    """The step, at the clusterer's version as it is now (read at call time, so that a new
    CLUSTER_VERSION, the upgrade that re-clusters everything, also makes the step scan in full
    instead of reading the change log)."""
    return Step(
        name="stories",
        version=scan.CLUSTER_VERSION,
        key="article",
        reads=("articles", "entities", "title_entities", "fingerprints", "story_checkpoint"),
        writes=("story_members", "story_merges", "stories", "story_checkpoint"),
        due=story.due,
        run=_run,
        batch_size=story.BATCH,
        label="articles clustered",
        watches=("article",),
        due_among=_due_among,
        shards=_shards,
    )


def _due_among(store: Store, changed: Mapping[str, Sequence[str]], pending: Sequence) -> list:
    return story.due_among(store, named(changed, pending, "article"))


STORIES = stories_step()
