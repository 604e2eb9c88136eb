"""Cross-source checks inside one story: where its articles agree and where they do not.

Three checks, each finding citing the articles and character offsets it rests on:

- quotes: the same quotation found in several articles (direct or partial speech, matched by
  its words and, when both are known, its speaker), with the wording differences marked;
- roles: one person (a cross-article identity, see link/people/) given incompatible titles
  by different articles: the same office with a modifier that changes it ("former President"
  against "US President"), not merely different offices ("Labour leader", "Prime Minister");
- values: numbers, amounts and dates that differ for the same claim, from the reuse machinery's
  sentence alignment (link/reuse/align.py, link/reuse/drift.py) of each pair of articles, kept only where
  the two sentences say the same thing (paraphrase score) and both give a value.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

import numpy as np
from rapidfuzz import fuzz

from storyline.folding import fold
from storyline.link.people.roles import office_of
from storyline.link.people.roles import role_key as people_role_key
from storyline.link.reuse.drift_roles import role_head, same_title
from storyline.link.stories.scan import publication_time
from storyline.records import Article, Citation, Entity, Finding, Identity, Quote, ReusePair, TimePoint

Span = tuple[int, int]

# A one-word quotation ("great") matches too much by chance to be traced; two or three words
# ("no plans", "have our backs") are traced only where one holds the other word for word.
QUOTE_MIN_WORDS = 2
FUZZY_MIN_WORDS = 4
# Longer quotations are one when one holds the other's words in order (a partial quote inside
# the full one), when their words nearly all overlap (rapidfuzz token-set ratio, 0-100), or
# when their sentence vectors are this close. On the seeds a reworded quotation ("outweighs
# the concern" for "is bigger than") has cosine 0.86, while different quotations on the same
# subject by different people reach 0.76.
QUOTE_SAME_WORDS = 85
QUOTE_COSINE = 0.8
# Sentences whose numbers are compared must say the same thing: the alignment's link score
# (paraphrase probability or cosine) at least this.
VALUE_SENTENCE_MIN = 0.7
VALUE_CHANGES = {"number_changed": "number_conflict", "date_changed": "date_conflict"}


# --- quotes --------------------------------------------------------------------------------------


def quote_findings(quotes: Sequence[Quote], speaker_of: Mapping[tuple[str, str], str],
                   vectors: Mapping[tuple[str, Span], np.ndarray] | None = None,
                   first: Mapping[str, tuple] | None = None) -> list[Finding]:
    """Quotations found in more than one article. ``speaker_of`` maps (article id, in-article
    speaker id) to the canonical person's name. ``vectors`` maps (article id, span) to the
    stored vector of each span of :func:`quoted_spans` (usable_quotes' ones); without it the
    quotations are embedded here. ``first`` ranks articles (lowest first: a source before its
    copies, then the earlier published; see :func:`original_order`): a wording difference is
    shown from the first article's quotation to the other's, never from a copy to its source."""
    usable = usable_quotes(quotes)
    if len({q.article_id for q in usable}) < 2:  # nothing to trace across articles
        return []
    parent = list(range(len(usable)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    words = [_words(quoted(q)) for q in usable]
    # Each quotation's words joined once, so that one inside another is a substring test
    # (_joined); the pairs are quadratic in a story's quotations (53,000 in one benchmark batch).
    joined = [_joined(w) for w in words]
    speakers = [_speaker(q, speaker_of) for q in usable]
    cosine = (_cosines([quoted(q) for q in usable]) if vectors is None
              else _cosines_of([[vectors[(q.article_id, span)] for span in quoted_spans(q)] for q in usable]))
    close = (cosine >= QUOTE_COSINE).tolist()
    for i in range(len(usable)):
        for j in range(i + 1, len(usable)):
            if usable[i].article_id == usable[j].article_id:
                continue
            if speakers[i] and speakers[j] and speakers[i] != speakers[j]:
                continue
            if _same_words(words[i], words[j], joined[i], joined[j], close[i][j]):
                parent[find(j)] = find(i)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(usable)):
        groups[find(i)].append(i)
    out = []
    for members in groups.values():
        if len({usable[i].article_id for i in members}) < 2:
            continue
        named = next((speakers[i] for i in members if speakers[i]), None)
        # Unnamed speakers are shown as each article describes them ("a senior MP").
        described = " / ".join(dict.fromkeys(usable[i].speaker for i in members if usable[i].speaker))
        out.append(_quote_finding([usable[i] for i in members], [words[i] for i in members],
                                  named or described or None, first or {}))
    return sorted(out, key=lambda f: (not f.differs, -len(f.citations), f.subject))


def original_order(pairs: Iterable[ReusePair], articles: Iterable[Article]) -> dict[str, tuple]:
    """A rank per article for :func:`quote_findings`: articles that are the known source of
    others first (fewest known sources of their own), then by publication time (undated last)."""
    copied_from: dict[str, int] = defaultdict(int)
    for p in pairs:
        if p.is_reuse and p.direction_known:
            copied_from[p.derived_id] += 1
    return {a.id: (copied_from[a.id], publication_time(a) or float("inf")) for a in articles}


def _quote_finding(quotes: list[Quote], words: list[list[str]], speaker: str | None,
                   first: Mapping[str, tuple]) -> Finding:
    # Wording differs when two quotations are not one inside the other, nor both inside a third:
    # a partial quote that takes a few words of the full one is the same wording, and so are two
    # pieces of one quotation that an article split around its attribution ("Whatever the
    # motives," he said, "the governor has faith ...").
    def same(a: list[str], b: list[str]) -> bool:
        return _contains(a, b) or _contains(b, a) or any(_contains(c, a) and _contains(c, b) for c in words)

    rank = sorted(range(len(quotes)), key=lambda k: (first.get(quotes[k].article_id, (0, 0.0)), -len(words[k]), k))
    # The quotation shown as the original: the first article's (the source), its longest.
    longest = rank[0]
    # What the summary compares: the original against a quotation worded otherwise; failing
    # one, the earliest-ranked pair worded differently (each of them the original's wording).
    shown = next(((i, j) for n, i in enumerate(rank) for j in rank[n + 1 :] if not same(words[i], words[j])), None)
    subject = speaker or "unknown speaker"
    articles = len({q.article_id for q in quotes})
    differs = shown is not None
    if shown is not None:
        summary = (f"{subject}: one quotation in {articles} articles, worded differently: "
                   f"{word_diff(quoted(quotes[shown[0]]), quoted(quotes[shown[1]]))}")
    else:
        summary = f"{subject}: “{quoted(quotes[longest])}” in {articles} articles, same wording"
    citations = tuple(Citation(q.article_id, q.start, q.end, q.text) for q in quotes)
    return Finding("quote", subject, summary, citations, differs=differs)


_OPEN, _CLOSE, _STRAIGHT = "“‘", "”’", '"'


def usable_quotes(quotes: Iterable[Quote]) -> list[Quote]:
    """The quotations worth tracing across articles: direct or partial, two words or more."""
    return [q for q in quotes if q.kind in ("direct", "partial") and len(_words(quoted(q))) >= QUOTE_MIN_WORDS]


def quoted_spans(q: Quote) -> list[Span]:
    """Where the words of :func:`quoted` lie in the article body: one span for a direct quote,
    a span per marked fragment of a partial one (the whole quote when it has none)."""
    lead = len(q.text) - len(q.text.lstrip())
    return [(q.start + lead + a, q.start + lead + b) for a, b in _fragments(q.text.strip(), q.kind)]


def quoted(q: Quote) -> str:
    """The words a quotation puts inside quotation marks: all of a direct quote, only the
    marked fragments of a partial one ("that “all options” are being considered"). A span that
    starts inside the marks (its opening mark left out) counts from its start."""
    text = q.text.strip()
    return " … ".join(text[a:b] for a, b in _fragments(text, q.kind))


def _fragments(text: str, kind: str) -> list[Span]:
    """Offsets into ``text`` (stripped) of what :func:`quoted` keeps."""
    if kind != "partial":
        a, b = _trim(text, 0, len(text), _OPEN + _CLOSE + _STRAIGHT + "' ")
        return [(a, b)] if a < b else []
    fragments, start, inside = [], 0, False
    first_mark = next((c for c in text if c in _OPEN + _CLOSE + _STRAIGHT), None)
    inside = first_mark is not None and first_mark in _CLOSE  # opened before the span began
    for i, c in enumerate(text):
        opening = c in _OPEN or (c == _STRAIGHT and not inside)
        closing = c in _CLOSE and not (c == "’" and 0 < i < len(text) - 1 and text[i + 1].isalpha()) \
            or (c == _STRAIGHT and inside)
        if opening and not inside:
            inside, start = True, i + 1
        elif closing and inside:
            fragments.append((start, i))
            inside = False
    if inside:
        fragments.append((start, len(text)))
    kept = [span for span in (_trim(text, a, b, "") for a, b in fragments) if span[0] < span[1]]
    return kept or [(0, len(text))]


def _trim(text: str, a: int, b: int, chars: str) -> tuple[int, int]:
    """``text[a:b]`` without leading and trailing whitespace or ``chars``, as offsets."""
    while a < b and (text[a].isspace() or text[a] in chars):
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in chars):
        b -= 1
    return a, b


def _speaker(q: Quote, speaker_of: Mapping[tuple[str, str], str]) -> str | None:
    if q.anonymous:
        return None
    if q.speaker_id is not None and (q.article_id, q.speaker_id) in speaker_of:
        return speaker_of[(q.article_id, q.speaker_id)]
    return None


def _cosines(texts: list[str]) -> np.ndarray:
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    from storyline.analyze.embed import embed  # loads the model: only when there are quotes

    vectors = embed(texts)
    return vectors @ vectors.T


def _cosines_of(rows: list[list[np.ndarray]]) -> np.ndarray:
    """Cosines of quotations given by their fragments' vectors (a quotation is the unit mean)."""
    if not rows:
        return np.zeros((0, 0), dtype=np.float32)
    means = np.stack([np.mean(r, axis=0) if r else np.zeros(384, np.float32) for r in rows])
    means /= np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-12)
    return means @ means.T


