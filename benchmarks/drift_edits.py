"""Planted edits for ``drift.py``: one meaning change, or wording-only edits, made to an article.

Every function takes the article body, its sentence spans, its analysis and a seeded
``random.Random``, and returns an :class:`Edit` (the new body and where the edit is on each
side) or None when the article offers no place for it. Meaning edits name the change kind a
reader expects Storyline to report; wording edits must not be reported as meaning changes.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from storyline.analyze import marks
from storyline.records import Analysis

Span = tuple[int, int]


@dataclass(frozen=True)
class Edit:
    name: str  # the planted edit ("number", "split", ...)
    kind: str  # the meaning kind expected ("wording" for wording-only edits)
    body: str  # the edited body
    source: Span | None  # the edited region in the original body
    derived: Span | None  # the edited region in the edited body


Planter = Callable[[str, Sequence[Span], Analysis, random.Random], "Edit | None"]

_NEGATOR = re.compile(r"\b(?:not|no|never|none|nothing|nor|without|cannot)\b|n[’']t\b", re.IGNORECASE)
_AUX = re.compile(r"\b(will|would|is|was|are|were|has|had|can|could|should)\b(?! not)")
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]
_DIGITS = re.compile(r"(?<![\w.,])\d[\d,]*(?:\.\d+)?")
_QUOTE_WORDS = ["costly", "doubtful", "minor", "urgent", "reckless", "modest", "sudden"]
_NEW_CLAIMS = [
    "Engineers have been asked to prepare a second survey of the site before any further work begins.",
    "The contractor has been told to submit revised plans to the planning committee.",
    "Several residents said they had received letters warning them about heavy traffic on the approach roads.",
]


def _replace(body: str, a: int, b: int, new: str) -> str:
    return body[:a] + new + body[b:]


def _sentence(spans: Sequence[Span], offset: int) -> Span:
    return next((s for s in spans if s[0] <= offset < s[1]), (offset, offset))


def _edited(name: str, kind: str, body: str, spans: Sequence[Span], a: int, b: int, new: str) -> Edit:
    """Replace body[a:b] with ``new``; the regions are the sentence around it on each side."""
    sa, sb = _sentence(spans, a)
    return Edit(name, kind, _replace(body, a, b, new), (sa, sb), (sa, sb + len(new) - (b - a)))


def _choose(rng: random.Random, items: list):
    return rng.choice(items) if items else None


def plant_number(body, spans, analysis, rng):
    found = [m for m in _DIGITS.finditer(body) if not re.fullmatch(r"(?:19|20)\d\d", m.group())
             and not re.match(r"\s*(?:" + "|".join(_MONTHS) + ")", body[m.end():m.end() + 12])
             and not re.search(r"(?:" + "|".join(_MONTHS) + r")\s*$", body[max(0, m.start() - 12):m.start()])]
    m = _choose(rng, found)
    if m is None:
        return None
    value = float(m.group().replace(",", ""))
    new = int(value * 1.5 + 3) if value.is_integer() else round(value * 1.5 + 0.3, 1)
    return _edited("number", "number", body, spans, m.start(), m.end(), str(new))


def plant_date(body, spans, analysis, rng):
    names = _WEEKDAYS + [m for m in _MONTHS if m not in ("May", "March")]
    found = list(re.finditer(r"\b(" + "|".join(names) + r")\b", body))
    m = _choose(rng, found)
    if m is None:
        return None
    pool = _WEEKDAYS if m.group() in _WEEKDAYS else _MONTHS
    new = pool[(pool.index(m.group()) + rng.randint(2, 4)) % len(pool)]
    return _edited("date", "date", body, spans, m.start(), m.end(), new)


def plant_role(body, spans, analysis, rng):
    roles = [r for e in analysis.entities if e.type == "PERSON" for r in e.roles
             if "former" not in r.title.lower() and body[r.start:r.end] == r.title]
    r = _choose(rng, roles)
    if r is None:
        return None
    return _edited("role", "role", body, spans, r.start, r.start, "former ")


def plant_entity(body, spans, analysis, rng):
    people = [m for e in analysis.entities if e.type in ("PERSON", "ORG") for m in e.mentions[:1]
              if len(m.text.split()) >= 2 and m.text[:1].isupper()]
    m = _choose(rng, people)
    if m is None:
        return None
    return _edited("entity", "entity", body, spans, m.start, m.end, "Harriet Quillon" if " " in m.text else "Quillon")


def plant_negation(body, spans, analysis, rng):
    found = [(a, b) for a, b in spans if not _NEGATOR.search(body, a, b) and _AUX.search(body, a, b)
             and len(body[a:b].split()) >= 8]
    s = _choose(rng, found)
    if s is None:
        return None
    m = _AUX.search(body, *s)
    return _edited("negation", "negation", body, spans, m.end(), m.end(), " not")


def plant_quote(body, spans, analysis, rng):
    quoted = [q for q in marks.find(body) if q.closed and len(body[q.start:q.end].split()) >= 4]
    q = _choose(rng, quoted)
    if q is None:
        return None
    words = [m for m in re.finditer(r"\b[a-z]{5,}\b(?![’'])", body[q.start:q.end])
             if not _NEGATOR.fullmatch(m.group())][1:]
    w = _choose(rng, words)
    if w is None:
        return None
    return _edited("quote", "quote", body, spans, q.start + w.start(), q.start + w.end(), rng.choice(_QUOTE_WORDS))


def plant_claim_removed(body, spans, analysis, rng):
    found = [(a, b) for a, b in spans[1:] if len(body[a:b].split()) >= 8 and not marks.find(body[a:b])]
    s = _choose(rng, found)
    if s is None:
        return None
    a, b = s
    end = b + len(body[b:]) - len(body[b:].lstrip(" "))
    return Edit("claim_removed", "claim", _replace(body, a, end, ""), (a, b), None)


def plant_claim_added(body, spans, analysis, rng):
    if len(spans) < 3:
        return None
    a, b = rng.choice(spans[1:-1])
    new = " " + rng.choice(_NEW_CLAIMS)
    return Edit("claim_added", "claim", _replace(body, b, b, new), None, (b + 1, b + len(new)))


_CLOSE = "\"”"
_TAIL = re.compile(r"\s*[^\"“”]{3,80}?[.!?]?\s*$")
_LEAD_CUE = re.compile(r"\s+(?:said|says|told \w+|warned|claimed|insisted|added)(?:\s+that)?\s+")


def _cut_attribution(body, spans, q):
    """(sentence start, sentence end, the sentence without its attribution) or None: a direct
    quotation's trailing attribution ("...," Quillon said.) or reported speech's leading one
    (Quillon said that ...)."""
    m = q.speaker_mention
    k = next((i for i, (a, b) in enumerate(spans) if a <= m.start < b), None)
    if k is None or not spans[k][0] <= q.start < spans[k][1]:
        return None
    a, b = spans[k]
    end = len(body[:b].rstrip())
    if q.kind == "direct":
        close = next((i for i in range(q.end, min(q.end + 3, b)) if body[i] in _CLOSE), None)
        if close is None or close >= m.start or not _TAIL.fullmatch(body, close + 1, b):
            return None
        inner = body[a:close].rstrip(",")
        new = inner + ("" if inner[-1:] in ".!?" else ".") + body[close]
    elif q.kind == "indirect" and m.start == a and _LEAD_CUE.fullmatch(body, m.end, q.start):
        rest = body[q.start:end]
        new = rest[:1].upper() + rest[1:]
    else:
        return None
    # Who said it must not stay named next to it (the comparison looks at neighbours too).
    names = [w for w in re.findall(r"[A-Za-z]{3,}", q.speaker) if w[0].isupper()]
    around = body[spans[max(0, k - 1)][0]:a] + new + body[b:spans[min(len(spans) - 1, k + 1)][1]]
    if not names or any(w in around for w in names):
        return None
    return a, end, new


def plant_attribution(body, spans, analysis, rng):
    """An attribution cut from its sentence: "...," Quillon said. -> "..." ; Quillon said
    that the bridge ... -> The bridge ...; no neighbouring sentence names the speaker."""
    found = [c for q in analysis.quotes if q.speaker and q.speaker_mention
             for c in [_cut_attribution(body, spans, q)] if c]
    pick = _choose(rng, found)
    if pick is None:
        return None
    a, end, new = pick
    return Edit("attribution", "attribution", _replace(body, a, end, new), (a, end), (a, a + len(new)))


# --- wording-only edits ---------------------------------------------------------------------------


def plant_synonyms(body, spans, analysis, rng):
    quoted = [(q.open, q.end + 1) for q in marks.find(body)]  # words inside quotes are the speaker's
    found = [m for m in re.finditer(r"\b(said|told|says|big|help|about|also|but)\b", body)
             if not any(a <= m.start() < b for a, b in quoted)]
    if not found:
        return None
    swap = {"said": "stated", "told": "informed", "says": "states", "big": "large", "help": "assist",
            "about": "around", "also": "additionally", "but": "yet"}
    for m in sorted(rng.sample(found, min(3, len(found))), key=lambda m: -m.start()):
        body = _replace(body, m.start(), m.end(), swap[m.group()])
    return Edit("synonyms", "wording", body, None, None)


def plant_split(body, spans, analysis, rng):
    found = [(a, b, m) for a, b in spans for m in re.finditer(r", (and|but) ", body[a:b])
             if len(body[a:a + m.start()].split()) >= 5 and len(body[a + m.end():b].split()) >= 5]
    hit = _choose(rng, found)
    if hit is None:
        return None
    a, b, m = hit
    return Edit("split", "wording", _replace(body, a + m.start(), a + m.end(), f". {m.group(1).capitalize()} "), None, None)


def plant_merge(body, spans, analysis, rng):
    found = [(x, y) for x, y in zip(spans, spans[1:]) if "\n" not in body[x[1]:y[0]]
             and body[x[1] - 1] == "." and re.match(r"(?:The|It|He|She|They|This) ", body[y[0]:y[1]])
             and not marks.find(body[x[0]:y[1]])]
    hit = _choose(rng, found)
    if hit is None:
        return None
    x, y = hit
    nxt = body[y[0]].lower() + body[y[0] + 1:y[1]]
    return Edit("merge", "wording", _replace(body, x[1] - 1, y[1], ", and " + nxt), None, None)


def plant_reorder(body, spans, analysis, rng):
    paras = [m.span() for m in re.finditer(r"[^\n]+", body)]
    if len(paras) < 5:
        return None
    k = rng.randint(2, len(paras) - 2)
    (a1, b1), (a2, b2) = paras[k - 1], paras[k]
    return Edit("reorder", "wording", body[:a1] + body[a2:b2] + body[b1:a2] + body[a1:b1] + body[b2:], None, None)


def plant_formats(body, spans, analysis, rng):
    """Numbers and dates written another way: "£240m" -> "£240 million", "3" -> "three",
    "10 March" -> "March 10", "do not" -> "don't"."""
    small = {"2": "two", "3": "three", "4": "four", "5": "five", "6": "six", "7": "seven", "8": "eight", "9": "nine"}
    rules = [
        (re.compile(r"(£\d+(?:\.\d+)?)m\b"), lambda m: f"{m.group(1)} million"),
        # A count, not a day of a month ("2 May" -> "two May" is no way of writing a date).
        (re.compile(r"(?<![\w.,£$])([2-9])(?![\w.,])(?! (?:" + "|".join(_MONTHS) + r")\b)"), lambda m: small[m.group(1)]),
        (re.compile(r"\b(\d{1,2}) (" + "|".join(_MONTHS) + r")\b"), lambda m: f"{m.group(2)} {m.group(1)}"),
        (re.compile(r"\b(do|does|did|will|is|was) not\b"),
         lambda m: {"will": "won't"}.get(m.group(1), m.group(1) + "n't")),
    ]
    hits = [(m, f) for rx, f in rules for m in rx.finditer(body)]
    if not hits:
        return None
    chosen: list = []
    for m, f in rng.sample(hits, len(hits)):
        if len(chosen) < 3 and not any(m.start() < c.end() and c.start() < m.end() for c, _ in chosen):
            chosen.append((m, f))
    for m, f in sorted(chosen, key=lambda h: -h[0].start()):
        body = _replace(body, m.start(), m.end(), f(m))
    return Edit("formats", "wording", body, None, None)


# --- fluency, clarity and style revisions ------------------------------------------------------
# What an editor's revision of a news text mostly is (the edit intents of revision corpora:
# fluency, clarity, coherence, style), none of which changes what the text says.

_US = {"organisation": "organization", "recognise": "recognize", "criticised": "criticized",
       "defence": "defense", "labour": "labor", "centre": "center", "favour": "favor",
       "programme": "program", "travelled": "traveled", "apologised": "apologized", "colour": "color"}


def _words(body: str, quoted: bool = False) -> list[re.Match]:
    """Lower-case words of 5+ letters outside quotation marks (names and quotes left alone)."""
    inside = [(q.open, q.end + 1) for q in marks.find(body)]
    return [m for m in re.finditer(r"\b[a-z]{5,}\b", body) if quoted or not any(a <= m.start() < b for a, b in inside)]


def plant_typos(body, spans, analysis, rng):
    """Two typos fixed: the source had two adjacent letters swapped in two common words."""
    found = _words(body)
    if len(found) < 2:
        return None
    for m in sorted(rng.sample(found, 2), key=lambda m: -m.start()):
        w = m.group()
        k = rng.randrange(1, len(w) - 2)
        body = _replace(body, m.start(), m.end(), w[:k] + w[k + 1] + w[k] + w[k + 2:])
    return Edit("typos", "wording", body, None, None)


def plant_name_typo(body, spans, analysis, rng):
    """A person's surname misspelt in one place (a slip a revision fixes)."""
    found = [m for e in analysis.entities if e.type == "PERSON" for m in e.mentions
             if len(m.text.split()[-1]) >= 6 and m.text[:1].isupper()]
    m = _choose(rng, found)
    if m is None:
        return None
    last = m.text.split()[-1]
    a = m.end - len(last)
    k = rng.randrange(2, len(last) - 2)
    return Edit("name_typo", "wording", _replace(body, a + k, a + k + 2, last[k + 1] + last[k]), None, None)


