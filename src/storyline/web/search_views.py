"""What the search page and the "since your last visit" note show (plain Python over Desk reads;
pages.py renders them)."""

from __future__ import annotations

from collections.abc import Sequence

from storyline.records import Article, Story
from storyline.report.json import snippet_parts
from storyline.report.text import clip
from storyline.store.records import PersonSummary, SearchHit

MAX_PEOPLE_FOUND = 20
MAX_STORIES_FOUND = 20


def search_page(query: str, hits: Sequence[SearchHit], people: Sequence[PersonSummary],
                stories: Sequence[Story]) -> dict:
    """Articles (ranked, snippets as (text, matched) parts), people and stories, each a section."""
    return {
        "q": query,
        "articles": [{"id": h.article.id, "title": h.article.title or "(no title)", "outlet": h.article.outlet or "",
                      "published": (h.article.published or "")[:10],
                      "parts": snippet_parts(" ".join(h.snippet.split()))} for h in hits],
        "people": [{"id": p.id, "name": p.name, "roles": list(p.roles)[:3], "articles": p.articles,
                    "aliases": [a for a in p.aliases if a != p.name][:4]} for p in people],
        "stories": [{"id": s.id, "title": s.headline or s.label, "size": len(s.article_ids),
                     "first": s.coverage_first or s.first, "last": s.coverage_last or s.last}
                    for s in stories[:MAX_STORIES_FOUND]],
    }


def arrivals(since: str | None, total: int, latest: Sequence[Article]) -> dict | None:
    """The note on the story list: articles stored since the last visit (None on a first visit)."""
    if since is None:
        return None
    return {"since": since[:16].replace("T", " "), "total": total,
            "articles": [{"id": a.id, "title": clip(a.title or a.body, 100), "outlet": a.outlet or ""}
                         for a in latest]}