def _same_quote(a: list[str], b: list[str], cosine: float) -> bool:
    return _same_words(a, b, _joined(a), _joined(b), cosine >= QUOTE_COSINE)


def _same_words(a: list[str], b: list[str], ja: str, jb: str, close: bool) -> bool:
    """:func:`_same_quote` with both quotations' :func:`_joined` words and whether their
    vectors are close: the cheap tests first, the same answer."""
    if not a or not b:
        return True  # as _contains: no words are inside any
    if len(a) >= FUZZY_MIN_WORDS and len(b) >= FUZZY_MIN_WORDS and close:
        return True
    if (len(b) <= len(a) and jb in ja) or (len(a) <= len(b) and ja in jb):
        return True
    if min(len(a), len(b)) < FUZZY_MIN_WORDS:
        return False
    return fuzz.token_set_ratio(ja[1:-1], jb[1:-1]) >= QUOTE_SAME_WORDS


def _joined(words: list[str]) -> str:
    """The words between spaces, with a space at each end: ``needle`` is a run of ``hay``'s
    words exactly when ``_joined(needle)`` is a substring of ``_joined(hay)`` (words are \\w+
    runs, never spaces; no word lists are empty, usable_quotes keeps two words or more)."""
    return " " + " ".join(words) + " "


def _contains(hay: list[str], needle: list[str]) -> bool:
    if len(needle) > len(hay):
        return False
    n = len(needle)
    return any(hay[i : i + n] == needle for i in range(len(hay) - n + 1))


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text.replace("’", "'")))


