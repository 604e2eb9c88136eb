"""role_changed: a person's title in the copy differs from the one the source gives them (or from an
unattached title with the same head word). :func:`same_title` and :func:`role_head` also serve
the cross-checks of a story's articles (:mod:`storyline.link.stories.crosscheck`).
"""

from __future__ import annotations

import re

from storyline.analyze.roles import ROLE_HEADS, role_key
from storyline.folding import fold
from storyline.link.reuse.drift_sides import Side, inside, nearby
from storyline.records import Change


def same_title(a: str, b: str) -> bool:
    ka, kb = set(role_key(a)), set(role_key(b))
    if not ka or not kb:
        return fold(a) == fold(b)
    # One title may be the other with a qualifier ("Secretary" / "Defence Secretary"), but not
    # with one that changes the office: a former president is not the president.
    return (ka <= kb or kb <= ka) and not (ka ^ kb) & _OFFICE_CHANGING


_OFFICE_CHANGING = {"former", "ex", "shadow", "deputy", "acting", "interim", "vice", "junior", "prime"}


def role_head(title: str) -> str | None:
    words = [w for w in re.findall(r"[a-z]+", title.lower()) if w in ROLE_HEADS]
    return words[-1] if words else None


def role_changes(s: Side, d: Side, s_ids: set[int], d_ids: set[int]) -> list[Change]:
    out = []
    seen: set[tuple] = set()
    window = nearby(s, s_ids)
    for a, b, title, person in d.titles:
        if person is None or not inside(d, d_ids, a, b):
            continue
        same_person = [t for t in s.titles if t[3] and _same_person(t[3], person, s, d)]
        near = [t for t in same_person if inside(s, window, t[0], t[1])]
        unattached = [t for t in s.titles if t[3] is None and inside(s, window, t[0], t[1]) and role_head(t[2]) == role_head(title)]
        candidates = near or same_person or unattached
        if not candidates or any(same_title(t[2], title) for t in candidates):
            continue
        # When the person has no title in the source at all, an unattached title with the same
        # head word in the restated passage is the one the copy changed.
        src = (near or unattached or same_person)[0]
        key = (person, role_key(src[2]), role_key(title))
        if key in seen:  # the same title seen twice (a role and a speaker mention)
            continue
        seen.add(key)
        out.append(Change("role_changed", s.article.body[src[0] : src[1]], d.article.body[a:b], (src[0], src[1]), (a, b), person,
                          severity="high"))
    return out


def _same_person(a: str, b: str, s: Side, d: Side) -> bool:
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return True
    ea, eb = s.names.get(fa), d.names.get(fb)
    aliases_a = {fold(x) for x in ((ea.name, *ea.aliases) if ea else (a,))}
    aliases_b = {fold(x) for x in ((eb.name, *eb.aliases) if eb else (b,))}
    if aliases_a & aliases_b:
        return True
    return fa.split()[-1] == fb.split()[-1] and fa.split()[0][:1] == fb.split()[0][:1]
