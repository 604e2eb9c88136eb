"""What only one article has: entity_added / entity_dropped / entity_replaced (people,
organisations and places), and claim_dropped / claim_added (sentences with no counterpart).
"""

from __future__ import annotations

import re

from storyline.analyze.clusters import FIRST_NAME_HONORIFICS, HONORIFICS
from storyline.analyze.roles import ROLE_HEADS
from storyline.folding import fold
from storyline.link.reuse.drift_sides import Side, content_words, sentence_of, text_of, words
from storyline.link.reuse.drift_speech import indirect_restatement
from storyline.link.reuse.drift_spelling import alike_names, alike_words, name_words
from storyline.records import Change, Entity, Mention

# A sentence shorter than this carries no claim worth reporting when dropped or added
# (datelines, "Comments", a lone name).
CLAIM_MIN_WORDS = 6
# An unaligned sentence whose content words are nearly all in the other article's nearby
# sentences says nothing new: its words were moved or regrouped (a split or merge the alignment
# missed, a clause moved to the next sentence), so it is "reworded", not a claim added or dropped.
CLAIM_COVERED = 0.8
CLAIM_WINDOW = 2  # sentences either side of the nearest aligned neighbour
# Words in the first-name place that give no first name ("Mr Reyes", "President Reyes").
_NOT_FIRST_NAMES = set(HONORIFICS) | FIRST_NAME_HONORIFICS | ROLE_HEADS


def entity_changes(s: Side, d: Side, links: list[tuple[int, int]]) -> list[Change]:
    if s.analysis is None or d.analysis is None:
        return []
    gone = [e for e in s.analysis.entities if not _present(e, d)]
    new = [e for e in d.analysis.entities if not _present(e, s)]
    # Every gone name is compared with every name of the other side: fold each name once.
    words = {e.name: name_words(e.name) for e in (*s.analysis.entities, *d.analysis.entities)}

    def alike(x: str, y: str) -> bool:
        return alike_words(words[x], words[y])

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
            respelled = alike(e.name, partner.name)
            out.append(Change("entity_replaced", m.text, pm.text, (m.start, m.end), (pm.start, pm.end), e.name,
                              kind="wording" if respelled else "", severity="low" if respelled else "high"))
        elif not any(alike(e.name, n.name) for n in d.analysis.entities):
            out.append(Change("entity_dropped", e.name, "", (m.start, m.end) if m else None, None, e.name, severity="medium"))
    for n in new:
        # A name the source spells otherwise is a slip fixed or made, not somebody new.
        if n.id in paired or any(alike(n.name, e.name) for e in s.analysis.entities):
            continue
        if _qualifier(n, d, s):
            continue
        m = n.mentions[0] if n.mentions else None
        out.append(Change("entity_added", "", n.name, None, (m.start, m.end) if m else None, n.name, severity="medium"))
    return out


def _present(e: Entity, other: Side) -> bool:
    for alias in (e.name, *e.aliases):
        f = fold(alias)
        if f in other.names:
            return True
    if e.type == "PERSON":
        # The same surname with a compatible first name, or none on one side ("Starmer" / "Keir
        # Starmer"); "Tom Reyes" / "Tim Reyes" are two people.
        mine = fold(e.name).split()
        if mine and any(_first_names_fit(mine, theirs) for theirs in other.people.get(mine[-1], ())):
            return True
    # The name is in the other text (its extractor typed or missed it differently there).
    if fold(e.name) in other.folded:
        return True
    return _as_acronym(e, other) or (e.type == "PLACE" and _as_demonym(fold(e.name), other))


# Words left out of an acronym ("National Aeronautics and Space Administration" -> NASA).
_ACRONYM_SKIP = {"of", "and", "the", "for", "&", "on", "in", "de"}
_ACRONYM = re.compile(r"(?:[A-Z]\.?){2,6}")


def _initials(name: str) -> str | None:
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", name) if w.lower() not in _ACRONYM_SKIP]
    return "".join(w[0] for w in words).upper() if len(words) >= 2 else None


def _as_acronym(e: Entity, other: Side) -> bool:
    """One side spells the name out, the other writes its acronym ("United States" / "U.S.",
    "National Aeronautics and Space Administration" / "NASA"): the same name. An acronym is
    matched in capitals only (the pronoun "us" is not the U.S.)."""
    letters = _initials(e.name)
    if letters is not None:
        # What the pattern matches reads ``letters`` once its dots are dropped: most names'
        # initials are nowhere in the other text, and a pattern per name is not compiled for them.
        if letters not in other.undotted:
            return False
        dotted = r"\.?".join(letters)
        return re.search(rf"(?<![\w.]){dotted}\.?(?![\w])", other.article.body) is not None
    if _ACRONYM.fullmatch(e.name.strip()):
        short = e.name.replace(".", "").strip()
        return any(_initials(o.name) == short for o in other.names.values())
    return False


# Places written as their adjective ("France" -> "French President") where the adjective is not
# the name's stem plus a usual ending (_DEMONYM_ENDINGS finds "Kenyan", "Chinese", "Iraqi").
_DEMONYMS = {
    "france": "french", "netherlands": "dutch", "holland": "dutch", "wales": "welsh", "switzerland": "swiss",
    "denmark": "danish", "spain": "spanish", "poland": "polish", "ireland": "irish", "finland": "finnish",
    "philippines": "filipino", "united states": "american", "america": "american", "britain": "british",
    "united kingdom": "british", "norway": "norwegian", "peru": "peruvian", "greece": "greek", "turkey": "turkish",
    "sweden": "swedish", "scotland": "scottish", "england": "english", "afghanistan": "afghan", "iceland": "icelandic",
    "thailand": "thai", "portugal": "portuguese", "vietnam": "vietnamese", "new zealand": "new zealander",
    "bangladesh": "bangladeshi", "argentina": "argentine", "belgium": "belgian", "lebanon": "lebanese",
}
_DEMONYM_ENDINGS = ("", "n", "an", "ian", "ean", "ese", "i", "ish", "ic")


