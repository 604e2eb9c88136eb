"""Organisations and places: shared normalised names or aliases, and acronyms of one full name."""

from __future__ import annotations

import re
from collections import defaultdict

from storyline.folding import fold
from storyline.link.people.clusters import Clusters
from storyline.link.people.mentions import Member

# Single words too generic to link two organisations by ("the Government" in two countries).
GENERIC_ORG_WORDS = frozenset("""
government ministry department party council police army military alliance company firm court
parliament bank agency group committee commission administration office union board regime
""".split())
ACRONYM_STOPWORDS = frozenset("of the and for de des du la le et".split())


def org_key(text: str) -> str:
    """"the U.S." -> "us"; "NATO's" -> "nato"; "Nato" -> "nato"."""
    folded = re.sub(r"'s\b", "", fold(text)).replace(".", "")
    tokens = re.findall(r"\w+", folded)
    if tokens and tokens[0] == "the":
        tokens = tokens[1:]
    return " ".join(tokens)


def acronyms(key: str) -> set[str]:
    """Initials of a multi-word name, with and without small words: "bank of england" ->
    {"be", "boe"}; "north atlantic treaty organization" -> {"nato"}."""
    words = key.split()
    if len(words) < 2:
        return set()
    content = [w for w in words if w not in ACRONYM_STOPWORDS]
    return {"".join(w[0] for w in words), "".join(w[0] for w in content)} - {""}


def is_short_form(surface: str) -> bool:
    """Could this be an acronym? "NATO", "US", "U.S.", "BoE", "Nato" yes; "Ukraine" no."""
    key = org_key(surface)
    letters = re.sub(r"[^\w]", "", surface.removeprefix("the ").removeprefix("The "))
    if " " in key or not key.isalpha() or not 2 <= len(key) <= 6:
        return False
    capitals = sum(c.isupper() for c in letters)
    return capitals >= 2 or (capitals == 1 and 3 <= len(key) <= 4)  # "Nato", "Opec"


def _usable_alias(alias: str) -> bool:
    # A capital letter tells a name ("the Alliance"?) from a description ("the alliance");
    # single generic words are never used to link.
    key = org_key(alias)
    return bool(key) and any(c.isupper() for c in alias) and key not in GENERIC_ORG_WORDS


def link_named_things(members: list[Member], indices: list[int], clusters: Clusters) -> None:
    """Organisations and places: shared normalised names or aliases, then acronyms."""
    anchors: dict[str, tuple[int, str, bool]] = {}  # form -> (member, its surface, is its name)
    for i in indices:
        entity = members[i].entity
        forms = [(entity.name, True)] + [(a, False) for a in sorted(set(entity.aliases)) if _usable_alias(a)]
        for surface, is_name in forms:
            key = org_key(surface)
            if not key:
                continue
            if key not in anchors:
                anchors[key] = (i, surface, is_name)
                continue
            j, other_surface, other_is_name = anchors[key]
            if clusters.find(i) == clusters.find(j):
                continue
            other_name = members[j].entity.name
            if is_name and other_is_name:
                reason = (None if surface == other_surface else
                          f"{surface} ~ {other_surface}: same name ignoring case, punctuation and 'the'")
            else:
                reason = f"{entity.name} ~ {other_name}: both called '{surface if not is_name else other_surface}'"
            clusters.union(j, i, reason, guarded=False)
    _link_acronyms(members, indices, clusters)


def _link_acronyms(members: list[Member], indices: list[int], clusters: Clusters) -> None:
    # Initials -> the clusters with a full name having them, as clusters stand after the name
    # pass. An acronym links only when exactly one cluster has those initials: "UN" must not
    # join "United Nations" and "University of Nottingham" together.
    full_names: dict[str, dict[int, str]] = defaultdict(dict)
    short_forms: list[tuple[int, str]] = []
    for i in indices:
        entity = members[i].entity
        for surface in [entity.name, *sorted(a for a in set(entity.aliases) if _usable_alias(a))]:
            key = org_key(surface)
            for acronym in acronyms(key):
                full_names[acronym].setdefault(clusters.find(i), surface)
            if is_short_form(surface):
                short_forms.append((i, surface))
    for i, surface in short_forms:
        owners = full_names.get(org_key(surface), {})
        if len(owners) == 1:
            (root, full), = owners.items()
            if clusters.find(i) != clusters.find(root):
                clusters.union(root, i, f"{surface} ~ {full}: acronym of the full name", guarded=False)