def word_diff(a: str, b: str) -> str:
    """``a`` against ``b`` word by word: "[-removed-] {+added+}" around what differs."""
    aw, bw = a.split(), b.split()
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=[fold(w) for w in aw], b=[fold(w) for w in bw], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(" ".join(aw[i1:i2]))
            continue
        if i2 > i1:
            out.append("[-" + " ".join(aw[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(bw[j1:j2]) + "+}")
    return " ".join(out)


# --- roles ---------------------------------------------------------------------------------------


def role_findings(identities: Iterable[Identity], entities: Iterable[tuple[str, Entity]]) -> list[Finding]:
    """People given incompatible titles by different articles."""
    by_member = {(a, e.id): e for a, e in entities}
    out = []
    for identity in identities:
        if identity.type != "PERSON":
            continue
        titles: list[tuple[str, str, int, int]] = []  # (title, article, start, end)
        for article_id, entity_id in identity.members:
            entity = by_member.get((article_id, entity_id))
            if entity is not None:
                titles += [(r.title, article_id, r.start, r.end) for r in entity.roles]
        out += _conflicts(identity.name, titles)
        out += _office_conflicts(identity.name, titles)
    return sorted(out, key=lambda f: f.subject)


def _office_conflicts(person: str, titles: list[tuple[str, str, int, int]]) -> list[Finding]:
    """Two top offices (link/people/roles.py: "Labour leader" in one article, "Prime Minister"
    in another) given to one person by different articles: the reading a fact-checker must check."""
    by_office: dict[str, list[tuple[str, str, int, int]]] = defaultdict(list)
    for t in titles:
        office = office_of(people_role_key(t[0]))
        if office is not None:
            by_office[office].append(t)
    if len(by_office) < 2:
        return []
    readings = sorted(by_office.values(), key=lambda r: (-len({t[1] for t in r}), r[0][0]))
    articles = [{t[1] for t in r} for r in readings]
    if all(a <= articles[0] for a in articles[1:]):
        return []  # one article using two titles is its own business
    parts = [f"“{r[0][0]}” ({len(a)} article{'s' if len(a) > 1 else ''})" for r, a in zip(readings, articles, strict=True)]
    citations = tuple(Citation(a, s, e, title) for r in readings for title, a, s, e in r)
    return [Finding("role_conflict", person, f"{person} is called " + " but ".join(parts), citations)]


def _conflicts(person: str, titles: list[tuple[str, str, int, int]]) -> list[Finding]:
    by_head: dict[str, list[tuple[str, str, int, int]]] = defaultdict(list)
    for t in titles:
        head = role_head(t[0])
        if head:
            by_head[head].append(t)
    out = []
    for head, found in sorted(by_head.items()):
        # Titles that agree with each other form one reading; a conflict is two readings of one
        # office that cannot both hold, each from a different article.
        readings: list[list[tuple[str, str, int, int]]] = []
        for t in found:
            home = next((r for r in readings if same_title(r[0][0], t[0])), None)
            if home is None:
                readings.append([t])
            else:
                home.append(t)
        if len(readings) < 2:
            continue
        articles = [{t[1] for t in r} for r in readings]
        if len(set().union(*articles)) < 2:
            continue  # one article using two titles is its own business, not a disagreement
        readings.sort(key=lambda r: (-len({t[1] for t in r}), r[0][0]))
        parts = [f"“{r[0][0]}” ({len({t[1] for t in r})} article{'s' if len({t[1] for t in r}) > 1 else ''})"
                 for r in readings]
        summary = f"{person} is called " + " but ".join(parts)
        citations = tuple(Citation(a, s, e, title) for r in readings for title, a, s, e in r)
        out.append(Finding("role_conflict", person, summary, citations))
    return out


# --- numbers and dates ---------------------------------------------------------------------------


def value_evidence(pair: ReusePair) -> ReusePair | None:
    """What value_findings reads of a compared pair: its value changes that both sides give,
    inside a strongly aligned sentence pair, with the strongly aligned pairs (in order); None
    when there is no such change. The findings of the result are those of ``pair`` (the dates'
    meaning is checked later, against the times of the build that reads it)."""
    strong = tuple(p for p in pair.aligned if p.score >= VALUE_SENTENCE_MIN)
    changes = tuple(c for c in pair.changes if _value_change(c, strong))
    if not changes:
        return None
    return replace(pair, changes=changes, aligned=strong, evidence=())


def _value_change(change, strong: Sequence) -> bool:
    if VALUE_CHANGES.get(change.type) is None or not change.source_text or not change.derived_text:
        return False  # a value only one side gives is an omission, not a disagreement
    if change.source_span is None or change.derived_span is None:
        return False
    return any(_within(change.source_span, p.source_span) and _within(change.derived_span, p.derived_span)
               for p in strong)


def value_findings(pairs: Iterable[ReusePair], bodies: Mapping[str, Article],
                   times: Mapping[str, Sequence[TimePoint]] | None = None) -> list[Finding]:
    """Numbers and dates that differ between restatements of one claim, from compared pairs
    (``compare(..., always=True)`` so independent reports carry their changes too).

    Dates are compared by what they mean, not how they are written: with ``times`` (each
    article's time expressions resolved against its date), "next week" in one article and
    "later this week" in another published a week later name the same week and are no
    conflict; a relative date whose value rests on an inferred publication date, or has none,
    is not reported either (it could be right)."""
    out = []
    seen: set[tuple] = set()
    for pair in pairs:
        strong = [p for p in pair.aligned if p.score >= VALUE_SENTENCE_MIN]
        for change in pair.changes:
            if not _value_change(change, strong):
                continue
            kind = VALUE_CHANGES[change.type]
            if kind == "date_conflict" and times is not None and not _dates_differ(
                    times.get(pair.source_id, ()), change.source_span, times.get(pair.derived_id, ()), change.derived_span):
                continue
            key = (kind, fold(change.source_text), fold(change.derived_text))
            if key in seen:
                continue
            seen.add(key)
            src, dst = bodies[pair.source_id], bodies[pair.derived_id]
            s_sent = _sentence_around(src.body, change.source_span, strong, side=0)
            d_sent = _sentence_around(dst.body, change.derived_span, strong, side=1)
            what = "number" if kind == "number_conflict" else "date"
            summary = (f"the same claim with a different {what}: “{change.source_text}” against "
                       f"“{change.derived_text}”")
            out.append(Finding(kind, change.subject or what, summary, (
                Citation(src.id, *change.source_span, change.source_text),
                Citation(dst.id, *change.derived_span, change.derived_text),
                Citation(src.id, *s_sent, src.body[s_sent[0] : s_sent[1]]),
                Citation(dst.id, *d_sent, dst.body[d_sent[0] : d_sent[1]]),
            )))
    return out


def _dates_differ(a_times: Sequence[TimePoint], a_span: tuple[int, int],
                  b_times: Sequence[TimePoint], b_span: tuple[int, int]) -> bool:
    from storyline.link.stories.dates import day_range

    a = [t for t in a_times if t.start < a_span[1] and a_span[0] < t.end]
    b = [t for t in b_times if t.start < b_span[1] and b_span[0] < t.end]
    if not a or not b:
        return True  # not a time expression the tagger knows: trust the textual difference
    if any(t.value is None or t.inferred for t in a + b):
        return False
    ra = [day_range(t.value) for t in a]
    rb = [day_range(t.value) for t in b]
    if any(r is None for r in ra + rb):
        return {t.value for t in a}.isdisjoint({t.value for t in b})
    return not any(x[0] <= y[1] and y[0] <= x[1] for x in ra for y in rb)


def _within(span: tuple[int, int], outer: tuple[int, int]) -> bool:
    return outer[0] <= span[0] and span[1] <= outer[1]


def _sentence_around(body: str, span: tuple[int, int], pairs, *, side: int) -> tuple[int, int]:
    for p in pairs:
        outer = p.source_span if side == 0 else p.derived_span
        if _within(span, outer):
            return outer
    return span