def _as_demonym(place: str, other: Side) -> bool:
    """The other text names the place by its adjective ("France" / "French", "Kenya" / "Kenyan")."""
    if place in _DEMONYMS:
        return re.search(rf"\b{re.escape(_DEMONYMS[place])}s?\b", other.folded) is not None
    if " " in place or len(place) < 4:
        return False
    stem = place.rstrip("aeiouy")
    found = re.findall(rf"\b{re.escape(stem)}([a-z]*)\b", other.folded)
    return any(end in _DEMONYM_ENDINGS or end[:-1] in _DEMONYM_ENDINGS and end.endswith("s") for end in found)


def _qualifier(n: Entity, side: Side, other: Side) -> bool:
    """A place added only to say where a named thing is ("Heathrow airport" -> "London's
    Heathrow Airport", "Springfield" -> "Springfield, Illinois"): clarity, not a new fact."""
    if n.type != "PLACE" or len(n.mentions) != 1:
        return False
    m, body = n.mentions[0], side.article.body
    before = body[max(0, m.start - 60) : m.start].rstrip()
    for e in side.analysis.entities if side.analysis else ():
        # Next to the place first: whether the other text has the thing is the costly question.
        if e is not n and any(_qualified_by(o, m, body, before) for o in e.mentions) and _present(e, other):
            return True
    return False


def _qualified_by(o: Mention, m: Mention, body: str, before: str) -> bool:
    """Whether mention ``o`` is what the place mention ``m`` qualifies ("London's Heathrow",
    "Springfield, Illinois")."""
    if o.start >= m.end and re.match(r"['’]s\s+$", body[m.end : o.start]):
        return True
    return o.end <= m.start and before.endswith(",") and body[o.end : m.start].strip() == ","


def _first_names_fit(a: list[str], b: list[str]) -> bool:
    if len(a) < 2 or len(b) < 2:
        return True
    x, y = a[0].rstrip("."), b[0].rstrip(".")
    if {x, y} & _NOT_FIRST_NAMES:  # "Mr Reyes", "President Reyes": no first name given
        return True
    if len(x) == 1 or len(y) == 1:  # an initial
        return x[0] == y[0]
    return alike_names(x, y)


def claim_changes(s: Side, d: Side, links: list[tuple[int, int]]) -> list[Change]:
    """Sentences with no counterpart: claim_dropped / claim_added (medium), or "reworded"
    (wording) when the other article says the same words nearby (:data:`CLAIM_COVERED`)."""
    out = []
    s_linked = {i for i, _ in links}
    d_linked = {j for _, j in links}
    for k, (a, b) in enumerate(s.sentences):
        text = s.article.body[a:b]
        if k not in s_linked and len(words(text)) >= CLAIM_MIN_WORDS:
            near_ids = _near_ids(d, _partners(k, links, 0))
            near = text_of(d, near_ids)
            if _covered(text, near):
                out.append(Change("reworded", text, "", (a, b), None, kind="wording", severity="low"))
            elif (told := _told(s, d, a, b, near_ids, near)) is not None:
                out.append(told)  # its quotation went into reported speech: not a claim dropped
            else:
                out.append(Change("claim_dropped", text, "", (a, b), None, severity="medium"))
    for k, (a, b) in enumerate(d.sentences):
        text = d.article.body[a:b]
        if k not in d_linked and len(words(text)) >= CLAIM_MIN_WORDS:
            near = text_of(s, _near_ids(s, _partners(k, links, 1)))
            if _covered(text, near):
                out.append(Change("reworded", "", text, None, (a, b), kind="wording", severity="low"))
            else:
                out.append(Change("claim_added", "", text, None, (a, b), severity="medium"))
    return out


def _told(s: Side, d: Side, a: int, b: int, near_ids: list[int], near: str) -> Change | None:
    """The quote_to_paraphrase of an unaligned source sentence (a..b) whose quotation the copy
    restates as reported speech nearby, when the rest of the sentence ("she said", and any
    claim beside the quotation) is said nearby too; None otherwise (a claim dropped)."""
    told = indirect_restatement(s, d, a, b, near_ids)
    if told is None or told.source_span is None:
        return None
    qa, qb = told.source_span
    rest = s.article.body[a:qa] + " " + s.article.body[qb:b]
    return told if not content_words(rest) or _covered(rest, near) else None


def _partners(k: int, links: list[tuple[int, int]], side: int) -> list[int]:
    """The other side's sentences linked to the nearest linked neighbours of sentence ``k``
    (``side`` 0: k is a source sentence; 1: a derived one)."""
    linked = sorted({link[side] for link in links})
    before = [x for x in linked if x < k][-1:]
    after = [x for x in linked if x > k][:1]
    anchors = set(before + after)
    return [link[1 - side] for link in links if link[side] in anchors]


def _near_ids(side: Side, anchors: list[int]) -> list[int]:
    """The sentences within CLAIM_WINDOW of ``anchors``, in order."""
    return sorted({i for a in anchors for i in range(a - CLAIM_WINDOW, a + CLAIM_WINDOW + 1) if 0 <= i < len(side.sentences)})


def _covered(text: str, other: str) -> bool:
    mine = content_words(text)
    if not mine or not other:
        return False
    theirs = set(content_words(other))
    return sum(w in theirs for w in mine) / len(mine) >= CLAIM_COVERED
