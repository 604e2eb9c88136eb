"""What every builder family shares: the :class:`Candidate` they return, its TIMEX3 types,
and the relation words ("last", "this", "next") and sentence test several families use."""
from __future__ import annotations

import re
from dataclasses import dataclass

DATE, TIME, DURATION, SET = "DATE", "TIME", "DURATION", "SET"


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    type: str
    rule: str  # see timex_values; "abs|VALUE" for values that need no anchor
    mod: str | None = None
    tense: str = ""  # forced tense ("this coming Sunday"); else taken from the sentence


POINT_RELATIONS = {"last": "-1", "past": "-1", "previous": "-1", "this": "0", "current": "0",
                   "next": "+1", "coming": "+1", "following": "+1"}


def candidate(m: re.Match, group: int | str, type_: str, rule: str, mod: str | None = None,
              tense: str = "") -> Candidate:
    return Candidate(m.start(group), m.end(group), type_, rule, mod, tense)


def sentence_initial(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return not before or before[-1] in ".!?\"'\n"