def plant_punctuation(body, spans, analysis, rng):
    """Quotation marks changed in style (curly <-> straight), and commas before "and", "but",
    "which" and "who" dropped."""
    if "\u201c" in body:
        body = body.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
    else:
        body = re.sub(r'"([^"\n]{1,400})"', "\u201c\\1\u201d", body)
    body = re.sub(r", (and|but|which|who) ", r" \1 ", body)
    return Edit("punctuation", "wording", body, None, None)


def plant_function_words(body, spans, analysis, rng):
    """"said that" -> "said", "in order to" -> "to", "on Monday" -> "Monday"."""
    rules = [(re.compile(r"\b(said|says|told \w+) that\b"), lambda m: m.group(1)),
             (re.compile(r"\bin order to\b"), lambda m: "to"),
             (re.compile(r"\bon (" + "|".join(_WEEKDAYS) + r")\b"), lambda m: m.group(1))]
    hits = [(m, f) for rx, f in rules for m in rx.finditer(body)]
    if not hits:
        return None
    for m, f in sorted(rng.sample(hits, min(3, len(hits))), key=lambda h: -h[0].start()):
        body = _replace(body, m.start(), m.end(), f(m))
    return Edit("function_words", "wording", body, None, None)


def plant_title_case(body, spans, analysis, rng):
    """A person's title written in the other case ("Prime Minister" <-> "prime minister")."""
    roles = [r for e in analysis.entities if e.type == "PERSON" for r in e.roles if body[r.start:r.end] == r.title]
    r = _choose(rng, roles)
    if r is None:
        return None
    new = r.title.lower() if r.title[:1].isupper() else r.title.title()
    return Edit("title_case", "wording", _replace(body, r.start, r.end, new), None, None)


