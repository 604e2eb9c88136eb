"""A briefing on one story: a short, sourced account built from a
:class:`storyline.link.stories.report.StoryReport`.

``build_briefing(report)`` is pure (report in, :class:`Briefing` out; no store, no model). The
briefing has five sections, every statement pointing at the articles that support it (article
ids; the renderers turn them into numbered references to ``Briefing.sources``):

1. what happened: an extractive account of at most MAX_SUMMARY_SENTENCES sentences: the lead
   of the representative article, then one sentence for each of the best supported events
   (most articles first), in date order. A sentence cites its own article plus every article
   with a sentence restating it (the other sentences of its event, and the aligned sentences
   of reuse pairs);
2. key developments: the timeline (dated events in date order);
3. who said what: the key people (most quotes, then most articles) with their roles, and
   their main quotes with every article that carried them and how the wording differs;
4. where the sources disagree: role, number and date conflicts and reworded quotes;
5. provenance of copies: each reuse pair and what the copy changed.

The records are in :mod:`~storyline.report.briefing_records` (sizes bounded by the constants
there; long texts clipped with "…"); sections 1-2 are built by :mod:`~storyline.report.briefing_account`,
3 by :mod:`~storyline.report.briefing_people`, 4-5 by :mod:`~storyline.report.briefing_conflicts`;
this module puts them together and numbers the sources.
"""

from __future__ import annotations

from storyline.report.briefing_account import developments, representative, what_happened
from storyline.report.briefing_conflicts import disagreements, provenance
from storyline.report.briefing_people import people
from storyline.link.stories.facts import distinct_outlets
from storyline.report.briefing_records import MAX_SOURCES, MAX_TITLE_CHARS, Briefing, Source
from storyline.report.text import clip


def build_briefing(report) -> Briefing:
    """The briefing on ``report`` (a StoryReport)."""
    story = report.story
    articles = {a.id: a for a in report.articles}
    derived = {p.derived_id for p in report.reuse if p.is_reuse}
    rep = representative(report, articles)
    # The days of coverage: the articles' publication days, stated or inferred.
    firsts = [d.first[:10] for d in report.dates.values() if d.first]
    lasts = [d.last[:10] for d in report.dates.values() if d.last]
    b = Briefing(
        story_id=story.id, title=story.headline or story.label, label=story.label,
        first=min(firsts) if firsts else story.first, last=max(lasts) if lasts else story.last,
        article_count=len(story.article_ids), representative_id=rep.id if rep else None,
        notes=list(report.notes),
    )
    b.what_happened = what_happened(report, rep, derived)
    b.developments = developments(report.timeline)
    b.actors, b.speakers = people(report)
    b.disagreements, b.same_quotes = disagreements(report.findings, articles)
    b.provenance = provenance(report.reuse)
    b.sources = _sources(report, b)
    return b

# --- sources -------------------------------------------------------------------------------------


def _cited(b: Briefing) -> list[str]:
    ids: list[str] = []
    ids += [a for s in b.what_happened for a in s.sources]
    ids += [a for d in b.developments for a in d.sources]
    ids += [a for s in b.speakers for q in s.quotes for a in (*q.sources, *q.paraphrased_in)]
    ids += [a for d in b.disagreements for a in d.sources]
    ids += [a for p in b.provenance for a in (p.source_id, p.derived_id)]
    return list(dict.fromkeys(ids))


def _sources(report, b: Briefing) -> list[Source]:
    """Every cited article, then the story's other articles up to MAX_SOURCES, numbered in date
    order, and within a day in the order the briefing first cites them: a sentence that every
    copy of a wire headline supports then cites a run of numbers that renders as a range
    ("[1–25]", render.ref_runs) instead of 25 scattered ones."""
    articles = {a.id: a for a in report.articles}
    cited = [a for a in _cited(b) if a in articles]
    rest = [a.id for a in report.articles if a.id not in set(cited)]
    chosen = cited + rest[: max(0, MAX_SOURCES - len(cited))]
    if len(chosen) < len(report.articles):
        b.notes.append(f"sources list {len(chosen)} of {len(report.articles)} articles (all the cited ones)")

    def when(aid: str) -> tuple[str, bool]:
        d = report.dates.get(aid)
        if d is None:
            published = articles[aid].published
            return (published[:10] if published else "undated"), False
        if not d.first:
            return "undated", False
        if not d.inferred:
            return d.first, False
        return f"inferred: {d.first}..{d.last}" if d.last and d.last != d.first else f"inferred: {d.first}", True

    first_cited = {aid: k for k, aid in enumerate(chosen)}

    def key(aid: str):
        d = report.dates.get(aid)
        day = (d.likely or d.first) if d else (articles[aid].published or "")[:10]
        return (not day, day or "", first_cited[aid], aid)

    out = []
    for n, aid in enumerate(sorted(chosen, key=key), 1):
        a = articles[aid]
        date, inferred = when(aid)
        # Other outlets by name, case and spacing ignored (as StoryReport.outlets counts them).
        own = (a.outlet or "").strip().casefold()
        others = distinct_outlets(s.outlet for s in report.sightings.get(aid, ()))
        out.append(Source(n, aid, clip(a.outlet, MAX_TITLE_CHARS) or None, clip(a.title, MAX_TITLE_CHARS) or None,
                          date, inferred, a.url, tuple(clip(v, MAX_TITLE_CHARS) for k, v in others.items() if k != own)))
    return out
