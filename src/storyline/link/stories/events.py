"""Events inside a story: its sentences grouped by what happened when, and the timeline.

An event mention is a sentence with a temporal expression that names one day ("on Thursday",
"February 17", "late Wednesday"), resolved against its article's publication date (stated, or
the likeliest day of an inferred range: see :func:`anchor_day`). Mentions of one day group into
events by what they say (sentence vectors, single link): two sentences on the same day about
different things (a summit, a minister's statement) stay two events. Sentences of other
articles that restate an event sentence closely, with or without a date of their own, join it
as support. The timeline is the events in date order.

A brief whose body is a headline or a teaser (a headline dump's row, a feed entry without its
page: ``Article.fields["body"]``) rarely names a day: its headline is an event mention of its
publication day (:func:`headline_mention`). Headlines group more strictly than sentences
(:func:`group_events`), and one article's headline that no other article restates is no event
of a story of several articles.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from storyline.analyze.timex import resolve
from storyline.analyze.titles import cut_short
from storyline.link.stories.dates import ArticleDate, DatedSentence, day_range, to_timex
from storyline.records import Article, Citation, Event

# Two mentions of one day are one event when their sentences are this close (single link): on
# the seeds the White House meeting told by two outlets scores 0.5-0.7, a minister's statement
# on the same day against the meeting under 0.4.
SAME_EVENT = 0.45
# A sentence without a date supports an event when it restates one of its sentences this closely.
SUPPORTS = 0.7
# Sentences shorter than this (datelines, captions) report no event.
MIN_WORDS = 6
# ... nor one with fewer words than this beside its time expressions: a timestamp line
# ("Tuesday 28 April 2009 22.34 BST") states a time, not something that happened.
MIN_OTHER_WORDS = 3
# Headline mentions of one day group by average link at this cosine, not by single link: a
# story's headlines chain (UCI: a 269-headline story's headlines of one day were one event).
# Calibrated by benchmarks/headline_events.py: the first line of each ECB+ document as its
# headline, each topic one story of two real events, pair P / R / F1 of "same event" within
# topics. Train: single link at 0.45 0.515 / 0.846 / 0.641 (a topic's two events in one);
# average link 0.35 0.701 / 0.789 / 0.742, 0.4 0.706 / 0.748 / 0.727, 0.45 0.735 / 0.719 /
# 0.727, 0.5 0.766 / 0.645 / 0.700. Dev: single 0.503 / 0.897 / 0.645; average 0.35 0.707, 0.45
# 0.702 / 0.756 / 0.728, 0.5 0.680. 0.45 for its precision on train (one entry that mixes two
# events misleads a reader more than one event in two entries) and the best F1 on dev.
HEADLINE_SAME = 0.45
# A headline reports an event when it has this many words ("Titanfall review roundup" does not).
HEADLINE_MIN_WORDS = 4
LABEL_CHARS = 140


@dataclass(frozen=True, slots=True)
class Mention:
    article_id: str
    start: int
    end: int
    vector: np.ndarray
    day: dt.date
    when: tuple[int, int, str] | None  # the expression: its offsets and text; None: the publication day
    inferred: bool
    brief: bool = False  # from a brief (a headline, a teaser): grouped as headlines are


def anchor_day(article_date: ArticleDate, sentences: Sequence[DatedSentence]) -> dt.date | None:
    """The day to resolve an article's relative dates against: its stated date, or, within an
    inferred range, the day that puts its own day references ("on Monday", "Tuesday evening")
    nearest to it. News reports the last few days, so that day is the likeliest; ties go to
    the earliest."""
    if article_date.first is None:
        return None
    first, last = dt.date.fromisoformat(article_date.first), dt.date.fromisoformat(article_date.last)
    if not article_date.inferred or first == last:
        return first
    if (last - first).days > 31:
        return None  # too vague to resolve "on Monday" against
    own = [to_timex(t) for s in sentences if s.article_id == article_date.article_id for t in s.times
           if t.anchored and t.type in ("DATE", "TIME")]
    best, best_cost = first, None
    for k in range((last - first).days + 1):
        day = first + dt.timedelta(days=k)
        cost = 0.0
        for timex in own:
            got = day_range(resolve(timex, day).value)
            if got is not None and got[0] == got[1]:
                cost += abs((got[0] - day).days)
        if best_cost is None or cost < best_cost:
            best, best_cost = day, cost
    return best


def mentions(article: Article, sentences: Sequence[DatedSentence], anchor: dt.date | None,
             inferred: bool) -> list[Mention]:
    """The event mentions of one article: its sentences naming a single day, said by the
    article itself (not inside a quotation: :func:`quoted`)."""
    out = []
    for s in sentences:
        if s.article_id != article.id or len(article.body[s.start : s.end].split()) < MIN_WORDS \
                or quoted(article.body, s.start, s.end) or _only_a_time(article.body, s):
            continue
        for point in s.times:
            if point.type not in ("DATE", "TIME"):
                continue
            if point.anchored:
                if anchor is None:
                    continue
                value, from_inferred = resolve(to_timex(point), anchor).value, inferred
            else:
                value, from_inferred = point.value, False
            got = day_range(value)
            if got is None or got[0] != got[1] or point.mod in ("BEFORE", "AFTER", "ON_OR_BEFORE", "ON_OR_AFTER"):
                continue
            out.append(Mention(article.id, s.start, s.end, s.vector, got[0], (point.start, point.end, point.text),
                               from_inferred, "body" in article.fields))
            break  # one event per sentence: its first day expression
    return out


def _only_a_time(body: str, s: DatedSentence) -> bool:
    """Whether the sentence has fewer than MIN_OTHER_WORDS words with letters outside its time
    expressions (a timestamp line; "22.34 BST" leaves one)."""
    text, at = [], s.start
    for t in sorted(s.times, key=lambda t: t.start):
        if t.start >= at:
            text.append(body[at : t.start])
            at = max(at, t.end)
    text.append(body[at : s.end])
    words = [w for w in " ".join(text).split() if any(c.isalpha() for c in w)]
    return len(words) < MIN_OTHER_WORDS


def headline_mention(article: Article, own: Sequence[DatedSentence], anchor: dt.date | None,
                     inferred: bool) -> Mention | None:
    """The event mention of a brief that names no day itself: its first sentence of at least
    HEADLINE_MIN_WORDS words (the headline, a teaser's first sentence), dated by the article's
    publication day (``anchor``; ``inferred`` when that day is inferred). ``own``: the
    article's sentences with their vectors, in order. None for a full article (its sentences
    that name no day are no event of their own: they support one), or an undated brief."""
    if anchor is None or "body" not in article.fields:
        return None
    for s in own:
        text = article.body[s.start : s.end]
        if len(text.split()) >= HEADLINE_MIN_WORDS and not quoted(article.body, s.start, s.end):
            return Mention(article.id, s.start, s.end, s.vector, anchor, None, inferred, True)
    return None


def quoted(body: str, start: int, end: int) -> bool:
    """Whether the sentence at ``start``-``end`` is someone's words inside quotation marks: it
    opens with a mark, or a mark opened earlier in its paragraph is still open there. Those
    words made timeline entries of speech fragments ("“Today we have the vote, the money and
    the builder.", "Tonight the council decided to stop hoping and start building.”"); the
    day a speaker says "today" is the speech's, and the article tells that itself. A mark inside
    the sentence (a partial quote) does not count. Linear in the paragraph."""
    text = body[start:end].lstrip()
    if text[:1] in "“\"":
        return True
    paragraph = body.rfind("\n", 0, start) + 1
    before = body[paragraph:start]
    curly = before.count("“") - before.count("”")
    return curly > 0 or (curly == 0 and before.count('"') % 2 == 1)


def group_events(story_id: str, found: Sequence[Mention], all_sentences: Sequence[DatedSentence],
                 bodies: Mapping[str, Article]) -> list[Event]:
    """Events of one story, in date order (then by support)."""
    by_day: dict[dt.date, list[Mention]] = {}
    for m in found:
        by_day.setdefault(m.day, []).append(m)
    # A brief's headline is a mention of its own day's event and supports no other: a story's
    # headlines all restate each other closely, and each would support every day's event.
    headlines = {(m.article_id, m.start, m.end) for m in found if m.brief}
    supporters = [s for s in all_sentences if (s.article_id, s.start, s.end) not in headlines] \
        if headlines else all_sentences
    events = []
    for day, group in by_day.items():
        told = _single_link([m for m in group if not m.brief])
        told, headline_groups = _headline_events(told, [m for m in group if m.brief])
        for members in told + headline_groups:
            event = _event(story_id, day, members, supporters, bodies)
            # One brief's headline that no other article restates is no event of a story of
            # several (a headline dump's story had 36 such: captions, "Daily Wrap of All
            # Things"); a story of one brief keeps the day its headline names.
            if len(event.article_ids) > 1 or not all(m.brief for m in members) \
                    or (len(bodies) == 1 and members[0].when is not None):
                events.append(event)
    events.sort(key=lambda e: (e.date or "", -len(e.article_ids), -len(e.sentences), e.id))
    return events


def _single_link(group: list[Mention]) -> list[list[Mention]]:
    parent = list(range(len(group)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(group)):
        for j in range(i + 1, len(group)):
            if float(group[i].vector @ group[j].vector) >= SAME_EVENT:
                parent[find(j)] = find(i)
    out: dict[int, list[Mention]] = {}
    for i, m in enumerate(group):
        out.setdefault(find(i), []).append(m)
    return list(out.values())


def _headline_events(told: list[list[Mention]], headlines: list[Mention]
                     ) -> tuple[list[list[Mention]], list[list[Mention]]]:
    """Mentions from briefs on one day (a headline, with or without a day of its own): each
    joins the event that the day's full articles tell (``told``) when it is SAME_EVENT close to
    one of that event's sentences (the nearest such event; a joined headline draws no other in:
    headlines never chain), and the rest group among themselves by average link
    (HEADLINE_SAME). Returns ``told`` with the headlines that joined, and the headlines' own
    groups."""
    sentences = [np.stack([m.vector for m in members]) for members in told]
    joins: list[list[Mention]] = [[] for _ in told]
    rest = []
    for h in headlines:
        sims = [float((matrix @ h.vector).max()) for matrix in sentences]
        best = int(np.argmax(sims)) if sims else -1
        if best >= 0 and sims[best] >= SAME_EVENT:
            joins[best].append(h)
        else:
            rest.append(h)
    own = [[rest[i] for i in idx] for idx in average_link(np.stack([h.vector for h in rest]), HEADLINE_SAME)] \
        if rest else []
    return [members + joined for members, joined in zip(told, joins)], own


def average_link(vectors: np.ndarray, threshold: float) -> list[list[int]]:
    """Average-link agglomerative clustering of unit row vectors at a cosine ``threshold``:
    groups of row indices, each in row order, ordered by their first row. The two groups of
    highest mean pairwise cosine merge while that mean is at least ``threshold`` (ties: the
    lowest indices). Hand-written because it runs on at most a story's covered articles of one
    day (report.MAX_ARTICLES, cubic time in that is milliseconds) and scipy is no dependency."""
    n = len(vectors)
    members = [[i] for i in range(n)]
    total = (vectors @ vectors.T).astype(np.float64)  # summed cosines between two groups
    alive = list(range(n))
    while len(alive) > 1:
        sizes = np.array([len(members[a]) for a in alive], dtype=np.float64)
        mean = total[np.ix_(alive, alive)] / np.outer(sizes, sizes)
        np.fill_diagonal(mean, -np.inf)
        k = int(np.argmax(mean))
        i, j = divmod(k, len(alive))
        if not mean[i, j] >= threshold:  # a NaN (a zero vector) merges nothing
            break
        a, b = alive[min(i, j)], alive[max(i, j)]
        total[a, :] += total[b, :]
        total[:, a] += total[:, b]
        members[a] += members[b]
        alive.remove(b)
    return [sorted(members[a]) for a in alive]


def _event(story_id: str, day: dt.date, members: list[Mention], all_sentences: Sequence[DatedSentence],
           bodies: Mapping[str, Article]) -> Event:
    spans = {(m.article_id, m.start, m.end) for m in members}
    support = []
    for s in all_sentences:
        if (s.article_id, s.start, s.end) in spans:
            continue
        if any(s.article_id != m.article_id and float(s.vector @ m.vector) >= SUPPORTS for m in members):
            support.append(s)
            spans.add((s.article_id, s.start, s.end))
    matrix = np.stack([m.vector for m in members])
    centrality = matrix @ matrix.mean(axis=0)
    # The label is the most central sentence, a whole one when there is any: aggregators cut
    # long headlines with "...", and a brief's body is its headline.
    whole = [k for k, m in enumerate(members) if not cut_short(bodies[m.article_id].body[m.start : m.end])]
    central = members[max(whole, key=lambda k: centrality[k]) if whole else int(np.argmax(centrality))]
    label = _label(bodies[central.article_id].body[central.start : central.end])
    cites = [Citation(m.article_id, m.start, m.end, bodies[m.article_id].body[m.start : m.end]) for m in members]
    cites += [Citation(s.article_id, s.start, s.end, bodies[s.article_id].body[s.start : s.end]) for s in support]
    articles = tuple(dict.fromkeys(c.article_id for c in cites))
    key = f"{story_id}|{day}|{central.article_id}|{central.start}"
    return Event(
        id=hashlib.sha1(key.encode()).hexdigest()[:12], story_id=story_id, label=label, date=day.isoformat(),
        article_ids=articles, sentences=tuple(cites), date_inferred=all(m.inferred for m in members),
        date_evidence=tuple(Citation(m.article_id, *m.when) for m in members if m.when is not None),
        date_source="text" if any(m.when is not None for m in members) else "published",
    )


# A wire dateline opening the sentence: "HARBOURNE, March 17 (Meridian Press) - ", "LONDON
# (Reuters) -". Bounded pieces, no nested repetition: linear time on any input.
_DATELINE = re.compile(r"[A-Z][A-Z .'’-]{1,40},?(?: [A-Z][a-z]{2,8}\.? \d{1,2},?)?(?: \([^()]{1,40}\))? ?[-–—] +")


def _label(sentence: str) -> str:
    text = " ".join(sentence.split())
    if (dateline := _DATELINE.match(text)) is not None and dateline.end() < len(text):
        text = text[dateline.end():]
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rsplit(" ", 1)[0] + "…"
