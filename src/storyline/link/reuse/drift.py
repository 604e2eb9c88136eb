"""What changed between a source article and a text derived from it.

Works on an alignment (link/reuse/align.py) and on both articles' analyses (entities with roles,
quotes with speakers). Changes are compared per aligned component (the source and derived
sentences linked to each other), so a fact is compared with its own restatement, not with the
whole other article. Every change keeps character offsets into both bodies.

Kinds, and the evidence each needs:
- role_changed: a person's title in the copy differs from the title the source gives them in the
  restated passage (or anywhere in the source when the passage has none), or from an unattached
  title with the same head word ("The US president" -> "former President Donald Trump").
- misquote: words inside quotation marks differ from the source's quotation they restate.
- quote_to_paraphrase: a source quotation (direct or partial speech, not scare quotes) whose
  passage is restated without it.
- number_changed / date_changed: numbers, amounts and date expressions present on one side of
  a component only (replaced, or dropped when the copy has none).
- hedge_dropped: "it is understood", "reportedly", "reports suggest"... in the source passage,
  absent from its restatement. attribution_dropped: a source passage says who said it, its
  restatement names no speaker.
- entity_added / entity_dropped / entity_replaced: people, organisations and places present in
  one article only (replaced when the restated passage swaps one for another of the same type).
- claim_dropped / claim_added: sentences with no counterpart.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from storyline.analyze import marks
from storyline.analyze.roles import ROLE_HEADS, role_key
from storyline.folding import fold
from storyline.link.reuse.align import Alignment
from storyline.records import Analysis, Article, Change, Entity, Quote

# A sentence shorter than this carries no claim worth reporting when dropped or added
# (datelines, "Comments", a lone name).
CLAIM_MIN_WORDS = 6
# Two quotations restate each other when this share of their words match (difflib ratio).
QUOTE_MATCH_MIN = 0.3

HEDGES = (
    "it is understood", "it's understood", "it is believed", "it is thought", "it is hoped",
    "it is expected", "it is feared", "is understood to", "is believed to", "is thought to",
    "is said to", "is reported to", "is expected to", "reportedly", "allegedly", "apparently",
    "reports suggest", "reports suggested", "according to", "sources said", "sources say",
    "sources told", "it was reported", "it is claimed", "it is alleged", "purportedly",
    "is likely to", "it is likely", "it's likely", "may have", "might have", "could have",
    "appears to", "appeared to", "seems to", "unconfirmed", "unverified",
)
_HEDGE = re.compile(r"\b(" + "|".join(re.escape(h) for h in HEDGES) + r")\b", re.IGNORECASE)

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "hundred": 100, "thousand": 1000, "million": 1e6, "billion": 1e9, "dozen": 12,
    "twice": 2, "once": 1, "half": 0.5, "first": 1, "second": 2, "third": 3,
}
_NUMBER = re.compile(
    r"(?<![\w.])(?:[$£€¥]\s?)?\d[\d,]*(?:\.\d+)?(?:\s?(?:%|per cent|percent|bn|m|k|million|billion|trillion))?(?![\w])"
    r"|\b(?:" + "|".join(_NUMBER_WORDS) + r")\b(?:[- ](?:hundred|thousand|million|billion|years?|days?|weeks?|months?))?",
    re.IGNORECASE,
)
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_DATE = re.compile(
    rf"\b(?:(?:last|next|this|on|late|early)\s+)?(?:{_WEEKDAYS})\b"
    rf"|\b\d{{1,2}}\s+(?:{_MONTHS})(?:\s+\d{{4}})?\b|\b(?:{_MONTHS})(?:\s+\d{{1,2}})?(?:,?\s+\d{{4}})?\b"
    r"|\b(?:last|next|this|earlier this|later this)\s+(?:week|month|year|weekend|spring|summer|autumn|winter)\b"
    r"|\b(?:yesterday|today|tomorrow|tonight|within (?:days|weeks|hours|months)|in recent (?:days|weeks|months))\b"
    r"|\b(?:19|20)\d\d\b",
    re.IGNORECASE,
)


@dataclass(slots=True)
class _Side:
    article: Article
    analysis: Analysis | None
    sentences: Sequence[tuple[int, int]]
    quoted: list[tuple[int, int, Quote | None]] = field(default_factory=list)  # (start, end, speech quote)
    titles: list[tuple[int, int, str, str | None]] = field(default_factory=list)  # (start, end, title, person)
    names: dict[str, Entity] = field(default_factory=dict)  # folded alias -> entity
    folded: str = ""  # the body, folded: searched for names of organisations and places


def changes(source: Article, derived: Article, alignment: Alignment,
            source_analysis: Analysis | None, derived_analysis: Analysis | None) -> list[Change]:
    """All changes from ``source`` to ``derived``, in the order of the derived body."""
    s = _side(source, source_analysis, alignment.source_sentences)
    d = _side(derived, derived_analysis, alignment.derived_sentences)
    s_index = {span: k for k, span in enumerate(alignment.source_sentences)}
    d_index = {span: k for k, span in enumerate(alignment.derived_sentences)}
    links = [(s_index[p.source_span], d_index[p.derived_span]) for p in alignment.pairs]
    out: list[Change] = []
    for s_ids, d_ids in _components(links):
        out += _roles(s, d, s_ids, d_ids)
        out += _quotes(s, d, s_ids, d_ids)
        out += _values(s, d, s_ids, d_ids)
        out += _hedges(s, d, s_ids, d_ids)
    out += _entities(s, d, links)
    out += _claims(s, d, links)
    return _dedupe(out)


# --- the two sides -----------------------------------------------------------------------------


def _side(article: Article, analysis: Analysis | None, sentences: Sequence[tuple[int, int]]) -> _Side:
    side = _Side(article, analysis, sentences, folded=fold(article.body))
    body = article.body
    speech = [q for q in (analysis.quotes if analysis else ()) if q.kind in ("direct", "partial")]
    for q in marks.find(body):
        owner = next((x for x in speech if x.start <= q.start and q.end <= x.end + 1), None)
        if analysis is None or owner is not None:
            side.quoted.append((q.start, q.end, owner))
    people = {e.id: e for e in (analysis.entities if analysis else ())}
    for e in people.values():
        for alias in (e.name, *e.aliases):
            side.names.setdefault(fold(alias), e)
        if e.type == "PERSON":
            for r in e.roles:
                side.titles.append((r.start, r.end, r.title, e.name))
    for q in analysis.quotes if analysis else ():
        m = q.speaker_mention
        if m and q.speaker_id in people and _has_role_head(m.text) and not q.anonymous:
            side.titles.append((m.start, m.end, m.text, people[q.speaker_id].name))
    taken = [(a, b) for a, b, _, _ in side.titles]
    for m in _DEFINITE_TITLE.finditer(body):
        a, b = m.start(1), m.end(1)
        if not any(x < b and a < y for x, y in taken) and _has_role_head(m.group(1)):
            side.titles.append((a, b, m.group(1), None))
    return side


# "The US president", "the Prime Minister": a title with no name attached.
_DEFINITE_TITLE = re.compile(r"\b[Tt]he ((?:[A-Z][\w.’'-]*\s+|[a-z]+\s+){0,3}?(?:" + "|".join(
    sorted((h for h in ROLE_HEADS if len(h) > 2), key=len, reverse=True)) + r"))\b(?!\s+[A-Z][a-z])(?!’s|'s)")


def _has_role_head(text: str) -> bool:
    return any(w in ROLE_HEADS for w in re.findall(r"[a-z]+", text.lower()))


def _components(links: Iterable[tuple[int, int]]) -> list[tuple[set[int], set[int]]]:
    """Connected groups of linked sentences (a merge or split keeps its sentences together)."""
    groups: list[tuple[set[int], set[int]]] = []
    for i, j in links:
        hit = [g for g in groups if i in g[0] or j in g[1]]
        merged = ({i}, {j})
        for g in hit:
            merged[0].update(g[0])
            merged[1].update(g[1])
            groups.remove(g)
        groups.append(merged)
    return sorted(groups, key=lambda g: min(g[1]))


def _inside(side: _Side, ids: Iterable[int], start: int, end: int) -> bool:
    return any(side.sentences[k][0] <= start and end <= side.sentences[k][1] for k in ids)


def _window(side: _Side, ids: set[int], pad: int = 1) -> set[int]:
    return {k for i in ids for k in range(i - pad, i + pad + 1) if 0 <= k < len(side.sentences)}


def _text(side: _Side, ids: Iterable[int]) -> str:
    return " ".join(side.article.body[slice(*side.sentences[k])] for k in sorted(ids))


def _span(side: _Side, ids: Iterable[int]) -> tuple[int, int]:
    ids = sorted(ids)
    return side.sentences[ids[0]][0], side.sentences[ids[-1]][1]


# --- roles ---------------------------------------------------------------------------------------


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


def _roles(s: _Side, d: _Side, s_ids: set[int], d_ids: set[int]) -> list[Change]:
    out = []
    seen: set[tuple] = set()
    window = _window(s, s_ids)
    for a, b, title, person in d.titles:
        if person is None or not _inside(d, d_ids, a, b):
            continue
        same_person = [t for t in s.titles if t[3] and _same_person(t[3], person, s, d)]
        near = [t for t in same_person if _inside(s, window, t[0], t[1])]
        unattached = [t for t in s.titles if t[3] is None and _inside(s, window, t[0], t[1]) and role_head(t[2]) == role_head(title)]
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
        out.append(Change("role_changed", s.article.body[src[0] : src[1]], d.article.body[a:b], (src[0], src[1]), (a, b), person))
    return out


def _same_person(a: str, b: str, s: _Side, d: _Side) -> bool:
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return True
    ea, eb = s.names.get(fa), d.names.get(fb)
    aliases_a = {fold(x) for x in ((ea.name, *ea.aliases) if ea else (a,))}
    aliases_b = {fold(x) for x in ((eb.name, *eb.aliases) if eb else (b,))}
    if aliases_a & aliases_b:
        return True
    return fa.split()[-1] == fb.split()[-1] and fa.split()[0][:1] == fb.split()[0][:1]


# --- quotes --------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


def _quotes(s: _Side, d: _Side, s_ids: set[int], d_ids: set[int]) -> list[Change]:
    out = []
    # The restatement may sit one sentence away (a merge the alignment did not link).
    d_near = _window(d, d_ids)
    d_quoted = [(a, b) for a, b, _ in d.quoted if _inside(d, d_near, a, b)]
    for a, b, owner in s.quoted:
        if owner is None or not _inside(s, s_ids, a, b):
            continue
        src_words = _words(s.article.body[a:b])
        best, best_ratio = None, 0.0
        for x, y in d_quoted:
            ratio = difflib.SequenceMatcher(None, src_words, _words(d.article.body[x:y]), autojunk=False).ratio()
            if ratio > best_ratio:
                best, best_ratio = (x, y), ratio
        speaker = owner.speaker
        if best is not None and best_ratio >= QUOTE_MATCH_MIN:
            if best_ratio < 1.0:
                out.append(Change("misquote", s.article.body[a:b], d.article.body[best[0] : best[1]], (a, b), best, speaker))
            continue
        if _inside_words(src_words, _words(_text(d, d_near))):
            continue  # the words are all there, only the marks went: not a paraphrase
        da, db = _span(d, d_ids)
        out.append(Change("quote_to_paraphrase", s.article.body[a:b], d.article.body[da:db], (a, b), (da, db), speaker))
    return out


def _inside_words(needle: list[str], hay: list[str]) -> bool:
    n = len(needle)
    return n > 0 and any(hay[i : i + n] == needle for i in range(len(hay) - n + 1))


# --- numbers, dates, hedges ------------------------------------------------------------------


def _values(s: _Side, d: _Side, s_ids: set[int], d_ids: set[int]) -> list[Change]:
    out = []
    s_dates = _found(s, s_ids, _DATE, _norm_date)
    d_dates = _found(d, d_ids, _DATE, _norm_date)
    s_numbers = _undated(_found(s, s_ids, _NUMBER, _norm_number), s_dates)
    d_numbers = _undated(_found(d, d_ids, _NUMBER, _norm_number), d_dates)
    for kind, src, der in (("date_changed", s_dates, d_dates), ("number_changed", s_numbers, d_numbers)):
        gone = [v for k, v in src.items() if k not in der]
        new = [v for k, v in der.items() if k not in src]
        for n, (a, b) in enumerate(gone):
            if n < len(new):
                x, y = new[n]
                out.append(Change(kind, s.article.body[a:b], d.article.body[x:y], (a, b), (x, y)))
            else:
                out.append(Change(kind, s.article.body[a:b], "", (a, b), None))
    return out


def _undated(numbers: dict[object, tuple[int, int]], dates: dict[object, tuple[int, int]]) -> dict[object, tuple[int, int]]:
    """The numbers that are not part of a date of the same body (a year, a date's day)."""
    spans = dates.values()
    return {k: v for k, v in numbers.items() if not any(x <= v[0] < y for x, y in spans)}


def _found(side: _Side, ids: set[int], pattern: re.Pattern, norm) -> dict[object, tuple[int, int]]:
    out: dict[object, tuple[int, int]] = {}
    for k in sorted(ids):
        a0, b0 = side.sentences[k]
        for m in pattern.finditer(side.article.body, a0, b0):
            key = norm(m.group())
            if key is not None:
                out.setdefault(key, (m.start(), m.end()))
    return out


def _norm_date(text: str) -> str | None:
    t = re.sub(r"^(?:on|late|early)\s+", "", text.lower().strip())
    return t or None


def _norm_number(text: str) -> object | None:
    t = text.lower().replace(",", "").strip()
    m = re.match(r"[$£€¥]?\s?(\d+(?:\.\d+)?)", t)
    if m:
        value = float(m.group(1))
        for unit, mult in (("bn", 1e9), ("billion", 1e9), ("trillion", 1e12), ("million", 1e6), ("m", 1e6), ("k", 1e3)):
            if t.endswith(unit):
                value *= mult
                break
        return value
    word = re.split(r"[- ]", t)[0]
    return float(_NUMBER_WORDS[word]) if word in _NUMBER_WORDS and word not in {"once", "first", "second"} else None


def _hedges(s: _Side, d: _Side, s_ids: set[int], d_ids: set[int]) -> list[Change]:
    out = []
    d_text = _text(d, d_ids).lower()
    da, db = _span(d, d_ids)
    for k in sorted(s_ids):
        a0, b0 = s.sentences[k]
        for m in _HEDGE.finditer(s.article.body, a0, b0):
            phrase = m.group().lower()
            if phrase not in d_text and not _HEDGE.search(d_text):
                out.append(Change("hedge_dropped", m.group(), d.article.body[da:db], (m.start(), m.end()), (da, db)))
    for q in s.analysis.quotes if s.analysis else ():
        if not q.speaker or not _inside(s, s_ids, q.start, q.end):
            continue
        if not _speaker_named(q, d, d_ids):
            m = q.speaker_mention
            span = (m.start, m.end) if m else (q.start, q.end)
            out.append(Change("attribution_dropped", s.article.body[span[0] : span[1]], d.article.body[da:db], span, (da, db), q.speaker))
    return out


def _speaker_named(q: Quote, d: _Side, d_ids: set[int]) -> bool:
    """Does the restated passage still say who is speaking (the same person, any speaker of a
    quote there, or the speaker's words)?"""
    for dq in d.analysis.quotes if d.analysis else ():
        if _inside(d, d_ids, dq.start, dq.end) and dq.speaker:
            return True
    text = fold(_text(d, d_ids))
    words = [w for w in _words(q.speaker or "") if len(w) > 2]
    return bool(words) and any(w in text for w in words)


# --- entities and claims ---------------------------------------------------------------------


def _entities(s: _Side, d: _Side, links: list[tuple[int, int]]) -> list[Change]:
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
            k = _sentence_of(s, m.start)
            restated = {j for i, j in links if i == k}
            partner = next((n for n in new if n.type == e.type and n.id not in paired and n.mentions
                            and _sentence_of(d, n.mentions[0].start) in restated), None)
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


def _present(e: Entity, other: _Side) -> bool:
    for alias in (e.name, *e.aliases):
        f = fold(alias)
        if f in other.names:
            return True
    if e.type == "PERSON":
        surname = fold(e.name).split()[-1]
        return any(o.type == "PERSON" and fold(o.name).split()[-1] == surname for o in other.names.values())
    return fold(e.name) in other.folded


def _sentence_of(side: _Side, offset: int) -> int | None:
    return next((k for k, (a, b) in enumerate(side.sentences) if a <= offset < b), None)


def _claims(s: _Side, d: _Side, links: list[tuple[int, int]]) -> list[Change]:
    out = []
    s_linked = {i for i, _ in links}
    d_linked = {j for _, j in links}
    for k, (a, b) in enumerate(s.sentences):
        if k not in s_linked and len(_words(s.article.body[a:b])) >= CLAIM_MIN_WORDS:
            out.append(Change("claim_dropped", s.article.body[a:b], "", (a, b), None))
    for k, (a, b) in enumerate(d.sentences):
        if k not in d_linked and len(_words(d.article.body[a:b])) >= CLAIM_MIN_WORDS:
            out.append(Change("claim_added", "", d.article.body[a:b], None, (a, b)))
    return out


def _dedupe(changes: list[Change]) -> list[Change]:
    seen = set()
    out = []
    for c in changes:
        key = (c.type, c.source_span, c.derived_span)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return sorted(out, key=lambda c: (c.derived_span or c.source_span or (0, 0))[0])
