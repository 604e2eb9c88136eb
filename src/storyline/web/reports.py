"""Story reports for the server, computed once per story state and kept.

A story report takes seconds (sentence vectors, alignment, date inference; see
link/story_report.py), far too long to redo on every page view. The server keeps the last
reports it built, keyed by what they were built from: the story's id, label, date span and
member articles. When the clusterer adds an article to a story, or relabels it, the key changes
and the next request builds a new report. Requests for a story whose report is being built wait
for that one build instead of starting their own (a page opened by many readers at once costs
one build).

Plain Python, no web framework: one instance per app (never module-global).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from storyline.desk import Desk
from storyline.records import Story
from storyline.report import Briefing, build_briefing

# Reports kept; a report of a 60-article story holds its bodies and sentences (a few MB at most).
DEFAULT_KEEP = 64


@dataclass(slots=True, frozen=True)
class Built:
    """A story report (link/story_report.StoryReport) and the briefing made from it."""

    report: object
    briefing: Briefing


def report_key(story: Story) -> tuple:
    return (story.id, story.label, story.first, story.last, story.article_ids)


class ReportCache:
    def __init__(self, *, keep: int = DEFAULT_KEEP):
        self.keep = keep
        self._done: OrderedDict[tuple, Built] = OrderedDict()
        self._building: dict[tuple, threading.Lock] = {}
        self._lock = threading.Lock()
        self.builds = 0  # how many reports were computed (tests and the load benchmark read it)

    def get(self, desk: Desk, story_id: str) -> Built:
        """The report and briefing of the story ``story_id`` (id or unique prefix) as stored now.
        Raises LookupError when there is no such story."""
        story = desk.store.story(story_id)
        if story is None:
            raise LookupError(f"no story {story_id!r}")
        key = report_key(story)
        with self._lock:
            if key in self._done:
                self._done.move_to_end(key)
                return self._done[key]
            building = self._building.setdefault(key, threading.Lock())
        with building:
            with self._lock:
                if key in self._done:  # built by the request we waited for
                    return self._done[key]
            built = None
            try:
                report = desk.story(story.id)
                built = Built(report, build_briefing(report))
            finally:
                # One step: a request that finds no build running must find the report.
                with self._lock:
                    self._building.pop(key, None)
                    if built is not None:
                        self.builds += 1
                        self._done[key] = built
                        while len(self._done) > self.keep:
                            self._done.popitem(last=False)
        return built
