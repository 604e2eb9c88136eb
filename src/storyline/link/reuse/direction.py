"""Which of two articles is the source: evidence weighed as log-odds, with a confidence.

Each piece of evidence adds log-odds in favour of one side; the confidence is the logistic of the
sum. Weights are set by hand from what each signal means, and checked on the seeds and on the
Clough-Stevenson answers, whose source is known (benchmarks/reuse_grades.py reports the direction
accuracy):
- publication times, when both are known: the earlier one is the source (strong, unless the two
  are minutes apart, as syndicated copies often are);
- credit: one body names the other's outlet ("according to the i Paper", "first reported by");
- quotation marks: a rewrite turns quotes into paraphrase, and no writer invents exact words from
  a paraphrase, so the side with more speech quotes in the aligned passages is the source;
- specifics: the source carries more numbers and dates in the aligned passages ("last week" ->
  "recently"), because rewriting loses detail far more often than it adds it;
- containment: a copy drops source passages more often than it adds its own, so the side with
  more unaligned text is the source;
- provenance metadata: an article with a known outlet and byline over one with neither (weak);
- added attributions: a copy attributes what it restates to reporting ("according to reports",
  "it was reported", "first reported by") where its source states it.
Below DIRECTION_MIN the direction is "unknown".

Never a guess: the cues are strong (publication times, credits, quotation marks, added
attributions: each says which text came from which) or weak (specifics, the share restated,
metadata: tendencies of rewrites that an updated or expanded article also shows). Without a
strong cue the confidence stays under DIRECTION_MIN however the weak ones add up, and the
evidence says so. Aggregator boilerplate ("The original article ... belongs to") counts only as
a credit naming the other article's outlet: the seeds show an aggregator's trailer on the
*source* of a rewrite (it republished a third outlet's article).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from storyline.analyze import marks
from storyline.link.reuse.align import Alignment
from storyline.link.reuse.drift_values import DATE, NUMBER
from storyline.records import DIRECTION_MIN, Analysis, Article

__all__ = ["DIRECTION_MIN", "Direction", "decide"]

# Syndicated copies are often published within minutes of their source; below this gap the
# timestamps say little.
MIN_GAP_HOURS = 0.5
# The confidence reported when only weak cues speak: under DIRECTION_MIN, so "unknown".
UNDECIDED = round(DIRECTION_MIN - 0.05, 2)


@dataclass(frozen=True, slots=True)
class Direction:
    first_is_source: bool
    confidence: float  # probability that the chosen source is the source, 0.5..1
    evidence: tuple[str, ...]

    @property
    def known(self) -> bool:
        return self.confidence >= DIRECTION_MIN


def decide(
    first: Article,
    second: Article,
    alignment: Alignment,
    first_analysis: Analysis | None = None,
    second_analysis: Analysis | None = None,
) -> Direction:
    """Weigh the evidence that ``first`` is the source of ``second`` (``alignment`` aligns
    first as source, second as derived)."""
    score = 0.0
    evidence: list[str] = []
    strong = False

    def add(weight: float, why: str, *, decisive: bool = True) -> None:
        nonlocal score, strong
        if weight:
            score += weight
            strong = strong or decisive
            evidence.append(f"{why} ({'+' if weight > 0 else ''}{weight:.2f})")

    gap = _hours_between(first.published, second.published)
    if gap is not None and abs(gap) >= MIN_GAP_HOURS:
        add(math.copysign(min(3.0, 1.5 + math.log10(1 + abs(gap))), gap), "published earlier" if gap > 0 else "published later")

    if _credits(second, first):
        add(2.5, f"the other article credits {first.outlet}")
    if _credits(first, second):
        add(-2.5, f"this article credits {second.outlet}")

    s_quotes = _speech_marks(first, first_analysis, [p.source_span for p in alignment.pairs])
    d_quotes = _speech_marks(second, second_analysis, [p.derived_span for p in alignment.pairs])
    if s_quotes != d_quotes:
        add(max(-2.5, min(2.5, 0.6 * (s_quotes - d_quotes))), f"quotations in the shared passages: {s_quotes} vs {d_quotes}")

    s_credit = _reported(first.body, [p.source_span for p in alignment.pairs])
    d_credit = _reported(second.body, [p.derived_span for p in alignment.pairs])
    if s_credit != d_credit:
        add(max(-1.5, min(1.5, 0.75 * (d_credit - s_credit))),
            f"attributions to reports in the shared passages: {s_credit} vs {d_credit}")

    s_specific = _specifics(first.body, [p.source_span for p in alignment.pairs])
    d_specific = _specifics(second.body, [p.derived_span for p in alignment.pairs])
    if s_specific != d_specific:
        add(max(-1.0, min(1.0, 0.25 * (s_specific - d_specific))), f"numbers and dates in the shared passages: {s_specific} vs {d_specific}",
            decisive=False)

    spread = alignment.derived_coverage - alignment.source_coverage
    if abs(spread) >= 0.05:
        add(max(-1.5, min(1.5, 3.0 * spread)), f"share restated: {alignment.source_coverage:.2f} of this vs {alignment.derived_coverage:.2f} of the other",
            decisive=False)

    meta = _provenance(first) - _provenance(second)
    if meta:
        add(0.4 * meta, "outlet and byline known" if meta > 0 else "outlet and byline missing", decisive=False)

    p = 1.0 / (1.0 + math.exp(-score))
    first_is_source = p >= 0.5
    confidence = max(p, 1 - p)
    if not strong:
        confidence = min(confidence, UNDECIDED)
        evidence.append("no publication times, credits, quotations or attributions tell them apart: direction unknown")
    return Direction(first_is_source, round(confidence, 3), tuple(evidence))


def _hours_between(a: str | None, b: str | None) -> float | None:
    """Hours from a to b (positive when a is earlier); None unless both parse."""
    import datetime as dt

    def parse(x: str | None) -> dt.datetime | None:
        if not x:
            return None
        try:
            d = dt.datetime.fromisoformat(x.replace("Z", "+00:00"))
        except ValueError:
            return None
        return d if d.tzinfo else d.replace(tzinfo=dt.timezone.utc)

    da, db = parse(a), parse(b)
    if da is None or db is None:
        return None
    return (db - da).total_seconds() / 3600


# Not "told": "told The i Paper" is an interview by that outlet, usually in its own article.
_CREDIT = re.compile(r"\b(?:according to|reported by|first reported|as reported|via|source:|originally published (?:by|in|on)|original article:?|belongs to)\b", re.IGNORECASE)


def _credits(article: Article, other: Article) -> bool:
    """Does ``article`` name ``other``'s outlet next to a credit phrase?"""
    outlet = (other.outlet or "").strip()
    if len(outlet) < 3 or outlet.lower() == (article.outlet or "").strip().lower():
        return False
    body = article.body
    for m in re.finditer(re.escape(outlet), body, re.IGNORECASE):
        if _CREDIT.search(body[max(0, m.start() - 60) : m.start()]):
            return True
    return False


