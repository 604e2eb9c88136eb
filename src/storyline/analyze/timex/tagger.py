"""Temporal expressions in news text, tagged and normalised as TIMEX3 (TimeML), like HeidelTime.

Written by hand because no Python library does this well: dateparser and ctparse turn a
string into a datetime but neither finds TimeML spans in running text nor produces TIMEX3
values (weeks, quarters, seasons, durations, ``PRESENT_REF``, mods), and HeidelTime and SUTime
need Java. The rules are regular expressions (``timex_rules``); values are computed from a
small rule string (``timex_values``) so an expression can be re-resolved against another
anchor date without parsing the text again (:func:`resolve`).

The anchor is the document creation (publication) date. Relative expressions follow the
HeidelTime news conventions: the tense of the sentence decides whether a bare weekday, month
or season lies before or after the anchor ("on Wednesday, Starmer said" is the Wednesday
before; "he will fly on Wednesday" the one after). With a spaCy ``Doc`` the tense comes from
the verb governing the expression; without one, from the nearest tense marker in the sentence.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from storyline.analyze.timex import values as timex_values
from storyline.analyze.timex.builders.common import DATE, TIME, Candidate
from storyline.analyze.timex.rules import candidates
from storyline.analyze.timex.values import FUTURE, PAST, PRESENT, interval

__all__ = ["Timex", "find_timexes", "resolve", "interval"]

# "late Wednesday", "the end of 1990", "mid-November": a mod and a longer span.
_POINT_MOD = re.compile(
    r"(?i)(?:\b(?P<word>early|earlier|late|later|mid)[\s-]*"
    r"|(?P<the>the\s+)?\b(?P<part>end|beginning|start|middle|close)\s+of\s+)$"
)
POINT_MODS = {"early": "START", "earlier": "START", "beginning": "START", "start": "START",
              "late": "END", "later": "END", "end": "END", "close": "END",
              "mid": "MID", "middle": "MID"}
# "by 2027": the preposition is a TimeML signal, outside the span, but it bounds the date.
_BY_BEFORE = re.compile(r"(?i)\bby\s+$")
_MOD_REACH = 20  # characters before an expression searched for a mod word

_FUTURE_AUX = {"will", "'ll", "shall", "wo", "would", "'d"}
_FUTURE_WORDS = re.compile(
    r"(?i)\b(?:will|shall|won't|would|going\s+to|plans?\s+to|planned\s+to|expected\s+to|"
    r"scheduled|due\s+to|set\s+to|intends?\s+to|upcoming|next)\b|\w'll\b"
)
_PAST_WORDS = re.compile(
    r"(?i)\b(?:was|were|had|did|said|told|met|made|went|came|took|gave|left|got|won|lost|"
    r"began|ran|saw|knew|thought|found|held|became|fell|rose|sold|bought|paid|spent|"
    r"announced|\w{3,}ed)\b"
)
# Words right before a date that put it ahead: "effective Feb. 1", "as soon as Tuesday".
_FUTURE_CUE_BEFORE = re.compile(
    r"(?i)\b(?:effective|takes?\s+effect|expires?|expiring|starting|as\s+soon\s+as|"
    r"as\s+early\s+as)\s+$"
)
# A deadline: "extended its deadline until Tuesday", "postponed until Monday morning"; but not
# "it was not until Tuesday that", "up until Thursday" or "Until Thursday, they had not ...".
_UNTIL_BEFORE = re.compile(r"(?<![Nn]ot )(?<![Uu]p )\b(?:until|till)\s+$")
# Verbs of planning: what they govern lies ahead even in the past tense ("planned to leave on
# Thursday", "has scheduled a news conference Thursday", "set to resume Monday").
_PLANNING_LEMMAS = {"plan", "schedule", "expect", "set", "due", "intend", "aim", "prepare",
                    "promise", "vow", "hope", "want", "threaten", "agree", "decide", "propose"}
# Verbs whose past form is their base form: tagged VBP after a singular subject by mistake.
_SAME_FORM_PAST = {"hurt", "cut", "put", "set", "hit", "cost", "let", "shut", "spread", "bid",
                   "cast", "quit", "split", "burst", "read", "beat", "bet", "upset", "forecast",
                   "broadcast", "slit", "shed"}
_NOT_SCHEDULED = {"be", "say", "tell", "report", "show", "add", "note", "write", "claim",
                  "insist", "argue", "believe", "think", "know", "seem", "remain", "date"}
# A document's date is the day it was made: "the letter is dated Monday" (present passive)
# names a day that has passed, never the coming one.
_DOCUMENT_DATING = {"date", "postmark", "timestamp"}
_SENTENCE_END = re.compile(r"[.!?]\s|\n")
_PROBE_ANCHOR = dt.date(2000, 1, 3)


@dataclass(frozen=True, slots=True)
class Timex:
    """One temporal expression: offsets into the text, TIMEX3 type, value and mod.

    ``rule`` (the value recipe, see ``timex_values``) and ``tense`` (of its sentence) are kept
    so that :func:`resolve` can value it again for another anchor; treat them as opaque.
    """

    start: int
    end: int
    text: str
    type: str  # "DATE" | "TIME" | "DURATION" | "SET"
    value: str | None  # None when the value needs an anchor and none was given
    mod: str | None = None
    anchored: bool = False  # the value depends on the anchor date
    rule: str = ""
    tense: str = ""  # "PAST" | "PRESENT" | "FUTURE" | "" (unknown)


def find_timexes(text: str, anchor: dt.date | None, *, doc=None) -> list[Timex]:
    """The temporal expressions of ``text``, valued against ``anchor`` (publication date).

    ``doc`` is an optional spaCy Doc of exactly ``text`` (``storyline.analyze.nlp.pipeline()``);
    it gives the tense of each expression's clause. Without it a lexical heuristic is used.
    """
    if not text:
        return []
    if isinstance(anchor, dt.datetime):
        anchor = anchor.date()
    if doc is not None and doc.text != text:
        doc = None  # offsets would not line up
    found: list[Timex] = []
    for cand in _select(candidates(text)):
        if cand.rule.startswith("anaph|"):
            cand = dataclasses.replace(cand, rule=_with_reference(cand.rule, found))
        found.append(_finish(cand, text, anchor, doc))
    return found


def _with_reference(rule: str, before: list[Timex]) -> str:
    """An anaphoric rule completed with the last date mentioned before it (precise enough)."""
    unit = rule.split("|")[1]
    for prior in reversed(before):
        # the precision of a mentioned date does not depend on the anchor: any date will do
        probe = prior.value or timex_values.compute(prior.rule, _PROBE_ANCHOR, prior.tense)
        if prior.type not in (DATE, TIME) or not timex_values.anaphoric_reference_ok(unit, probe):
            continue
        if prior.rule.startswith("anaph|"):  # chains are kept flat: refer to its value
            if prior.value is None:
                continue
            ref_rule, ref_tense = f"abs|{prior.value}", ""
        else:
            ref_rule, ref_tense = prior.rule, prior.tense
        return f"{rule}|{ref_tense}|{ref_rule.replace('|', ';')}"
    return rule


def resolve(timex: Timex, anchor: dt.date, *, tense: str | None = None) -> Timex:
    """``timex`` valued against another anchor date (no parsing; ``tense`` overrides its own)."""
    if isinstance(anchor, dt.datetime):
        anchor = anchor.date()
    use_tense = timex.tense if tense is None else tense
    if not timex.rule:
        return timex
    value = timex_values.compute(timex.rule, anchor, use_tense)
    return dataclasses.replace(timex, value=value, tense=use_tense)


# ---------------------------------------------------------------------------------------------


def _select(found: list[tuple[int, Candidate]]) -> list[Candidate]:
    """The longest candidates that do not overlap (rule priority breaks ties)."""
    found.sort(key=lambda pc: (-(pc[1].end - pc[1].start), pc[0], pc[1].start))
    taken: list[Candidate] = []
    occupied = bytearray(max((c.end for _, c in found), default=0))  # 1 = inside a taken span
    for _priority, cand in found:
        if any(occupied[cand.start:cand.end]):
            continue
        taken.append(cand)
        occupied[cand.start:cand.end] = b"\x01" * (cand.end - cand.start)
    taken.sort(key=lambda c: c.start)
    return taken


def _finish(cand: Candidate, text: str, anchor: dt.date | None, doc) -> Timex:
    start, mod = cand.start, cand.mod
    is_point = cand.type in (DATE, TIME) and "REF" not in cand.rule
    if is_point and mod is None:
        before = text[max(0, start - _MOD_REACH):start]
        m = _POINT_MOD.search(before)
        if m:
            start -= len(m[0])
            mod = POINT_MODS[(m["word"] or m["part"]).lower()]
        elif _BY_BEFORE.search(before):
            mod = "ON_OR_BEFORE"
    tense = cand.tense
    if not tense and timex_values.needs_tense(cand.rule):
        if _FUTURE_CUE_BEFORE.search(text, max(0, cand.start - _MOD_REACH), cand.start):
            tense = FUTURE
        elif cand.rule.startswith("wd|") and _UNTIL_BEFORE.search(
                text, max(0, cand.start - _MOD_REACH), cand.start):
            tense = FUTURE
        else:
            tense = _tense(text, cand.start, cand.end, doc)
    anchored = timex_values.needs_anchor(cand.rule)
    value = timex_values.compute(cand.rule, anchor, tense)
    return Timex(start, cand.end, text[start:cand.end], cand.type, value, mod, anchored,
                 cand.rule, tense)


# ---------------------------------------------------------------------------------------------
# Tense


def _tense(text: str, start: int, end: int, doc) -> str:
    if doc is not None:
        tense = _tense_from_doc(doc, start, end)
        if tense:
            return tense
    return _tense_lexical(text, start, end)


def _tense_from_doc(doc, start: int, end: int) -> str:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return ""
    token = span.root
    steps = 0
    for _ in range(8):  # climb to the governing verb
        if token.pos_ in ("VERB", "AUX") or token.head.i == token.i:
            break
        token = token.head
        steps += 1
    if token.pos_ not in ("VERB", "AUX"):
        return ""
    tense = _verb_tense(token)
    if (tense == PAST and token.tag_ == "VBD" and token.lemma_ in ("plan", "schedule")
            and span.start > token.i):
        return FUTURE  # "protesters planned a rally on Saturday" (not "On Friday, they planned")
    if tense == PRESENT and steps <= 2 and _scheduled_present(token):
        return FUTURE  # "the president faces elections on Sunday", "they meet Monday"
    return tense


def _scheduled_present(verb) -> bool:
    """An active present-tense verb that a date modifies directly: in news, a schedule
    ("Rivals meet Tuesday"); not a copula or passive ("the letter is dated Monday") and not a
    verb of saying (the historical present of quotes and captions)."""
    if verb.lemma_ in _NOT_SCHEDULED or verb.tag_ not in ("VBZ", "VBP"):
        return False
    return not any(c.dep_ in ("auxpass", "aux", "neg") for c in verb.children)


def _has_past_perfect(token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "had" for c in token.children)


def _verb_tense(verb, depth: int = 0) -> str:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    lowers = {a.lower_ for a in auxes}
    if lowers & _FUTURE_AUX or verb.lower_ in _FUTURE_AUX:
        return FUTURE
    if "going" in lowers:
        return FUTURE  # "is going to fly"
    if verb.lemma_ in _PLANNING_LEMMAS and not _has_past_perfect(verb) and verb.tag_ != "VBD":
        # "has scheduled a news conference Thursday", "is set for Monday"; but a date on a
        # planning verb in the simple past dates the decision: "agreed in April to ...",
        # "set Friday as the deadline", "decided on Feb. 11 that ..."
        return FUTURE
    if "to" in lowers and verb.tag_ == "VB" and verb.head.i != verb.i and depth < 3:
        # an infinitive takes the tense of its governor, and lies ahead of a planning verb
        # unless that is in the past perfect ("had been due to expire Friday")
        governor = verb.head
        if governor.lemma_ == "be" and governor.tag_ in ("VBZ", "VBP"):
            return FUTURE  # "is to resume trading Tuesday"
        if governor.lemma_ in _PLANNING_LEMMAS:
            return PAST if _has_past_perfect(governor) else FUTURE
        return _verb_tense(governor, depth + 1)
    if lowers & {"is", "are", "am", "'s", "'re"} and "to" in lowers and verb.tag_ == "VB":
        return FUTURE  # "is to resume trading Tuesday"
    if verb.tag_ == "VBN" and verb.lemma_ in _DOCUMENT_DATING:
        return PAST
    tags = {verb.tag_} | {a.tag_ for a in auxes}
    if verb.tag_ == "VBP" and verb.lower_ in _SAME_FORM_PAST and not auxes and any(
            c.dep_ == "nsubj" and c.tag_ in ("NN", "NNP") for c in verb.children):
        tags.add("VBD")  # "Weakness hurt the index": a singular subject, so the past form
    if "VBD" in tags:
        return PAST
    if verb.tag_ == "VBN" and (lowers & {"has", "have", "'ve", "'s"} or not auxes):
        return PAST
    if verb.tag_ == "VBG" and lowers & {"is", "are", "'re", "am"}:
        return FUTURE  # "is flying to Washington on Wednesday"
    if tags & {"VBZ", "VBP"}:
        return PRESENT
    return ""


def _tense_lexical(text: str, start: int, end: int) -> str:
    """The tense marker nearest the expression within its sentence (past on a tie)."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 300), start)),
               default=max(0, start - 300))
    right_match = _SENTENCE_END.search(text, end, end + 300)
    right = right_match.start() if right_match else min(len(text), end + 300)
    best: tuple[int, str] | None = None
    for pattern, tense in ((_PAST_WORDS, PAST), (_FUTURE_WORDS, FUTURE)):
        for m in pattern.finditer(text, left, right):
            if start <= m.start() < end:
                continue
            distance = start - m.end() if m.end() <= start else m.start() - end
            if best is None or distance < best[0]:
                best = (distance, tense)
    return best[1] if best else ""
