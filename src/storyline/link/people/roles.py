"""Role titles ("the former Defence Secretary"): their folded keys, and which roles two sides share."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Protocol

from storyline.folding import fold

ROLE_FILLER = frozenset("the a an of for and former ex then current acting s".split())


class HasRoles(Protocol):
    """Anything with roles as (role key, title) pairs: a member, without importing ``mentions``."""

    roles: tuple[tuple[str, str], ...]  # (role key, title)


def role_key(title: str) -> str:
    """"the former Defence Secretary" -> "defence secretary"."""
    return " ".join(w for w in re.findall(r"\w+", fold(title)) if w not in ROLE_FILLER)


def shared_roles(a: dict[str, str], b: dict[str, str]) -> list[str]:
    """Role titles the two sides share: equal keys, or one's words within the other's
    ("President" and "Ukrainian President"). ``a``/``b`` map role key -> a display title."""
    out = set()
    for ka, ta in a.items():
        wa = set(ka.split())
        for kb, tb in b.items():
            wb = set(kb.split())
            if wa <= wb or wb <= wa:
                out.add(ta if len(ka) <= len(kb) else tb)
    return sorted(out)


def role_titles(members: Iterable[HasRoles]) -> dict[str, str]:
    """Role key -> its most frequent title, most frequent roles first."""
    counts: Counter[tuple[str, str]] = Counter(role for m in members for role in m.roles)
    key_counts: Counter[str] = Counter()
    for (key, _), n in counts.items():
        key_counts[key] += n
    titles: dict[str, str] = {}
    for (key, title), _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][1])):
        titles.setdefault(key, title)
    return {k: titles[k] for k in sorted(titles, key=lambda k: (-key_counts[k], titles[k]))}
