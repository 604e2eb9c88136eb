"""Fragments of a big identity, handed to it when a batch of the people step reaches them
(link/people/incremental.py ``_remerge``).

merge_people joins equal full names outright (its pass 1). The incremental step grows a big
identity (tuning.GROWN_MEMBERS members or more) instead of re-merging it, so a piece of that
person split off before it grew big stayed apart for good, and new mentions of the name,
reaching both, joined neither. A fragment is a reached identity carrying a full name of a
bigger big identity, one such identity only.
"""

from __future__ import annotations

from collections.abc import Callable

from storyline.link.people.names import PersonName
from storyline.records import Entity, Identity
from storyline.store import Store
from storyline.store.records import ArticleEntity, PersonRedirect


def fragments_of(reached: dict[str, Identity], big: dict[str, Identity], must: set[str], sizes: dict[str, int],
                 parse: Callable[[str], PersonName | None]) -> dict[str, str]:
    """The reached identities that are fragments of a big one ({fragment id: big id}): those
    carrying a full name of a big identity bigger than they are, one such identity only (the
    biggest owner of each of their full names). merge_people joins equal full names outright,
    but a big identity is grown, never re-merged, so a piece split off before it grew big (a
    batch whose neighbourhood was cut, tuning.NEIGHBOURHOOD_MEMBERS) stayed apart for good, and
    new mentions of the name, reaching both, joined neither: at the 10k benchmark base "Ben
    Carson" was 23 identities. A batch that reaches fragments hands them to their big
    identity. Those holding the batch's articles or touched by a correction (``must``) are
    re-merged instead."""
    def rank(pid: str) -> tuple[int, str]:
        return (-sizes.get(pid, 0), pid)

    owner: dict[str, str] = {}  # full-name key -> the biggest big identity carrying it
    for pid in sorted(big, key=rank):
        for key in _full_keys(big[pid], parse):
            owner.setdefault(key, pid)
    out = {}
    for pid, identity in reached.items():
        if pid in must:
            continue
        homes = {owner[k] for k in _full_keys(identity, parse) if k in owner and owner[k] != pid}
        if len(homes) == 1 and rank(home := homes.pop()) < rank(pid):
            out[pid] = home
    for pid in out:  # a home that is a fragment itself hands on to its own home
        seen = {pid}
        while out[pid] in out and out[out[pid]] not in seen:
            seen.add(out[pid])
            out[pid] = out[out[pid]]
    return {pid: home for pid, home in out.items() if home not in out}


def _full_keys(identity: Identity, parse: Callable[[str], PersonName | None]) -> set[str]:
    return {n.key for t in (identity.name, *identity.aliases) if (n := parse(t)) is not None and n.kind == "full"}


def absorb(store: Store, fragments: dict[str, str], attached: dict[str, list[ArticleEntity]]
            ) -> tuple[dict[str, list[tuple[str, str]]], dict[tuple[str, str], Entity], list[PersonRedirect]]:
    """What each big identity gains ({id: members}: the batch's names attached to it, then the
    members of its fragments), those members' entities, and the fragments' redirects."""
    gained = {pid: [(f.article_id, f.entity.id) for f in found] for pid, found in attached.items()}
    entities = {(f.article_id, f.entity.id): f.entity for found in attached.values() for f in found}
    if not fragments:
        return gained, entities, []
    whole = store.people_by_ids(sorted(fragments))
    articles = sorted({a for i in whole for a, _ in i.members})
    entities.update({(f.article_id, f.entity.id): f.entity for f in store.entities_of(articles, "PERSON", mentions=False)})
    redirects = []
    for identity in whole:
        members = [m for m in identity.members if m in entities]
        gained.setdefault(fragments[identity.id], []).extend(members)
        redirects.append(PersonRedirect(identity.id, fragments[identity.id]))
    return gained, entities, redirects
