"""When were a story's undated articles published? Inferred from the dates they share with
their story neighbours, and marked as inferred.

An undated article says "on Thursday" or "last week", which means nothing without its date. A
dated neighbour may report the same thing with a resolved date ("a meeting at the White House
on Thursday" = 2025-02-27). When a sentence of the undated article restates such a sentence
(sentence vectors close), the undated article's date must be one under which its own
expression resolves to that date: "his visit to Washington last week" = the week of 2025-02-27
holds only for publication dates in the week after. Every such match votes for the days it
allows; the days with the most (cosine-weighted) votes are the inferred range. Articles dated
this way then anchor the next round (only when their range is a single week or less: "on
Wednesday" resolves differently on each day of a wider range).

An article with no such evidence gets the range of its dated neighbours (story evidence).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from storyline.analyze.timex import Timex, interval, resolve
from storyline.records import ArticleDate, TimePoint

# A sentence restates another when their vectors are this close. On the seeds, restatements of
# one event across outlets score 0.55-0.8; between 0.45 and 0.55 lie both looser restatements
# ("talk about in Washington next week" / "the White House meeting on Thursday") and different
# events of the same kind (a planned trip / the visit). So the strong tier dates every article
# it can first (round after round, each newly dated article anchoring the next), and only the
# articles still undated then take weak evidence.
TIERS = (0.55, 0.45)
MARGIN = 0.05
ROUNDS = 3
# Candidate publication days are searched this far around the date an expression must match.
SEARCH_DAYS = 45
# An inferred range this narrow (days) anchors the next round's relative expressions.
ANCHOR_MAX_DAYS = 7


@dataclass(frozen=True, slots=True)
class DatedSentence:
    """A sentence of a story article with the temporal expressions inside it."""

    article_id: str
    start: int
    end: int
    vector: np.ndarray
    times: tuple[TimePoint, ...]


def to_timex(point: TimePoint) -> Timex:
    """The analyzer's Timex back from a stored TimePoint (``detail`` keeps its rule and tense)."""
    extra = json.loads(point.detail) if point.detail else {}
    return Timex(point.start, point.end, point.text, point.type, point.value, point.mod, point.anchored,
                 rule=extra.get("rule", ""), tense=extra.get("tense", ""))


def day_range(value: str | None) -> tuple[dt.date, dt.date] | None:
    if not value:
        return None
    try:
        return interval(value)
    except (ValueError, OverflowError):
        return None


def infer_dates(stated: Mapping[str, dt.date | None], sentences: Sequence[DatedSentence]) -> dict[str, ArticleDate]:
    """Publication dates of every article in ``stated`` (None = undated): stated ones kept,
    the others inferred from ``sentences`` (all sentences of the story's articles that hold a
    temporal expression, with their vectors) and from their neighbours."""
    out = {a: ArticleDate(a, d.isoformat(), d.isoformat(), False, ("stated",)) for a, d in stated.items() if d}
    anchors = {a: (d, d) for a, d in stated.items() if d}
    for threshold in TIERS:
        # Round after round, every article its restatements date at this tier is dated; those
        # then anchor the next round (a rewrite of an undated source waits for its source).
        for _ in range(ROUNDS):
            found = {}
            for article_id, d in stated.items():
                if d or article_id in out:
                    continue
                got = _from_restatements(article_id, anchors, sentences, threshold)
                if got is not None:
                    found[article_id] = got[1]
            if not found:
                break
            out.update(found)
            for article_id, result in found.items():
                first, last = dt.date.fromisoformat(result.first), dt.date.fromisoformat(result.last)
                if (last - first).days < ANCHOR_MAX_DAYS:
                    anchors[article_id] = (first, last)
    known = [dt.date.fromisoformat(x.first) for x in out.values()] + [dt.date.fromisoformat(x.last) for x in out.values()]
    for article_id in stated:
        if article_id in out:
            continue
        if known:
            out[article_id] = ArticleDate(article_id, min(known).isoformat(), max(known).isoformat(), True,
                                          ("the span of its dated story neighbours",))
        else:
            out[article_id] = ArticleDate(article_id, None, None, True, ("no dated neighbour",))
    return out


