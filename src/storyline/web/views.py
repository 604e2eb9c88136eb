"""What each web page shows, as plain data for its template (no web framework, no HTML).

Each function takes what the Desk answered and returns a dict for one template in
web/templates/. Text stays plain here: the templates escape everything (Jinja2 autoescape);
the only markup made in Python is the SVG of web/svg.py, which escapes its own labels.
Sizes are bounded by the MAX_* constants, whatever the story's or article's size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import Markup

from storyline.analyze.sentences import sentence_spans
from storyline.link.stories.features import article_text
from storyline.records import Analysis, Article, Change, ReusePair, Sighting
from storyline.report import why
from storyline.report.text import clip
from storyline.report.words import word_ops
from storyline.store.records import OutletCount, StorySummary
from storyline.web import svg
from storyline.web.coverage import coverage_chart
from storyline.web.reports import Built

PAGE_SIZE = 50
MAX_OUTLETS = 300  # in the outlet filter's list
MAX_PEOPLE = 60
MAX_SPEAKERS = 40
MAX_QUOTES_PER_SPEAKER = 40
MAX_PAIRS = 60
MAX_CHANGES = 20
MAX_BODY_CHARS = 200_000  # of an article body shown (the rest is cut, with a note)
MAX_DIFF_ROWS = 600
MAX_COMPARE = 60  # story mates offered in the article page's "compare with" box
# Rows of a story page's article table: a story a live topic grew to thousands of articles would
# otherwise send megabytes of rows (each with its "why"); the rest are one link away, paged, on
# /articles?story=ID.
MAX_ARTICLE_ROWS = 300


def _span(first: str | None, last: str | None) -> str:
    if not first:
        return "undated"
    return first if not last or first == last else f"{first} – {last}"


@dataclass(slots=True, frozen=True)
class Filters:
    """The story list's search and filters, as given in the query string."""

    q: str = ""
    outlet: str = ""
    person: str = ""
    since: str = ""
    until: str = ""

    def active(self) -> bool:
        return any((self.q, self.outlet, self.person, self.since, self.until))

    def query(self, **extra: object) -> str:
        """The query string for these filters plus ``extra`` (empty values left out)."""
        items = {"q": self.q, "outlet": self.outlet, "person": self.person, "since": self.since,
                 "until": self.until, **extra}
        return urlencode({k: v for k, v in items.items() if v not in ("", None, 0)})