def plant_spelling(body, spans, analysis, rng):
    """British spellings written the American way (and back)."""
    back = {us: uk for uk, us in _US.items()}
    rx = re.compile(r"\b(" + "|".join(sorted({*_US, *back}, key=len, reverse=True)) + r")\b", re.IGNORECASE)
    hits = list(rx.finditer(body))
    if not hits:
        return None

    def swap(m: re.Match) -> str:
        w = m.group()
        new = _US.get(w.lower()) or back[w.lower()]
        return new.capitalize() if w[:1].isupper() else new

    return Edit("spelling", "wording", rx.sub(swap, body), None, None)


def plant_grammar(body, spans, analysis, rng):
    """A quoted word's inflection changed (a grammar fix: "the councils" -> "the council")."""
    inside = [(q.open, q.end + 1) for q in marks.find(body)]
    found = [m for m in re.finditer(r"\b[a-z]{5,}s\b", body)
             if not m.group().endswith("ss") and any(a <= m.start() < b for a, b in inside)]
    m = _choose(rng, found)
    if m is None:
        return None
    return Edit("grammar", "wording", _replace(body, m.end() - 1, m.end(), ""), None, None)


def plant_tense(body, spans, analysis, rng):
    """Reporting verbs moved to the present: "said" -> "says" (outside quotation marks)."""
    inside = [(q.open, q.end + 1) for q in marks.find(body)]
    found = [m for m in re.finditer(r"\b(said|added|told)\b", body) if not any(a <= m.start() < b for a, b in inside)]
    if not found:
        return None
    present = {"said": "says", "added": "adds", "told": "tells"}
    for m in sorted(rng.sample(found, min(3, len(found))), key=lambda m: -m.start()):
        body = _replace(body, m.start(), m.end(), present[m.group()])
    return Edit("tense", "wording", body, None, None)


MEANING: dict[str, Planter] = {
    "number": plant_number, "date": plant_date, "role": plant_role, "entity": plant_entity,
    "negation": plant_negation, "quote": plant_quote, "claim_removed": plant_claim_removed,
    "claim_added": plant_claim_added, "attribution": plant_attribution,
}
WORDING: dict[str, Planter] = {
    "synonyms": plant_synonyms, "split": plant_split, "merge": plant_merge, "reorder": plant_reorder,
    "formats": plant_formats, "typos": plant_typos, "name_typo": plant_name_typo,
    "punctuation": plant_punctuation, "function_words": plant_function_words, "title_case": plant_title_case,
    "spelling": plant_spelling, "tense": plant_tense, "grammar": plant_grammar,
}
# Wording edits placed by the analysis's offsets: right on the source only, so never stacked.
READS_ANALYSIS = frozenset({"name_typo", "title_case"})
