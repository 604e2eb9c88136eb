"""Passes 3 and 4 over people: partial names ("J. Healey", "Starmer") join the one cluster with a
compatible full name, picked by evidence when there are several, or group with the same partial name.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from storyline.folding import fold
from storyline.link.people.clusters import Clusters
from storyline.link.people.mentions import Comentions, Company, Member
from storyline.link.people.names import PersonName, identity_name, initial_fits, kind_rank, prominent
from storyline.link.people.roles import role_titles, shared_roles
from storyline.link.people.tuning import EVIDENCE_MARGIN, EVIDENCE_MIN

# Fuller names a partial name may join: surname key -> (root, first name, suffix) -> a member.
_Targets = dict[str, dict[tuple[int, str, str], int]]


def attach_partial_names(members: list[Member], people: list[int], partial: list[int],
                          clusters: Clusters, comentions: Comentions, ambiguous: set[int]) -> set[int]:
    """Pass 3 and 4 for one kind of partial name ("initial", then "surname").

    Returns the partial names left alone because several clusters fit them: they are no
    target for the next, shorter kind ("J. Healey" between John and Jane Healey tells "Healey"
    nothing)."""
    if not partial:
        return set()
    kind = members[partial[0]].person.kind
    # Targets: the fuller names, one per (cluster, first name, suffix), as clusters stand now;
    # the pass decides against this frozen picture and applies its merges afterwards.
    targets: _Targets = defaultdict(dict)
    by_letters: _Targets = defaultdict(dict)
    for i in people:
        name = members[i].person
        if name is not None and kind_rank(name.kind) > kind_rank(kind) and i not in ambiguous:
            slot = (clusters.find(i), name.first, name.suffix)
            targets[name.surname_key].setdefault(slot, i)
            by_letters["".join(sorted(name.surname_key))].setdefault(slot, i)
    clusters_now = clusters.groups(people)
    evidence = _ClusterEvidence(members, clusters_now, comentions)

    decisions: list[tuple[int, int | None, str | None]] = []
    for i in partial:
        target, reason = _choose_cluster(members, i, targets, by_letters, clusters, evidence)
        decisions.append((i, target, reason))
    leftovers: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    unresolved = set()
    for i, target, reason in decisions:
        if target is not None:
            clusters.union(target, i, reason)
        elif reason == "ambiguous":
            unresolved.add(i)
        else:  # no fuller name anywhere: group with the same partial name
            name = members[i].person
            leftovers[name.first, name.surname_key, name.suffix].append(i)
    for indices in leftovers.values():
        first = indices[0]
        shown = members[first].person.display
        for i in indices[1:]:
            variant = members[i].person.display
            reason = (f"{variant} ~ {shown}: same name up to accents and transliteration"
                      if fold(variant) != fold(shown) else None)
            clusters.union(first, i, reason)
    return unresolved


class _ClusterEvidence:
    """Roles and co-mentioned people of each cluster, computed when first asked for."""

    def __init__(self, members: list[Member], groups: dict[int, list[int]], comentions: Comentions):
        self.members, self.groups, self.comentions = members, groups, comentions
        self._roles: dict[int, dict[str, str]] = {}
        self._people: dict[int, Company] = {}
        self._display: dict[int, str] = {}

    def roles(self, root: int) -> dict[str, str]:
        if root not in self._roles:
            self._roles[root] = role_titles(self.members[i] for i in self.groups[root])
        return self._roles[root]

    def people(self, root: int) -> Company:
        if root not in self._people:
            self._people[root] = self.comentions.company(self.members[i].article_id for i in self.groups[root])
        return self._people[root]

    def display(self, root: int) -> str:
        if root not in self._display:
            self._display[root] = identity_name([self.members[i].person for i in self.groups[root]
                                                  if self.members[i].person])
        return self._display[root]


def _choose_cluster(members: list[Member], i: int, targets: _Targets, by_letters: _Targets,
                    clusters: Clusters, evidence: _ClusterEvidence) -> tuple[int | None, str | None]:
    """The cluster a partial name joins, with the reason; (None, None) when there is no
    candidate at all, (None, "ambiguous") when evidence cannot pick between several."""
    member = members[i]
    name = member.person
    roots = _compatible_roots(name, targets.get(name.surname_key, {}), members, clusters, member.article_id)
    by_spelling_slip = False
    if not roots:  # maybe a slip of the pen ("Zelenksy"): only with evidence below
        roots = _compatible_roots(name, by_letters.get("".join(sorted(name.surname_key)), {}),
                                  members, clusters, member.article_id)
        by_spelling_slip = bool(roots)
    if not roots:
        return None, None
    if len(roots) == 1 and not by_spelling_slip:
        root = roots[0]
        return root, (f"{name.display} ~ {evidence.display(root)}: the only person named "
                      f"{_surname_shown(name)} with a compatible name")
    own_roles = role_titles([member])
    own_people = evidence.comentions.by_article.get(member.article_id, set()) - {name.surname_key}
    role_matches = {root: shared_roles(own_roles, evidence.roles(root)) for root in roots}
    role_holders = Counter(r for roles in role_matches.values() for r in roles)
    scored = []
    for root in roots:
        # A role only counts when it tells the candidates apart ("Minister" may fit several).
        roles = [r for r in role_matches[root] if role_holders[r] == 1]
        score, people = evidence.comentions.evidence(own_people, evidence.people(root))
        scored.append((len(roles) * EVIDENCE_MIN + score, root, roles, people, score))
    scored.sort(key=lambda s: (-s[0], evidence.display(s[1]), s[1]))
    best = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    if best[0] < EVIDENCE_MIN or best[0] < EVIDENCE_MARGIN * runner_up:
        return _most_mentioned(member, scored, evidence)
    notes = [f"shared role '{r}'" for r in best[2]]
    if best[4] >= EVIDENCE_MIN / 2:
        notes.append(f"co-mentioned with {best[3]}")
    if by_spelling_slip:
        notes.append("surname letters transposed")
    others = [evidence.display(s[1]) for s in scored[1:]]
    if others:
        more = f" and {len(others) - 3} more" if len(others) > 3 else ""
        notes.append("over " + ", ".join(others[:3]) + more)
    return best[1], f"{name.display} ~ {evidence.display(best[1])}: " + "; ".join(notes)


def _most_mentioned(member: Member, scored: list, evidence: _ClusterEvidence) -> tuple[int | None, str | None]:
    """Evidence could not pick: the candidate mentioned by far the most, when evidence does not
    point elsewhere (tuning.PROMINENT_RATIO); else (None, "ambiguous")."""
    mentions = {s[1]: len(evidence.groups[s[1]]) for s in scored}
    top = prominent(mentions, member.entity)
    if top is None or any(s[0] >= EVIDENCE_MIN for s in scored if s[1] != top):
        return None, "ambiguous"
    runner_up = max(n for root, n in mentions.items() if root != top)
    name = evidence.display(top)
    return top, (f"{member.person.display} ~ {name}: by far the most mentioned person named "
                 f"{_surname_shown(member.person)} ({mentions[top]} mentions, the next {runner_up})")


def _surname_shown(name: PersonName) -> str:
    """The surname as the partial name writes it ("Trump" of "Trump Jr", "Healey" of "J. Healey")."""
    words = name.display.split()
    return words[-2] if name.suffix and len(words) > 1 else words[-1]


def _compatible_roots(name: PersonName, candidates: dict[tuple[int, str, str], int],
                      members: list[Member], clusters: Clusters, article_id: str) -> list[int]:
    roots = set()
    for j in candidates.values():
        other = members[j].person
        if name.suffix and other.suffix != name.suffix:
            continue
        if name.kind == "initial" and not initial_fits(name.first, other.first):
            continue
        root = clusters.find(j)
        if article_id not in clusters.articles[root]:  # the analyzer kept them apart
            roots.add(root)
    return sorted(roots)
