"""Pass 2b over people: a name of two given names ("Juan Pablo", "Mary Kate") joins the one
cluster whose full names open with them ("Juan Pablo Galavis", "Mary Kate Olsen").

Parsed alone, "Juan Pablo" is a first name and a surname, so no pass compares it with "Juan Pablo
Galavis" (another surname). Headlines and fans call some people by their given names (The
Bachelor's Juan Pablo Galavis: 57 UCI headlines say "Juan Pablo", 51 the full name). The pair
joins a fuller name (named in two articles and a quarter as often: enough()) when exactly one
cluster holds full names opening with it, or one of several
is mentioned by far the most (names.prominent, the rule for a bare surname: a headline's run-on
"Juan Pablo Stupid" is no rival to 51 mentions of Juan Pablo Galavis), and no full name of
another first name has its second word as a surname ("Maria Pablo" would make "Pablo" a surname
in this corpus): "Juan Pablo" between Juan Pablo Galavis and Juan Pablo Montoya, each mentioned
as often, stays alone, as a partial name between two full names does. Like a partial name it joins one cluster
at most, so it never chains two people; the guard of Clusters (one article, first names,
suffixes) holds as for every merge.

The incremental step meets both through the name key ``given:first:second``
(incremental.name_keys) and re-merges them with this pass while both are small. A big identity
(GROWN_MEMBERS) is grown, never re-merged, and takes new mentions of its exact names only
(incremental._attach_to_big): a fuller name that grew big before two given names met it does not
take them, and two such identities that grew big apart stay two. (Attaching each mention to the
big fuller identity was tried: it decides per mention where this pass decides per cluster, and
joined what the analysis had kept apart in one article.)
"""

from __future__ import annotations

from collections import defaultdict

from storyline.analyze.gender import is_first_name
from storyline.link.people.clusters import Clusters
from storyline.link.people.mentions import Member
from storyline.link.people.names import PersonName, first_name_relation, opening_pair, prominent


def given_pair(name: PersonName | None) -> tuple[str, str] | None:
    """(first, second) of a full name that may be two given names alone ("Juan Pablo"): no
    middle name, no suffix, a one-word surname that the first-name dictionary holds ("Carl
    Icahn" is no such name: joined to a headline's run-on "Carl Icahn Rift" it would lose his
    name); else None."""
    if name is None or name.kind != "full" or name.middle or name.suffix or " " in name.surname:
        return None
    words = name.display.split()
    if len(words) != 2 or not is_first_name(words[1]):
        return None
    return name.first, name.surname


def enough(fuller_size: int, pair_size: int) -> bool:
    """Whether a fuller name mentioned ``fuller_size`` times may take two given names mentioned
    ``pair_size`` times: in two articles at least, and a quarter as often (a headline's run-on,
    "Mike Tyson Mysteries" twice, takes no "Mike Tyson" said twenty times)."""
    return fuller_size >= 2 and FULLER_SHARE * pair_size <= fuller_size


# See enough(). At 0.1, "Mike Tyson Mysteries" said twice took "Mike Tyson" said 19 times.
FULLER_SHARE = 0.25


def attach_given_names(members: list[Member], people: list[int], clusters: Clusters) -> None:
    """Pass 2b (module docstring): decided against the clusters as they stand when it begins,
    one decision per cluster, applied afterwards in sorted order. A cluster takes part only when
    every full name in it is the same two given names (pass 2 may have joined spellings, "Anna
    Maria" and "Anna Mariya", or a middle name more or less, "Anna Scott" and "Anna Maria
    Scott": such a cluster would join two fuller names through its two names) and it holds no
    fuller name itself."""
    fuller: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)  # pair -> root -> a member
    firsts_of_surname: dict[str, set[str]] = defaultdict(set)
    full_names: dict[int, list[int]] = defaultdict(list)  # root -> its members with a full name
    for i in people:
        name = members[i].person
        if name is None or name.kind != "full":
            continue
        root = clusters.find(i)
        full_names[root].append(i)
        firsts_of_surname[name.surname].add(name.first)
        if (opening := opening_pair(name)) is not None:
            fuller[opening].setdefault(root, i)
    sizes = {root: clusters.size[root] for root in {clusters.find(i) for i in people}}  # as the pass begins
    merges = []
    for root, indices in sorted(full_names.items()):
        pairs = {given_pair(members[i].person) for i in indices}
        if len(pairs) != 1 or None in pairs:
            continue  # two pairs, or a fuller name (no pair of its own): it would join two people
        (pair,) = pairs
        first, second = pair
        if any(first_name_relation(other, first) == "different" for other in firsts_of_surname[second]):
            continue  # the second word is someone else's surname here
        targets = {r: j for r, j in fuller.get(pair, {}).items() if enough(sizes[r], sizes[root])}
        rep = indices[0]
        if len(targets) == 1:
            (target,) = targets.values()
            why = "the given names of one fuller name"
        elif targets:  # several: the one mentioned by far the most, as for a bare surname,
            # for every member alike (prominent() declines for one with a courtesy title)
            tops = {prominent({r: sizes[r] for r in targets}, members[i].entity) for i in indices}
            if len(tops) != 1 or None in tops:
                continue
            target = targets[tops.pop()]
            why = f"the given names of by far the most mentioned fuller name ({len(targets)} open with them)"
        else:
            continue
        merges.append((target, rep, f"{members[rep].person.display} ~ {members[target].person.display}: {why}"))
    for target, rep, reason in merges:
        clusters.union(target, rep, reason)
