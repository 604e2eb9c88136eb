"""What the article list (``/articles``) and the home page's boxes show, in plain Python over
the store's ``list_articles`` page: filters by outlet, days, story and person, paging with the
total, and each article's story."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from storyline.records import Article, Story
from storyline.report.text import clip
from storyline.store.records import ArticlePage, PersonSummary

PAGE_SIZE = 50


def offset_pager(offset: int, fetched: int) -> dict:
    """The offsets of a plain page's neighbours (``fetched``: rows read, PAGE_SIZE + 1 asked,
    so one more than a page means there is a next): {"offset", "prev", "next"}."""
    return {"offset": offset, "prev": max(offset - PAGE_SIZE, 0) if offset else None,
            "next": offset + PAGE_SIZE if fetched > PAGE_SIZE else None}


@dataclass(slots=True, frozen=True)
class ArticleFilters:
    """The article list's filters as given in the query string (``person`` is what was typed:
    a person id or a name; ``story`` a story id)."""

    outlet: str = ""
    since: str = ""
    until: str = ""
    story: str = ""
    person: str = ""

    def active(self) -> bool:
        return any((self.outlet, self.since, self.until, self.story, self.person))

    def query(self, **extra: object) -> str:
        items = {"outlet": self.outlet, "since": self.since, "until": self.until, "story": self.story,
                 "person": self.person, **extra}
        return urlencode({k: v for k, v in items.items() if v not in ("", None, 0)})


def article_rows(articles: Sequence[Article], story_of: dict[str, str | None]) -> list[dict]:
    return [{"id": a.id, "title": a.title or clip(a.body, 90) or a.id, "outlet": a.outlet,
             "date": (a.published or "")[:10] or "undated", "story": story_of.get(a.id)} for a in articles]


def article_list(page: ArticlePage, filters: ArticleFilters, offset: int, limit: int, outlets: Sequence[str],
                 story_of: dict[str, str | None], story: Story | None, person: PersonSummary | None,
                 others: Sequence[PersonSummary]) -> dict:
    """``story``/``person``: what the story and person filters found (None when not given or
    not found); ``others``: more people the typed name may mean."""
    shown = len(page.articles)
    size = limit if limit != PAGE_SIZE else None
    return {
        "rows": article_rows(page.articles, story_of), "total": page.total, "filters": filters,
        "first": offset + 1 if shown else 0, "last": offset + shown, "outlets": list(outlets),
        "story": story, "person": person, "others": [{"id": p.id, "name": p.name} for p in others[:5]],
        "unknown_person": bool(filters.person) and person is None,
        # Paging keeps the page size asked for (the default is left out of the address).
        "prev": filters.query(offset=max(offset - limit, 0), limit=size) if offset > 0 else None,
        "next": filters.query(offset=offset + limit, limit=size) if offset + shown < page.total else None,
    }
