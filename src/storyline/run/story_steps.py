"""The story stage as a Step (its functions live in link/stories/steps.py; run sits above link,
so the Step record is built here)."""

from __future__ import annotations

from collections.abc import Sequence

from storyline.link.stories import steps as story
from storyline.run.step import BatchResult, Step
from storyline.store import Store


def _run(store: Store, keys: Sequence[str]) -> BatchResult:
    outcome = story.run(store, keys)
    result = BatchResult(done=outcome.clustered, problems=list(outcome.problems or ()))
    result.count("clustered", outcome.clustered)
    result.count("merged", outcome.merged)
    return result


STORIES = Step(
    name="stories",
    version=story.CLUSTER_VERSION,
    key="article",
    reads=("articles", "entities", "fingerprints", "story_checkpoint"),
    writes=("story_members", "story_merges", "stories", "story_checkpoint"),
    due=story.due,
    run=_run,
    batch_size=story.BATCH,
    label="articles clustered",
)

STEPS = (STORIES,)
