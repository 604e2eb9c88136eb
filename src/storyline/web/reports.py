"""Story reports for the server, computed once per story state and kept.

A story report takes seconds (sentence vectors, alignment, date inference; see
link/stories/report.py), far too long to redo on every page view. The server keeps the last
reports it built (web/memo.py), keyed by what they were built from: the story's id, label, date
span and member articles. When the clusterer adds an article to a story, or relabels it, the key
changes and the next request builds a new report. Requests for a story whose report is being
built wait for that one build instead of starting their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from storyline.desk import Desk
from storyline.records import Story
from storyline.report import Briefing, build_briefing
from storyline.web.memo import Memo

# Reports kept; a report of a 60-article story holds its bodies and sentences (a few MB at most).
DEFAULT_KEEP = 64


@dataclass(slots=True, frozen=True)
class Built:
    """A story report (link/story_report.StoryReport), the briefing made from it, and the key
    of the story state it was built from."""

    report: object
    briefing: Briefing
    key: tuple


def report_key(story: Story) -> tuple:
    return (story.id, story.label, story.first, story.last, story.article_ids)


class ReportCache:
    def __init__(self, *, keep: int = DEFAULT_KEEP):
        self._memo: Memo[Built] = Memo(keep=keep)

    @property
    def builds(self) -> int:
        """How many reports were computed."""
        return self._memo.computed

    def get(self, desk: Desk, story_id: str) -> Built:
        """The report and briefing of the story ``story_id`` (id or unique prefix) as stored now.
        Raises LookupError when there is no such story."""
        story = desk.store.story(story_id)
        if story is None:
            raise LookupError(f"no story {story_id!r}")
        key = report_key(story)

        def build() -> Built:
            report = desk.story(story.id)
            return Built(report, build_briefing(report), key)

        return self._memo.get(key, build)
