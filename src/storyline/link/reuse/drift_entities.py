"""What only one article has: entity_added / entity_dropped / entity_replaced (people,
organisations and places), and claim_dropped / claim_added (sentences with no counterpart).
"""

from __future__ import annotations

from storyline.folding import fold
from storyline.link.reuse.drift_sides import Side, sentence_of, words
from storyline.records import Change, Entity

# A sentence shorter than this carries no claim worth reporting when dropped or added
# (datelines, "Comments", a lone name).
CLAIM_MIN_WORDS = 6


def entity_changes(s: Side, d: Side, links: list[tuple[int, int]]) -> list[Change]:
    if s.analysis is None or d.analysis is None:
        return []
    gone = [e for e in s.analysis.entities if not _present(e, d)]
    new = [e for e in d.analysis.entities if not _present(e, s)]
    out = []
    paired: set[str] = set()
    for e in gone:
        m = e.mentions[0] if e.mentions else None
        partner = None
        if m is not None:
            k = sentence_of(s, m.start)
            restated = {j for i, j in links if i == k}
            partner = next((n for n in new if n.type == e.type and n.id not in paired and n.mentions
                            and sentence_of(d, n.mentions[0].start) in restated), None)
        if partner is not None:
            paired.add(partner.id)
            pm = partner.mentions[0]
            out.append(Change("entity_replaced", m.text, pm.text, (m.start, m.end), (pm.start, pm.end), e.name))
        else:
            out.append(Change("entity_dropped", e.name, "", (m.start, m.end) if m else None, None, e.name))
    for n in new:
        if n.id in paired:
            continue
        m = n.mentions[0] if n.mentions else None
        out.append(Change("entity_added", "", n.name, None, (m.start, m.end) if m else None, n.name))
    return out


def _present(e: Entity, other: Side) -> bool:
    for alias in (e.name, *e.aliases):
        f = fold(alias)
        if f in other.names:
            return True
    if e.type == "PERSON":
        surname = fold(e.name).split()[-1]
        return any(o.type == "PERSON" and fold(o.name).split()[-1] == surname for o in other.names.values())
    return fold(e.name) in other.folded


def claim_changes(s: Side, d: Side, links: list[tuple[int, int]]) -> list[Change]:
    out = []
    s_linked = {i for i, _ in links}
    d_linked = {j for _, j in links}
    for k, (a, b) in enumerate(s.sentences):
        if k not in s_linked and len(words(s.article.body[a:b])) >= CLAIM_MIN_WORDS:
            out.append(Change("claim_dropped", s.article.body[a:b], "", (a, b), None))
    for k, (a, b) in enumerate(d.sentences):
        if k not in d_linked and len(words(d.article.body[a:b])) >= CLAIM_MIN_WORDS:
            out.append(Change("claim_added", "", d.article.body[a:b], None, (a, b)))
    return out