def _from_restatements(article_id: str, anchors: Mapping[str, tuple[dt.date, dt.date]],
                       sentences: Sequence[DatedSentence], threshold: float) -> tuple[float, ArticleDate] | None:
    """(strength, inferred date) of one article from its restatements of dated sentences."""
    own = [s for s in sentences if s.article_id == article_id and any(t.anchored for t in s.times)]
    dated = [s for s in sentences if s.article_id in anchors and s.article_id != article_id]
    if not own or not dated:
        return None
    matrix = np.stack([s.vector for s in dated])
    votes: dict[dt.date, float] = {}
    reasons: dict[dt.date, list[str]] = {}
    hard: set[dt.date] | None = None
    for sentence in own:
        # Only the closest restatements speak for a sentence (those within MARGIN of the
        # closest; the first with a usable date votes): falling through to much weaker ones
        # would let an unrelated sentence decide.
        cos = matrix @ sentence.vector
        floor = max(threshold, float(cos.max()) - MARGIN)
        for k in np.argsort(-cos):
            if cos[k] < floor:
                break
            other = dated[int(k)]
            allowed, precise = _allowed_days(sentence, other, anchors[other.article_id])
            for day, why in allowed.items():
                votes[day] = votes.get(day, 0.0) + float(cos[k])
                reasons.setdefault(day, []).append(why)
            if precise:
                hard = set(allowed) if hard is None else hard & set(allowed)
            if allowed:
                break
    if not votes:
        return None
    # Day-to-day evidence ("approved on Tuesday" = the vote of 10 March) bounds the date firmly;
    # matches involving a week are looser. So when the day-to-day evidence agrees with itself,
    # it alone decides; the votes decide otherwise.
    if hard:
        votes = {d: 1.0 for d in hard}
    best = max(votes.values())
    days = sorted(d for d, v in votes.items() if v >= best - 1e-9)
    why = tuple(dict.fromkeys(r for d in days for r in reasons[d]))
    return best, ArticleDate(article_id, days[0].isoformat(), days[-1].isoformat(), True, why)


def _allowed_days(sentence: DatedSentence, other: DatedSentence,
                  other_anchor: tuple[dt.date, dt.date]) -> tuple[dict[dt.date, str], bool]:
    """Publication days of ``sentence``'s article under which one of its relative expressions
    resolves to a date that one of ``other``'s expressions names. ``other``'s article may have
    an inferred range: its expression then names every date it resolves to over the range, and
    is used only when those stay within a week. The flag says whether every match was of one
    day to one day."""
    allowed: dict[dt.date, str] = {}
    precise = True
    for theirs in other.times:
        if theirs.type not in ("DATE", "TIME"):
            continue
        target = _target(theirs, other_anchor)
        if target is None:
            continue
        for mine in sentence.times:
            if not mine.anchored or mine.type not in ("DATE", "TIME"):
                continue
            if _weekly(mine) and _weekly(theirs) and mine.text.casefold() != theirs.text.casefold():
                # Two different week expressions in restated sentences mostly belong to
                # different verbs ("would publish ... next week" / "the timetable she had
                # promised last week"); the same expression ("next week" / "next week") or a
                # day against a week is kept.
                continue
            timex = to_timex(mine)
            start = target[0] - dt.timedelta(days=SEARCH_DAYS)
            for offset in range(2 * SEARCH_DAYS + (target[1] - target[0]).days + 1):
                day = start + dt.timedelta(days=offset)
                got = day_range(resolve(timex, day).value)
                if got is None or (got[1] - got[0]).days > ANCHOR_MAX_DAYS:
                    break  # a month or a year: too coarse to place a publication day
                if got[0] <= target[1] and target[0] <= got[1]:
                    allowed.setdefault(day, f"“{mine.text}” = “{theirs.text}” ({target[0]}..{target[1]}) in {other.article_id}")
                    precise = precise and got[0] == got[1] and target[0] == target[1]
    return allowed, precise and bool(allowed)


def _weekly(point: TimePoint) -> bool:
    return bool(point.value) and "-W" in point.value or "week" in point.text.casefold()


def _target(point: TimePoint, anchor: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date] | None:
    """The days ``point`` names when its article was published within ``anchor``."""
    if not point.anchored:
        found = day_range(point.value)
    else:
        timex, found = to_timex(point), None
        for k in range((anchor[1] - anchor[0]).days + 1):
            got = day_range(resolve(timex, anchor[0] + dt.timedelta(days=k)).value)
            if got is None:
                return None
            found = got if found is None else (min(found[0], got[0]), max(found[1], got[1]))
    if found is None or (found[1] - found[0]).days > ANCHOR_MAX_DAYS - 1:
        return None
    return found
