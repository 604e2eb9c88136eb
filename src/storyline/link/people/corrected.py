"""People corrections as constraints on the people step (link/people/incremental.py).

A person correction names in-article entities, (article id, entity id, name), never identity
ids: ids move when identities merge or split, entities do not (and when a re-analysis numbers
an article's entities anew, the article and the name still find them). Two kinds:

- ``merge-people``: the entities of two identities (as they were when the correction was made)
  belong together. After ``merge_people`` re-merges a neighbourhood, every identity holding one
  of them is joined into one; it is shown under the name of the identity that held the first
  group (the one the user merged into).
- ``split-person``: the ``apart`` entities are kept apart from the ``rest`` (the identity's other
  entities when the correction was made). An identity holding some of both gives the ``apart``
  ones an identity of their own. An entity the correction does not name (a later article)
  stays where the merge put it.

Corrections apply in the order they were made, so a later one wins (split what an earlier one
merged, and the split holds). The step finds the corrections that touch its neighbourhood by
the articles of their entities (``people:<article id>`` keys, an indexed lookup per batch),
and pulls into the neighbourhood the identities holding the other entities they name, so that
a relink, however the articles are batched, reproduces the corrected people.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import replace

from storyline.records import Entity, Identity
from storyline.store import Store
from storyline.store.records import Correction

MERGE = "merge-people"
SPLIT = "split-person"
KINDS = (MERGE, SPLIT)
REACH_ROUNDS = 4  # hops from correction to identity to correction when gathering a neighbourhood

Member = tuple[str, str]


PEOPLE_PREFIX = "people:"


def people_key(article_id: str) -> str:
    """The lookup key a person correction is found by, one per article of its entities."""
    return PEOPLE_PREFIX + article_id


def named(correction: Correction) -> list[tuple[str, str, str]]:
    """Every entity a person correction names, as (article id, entity id, name)."""
    groups = ("keep", "join") if correction.kind == MERGE else ("apart", "rest")
    return [_entry(m) for g in groups for m in correction.payload.get(g, ())]


def _entry(m: Sequence[str]) -> tuple[str, str, str]:
    return str(m[0]), str(m[1]), str(m[2]) if len(m) > 2 else ""


def reach(store: Store, reached: dict[str, Identity], done: Sequence[str],
          partial: Set[str] = frozenset()) -> list[Correction]:
    """The active person corrections touching the batch's articles or the reached identities,
    oldest first; ``reached`` grows, in place, by the identities holding the entities they name,
    whole (a correction can lead to an identity that leads to another correction: a few rounds).

    The identities in ``reached`` may carry only the batch's members (the people step reads the
    members of the identities it keeps, last): an identity is reached through all its articles,
    except one in ``partial`` (a big identity, grown rather than re-merged), through the
    batch's only. Which of an identity's articles a correction names is asked of the store
    (``correction_keys``: the articles any active person correction names, few, as corrections
    are made by hand; then the identities with members there), not read from its members."""
    found: dict[int, Correction] = {}
    keyed = {k[len(PEOPLE_PREFIX):] for k in store.correction_keys(PEOPLE_PREFIX)}
    if not keyed:
        return []
    holding: dict[str, set[str]] = {}  # identity id -> its articles that a correction names
    for identity in store.people_of(sorted(keyed), whole_below=0):
        holding[identity.id] = {a for a, _ in identity.members}
    articles = set(done) | {a for pid in reached if pid not in partial for a in holding.get(pid, ())}
    asked: set[str] = set()
    for _ in range(REACH_ROUNDS):
        keys = sorted(people_key(a) for a in articles - asked)
        asked |= articles
        new = [c for c in store.corrections_by_keys(keys) if c.kind in KINDS and c.id not in found]
        if not new:
            break
        found.update((c.id, c) for c in new)
        entries = [e for c in new for e in named(c)]
        for identity in store.people_of(sorted({a for a, _, _ in entries})):
            if identity.id not in reached and _holds(identity, entries):
                reached[identity.id] = identity
                articles |= holding.get(identity.id, set())
    return [found[k] for k in sorted(found)]


def touched(identity: Identity, corrections: Sequence[Correction]) -> bool:
    """Whether a correction names one of the identity's entities (it is then re-merged in full,
    however big: only that way can the correction move its entities)."""
    return any(_holds(identity, named(c)) for c in corrections)


def touched_ids(store: Store, corrections: Sequence[Correction], reached: dict[str, Identity],
                partial: Set[str] = frozenset()) -> set[str]:
    """The ids in ``reached`` that :func:`touched` holds for, its identities carrying only some
    of their members (see :func:`reach`): one in ``partial`` is judged by the members it
    carries, the others by their members in the articles the corrections name (all that
    ``_holds`` looks at)."""
    if not corrections:
        return set()
    entries = [e for c in corrections for e in named(c)]
    hit = {pid for pid in partial if pid in reached and _holds(reached[pid], entries)}
    for identity in store.people_of(sorted({a for a, _, _ in entries}), whole_below=0):
        if identity.id in reached and identity.id not in partial and _holds(identity, entries):
            hit.add(identity.id)
    return hit


def _holds(identity: Identity, entries: Sequence[tuple[str, str, str]]) -> bool:
    """Whether the identity holds one of the named entities: the same entity, or (the article
    analysed again, its entity ids renumbered) an entity of that article under a name it goes by."""
    members = set(identity.members)
    articles = {a for a, _ in members}
    names = {n.casefold() for n in (identity.name, *identity.aliases)}
    return any((a, e) in members or (a in articles and n.casefold() in names) for a, e, n in entries)


def _resolved(c: Correction, group: str, entities: dict[Member, Entity]) -> set[Member]:
    """The entities of one group of a correction as they are now: the same (article, entity)
    under the same name, or else the article's entities of that name (a re-analysis may number
    entities anew; article and name are what the correction meant)."""
    by_name: dict[tuple[str, str], set[Member]] = {}
    for (aid, eid), entity in entities.items():
        for surface in (entity.name, *entity.aliases):
            by_name.setdefault((aid, surface.strip().casefold()), set()).add((aid, eid))
    out: set[Member] = set()
    for aid, eid, name in map(_entry, c.payload.get(group, ())):
        entity = entities.get((aid, eid))
        if entity is not None and (not name or entity.name.strip().casefold() == name.casefold()):
            out.add((aid, eid))
        elif name:
            out |= by_name.get((aid, name.casefold()), set())
    return out


def apply(identities: list[Identity], corrections: Sequence[Correction],
          entities: dict[Member, Entity]) -> list[Identity]:
    """The identities with the corrections applied in order (see the module docstring)."""
    out = list(identities)
    for c in corrections:
        out = _merged(out, c, entities) if c.kind == MERGE else _split(out, c, entities)
    return out


def _note(c: Correction) -> str:
    return f"correction {c.id} by {c.author}: {c.reason}"


def _merged(identities: list[Identity], c: Correction, entities: dict[Member, Entity]) -> list[Identity]:
    keep = _resolved(c, "keep", entities)
    both = keep | _resolved(c, "join", entities)
    holders = [n for n, i in enumerate(identities) if both.intersection(i.members)]
    if len(holders) < 2:
        return identities
    main_n = next((n for n in holders if keep.intersection(identities[n].members)), holders[0])
    main = identities[main_n]
    others = [identities[n] for n in holders if n != main_n]
    surfaces = dict.fromkeys([*main.aliases, *(s for o in others for s in (o.name, *o.aliases))])
    joined = replace(
        main,
        aliases=_without(surfaces, main.name),
        roles=tuple(dict.fromkeys([*main.roles, *(r for o in others for r in o.roles)])),
        members=tuple(sorted({m for i in (main, *others) for m in i.members})),
        merges=(*main.merges, *(m for o in others for m in o.merges),
                *(f"{o.name} ~ {main.name}: merged by hand ({_note(c)})" for o in others)),
    )
    gone = set(holders) - {main_n}
    return [joined if n == main_n else i for n, i in enumerate(identities) if n not in gone]


def _split(identities: list[Identity], c: Correction, entities: dict[Member, Entity]) -> list[Identity]:
    apart = _resolved(c, "apart", entities)
    rest = _resolved(c, "rest", entities) - apart
    out: list[Identity] = []
    for identity in identities:
        members = set(identity.members)
        if not (members & apart and members & rest):
            out.append(identity)
            continue
        gone = members & apart
        left = members - gone
        name = str(c.payload.get("name") or identity.name)
        out.append(_narrowed(identity, left, entities, identity.merges))
        # A story's own people (link/stories/report.py) keep these ids; the step gives its own.
        out.append(_narrowed(replace(identity, id=f"{identity.id}-{c.id}", name=name), gone, entities,
                             (f"{name} split from {identity.name} by hand ({_note(c)})",)))
    return out


def _narrowed(identity: Identity, members: set[Member], entities: dict[Member, Entity],
              merges: tuple[str, ...]) -> Identity:
    """The identity with only ``members``: the aliases and roles its remaining entities use."""
    used = [entities[m] for m in sorted(members) if m in entities]
    names = {s.strip() for e in used for s in (e.name, *e.aliases)}
    titles = {r.title.strip() for e in used for r in e.roles}
    aliases = [a for a in identity.aliases if a in names]
    aliases += sorted(n for n in names - set(aliases) - {identity.name} if n)
    return replace(identity, aliases=tuple(aliases), roles=tuple(r for r in identity.roles if r in titles),
                   members=tuple(sorted(members)), merges=merges)


def _without(names: dict[str, None], name: str) -> tuple[str, ...]:
    return tuple(n for n in names if n != name)
