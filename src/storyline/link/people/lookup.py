"""Finding a person the way a user names them, and the quotes they gave across articles.

``storyline quotes --speaker Starmer`` must find Keir Starmer's quotes: the query may be a full
name, a surname, any alias the person was written under ("Sir Keir", "Zelenskyy") or a stored
person id. The lookup uses the stored identities and their name-key index (the same keys the
people step blocks on), so it reads a handful of rows, never the whole store.
"""

from __future__ import annotations

from storyline.folding import fold
from storyline.link.people.incremental import name_keys
from storyline.records import Entity, Identity, Quote
from storyline.store.base import Store
from storyline.store.records import PersonSummary


def _words(text: str) -> list[str]:
    return fold(text).replace(".", " ").split()


def _names(identity: Identity | PersonSummary) -> list[str]:
    return [identity.name, *identity.aliases]


def matches(identity: Identity | PersonSummary, query: str) -> bool:
    """The query is the identity's name or an alias (case and accents ignored), or, for a
    one-word query, the last word of one of them (its surname)."""
    wanted = _words(query)
    if not wanted:
        return False
    for name in _names(identity):
        words = _words(name)
        if words == wanted or (len(wanted) == 1 and words and words[-1] == wanted[0]):
            return True
    return False


def find_people(store: Store, query: str) -> list[PersonSummary]:
    """The stored identities the query names (a person id, a name, an alias or a surname), most
    articles first, as lists show them: a common surname's identities are read without their
    members (a famous one has hundreds of thousands)."""
    query = query.strip()
    if not query:
        return []
    by_id = store.person(query)
    if by_id is not None:
        return [PersonSummary.of(by_id)]
    keys = name_keys(Entity(id="query", name=query, type="PERSON"))
    return [p for p in store.person_summaries(keys=list(keys)) if matches(p, query)] if keys else []


def speaker_quotes(store: Store, query: str) -> list[Quote]:
    """The quotes of the person (or people) ``query`` names, in every article they were
    assigned to, plus quotes whose speaker is written exactly as the query (an anonymous
    source, an organisation), each once, in article order and then text order."""
    return store.quotes(query, people=[p.id for p in find_people(store, query)])


__all__ = ["find_people", "matches", "speaker_quotes"]
