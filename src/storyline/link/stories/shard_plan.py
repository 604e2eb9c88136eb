"""Time shards, the plan of a round: which articles each shard replays and places, and what a
shard hands the merge step (link/stories/time_shards.py runs them, link/stories/shard_join.py
joins them; the design is in time_shards' docstring)."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from storyline.link.stories.cluster import DEFAULT
from storyline.records import Problem
from storyline.store.records import StoryCheckpoint

SHARDS = 16  # shards in a round at most (STORYLINE_STORY_SHARDS)
SHARD_MIN = 5_000  # articles in a shard at least (STORYLINE_STORY_SHARD_MIN)
SHARD_MAX = 20_000  # ... and at most: a round is one transaction of up to SHARDS * SHARD_MAX
LEAD = 2_000  # articles of the shard before replayed at a shard's start (STORYLINE_STORY_LEAD)
LEAD_S = 30 * 86_400.0  # ... published at most this long before its first article

def settings() -> tuple[int, int, int]:
    """(shards, shard_min, lead) as the environment sets them (a test forces small shards)."""
    return (max(1, int(os.environ.get("STORYLINE_STORY_SHARDS", SHARDS))),
            max(1, int(os.environ.get("STORYLINE_STORY_SHARD_MIN", SHARD_MIN))),
            max(0, int(os.environ.get("STORYLINE_STORY_LEAD", LEAD))))


@dataclass(frozen=True, slots=True)
class Shard:
    """One stretch of a round: replay ``lead`` from arrival ``first_seq`` on, then place ``own``
    (arrival indexes follow on), starting from the checkpoint ``token`` ("" for none)."""

    index: int
    token: str
    first_seq: int
    lead: tuple[str, ...]
    own: tuple[str, ...]
    keep: bool  # its end state goes into the state handed on: its stories can still be active at the end


@dataclass(slots=True)
class ShardResult:
    """What a shard did, for the merge step: its story key of every article it held after the
    lead-in (``after_lead``: held from before, and the lead-in's) and at its end (``final``:
    the same and its own), why each own article was placed, the articles it could not read,
    and the state it ended with (kept for the merge step when its stories can still be active
    at the round's end: Shard.keep)."""

    index: int
    after_lead: dict[str, str]
    final: dict[str, str]
    why: dict[str, dict]
    problems: list[Problem] = field(default_factory=list)
    state: StoryCheckpoint | None = None
    # The first articles of its stories that hold no article from before the shard (the
    # stored ones, the lead-in), published within LEAD_S of its first: the merge step asks
    # the state the shard before ended with whether each continues one of its stories.
    founders: list[str] = field(default_factory=list)


def plan_round(due: Sequence[str], first_seq: int, token: str, shards: int, shard_min: int,
               lead: int, times: dict[str, float | None] | None = None) -> list[Shard]:
    """The shards of one round over the start of ``due`` (in clusterer order), or [] when
    fewer than two shards' worth are due: as many as ``shards`` of at least ``shard_min`` and at
    most SHARD_MAX articles, of even size. ``times``: publication times, for the lead-in's
    LEAD_S bound (an article without one counts as within it)."""
    if shards < 2 or len(due) < 2 * shard_min:
        return []
    count = min(shards, len(due) // shard_min)
    total = min(len(due), count * max(SHARD_MAX, shard_min))
    cuts = [round(k * total / count) for k in range(count + 1)]
    out = []
    for k in range(count):
        own = tuple(due[cuts[k]:cuts[k + 1]])
        led = tuple(due[max(cuts[k - 1], cuts[k] - lead):cuts[k]]) if k else ()
        if led and times is not None and (t0 := times.get(own[0])) is not None:
            led = tuple(a for a in led if (t := times.get(a)) is None or t >= t0 - LEAD_S)
        out.append(Shard(k, token, first_seq + cuts[k] - len(led), led, own, _reaches_end(k, cuts, due, times)))
    return out


def _reaches_end(k: int, cuts: list[int], due: Sequence[str], times: dict[str, float | None] | None) -> bool:
    """Whether shard ``k``'s stories can still be active when the round ends: it is the last,
    or its last article is within the clusterer's window (arrivals, or time) of the round's."""
    if k == len(cuts) - 2 or cuts[-1] - cuts[k + 1] < DEFAULT.window_items or times is None:
        return True
    end, last = times.get(due[cuts[-1] - 1]), times.get(due[cuts[k + 1] - 1])
    return end is None or last is None or last >= end - DEFAULT.window_s


DocFreqs = tuple[tuple[int, dict[str, int]], tuple[int, dict[str, int]]]  # (entity keys, terms): (items, counts)


def _plus(a: DocFreqs, b: DocFreqs) -> DocFreqs:
    return tuple((x[0] + y[0], dict(Counter(x[1]) + Counter(y[1]))) for x, y in zip(a, b))  # type: ignore[return-value]


EMPTY: DocFreqs = ((0, {}), (0, {}))


