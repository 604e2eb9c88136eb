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


# Offices a person holds one of at a time: a head of government or state, or a party leader.
# Two of them given to one person by different articles ("Labour leader" in a rewrite, "Prime
# Minister" in its source) are two readings a fact-checker must see, not two roles to list.
TOP_OFFICES = ("prime minister", "president", "premier", "chancellor", "leader", "king", "queen", "monarch")


def office_of(key: str) -> str | None:
    if "former" in key.split() or "ex" in key.split():
        return None  # a former office does not compete with a current one here (see crosscheck)
    if {"deputy", "vice", "acting", "shadow"} & set(key.split()):
        return None  # a deputy or shadow office is another office
    return next((o for o in TOP_OFFICES if re.search(rf"\b{o}$", key)), None)


def conflicting_roles(members: Iterable[HasRoles], titles: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """``titles`` (role key -> title, from :func:`role_titles`) without the titles that conflict
    with a better supported one, and a note for each conflict. Titles are grouped by the top
    office they name (:data:`TOP_OFFICES`: "UK Prime Minister" and "Prime Minister" are one
    reading); when a person has two readings, the one given by more articles stays (ties: the
    more frequent title), and each other one is reported instead of listed as a role."""
    members = list(members)
    readings: dict[str, list[str]] = {}
    for key in titles:
        office = office_of(key)
        if office is not None:
            readings.setdefault(office, []).append(key)
    if len(readings) < 2:
        return titles, []

    def where(keys: list[str]) -> set:
        return {getattr(m, "article_id", id(m)) for m in members if any(k in keys for k, _ in m.roles)}

    def articles(keys: list[str]) -> int:
        return len(where(keys))

    ranked = sorted(readings.values(), key=lambda keys: -articles(keys))
    kept = ranked[0]
    out = dict(titles)
    notes = []
    losers = [keys for keys in ranked[1:] if not where(keys) <= where(kept)]
    # One article using two titles ("German Chancellor", "Germany's leader") is no disagreement.
    if losers and articles(losers[0]) == articles(kept):
        losers = [kept, *losers]  # as many articles for each: none of them is listed as a role
    for keys in losers:
        for key in keys:
            out.pop(key, None)
    if losers:
        parts = [f"“{titles[keys[0]]}” ({articles(keys)} article{'s' if articles(keys) > 1 else ''})"
                 for keys in ([kept] if kept not in losers else []) + losers]
        notes.append("conflicting titles: " + " against ".join(parts) + "; reported, not merged as roles")
    return out, notes


def grown_roles(shown: Iterable[str], gained: Iterable[tuple[str, str]]) -> tuple[tuple[str, ...], list[str]]:
    """A big identity's shown roles grown by the titles it gains ((article id, title) pairs),
    without re-reading its members (link/people/incremental.py): a gained title naming another
    top office than one it shows is reported in a note, as :func:`conflicting_roles` does, and not
    listed (the shown one has the support of many articles; the gained one of one batch)."""
    out = list(dict.fromkeys(shown))
    offices = {office: title for title in out if (office := office_of(role_key(title))) is not None}
    against: dict[str, set[str]] = {}
    for article_id, title in gained:
        office = office_of(role_key(title))
        if office is not None and offices and office not in offices:
            against.setdefault(title, set()).add(article_id)
        elif title not in out:
            out.append(title)
    notes = [f"conflicting titles: “{title}” ({len(ids)} article{'s' if len(ids) > 1 else ''}) against "
             f"“{next(iter(offices.values()))}”; reported, not merged as roles" for title, ids in against.items()]
    return tuple(out), notes
