"""Story reports for the server, read once per story state and kept.

A story's facts are built by the linking run (the story_facts step) and stored; Desk.story
reads them (building and storing them first only when linking was interrupted). What is kept
here is the decoded report and the briefing made from it, keyed by the story's id, label, date
span, member articles and its members' sightings (how many), so that repeated views of a story
neither read nor render it again.
When the clusterer adds an article to a story, or relabels it, the key changes and the next
request reads the new facts. Requests for a story being read wait for that one read.
"""

from __future__ import annotations

from dataclasses import dataclass

from storyline.desk import Desk
from storyline.records import Story
from storyline.report import Briefing, build_briefing
from storyline.web.memo import Memo

# Reports kept; a report of a 60-article story holds its bodies (a few MB at most).
DEFAULT_KEEP = 64


@dataclass(slots=True, frozen=True)
class Built:
    """A story report (link/stories/facts.StoryReport), the briefing made from it, and the key
    of the story state it was built from."""

    report: object
    briefing: Briefing
    key: tuple


def report_key(story: Story) -> tuple:
    return (story.id, story.label, story.first, story.last, story.article_ids)


class ReportCache:
    def __init__(self, *, keep: int = DEFAULT_KEEP):
        self._memo: Memo[Built] = Memo(keep=keep)

    def clear(self) -> None:
        """Forget every kept report (after a correction, which can change a story's people or
        quotes without changing the story)."""
        self._memo.clear()

    @property
    def builds(self) -> int:
        """How many reports were read (and briefings made)."""
        return self._memo.computed

    def get(self, desk: Desk, story_id: str) -> Built:
        """The report and briefing of the story ``story_id`` (id or unique prefix) as stored now.
        Raises LookupError when there is no such story."""
        story = desk.store.story(story_id)
        if story is None:
            raise LookupError(f"no story {story_id!r}")
        # A sighting changes no story state but does change the report (its members' other
        # outlets) and the briefing ("also run by"): their count is part of the key.
        seen = desk.store.sightings(list(story.article_ids))
        key = (*report_key(story), sum(len(v) for v in seen.values()))

        def build() -> Built:
            report = desk.story(story.id)
            return Built(report, build_briefing(report), key)

        return self._memo.get(key, build)
