"""A story's people under the people step's identities, so that every person a story names is
the person the rest of the product knows (its page, its quotes, the people list).

The story report merges the PERSON mentions of its articles itself (``merge_people`` over the
story: inside one story a bare "Okafor" is the story's Alina Okafor), and until session 20 it
kept the ids that merge made: ids of the story alone, so every person link of a story page
and every person id of ``/api/stories/{id}`` led nowhere (404). Here each merged person takes
the id and the name of a stored identity holding its mentions; two merged people that the
people step holds as one identity become one. The story's own merge still decides who is
together in the story (it sees the story's context, and the people step's identities may be
split more finely by a bare surname across the corpus); the store decides who it is.

Which stored identity: one that goes by the story person's name (its name or an alias) before
one that does not, then the one holding most of its mentions, then the fuller name. An identity
that does not go by the story person's name and has a shorter name (an unresolved "Okafor"
holding a mention of the story's "Alina Okafor" and one of its "Chidi Okafor") is no one's:
taking it would show one person under a bare surname and join two.

A person none of whose mentions has a stored identity (the people step has not run on those
articles, or failed on them) keeps its story-made id; the story page links a person only when
its page answers. The step that builds the facts runs after the people step (on Ray too: it
declares the people's tables). Merges the people step makes later do not rebuild a story's
facts (that would rebuild every story of a famous person whenever one more of its names
joins): an absorbed id redirects to the identity that absorbed it, on the person page and in
the API. A person corrected by hand does rebuild the stories that name it
(link/corrections/people.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from storyline.link.people.places import folded, place_key, place_words
from storyline.records import Entity, Identity
from storyline.store import Store


def canonical_people(store: Store, people: Sequence[Identity]) -> list[Identity]:
    """``people`` (the story's merged PERSON identities) under the stored identities' ids and
    names (module docstring), in their order, those that fall together joined into the first."""
    members = [m for p in people for m in p.members]
    if not members:
        return list(people)
    holder: dict[tuple[str, str], Identity] = {}
    names: dict[str, frozenset[str]] = {}  # stored identity -> the names it goes by, folded
    for identity in store.people_of(sorted({a for a, _ in members}), whole_below=0):
        names[identity.id] = frozenset(folded(n) for n in (identity.name, *identity.aliases))
        for m in identity.members:
            holder[m] = identity
    out: dict[str, Identity] = {}
    for person in people:
        chosen = _stored_as(person, [holder[m] for m in person.members if m in holder], names)
        if chosen is None:
            out.setdefault(person.id, person)
            continue
        named = replace(person, id=chosen.id, name=chosen.name,
                        aliases=_unique([person.name, *person.aliases], drop=chosen.name))
        if chosen.id in out:
            named = _joined(out[chosen.id], named)
        out[chosen.id] = named
    return list(out.values())


def named_as_places(people: Sequence[Identity], entities: Sequence[tuple[str, Entity]]) -> set[str]:
    """The ids of the story's "people" that its articles name as places or organisations: a
    one-word name with no title and no merge behind it (places.place_key), which at least as
    many of the story's articles (``entities``: (article id, entity), every type) give as a
    place or an organisation, or as the first word of one ("Harbourne", "Harbourne City
    Council"; places.place_words), as give it as a person. The small model tags a town it has
    never seen as a person in some articles and as a place in others, and a briefing listed the
    town among the story's key people. The people lists do the same over the whole store
    (link/people/places.py)."""
    keyed = {p.id: key for p in people if (key := place_key(p.name, p.aliases, p.roles, p.merges))}
    if not keyed:
        return set()
    by_article: dict[str, list[Entity]] = {}
    for aid, e in entities:
        by_article.setdefault(aid, []).append(e)
    elsewhere = Counter(w for found in by_article.values() for w in place_words(found) & set(keyed.values()))
    return {pid for p in people if (pid := p.id) in keyed
            and elsewhere[keyed[pid]] >= len({a for a, _ in p.members})}


def _stored_as(person: Identity, holders: list[Identity], names: dict[str, frozenset[str]]) -> Identity | None:
    """The stored identity ``person`` is shown as (module docstring), from the holders of its
    mentions (one entry a mention; ``names``: the folded names each goes by), or None."""
    votes = Counter(h.id for h in holders)
    by_id = {h.id: h for h in holders}
    name = folded(person.name)

    def goes_by(h: Identity) -> bool:
        return name in names[h.id]

    fit = [h for h in by_id.values() if goes_by(h) or len(h.name.split()) >= len(person.name.split())]
    if not fit:
        return None
    return min(fit, key=lambda h: (not goes_by(h), -votes[h.id], -len(h.name.split()), h.id))


def _joined(first: Identity, second: Identity) -> Identity:
    """Two of the story's people that are one stored identity: the first with the second's
    mentions, names, roles and merge reasons added."""
    return replace(first, members=tuple(sorted(set(first.members) | set(second.members))),
                   aliases=_unique([*first.aliases, second.name, *second.aliases], drop=first.name),
                   roles=_unique([*first.roles, *second.roles]), merges=_unique([*first.merges, *second.merges]))


def _unique(items: Sequence[str], drop: str | None = None) -> tuple[str, ...]:
    return tuple(x for x in dict.fromkeys(items) if x != drop)
