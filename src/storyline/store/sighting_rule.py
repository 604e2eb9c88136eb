"""When a copy of a stored text is a new sighting: the one rule every store applies (the SQL
stores in store/sql/sightings.py, the memory store in store/memory_sightings.py)."""

from __future__ import annotations

from collections.abc import Sequence

from storyline.records import Article


def sighting_key(article: Article, key: str | None, stored_id: str, known_outlets: Sequence[str | None]) -> str | None:
    """The unique key of ``article`` as a sighting of the stored article ``stored_id``, or None
    when it adds nothing to tell. With a URL (normalised ``key``): "url KEY", one sighting per URL.
    Without one: "outlet ID OUTLET" when it names an outlet (case ignored) that none of
    ``known_outlets`` (the stored article's and its sightings') is; a copy with neither URL nor
    outlet says nothing new (the same text from an unknown place)."""
    if key is not None:
        return "url " + key
    outlet = (article.outlet or "").strip().casefold()
    if not outlet or outlet in {(o or "").strip().casefold() for o in known_outlets}:
        return None
    return f"outlet {stored_id} {outlet}"
