"""Sightings for MemoryStore (store/memory.py), written plainly: the reference the SQL version
(store/sql/sightings.py) is contract-tested against. The rule is store/sighting_rule.py's."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from storyline.records import Article, Sighting
from storyline.store.base import now, storable
from storyline.store.sighting_rule import sighting_key


class SightingsMixin:
    _t: Any  # the MemoryStore's tables; ``sightings`` maps each sighting's unique key to it

    def _url_holder(self, key: str | None) -> str | None:
        """The article a URL was seen carrying as a sighting, or None."""
        found = self._t.sightings.get("url " + key) if key else None
        return found.article_id if found else None

    def _record_sighting(self, article: Article, key: str | None, stored_id: str) -> bool:
        if key is not None and key in self._t.by_url:
            return False
        known = [self._t.articles[stored_id].outlet,
                 *(s.outlet for s in self._t.sightings.values() if s.article_id == stored_id)]
        unique = sighting_key(article, key, stored_id, known)
        if unique is None or unique in self._t.sightings:
            return False
        self._t.sightings[unique] = Sighting(
            stored_id, storable(article.source), url=storable(article.url), outlet=storable(article.outlet),
            title=storable(article.title), published=storable(article.published),
            locator=storable(article.locator), seen_at=now())
        return True

    def count_sightings(self) -> int:
        return len(self._t.sightings)

    def sightings(self, article_ids: Sequence[str]) -> dict[str, list[Sighting]]:
        wanted = set(article_ids)
        found: dict[str, list[Sighting]] = {}
        for s in self._t.sightings.values():  # in the order recorded
            if s.article_id in wanted:
                found.setdefault(s.article_id, []).append(s)
        return found

    def _from_outlet(self, article: Article, wanted: str, fold: Callable[[str], str]) -> bool:
        """Whether ``article`` comes from the outlet ``wanted`` (as ``fold`` spells names), as
        its own outlet or a sighting's: the outlet filters' rule (store/sql/filters.py)."""
        names = [article.outlet, *(s.outlet for s in self._t.sightings.values() if s.article_id == article.id)]
        return any(n is not None and fold(n) == wanted for n in names)
