"""The Steps that keep the facts derived across articles stored (link/stories/fact_steps.py holds
their functions; run/ is above link/, so the Step objects are made here)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from storyline.link.stories.facts import FACTS_VERSION
from storyline.link.stories.fact_steps import build_story_facts, due_story_facts
from storyline.run.step import BatchResult, Step, named
from storyline.store import Store


def _run_story_facts(store: Store, story_ids: Sequence) -> BatchResult:
    done = build_story_facts(store, list(story_ids))
    result = BatchResult(done=done.built + done.kept + done.removed, problems=done.problems)
    result.count("built", done.built)
    result.count("unchanged", done.kept)
    result.count("removed", done.removed)
    return result


def _due_among(store: Store, changed: Mapping[str, Sequence[str]], pending: Sequence) -> list:
    # A story's facts read its members, their analyses and their reuse pairs: a story written
    # (members in or out), or a member analysed again or compared, makes it due.
    articles = named(changed, (), "analysis", "pair")
    stories = [m.story_id for m in store.memberships_of(articles)] if articles else []
    return store.story_facts_due(FACTS_VERSION, among=named(changed, [*pending, *stories], "story"))


# A story's facts take seconds to build (sentence vectors of up to 60 articles): small batches
# keep the work lost to a kill, and the wait for a progress tick, short.
STORY_FACTS = Step(
    name="story_facts",
    version=FACTS_VERSION,
    key="story",
    # The people: a story names its people as the stored persons (link/stories/story_people.py),
    # so on Ray the facts wait for the people step instead of running beside it.
    reads=("stories", "story_members", "articles", "analyses", "reuse_pairs", "persons", "person_members"),
    writes=("story_facts",),
    due=due_story_facts,
    run=_run_story_facts,
    batch_size=4,
    label="story facts built",
    watches=("story", "analysis", "pair"),
    due_among=_due_among,
)

FACT_STEPS = (STORY_FACTS,)
