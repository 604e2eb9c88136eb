"""What the person page (``/people/{id}``) shows, in plain Python over stored facts: the names
and roles the articles give the person, each with the words of the article that say it; where
the sources differ on a title ("President" in three articles, "former President" in one);
why the names were taken for one person; their quotes over time; the stories and articles
that name them.

Bounded whatever the person's size: the quotes and stories come from their newest
RECENT_ARTICLES articles (the page says so), each role shows SOURCES_PER_ROLE sources.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from markupsafe import Markup

from storyline.records import Analysis, Article, Identity, Story
from storyline.report.text import clip
from storyline.report.why import speaker_why
from storyline.store.records import PersonSources, PersonTallies
from storyline.web.coverage import coverage_chart
from storyline.web.svg import iso_day

RECENT_ARTICLES = 30  # newest articles whose quotes and stories the page shows (each analysis read costs ~3 ms)
MAX_ROLES = 12
SOURCES_PER_ROLE = 3
MAX_QUOTES = 30
MAX_STORIES = 12
CONTEXT_CHARS = 70  # of article text each side of a role's title
QUALIFIERS = ("former", "ex-", "ex", "then", "late", "acting", "outgoing", "interim", "incoming")


def role_sources_wanted(sources: PersonSources) -> list[str]:
    """The articles whose text the roles section quotes (a few per role), to read by id."""
    wanted: dict[str, None] = {}
    for _, rows in _roles(sources)[:MAX_ROLES]:
        for r in rows[:SOURCES_PER_ROLE]:
            wanted[r.article_id] = None
    return list(wanted)


def _roles(sources: PersonSources) -> list[tuple[str, list]]:
    """Role sources grouped by title (case kept from the most used spelling), most articles first."""
    groups: dict[str, list] = {}
    for r in sources.roles:
        groups.setdefault(" ".join(r.title.split()).casefold(), []).append(r)
    out = []
    for rows in groups.values():
        title = Counter(r.title for r in rows).most_common(1)[0][0]
        out.append((title, rows))
    out.sort(key=lambda tr: (-len({r.article_id for r in tr[1]}), tr[0].casefold()))
    return out


def title_conflicts(titles: Sequence[tuple[str, int]]) -> list[str]:
    """Sentences naming titles the sources disagree on: the same office with and without
    "former" (or "acting", "ex-" …). ``titles``: (title, articles giving it)."""
    def core(title: str) -> tuple[str, str]:
        words = title.casefold().replace("-", "- ").split()
        qual = [w.rstrip("-") for w in words if w.rstrip("-") in QUALIFIERS or w in QUALIFIERS]
        rest = " ".join(w for w in words if w.rstrip("-") not in QUALIFIERS and w not in QUALIFIERS)
        return rest, " ".join(qual)

    out = []
    for i, (a, na) in enumerate(titles):
        for b, nb in titles[i + 1:]:
            (ca, qa), (cb, qb) = core(a), core(b)
            if ca and cb and qa != qb and (ca in cb or cb in ca):
                out.append(f"called “{a}” in {na} article{'s' if na != 1 else ''} but “{b}” in {nb} "
                           f"article{'s' if nb != 1 else ''}")
    return out


def person_page(person: Identity, sources: PersonSources, tallies: PersonTallies, role_articles: dict[str, Article],
                total: int, recent: Sequence[Article], analyses: dict[str, Analysis],
                stories: Sequence[tuple[Story, int]]) -> dict:
    """``recent``: their newest articles (up to RECENT_ARTICLES) with ``analyses`` of those
    read; ``sources``: their members and aliases in those articles, and all their roles;
    ``tallies``: their aliases and reasons counted over all their members; ``stories``: the
    stories of those articles with how many of them each holds; ``total``: how many articles
    name them in all."""
    roles = []
    for title, rows in _roles(sources)[:MAX_ROLES]:
        cites = []
        for r in rows[:SOURCES_PER_ROLE]:
            art = role_articles.get(r.article_id)
            if art is None:
                continue
            cites.append({"id": art.id, "outlet": art.outlet or "unknown outlet", "date": (art.published or "")[:10],
                          "before": _tail(art.body[max(r.start - CONTEXT_CHARS, 0):r.start]),
                          "title": art.body[r.start:r.end], "after": _head(art.body[r.end:r.end + CONTEXT_CHARS])})
        roles.append({"title": title, "articles": len({r.article_id for r in rows}), "cites": cites})
    members: dict[str, set[str]] = {}
    for m in sources.members:
        members.setdefault(m.article_id, set()).add(m.entity_id)
    quotes = []
    for art in recent:
        analysis = analyses.get(art.id)
        if analysis is None:
            continue
        for q in analysis.quotes:
            if q.speaker_id in members.get(art.id, ()):
                quotes.append((art, q))
    chart = coverage_chart([(day, art.outlet or "") for art, _ in quotes if (day := iso_day(art.published))])
    return {
        "person": person, "total": total, "recent": len(recent),
        "aliases": [{"name": n, "articles": c} for n, c in tallies.aliases if n != person.name],
        "roles": roles,
        "conflicts": title_conflicts([(r["title"], r["articles"]) for r in roles]),
        "merges": list(person.merges),
        "reasons": [{"reason": r, "count": c} for r, c in tallies.reasons[:8]],
        "quotes": [{"text": q.text, "kind": q.kind, "id": art.id, "outlet": art.outlet or "unknown outlet",
                    "date": (art.published or "")[:10] or "undated", "why": speaker_why(q)}
                   for art, q in quotes[:MAX_QUOTES]],
        "quote_count": len(quotes),
        "chart": Markup(chart.svg), "legend": chart.legend, "unit": chart.unit,  # noqa: S704 - escaped in web/coverage.py
        "stories": [{"id": s.id, "title": s.headline or s.label, "size": len(s.article_ids), "theirs": n,
                     "first": s.coverage_first or s.first, "last": s.coverage_last or s.last}
                    for s, n in stories[:MAX_STORIES]],
        "articles": [{"id": a.id, "title": a.title or clip(a.body, 80), "outlet": a.outlet,
                      "date": (a.published or "")[:10] or "undated"} for a in recent[:10]],
    }


def _tail(text: str) -> str:
    """The end of ``text`` from a word boundary, "…" first when cut."""
    text = " ".join(text.split())
    return text if len(text) < CONTEXT_CHARS - 10 else "…" + text[text.find(" ") + 1:]


def _head(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) < CONTEXT_CHARS - 10 else text[:text.rfind(" ")] + "…"