def parse_day(value: str | None, name: str) -> str:
    """``value`` as an ISO day (YYYY-MM-DD) or "" when empty; ValueError naming the field
    otherwise."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(f"{name}: {value[:40]!r} is not a date (YYYY-MM-DD)") from None


# --- story list ----------------------------------------------------------------------------------


def story_list(stories: Sequence[StorySummary], outlets: Sequence[OutletCount], filters: Filters,
               offset: int, limit: int) -> dict:
    """``stories`` is one page plus one more (so we know whether a next page exists)."""
    more = len(stories) > limit
    size = limit if limit != PAGE_SIZE else None
    rows = [{"id": s.id, "label": s.label, "headline": s.headline, "size": s.articles,
             "span": _span(s.coverage_first or s.first, s.coverage_last or s.last), "undated": s.undated, "people": list(s.key_entities)[:6]}
            for s in stories[:limit]]
    return {
        "stories": rows, "filters": filters, "outlets": [o.outlet for o in outlets[:MAX_OUTLETS]],
        "offset": offset, "limit": limit,
        # Paging keeps the page size asked for (the default is left out of the address).
        "prev": filters.query(offset=max(offset - limit, 0), limit=size) if offset > 0 else None,
        "next": filters.query(offset=offset + limit, limit=size) if more else None,
    }


# --- story page ----------------------------------------------------------------------------------


def story_page(built: Built) -> dict:
    report, b = built.report, built.briefing
    articles = {a.id: a for a in report.articles}
    sources = {s.id: s for s in b.sources}

    def cite(ids: Sequence[str]) -> list[dict]:
        """Each article once, by reference number (the briefing's sources), unnumbered last."""
        out = []
        for aid in dict.fromkeys(ids):
            art = articles.get(aid)
            out.append({"id": aid, "number": sources[aid].number if aid in sources else None,
                        "outlet": _name(art), "title": art.title if art else None})
        return sorted(out, key=lambda c: (c["number"] is None, c["number"] or 0))

    timeline = [e for e in report.timeline if svg.iso_day(e.date)]
    points = [svg.Point(i + 1, svg.iso_day(e.date), e.label, e.date_inferred, len(e.article_ids))
              for i, e in enumerate(timeline)]
    marks = []
    for a in report.articles:
        d = report.dates.get(a.id)
        first, last = (svg.iso_day(d.first), svg.iso_day(d.last)) if d else (svg.iso_day(a.published),) * 2
        if first:
            marks.append(svg.Mark(a.id, a.outlet or a.title or a.id, first, last or first,
                                  svg.iso_day(d.likely) if d else None, bool(d and d.inferred)))
    nodes = [svg.Node(a.id, _name(a), _article_day(a, report.dates.get(a.id), short=True))
             for a in report.articles]
    pairs = [p for p in report.reuse if p.is_reuse][:MAX_PAIRS]
    edges = [svg.Edge(p.source_id, p.derived_id, p.kind, p.direction_confidence, len(p.changes)) for p in pairs]

    speakers = sorted(report.quotes.items(), key=lambda kv: (-len(kv[1]), kv[0].casefold()))[:MAX_SPEAKERS]
    names = {a.id: _name(a) for a in report.articles}
    titles = {a.id: a.title for a in report.articles}
    chart = coverage_chart([(day, a.outlet or "") for a, day in
                            ((a, _chart_day(a, report.dates.get(a.id))) for a in report.articles) if day])
    outlets = report.outlets  # sightings' outlets included: the wire copy run by five outlets is five
    return {
        "b": b, "story": report.story, "span": _span(report.story.first, report.story.last),
        "notes": list(report.notes),
        "band": {"first": report.story.coverage_first or report.story.first,
                 "last": report.story.coverage_last or report.story.last,
                 "articles": len(report.articles), "outlets": len(outlets), "people": len(report.people),
                 "quotes": sum(len(qs) for qs in report.quotes.values()), "copies": len(pairs),
                 "undated": report.story.undated},
        "coverage": {"svg": Markup(chart.svg), "unit": chart.unit, "legend": chart.legend,  # noqa: S704 - escaped in web/coverage.py
                     "dropped": chart.dropped},
        "summary": [{"text": s.text, "cites": cite(s.sources)} for s in b.what_happened],
        "timeline_svg": svg.timeline_svg(points, marks),
        "events": [{"number": p.number, "date": p.day.isoformat(), "inferred": p.inferred, "label": e.label,
                    "headlines": e.date_source == "published", "cites": cite(e.article_ids)} for p, e in zip(points, timeline)],
        "people": [{"id": p.id, "name": p.name, "roles": list(p.roles)[:4], "articles": len({a for a, _ in p.members}),
                    "aliases": [x for x in p.aliases if x != p.name][:4]} for p in report.people[:MAX_PEOPLE]],
        "speakers": [{"name": name, "count": len(qs), "kinds": _kinds(qs),
                      "outlets": len({q.article_id for q in qs}),
                      "quotes": [{"text": q.text, "kind": q.kind, "cite": cite([q.article_id])[0], "why": why.speaker_why(q)}
                                 for q in qs[:MAX_QUOTES_PER_SPEAKER]],
                      "more": max(len(qs) - MAX_QUOTES_PER_SPEAKER, 0)} for name, qs in speakers],
        "more_speakers": max(len(report.quotes) - MAX_SPEAKERS, 0),
        "across": [{"name": s.actor.name, "roles": list(s.actor.roles),
                    "quotes": [{"text": q.text, "kind": q.kind, "cites": cite(q.sources), "diff": q.diff if q.differs else None,
                                "paraphrased": cite(q.paraphrased_in)} for q in s.quotes]} for s in b.speakers],
        "provenance_svg": svg.provenance_svg(nodes, edges),
        "pairs": [_pair(p, articles) for p in pairs],
        "independent": sum(not p.is_reuse for p in report.reuse),
        "findings": [{"kind": d.kind.replace("_", " "), "subject": d.subject, "summary": d.summary,
                      "citations": [{"cite": cite([c.article_id])[0], "text": c.text, "context": c.context}
                                    for c in d.citations]} for d in b.disagreements],
        "articles_total": len(report.articles),
        "articles": [{"id": a.id, "outlet": a.outlet, "title": a.title, "url": a.url,
                      "date": _article_day(a, report.dates.get(a.id)),
                      "inferred": bool(report.dates.get(a.id) and report.dates[a.id].inferred),
                      "number": sources[a.id].number if a.id in sources else None,
                      "why": why.member_why(a.id, (report.why or {}).get(a.id), article_text(a.body or "", a.title), titles, report.reuse,
                                            _shared_people(a.id, report.people), names, report.merged.get(a.id)),
                      "also": sighting_rows(report.sightings.get(a.id, ()))}
                     for a in _table_rows(report.articles, sources)],
    }


def _table_rows(articles: Sequence[Article], sources: dict) -> list[Article]:
    """The story's articles its page lists, in store order: all of them up to MAX_ARTICLE_ROWS;
    beyond, the briefing's sources (the numbers its sentences cite) and then the latest stored,
    MAX_ARTICLE_ROWS in all."""
    if len(articles) <= MAX_ARTICLE_ROWS:
        return list(articles)
    keep = {a.id for a in articles if a.id in sources}
    if len(keep) > MAX_ARTICLE_ROWS:
        keep = set(sorted(keep, key=lambda aid: sources[aid].number)[:MAX_ARTICLE_ROWS])
    for a in reversed(articles):
        if len(keep) >= MAX_ARTICLE_ROWS:
            break
        keep.add(a.id)
    return [a for a in articles if a.id in keep]


def _kinds(quotes: Sequence) -> str:
    """"3 direct, 5 indirect": the kinds of a speaker's quotes, most first."""
    counts: dict[str, int] = {}
    for q in quotes:
        counts[q.kind] = counts.get(q.kind, 0) + 1
    return ", ".join(f"{n} {k}" for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _shared_people(article_id: str, people: Sequence) -> list[str]:
    """The people an article names that another article of the story names too."""
    return [p.name for p in people
            if any(a == article_id for a, _ in p.members) and any(a != article_id for a, _ in p.members)]


def _chart_day(a: Article, d) -> dt.date | None:
    """The day an article counts on in the coverage chart: stated, else the likeliest inferred."""
    if d is not None:
        return svg.iso_day(d.likely if d.inferred and d.likely else d.first)
    return svg.iso_day(a.published)


def _name(art: Article | None, width: int = 40) -> str:
    """What to call an article in a list: its outlet, else its clipped title."""
    if art is None:
        return "unknown article"
    if art.outlet:
        return art.outlet
    return clip(art.title, width) or art.id[:10]


def _article_day(a: Article, d, *, short: bool = False) -> str:
    """The stated day, or the inferred range ("≈ 2025-03-03 … 03-09" when ``short``)."""
    if d is not None and d.inferred:
        if short and d.first and d.last and d.first != d.last and d.first[:4] == d.last[:4]:
            return f"≈ {d.first} … {d.last[5:]}"
        return ("≈ " if short else "inferred ") + _span(d.first, d.last)
    if d is not None and d.first:
        return d.first
    return (a.published or "")[:10] or "undated"


def _pair(p: ReusePair, articles: dict[str, Article]) -> dict:
    def side(aid: str) -> dict:
        art = articles.get(aid)
        return {"id": aid, "outlet": _name(art), "title": art.title if art else None}

    # Changes of meaning first, the most severe first (stable: in body order within a severity);
    # wording-only changes (splits, merges, moves, respellings) apart.
    meaning = sorted((c for c in p.changes if c.meaning), key=lambda c: _SEVERITY_ORDER.get(c.severity, 2))
    wording = [c for c in p.changes if not c.meaning]
    return {"source": side(p.source_id), "derived": side(p.derived_id), "kind": p.kind,
            "known": p.direction_known, "confidence": p.direction_confidence,
            "coverage": p.coverage,
            "changes": [_change(c) for c in meaning[:MAX_CHANGES]],
            "more": max(len(meaning) - MAX_CHANGES, 0),
            "wording": [_change(c) for c in wording[:MAX_CHANGES]], "why": why.reuse_why(p)}


_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def _change(c: Change) -> dict:
    return {"type": c.type.replace("_", " "), "kind": c.meaning_kind, "severity": c.severity or "low",
            "subject": c.subject, "source": c.source_text, "derived": c.derived_text}


# --- article page --------------------------------------------------------------------------------


def _web_link(url: str | None) -> str | None:
    """A URL fit to be a link on a page: http(s) only (never javascript:, data: or a path)."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def sighting_rows(sightings: Sequence[Sighting]) -> list[dict]:
    """The "also published by" list: each other place the text ran, its outlet, link and date
    (the template escapes them; only an http(s) URL becomes a link)."""
    return [{"outlet": s.outlet or "unknown outlet", "href": _web_link(s.url), "url": s.url,
             "date": s.published or "undated", "title": s.title} for s in sightings]


def article_page(article: Article, analysis: Analysis | None, pairs: Sequence[ReusePair],
                 others: dict[str, Article], story_id: str | None, neighbours: Sequence[Article] = (),
                 person_of: dict[str, str] | None = None, sightings: Sequence[Sighting] = ()) -> dict:
    """``neighbours``: the other articles of its story, offered by name in the "compare with"
    box (so nobody has to know a hex id); ``person_of``: entity id -> the person (identity) id
    it belongs to, so that each name links to its person page; ``sightings``: where else the
    same text was published."""
    person_of = person_of or {}
    body = article.body[:MAX_BODY_CHARS]
    marks: list[tuple[int, int, str, str]] = []
    people = []
    quotes = []
    if analysis is not None:
        for e in analysis.entities:
            if e.type == "PERSON":
                people.append({"name": e.name, "roles": sorted({r.title for r in e.roles})[:4], "mentions": len(e.mentions),
                               "person": person_of.get(e.id)})
            for m in e.mentions:
                marks.append((m.start, m.end, "ent-" + e.type.lower(), e.name))
        for i, q in enumerate(analysis.quotes):
            marks.append((q.start, q.end, "quote", f"{q.kind} quote" + (f", {q.speaker}" if q.speaker else "")))
            quotes.append({"n": i + 1, "text": q.text, "kind": q.kind, "speaker": q.speaker or (
                q.speaker_mention.text if q.speaker_mention else None), "anonymous": q.anonymous,
                "start": q.start})
    copies = []
    for p in pairs:
        other_id = p.derived_id if p.source_id == article.id else p.source_id
        other = others.get(other_id)
        role = "copy" if p.source_id == article.id else "source"
        if not p.direction_known:
            role = "related (direction unknown)"
        copies.append({"id": other_id, "outlet": _name(other),
                       "title": other.title if other else None, "kind": p.kind, "role": role,
                       "changes": len(p.changes), "source_id": p.source_id, "derived_id": p.derived_id})
    return {
        "a": article, "story_id": story_id, "segments": highlight(body, marks),
        "cut": len(article.body) > MAX_BODY_CHARS, "people": people, "quotes": quotes, "copies": copies,
        "analysed": analysis is not None,
        "compare": [{"id": a.id, "label": f"{_name(a)}: {clip(a.title or a.body, 80)}"} for a in neighbours],
        "url": _web_link(article.url), "also": sighting_rows(sightings),
    }


def highlight(text: str, marks: Sequence[tuple[int, int, str, str]]) -> list[dict]:
    """``text`` cut at every mark boundary: each segment with the classes (and the first title)
    of the marks covering it. Marks out of range are clipped; overlapping marks combine."""
    n = len(text)
    marks = [(max(0, s), min(n, e), c, t) for s, e, c, t in marks if s < e and s < n and e > 0]
    cuts = sorted({0, n, *(s for s, _, _, _ in marks), *(e for _, e, _, _ in marks)})
    starts: dict[int, list[tuple[int, str, str]]] = {}
    for s, e, c, t in marks:
        starts.setdefault(s, []).append((e, c, t))
    active: list[tuple[int, str, str]] = []
    out = []
    for lo, hi in zip(cuts, cuts[1:]):
        active = [m for m in active if m[0] > lo] + starts.get(lo, [])
        classes = sorted({c for _, c, _ in active})
        out.append({"text": text[lo:hi], "classes": " ".join(classes),
                    "title": "; ".join(dict.fromkeys(t for _, _, t in active)) if active else ""})
    return out


# --- diff page -----------------------------------------------------------------------------------


def diff_page(source: Article, derived: Article, pair: ReusePair, asked: tuple[str, str], *,
              show_all: bool = False) -> dict:
    """Side by side: each row a source passage and the derived passage that restates it (words
    that differ marked), a passage restated out of the source's order ("moved"), or a passage only
    one side has, in the derived article's order. Compact unless ``show_all``: only the rows that
    differ (sentences copied word for word in place are counted, not shown). The changes come
    meaning first (by severity), wording-only ones apart; the direction with its evidence."""
    from storyline.link.reuse.align import in_order

    rows = []
    covered_s: list[tuple[int, int]] = []
    covered_d: list[tuple[int, int]] = []
    kept = in_order([(s.source_span[0], s.derived_span[0]) for s in pair.aligned])
    for s in pair.aligned:
        covered_s.append(tuple(s.source_span))
        covered_d.append(tuple(s.derived_span))
        a, b = source.body[slice(*s.source_span)], derived.body[slice(*s.derived_span)]
        kind = "verbatim" if s.verbatim >= 0.99 else "restated"
        if (s.source_span[0], s.derived_span[0]) not in kept:
            kind = "moved"
        rows.append({"kind": kind, "score": s.score, "ops": word_ops(a, b), "s": s.source_span[0], "d": s.derived_span[0],
                     "same": all(op == "equal" for op, _, _ in word_ops(a, b))})
    for start, end in _uncovered(source.body, covered_s):
        rows.append({"kind": "removed", "ops": [("changed", source.body[start:end], "")], "s": start,
                     "d": _derived_position(start, pair), "same": False})
    for start, end in _uncovered(derived.body, covered_d):
        rows.append({"kind": "added", "ops": [("changed", "", derived.body[start:end])], "s": None, "d": start, "same": False})
    rows.sort(key=lambda r: (r["d"], r["s"] if r["s"] is not None else -1))
    swapped = not source.id.startswith(asked[0].strip().lower())  # the direction says b is the source
    counts = {k: sum(r["kind"] == k for r in rows) for k in ("verbatim", "restated", "moved", "removed", "added")}
    shown = rows if show_all else [r for r in rows if r["kind"] != "verbatim" and not (r["kind"] == "restated" and r["same"])]
    return {
        "source": source, "derived": derived, "pair": _pair(pair, {source.id: source, derived.id: derived}),
        "rows": shown[:MAX_DIFF_ROWS], "cut": len(shown) > MAX_DIFF_ROWS, "counts": counts, "swapped": swapped,
        "similarity": pair.similarity, "verbatim": pair.verbatim, "show_all": show_all,
        "hidden": len(rows) - len(shown), "evidence": list(pair.evidence),
    }


def _uncovered(body: str, covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences of ``body`` that no aligned span touches."""
    covered = sorted(covered)
    out = []
    for start, end in sentence_spans(body[:MAX_BODY_CHARS]):
        if not any(s < end and start < e for s, e in covered):
            out.append((start, end))
    return out


def _derived_position(source_start: int, pair: ReusePair) -> int:
    """Where a passage only the source has goes in the derived order: just after the derived
    passage restating the source text before it (or at the top)."""
    before = [s for s in pair.aligned if s.source_span[1] <= source_start]
    if not before:
        return -1
    last = max(before, key=lambda s: s.source_span[1])
    return last.derived_span[1]
