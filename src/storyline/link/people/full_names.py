"""Passes 1 and 2 over people: equal full names merge outright; distinct full names are blocked
by name keys and merged when spelling and evidence (roles, co-mentions) say they are one person.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import combinations

from rapidfuzz import fuzz

from storyline.link.people.clusters import Clusters
from storyline.link.people.mentions import Comentions, Company, Member
from storyline.link.people.names import PersonName, first_name_relation, middles_compatible, most_frequent
from storyline.link.people.roles import role_titles, shared_roles
from storyline.link.people.tuning import (
    COMENTION_SAMPLE,
    EVIDENCE_MIN,
    MAX_BLOCK,
    NAME_SIMILARITY_MIN,
    NEIGHBOURHOOD,
    TYPO_MAX_ARTICLES,
    TYPO_RATIO,
)


@dataclass(slots=True)
class _NameGroup:
    """Full-name members with the same folded name: the unit compared in pass 2."""

    name: PersonName
    members: list[int]
    display: str = ""
    articles: list[str] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True, order=True)
class _Merge:
    sort_key: tuple
    a: int = field(compare=False)
    b: int = field(compare=False)
    reason: str = field(compare=False)


def full_name_groups(members: list[Member], people: list[int], clusters: Clusters) -> list[_NameGroup]:
    """Pass 1: merge full names that are equal once folded; return one group per folded name."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for i in people:
        name = members[i].person
        if name is not None and name.kind == "full":
            by_key[name.key].append(i)
    groups = []
    for key in sorted(by_key):
        indices = by_key[key]
        group = _NameGroup(members[indices[0]].person, indices)
        group.display = most_frequent([members[i].person.display for i in indices])
        group.articles = sorted({members[i].article_id for i in indices})
        group.roles = role_titles(members[i] for i in indices)
        for i in indices[1:]:
            # Equal folded names are one person even within an article (the analyzer's split).
            variant = members[i].person.display
            reason = (f"{variant} ~ {group.display}: same name ignoring case, accents and titles"
                      if variant != group.display else None)
            clusters.union(indices[0], i, reason, guarded=False)
        groups.append(group)
    return groups


def merge_similar_full_names(groups: list[_NameGroup], clusters: Clusters,
                              comentions: Comentions) -> None:
    """Pass 2: compare distinct full names within blocks; merge the strongest pairs first."""
    cache: dict[int, Company] = {}

    def comentioned(g: int) -> Company:  # computed only for pairs that get that far
        if g not in cache:
            cache[g] = comentions.company(groups[g].articles)
        return cache[g]

    merges = [m for a, b in _candidate_pairs(groups)
              if (m := _compare_full_names(groups, a, b, comentioned, comentions)) is not None]
    for merge in sorted(merges):
        clusters.union(groups[merge.a].members[0], groups[merge.b].members[0], merge.reason)


def _block_keys(name: PersonName) -> list[tuple[str, str, str]]:
    # Three ways in, so that one spelling slip does not keep a pair apart: the surname skeleton
    # (transliterations), its letters sorted (transposed letters: Zelenksy), and the first name
    # with the surname's start (any other typo in the surname). The first two are split by the
    # first name's initial, as different initials are never compared anyway.
    initial = name.first_key[:1]
    return [("surname", name.surname_key, initial),
            ("letters", "".join(sorted(name.surname_key)), initial),
            ("first", name.first_key, name.surname_key[:3])]


def _candidate_pairs(groups: list[_NameGroup]) -> Iterator[tuple[int, int]]:
    blocks: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for g, group in enumerate(groups):
        for key in _block_keys(group.name):
            blocks[key].append(g)
    seen: set[tuple[int, int]] = set()
    for block in blocks.values():
        if len(block) <= MAX_BLOCK:
            pairs = combinations(block, 2)
        else:  # a huge block ("John Smith" and kin): compare neighbours in sorted order only
            ordered = sorted(block, key=lambda g: groups[g].name.key)
            pairs = ((ordered[i], ordered[j]) for i in range(len(ordered))
                     for j in range(i + 1, min(i + 1 + NEIGHBOURHOOD, len(ordered))))
        for a, b in pairs:
            pair = (min(a, b), max(a, b))
            if pair not in seen:
                seen.add(pair)
                yield pair


def _compare_full_names(groups: list[_NameGroup], a: int, b: int, comentioned: Callable[[int], Company],
                        comentions: Comentions) -> _Merge | None:
    """Decide whether two full-name groups are one person, with the reason, or None."""
    x, y = groups[a].name, groups[b].name
    relation = first_name_relation(x.first, y.first)
    if relation == "different" or x.suffix != y.suffix or not middles_compatible(x.middle, y.middle):
        return None
    similarity = fuzz.ratio(x.short, y.short) / 100
    same_spelling = relation == "same" and x.surname_key == y.surname_key
    if not same_spelling and similarity < NAME_SIMILARITY_MIN:
        return None
    if not same_spelling and relation != "nickname" and not _one_is_rare(groups[a], groups[b]):
        return None  # two established spellings: two people
    notes = []
    if same_spelling:
        notes.append("same name up to accents, transliteration and middle names")
    elif relation == "nickname":
        notes.append(f"'{x.first}' and '{y.first}' are forms of one first name")
    roles = shared_roles(groups[a].roles, groups[b].roles)
    # Co-mentions: the people of the smaller name's articles, in the larger name's company.
    small, large = sorted((a, b), key=lambda g: (len(groups[g].articles), g))
    keys: set[str] = set()
    for article_id in groups[small].articles[:COMENTION_SAMPLE]:
        keys |= comentions.by_article.get(article_id, set())
    score, people = comentions.evidence(keys - {x.surname_key, y.surname_key}, comentioned(large))
    if not same_spelling and not roles and score < EVIDENCE_MIN:
        return None  # similar names but nothing else in common: could be two people
    notes += [f"shared role '{r}'" for r in roles]
    if score >= EVIDENCE_MIN:
        notes.append(f"co-mentioned with {people}")
    # Merge the best-supported pairs first, so that when the guard must refuse one of two
    # conflicting merges, it refuses the weaker.
    strength = (0 if same_spelling else 1, -len(roles) * EVIDENCE_MIN - score, -similarity)
    joined, target = sorted((groups[a], groups[b]), key=lambda g: len(g.members))
    reason = f"{joined.display} ~ {target.display}: name similarity {similarity:.2f}; " + "; ".join(notes)
    return _Merge((*strength, x.key, y.key), a, b, reason)


def _one_is_rare(a: _NameGroup, b: _NameGroup) -> bool:
    rare, common = sorted((len(a.articles), len(b.articles)))
    return rare <= TYPO_MAX_ARTICLES or rare * TYPO_RATIO <= common