def _speech_marks(article: Article, analysis: Analysis | None, spans: Sequence[tuple[int, int]]) -> int:
    speech = [(q.start, q.end) for q in (analysis.quotes if analysis else ()) if q.kind in ("direct", "partial")]
    count = 0
    for q in marks.find(article.body):
        if not any(a <= q.start < b for a, b in spans):
            continue
        if analysis is None or any(a <= q.start and q.end <= b + 1 for a, b in speech):
            count += 1
    return count


# A restatement attributed to reporting, which its source states as fact (or as its own report).
# Not "reportedly" or "it is understood": hedges a copy drops as often as it adds.
_REPORTED = re.compile(r"\b(?:according to (?:a |the |media |press |local |news )?reports?|it (?:was|has been) reported|"
                       r"(?:media|press|news) reports? (?:say|said|suggest(?:ed)?)|(?:as )?first reported|reported by)\b",
                       re.IGNORECASE)


def _reported(body: str, spans: Sequence[tuple[int, int]]) -> int:
    return sum(len(_REPORTED.findall(body, a, b)) for a, b in set(spans))


def _specifics(body: str, spans: Sequence[tuple[int, int]]) -> int:
    return sum(len(NUMBER.findall(body, a, b)) + len(DATE.findall(body, a, b)) for a, b in set(spans))


def _provenance(article: Article) -> int:
    return int(bool(article.outlet)) + int(bool(article.byline))
