"""The story_facts step's functions (the Step itself is made in run/fact_steps.py): which
stories' facts are due, how to build and store the facts of a batch of them, and the
write-through read that Desk.story uses.

A batch builds each story's report (link/stories/report.py: seconds for a large story), then
stores all of them in one transaction. A story whose build fails is reported and stays due; a
story whose state is unchanged since its facts were built (it was only listed because
something happened in the same second) is not rebuilt, its facts are stamped again.
A story's last facts are handed to the new build, which reuses their compared value pairs
(link/stories/value_pairs.py): a story that gains a member compares only that member's pairs.
"""

from __future__ import annotations

import dataclasses

from collections.abc import Sequence

from storyline.link.stories.facts import FACTS_VERSION, decode_facts, encode_facts, fact_state, member_pairs
from storyline.records import Problem, Story
from storyline.store import Store
from storyline.store.base import now_precise
from storyline.store.records import StoryFacts


class FactsResult:
    """What one batch did (the executor's BatchResult is made from it in run/fact_steps.py)."""

    __slots__ = ("built", "kept", "problems", "removed")

    def __init__(self) -> None:
        self.built = 0
        self.kept = 0
        self.removed = 0
        self.problems: list[Problem] = []


def due_story_facts(store: Store) -> list[str]:
    """Ids of the stories whose facts may be stale, largest first (Store.story_facts_due)."""
    return store.story_facts_due(FACTS_VERSION)


def build_story_facts(store: Store, story_ids: Sequence[str]) -> FactsResult:
    """Build and store the facts of these stories, in one transaction for the batch."""
    from storyline.link.stories.report import build_report

    out = FactsResult()
    stored = {f.story_id: f for f in store.story_facts(story_ids)}
    rows: list[StoryFacts] = []
    removed: list[str] = []
    for story_id in story_ids:
        try:
            story = store.story(story_id)
            if story is None or story.id != story_id:  # merged away since it was listed
                removed.append(story_id)
                continue
            state = fact_state(store, story)
            old = stored.get(story_id)
            if old is not None and old.version == FACTS_VERSION and old.state == state:
                rows.append(old._replace(built_at=now_precise()))
                out.kept += 1
                continue
            rows.append(_facts_row(story_id, state, build_report(store, story, _reusable(old), whole=False)))
            out.built += 1
        except Exception as exc:  # noqa: BLE001 - one story's failure must not stop the batch
            out.problems.append(Problem(f"story {story_id}", f"{type(exc).__name__}: {exc}"))
    store.put_story_facts(rows, removed)
    out.removed = len(removed)
    return out


def story_report(store: Store, story: Story):
    """The StoryReport of ``story`` from its stored facts; when they are missing or stale they
    are built and stored first (write-through: the next read is a read)."""
    pairs = member_pairs(store, story)
    state = fact_state(store, story, pairs)
    found = store.story_facts([story.id])
    if found and found[0].version == FACTS_VERSION and found[0].state == state:
        return decode_facts(store, story, found[0].facts, pairs)
    from storyline.link.stories.report import build_report

    report = build_report(store, story, _reusable(found[0] if found else None))
    row = _facts_row(story.id, state, report)
    store.put_story_facts([row])
    # The story as it reads from now on: with the coverage just stored.
    return dataclasses.replace(report, story=dataclasses.replace(
        report.story, coverage_first=row.coverage_first, coverage_last=row.coverage_last))


def _reusable(row: StoryFacts | None) -> dict | None:
    """A stored facts document a new build of its story may reuse (its version's), or None."""
    return row.facts if row is not None and row.version == FACTS_VERSION else None


def _facts_row(story_id: str, state: str, report) -> StoryFacts:
    """The stored row of a story's facts, with its coverage: the first and last publication day
    of its articles, stated or inferred (the range ends of an inferred date count)."""
    firsts = [d.first[:10] for d in report.dates.values() if d.first]
    lasts = [d.last[:10] for d in report.dates.values() if d.last]
    return StoryFacts(story_id, state, FACTS_VERSION, now_precise(), encode_facts(report),
                      min(firsts) if firsts else None, max(lasts) if lasts else None)
