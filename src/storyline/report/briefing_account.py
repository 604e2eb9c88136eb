"""The briefing's account of the story: "what happened" (the lead and the best supported events'
sentences, each with every article that restates it) and the key developments (the timeline).
"""

from __future__ import annotations

from collections.abc import Iterable

from storyline.analyze.titles import cut_short
from storyline.ingest.dates import published_day
from storyline.records import Article, Citation, Event, ReusePair
from storyline.report.briefing_records import (
    MAX_LABEL_CHARS,
    MAX_SENTENCE_CHARS,
    MAX_SUMMARY_SENTENCES,
    MAX_TIMELINE,
    Development,
    Sentence,
)
from storyline.report.text import clip, overlaps


def representative(report, articles: dict[str, Article]) -> Article | None:
    """The article whose title is the story's headline; else the one in most events."""
    if not report.articles:
        return None
    headline = (report.story.headline or "").strip()
    for a in report.articles:
        if headline and (a.title or "").strip() == headline:
            return a
    count: dict[str, int] = {}
    for e in report.events:
        for aid in e.article_ids:
            count[aid] = count.get(aid, 0) + 1
    return max(report.articles, key=lambda a: (count.get(a.id, 0), len(a.body)))


def _lead(article: Article) -> Citation | None:
    from storyline.link.reuse.align import align_spans

    for start, end in align_spans(article.body):
        text = article.body[start:end]
        if len(text.split()) >= 6:  # not a dateline or a byline
            return Citation(article.id, start, end, text)
    return None


def _restated_in(c: Citation, events: list[Event], reuse: list[ReusePair]) -> list[str]:
    """Articles with a sentence restating the span ``c``: the other articles of every event with
    a sentence over it, and the other side of reuse-aligned sentences over it."""
    span = (c.start, c.end)
    out: list[str] = []
    for e in events:
        if any(s.article_id == c.article_id and overlaps((s.start, s.end), span) for s in e.sentences):
            out += [s.article_id for s in e.sentences]
    for p in reuse:
        if not p.is_reuse:
            continue
        for s in p.aligned:
            if p.source_id == c.article_id and overlaps(s.source_span, span):
                out.append(p.derived_id)
            elif p.derived_id == c.article_id and overlaps(s.derived_span, span):
                out.append(p.source_id)
    return out


def _supporters(c: Citation, extra: Iterable[str], events: list[Event], reuse: list[ReusePair]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([c.article_id, *extra, *_restated_in(c, events, reuse)]))


def _event_sentence(e: Event, derived: set[str], stated: set[str]) -> Citation:
    """The sentence that tells the event: from an original (not a copy), whole (not a headline
    cut with "..."), a dated article, the one the label was made from, of a readable length."""
    label = e.label.rstrip("…").strip()
    return min(e.sentences, key=lambda s: (
        s.article_id in derived, cut_short(s.text), s.article_id not in stated,
        not s.text.strip().startswith(label[:60]), abs(len(s.text) - 200),
    ))


def _ended(text: str) -> str:
    """A sentence of the account with the full stop a standfirst or a headline-like lead lacks
    ("... despite warnings over cost"), so that the paragraph reads as sentences."""
    return text if not text or text[-1] in ".!?…\"”’)]:;" else text + "."


def what_happened(report, rep: Article | None, derived: set[str]) -> list[Sentence]:
    stated = {aid for aid, d in report.dates.items() if not d.inferred and d.first}
    out: list[Sentence] = []
    used: list[Citation] = []
    lead = _lead(rep) if rep else None
    if lead is not None:
        d = report.dates.get(rep.id)
        lead_day = published_day(rep.published)
        # A big story's report dates its covered articles only: the headline's article, when
        # outside them (not among the last members, or facts built before FACTS_VERSION 9), is
        # dated by its stated time, not sorted last as undated.
        out.append(Sentence(_ended(clip(lead.text, MAX_SENTENCE_CHARS)), lead,
                            _supporters(lead, (), report.events, report.reuse),
                            date=(d.likely or d.first) if d else (lead_day.isoformat() if lead_day else None),
                            date_inferred=bool(d and d.inferred)))
        used.append(lead)
    # Greedy: most supporting articles first, then events that bring in articles not yet cited.
    candidates = [e for e in report.events if e.sentences]
    covered = {a for s in out for a in s.sources}
    chosen: list[tuple[Event, Citation]] = []
    while candidates and len(out) + len(chosen) < MAX_SUMMARY_SENTENCES:
        best = max(candidates, key=lambda e: (
            len(set(e.article_ids)), len(set(e.article_ids) - covered), e.date is not None, not e.date_inferred,
            -candidates.index(e)))
        candidates.remove(best)
        c = _event_sentence(best, derived, stated)
        if any(u.article_id == c.article_id and overlaps((u.start, u.end), (c.start, c.end)) for u in used):
            continue  # the lead already says it
        chosen.append((best, c))
        used.append(c)
        covered |= set(best.article_ids)
    for e, c in chosen:
        sources = _supporters(c, [s.article_id for s in e.sentences], report.events, report.reuse)
        out.append(Sentence(_ended(clip(c.text, MAX_SENTENCE_CHARS)), c, sources, date=e.date, date_inferred=e.date_inferred))
    # In date order, the lead included (dated by its article): an account reads as it happened.
    # Undated sentences keep their place at the end; equal dates keep the order chosen.
    out.sort(key=lambda s: (s.date is None, (s.date or "")[:10]))
    return out


# --- key developments ----------------------------------------------------------------------------


def developments(timeline: list[Event]) -> list[Development]:
    kept = timeline
    if len(kept) > MAX_TIMELINE:  # keep the best supported, in date order
        best = sorted(range(len(kept)), key=lambda i: (-len(set(kept[i].article_ids)), i))[:MAX_TIMELINE]
        kept = [kept[i] for i in sorted(best)]
    return [Development(e.date, e.date_inferred, clip(e.label, MAX_LABEL_CHARS), tuple(dict.fromkeys(e.article_ids)))
            for e in kept]
