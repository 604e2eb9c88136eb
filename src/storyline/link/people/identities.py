"""The entry point, :func:`merge_people`: members in, each type linked, clusters out as
:class:`Identity` records (name, aliases, roles, members, merge reasons) with stable ids.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace

from storyline.link.people.clusters import Clusters
from storyline.link.people.full_names import full_name_groups, merge_similar_full_names
from storyline.link.people.given_names import attach_given_names
from storyline.link.people.mentions import Comentions, CorpusCounts, Member, gather_members
from storyline.link.people.names import (
    PersonName,
    best_person_name,
    identity_name,
    most_frequent,
    parse_person_name,
    skeleton,
)
from storyline.link.people.orgs import link_named_things, org_key
from storyline.link.people.partial_names import attach_partial_names
from storyline.link.people.roles import conflicting_roles, role_titles
from storyline.link.people.tuning import ID_LENGTH
from storyline.records import Entity, Identity


def merge_people(entities: Iterable[tuple[str, Entity]], *, company: Iterable[tuple[str, Entity]] = (),
                 corpus: CorpusCounts | None = None,
                 parse: Callable[[Entity], PersonName | None] = best_person_name) -> list[Identity]:
    """Merge in-article entities, given as (article_id, entity), into cross-article identities.

    ``company`` are more PERSON entities that are not merged but count as people co-mentioned
    in their articles (evidence for merging names): the incremental step (``incremental.py``)
    merges a neighbourhood of names and passes the other people of the same articles here,
    and the ``corpus`` counts that say how often each person is mentioned in the whole corpus.
    ``parse`` is :func:`best_person_name`, or a caller's cache of it (the incremental step has
    parsed the same names already).

    Entities merge only with entities of the same type. The result is the same for any order
    of the input: identities are sorted by type, then name, then id. See the package docstring
    (:mod:`storyline.link.people`) for the rules; the work is near-linear in the input
    (comparisons happen only inside small blocks of similar names).
    """
    members = gather_members(entities)
    others = gather_members(company)
    clusters = Clusters(len(members))
    by_type: dict[str, list[int]] = defaultdict(list)
    for i, member in enumerate(members):
        by_type[member.entity.type].append(i)
    for type_, indices in by_type.items():
        if type_ == "PERSON":
            _link_people(members, indices, clusters, others, corpus, parse)
        else:
            link_named_things(members, indices, clusters)
    identities = [
        _identity(members, group, clusters.reasons.get(root, []))
        for indices in by_type.values()
        for root, group in clusters.groups(indices).items()
    ]
    return _with_unique_ids(identities)


def _link_people(members: list[Member], people: list[int], clusters: Clusters, others: list[Member],
                 corpus: CorpusCounts | None, parse: Callable[[Entity], PersonName | None]) -> None:
    parsed: dict[tuple[str, tuple[str, ...]], PersonName | None] = {}  # names repeat a lot
    for member in [*(members[i] for i in people), *others]:
        entity = member.entity
        if (entity.name, entity.aliases) not in parsed:
            parsed[entity.name, entity.aliases] = parse(entity)
        member.person = parsed[entity.name, entity.aliases]
    for i in people:
        clusters.track_person(i, members[i].article_id, members[i].person)
    # Co-mentions count the merged people and their company alike.
    comentions = Comentions(members + others, people + list(range(len(members), len(members) + len(others))),
                            corpus)
    groups = full_name_groups(members, people, clusters)
    merge_similar_full_names(groups, clusters, comentions)
    attach_given_names(members, people, clusters)
    ambiguous: set[int] = set()
    for kind in ("initial", "surname"):
        partial = [i for i in people if members[i].person and members[i].person.kind == kind]
        ambiguous |= attach_partial_names(members, people, partial, clusters, comentions, ambiguous)


def _identity(members: list[Member], indices: list[int], reasons: list[str]) -> Identity:
    group = [members[i] for i in indices]
    type_ = group[0].entity.type
    if type_ == "PERSON" and any(m.person for m in group):
        name = identity_name([m.person for m in group if m.person])
    else:
        name = most_frequent([m.entity.name.strip() for m in group])
    surfaces = Counter(s.strip() for m in group for s in (m.entity.name, *m.entity.aliases) if s.strip())
    surfaces.pop(name, None)
    roles, conflicts = conflicting_roles(group, role_titles(group))
    if type_ == "PERSON":
        reasons = [*reasons, *conflicts]
    return Identity(
        id="",  # given by _with_unique_ids
        name=name,
        type=type_,
        aliases=tuple(sorted(surfaces, key=lambda s: (-surfaces[s], s))),
        roles=tuple(roles.values()),
        members=tuple(sorted({(m.article_id, m.entity.id) for m in group})),
        merges=tuple(reasons),
    )


def _name_id_key(identity: Identity) -> str:
    # Hash the spelling-insensitive form of the name, so the id survives the name flipping
    # between "Zelensky" and "Zelenskyy" as the corpus grows.
    if identity.type == "PERSON" and (name := parse_person_name(identity.name)):
        return " ".join(filter(None, [skeleton(name.first), *map(skeleton, name.surname.split()), name.suffix]))
    return org_key(identity.name)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:ID_LENGTH]


def _with_unique_ids(identities: list[Identity]) -> list[Identity]:
    """Give each identity an id derived from its type and canonical name.

    The canonical name, not the member list, so that an identity keeps its id when new articles
    add members (links to it stay valid); members only break ties: when names collide (two
    unresolved "Johnson"s), the identity with most members keeps the plain name hash and each
    other one hashes in its smallest member key as well.
    """
    by_key: dict[tuple[str, str], list[Identity]] = defaultdict(list)
    for identity in identities:
        by_key[identity.type, _name_id_key(identity)].append(identity)
    out = []
    for (type_, key), same in by_key.items():
        same.sort(key=lambda x: (-len(x.members), x.members[0]))
        for n, identity in enumerate(same):
            extra = () if n == 0 else identity.members[0]
            out.append(replace(identity, id=_digest(type_, key, *extra)))
    return sorted(out, key=lambda x: (x.type, x.name.casefold(), x.name, x.id))
