"""Story-clustering features of one article: its entity keys and the :class:`Item` built from text.

Entity keys are what two reports of one event share and two events of one kind do not: the
people, organisations and places involved, and the numbers (years, ages, tolls, scores). Every
entity is keyed by its whole folded name, and a person also by the folded surname alone,
because follow-up reports name people by surname ("Starmer" for "Sir Keir Starmer"); the
in-article clustering (analyze/entities.py) has already given each person their fullest name,
so the last token is the surname. Keys carry no type: the small NER model tags one name ORG in
one article and PERSON in the next, and a typed key would split them. Weights grow with the number of mentions, but slowly (a name
mentioned ten times is central, not ten times as informative).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np

from storyline.analyze.fingerprint import STOPWORDS
from storyline.analyze.language import SPACELESS
from storyline.analyze.titles import separate_title
from storyline.folding import fold
from storyline.records import Analysis

# A number as written: "2013", "33", "3.5", "180,000" (not part of a word such as "G20").
_NUMBER = re.compile(r"(?<![\w.])(\d[\d,.]*\d)(?!\w)")
# A clock time ("7:35 am", "1:00pm", "13:45"): when a report was posted, not what it is about.
_CLOCK = re.compile(r"(?<![\w.:])\d{1,2}:\d{2}(?::\d{2})?(?!\d)")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_EDGE = " ,.;:\"“”'‘’()[]-–—"


@dataclass(frozen=True, slots=True)
class Item:
    """One article as the story clusterer sees it."""

    id: str
    vector: np.ndarray | None  # unit float32 article vector (candidates.article_vector)
    entities: Mapping[str, float]  # key -> weight (entity_keys, plus number_keys)
    time: float | None  # publication time, epoch seconds; None if unknown
    title: str | None = None
    # Content-word term -> sublinear tf (1 + log count) of title + body (term_weights); empty
    # for items made without text, which then have no lexical evidence.
    terms: Mapping[str, float] = field(default_factory=dict)
    # The surname keys of the people its headline and lead name (lead_people): whom the report
    # is about, where its other names are often background.
    lead: frozenset[str] = frozenset()
    # The surname keys of every person it names (anywhere): its cast (scoring.other_casts).
    people: frozenset[str] = frozenset()


# Abbreviations a place's name is written with or without ("Mt Cook", "Mount Cook"), spelled
# out before a further word of the name (never alone, never a person's: "Mt" is nobody's name).
_SPELLED = {"mt": "mount", "mtn": "mountain", "ft": "fort"}


def entity_key(name: str, entity_type: str) -> str | None:
    """The cross-article key of one entity name (None for names too short to mean anything)."""
    text = _POSSESSIVE.sub("", name.strip(_EDGE)).strip(_EDGE)
    words = [w for w in fold(text).split() if w]
    if words and words[0] == "the":
        words = words[1:]
    if not words:
        return None
    if entity_type != "PERSON" and len(words) > 1:
        words = [_SPELLED.get(w.rstrip("."), w) for w in words[:-1]] + words[-1:]
    key = words[-1] if entity_type == "PERSON" else " ".join(words)
    if len(key) < 2 or not any(c.isalpha() for c in key):
        return None
    return key


def entity_keys(analysis: Analysis) -> dict[str, float]:
    """Entity key -> weight (1 + log of its mentions; keys of merged names add up).

    Every entity gives its full folded name; a person of two or more words gives the surname
    too. The full name is what matches when the NER types one person PERSON in one article
    and ORG in the next ("Alina Okafor"), the surname what matches "Okafor" alone."""
    out: dict[str, float] = {}
    for entity in analysis.entities:
        w = 1.0 + math.log(max(1, len(entity.mentions)))
        keys = {entity_key(entity.name, "ORG"), entity_key(entity.name, entity.type)} - {None}
        for key in sorted(keys):
            out[key] = out.get(key, 0.0) + w
    return out


def number_keys(body: str) -> dict[str, float]:
    """Numbers of two or more digits as keys ("#2013", "#33"): years, ages, tolls and scores tell
    two events of one kind apart (a rehab in 2008 vs one in 2013; 12 dead vs 3). Common numbers
    get a low IDF like common names. Weight 1 each, however often repeated."""
    return {"#" + m.group(1).replace(",", ""): 1.0 for m in _NUMBER.finditer(_CLOCK.sub(" ", body))}


def is_number_key(key: str) -> bool:
    """Whether a key is a number's (number_keys: "#2013", "#33"), not a name's."""
    return key.startswith("#")


# A number key that reads as a year (1950-2039).
_YEAR_KEY = re.compile(r"#(?:19[5-9]|20[0-3])\d")


def year_keys(keys) -> set[str]:
    """The number keys among ``keys`` that read as years ("#2013")."""
    return {k for k in keys if len(k) == 5 and _YEAR_KEY.fullmatch(k)}


def is_year_key(key: str) -> bool:
    """Whether one key reads as a year ("#2013"); cheap enough for every IDF lookup."""
    return len(key) == 5 and key[0] == "#" and _YEAR_KEY.fullmatch(key) is not None


def publication_years(time: float | None, margin: float = 0.0) -> set[str]:
    """The year keys ("#2013") of an article's publication date and of the dates ``margin``
    either side of it (none when undated). A dateline ("May 03, 2013") is a year key while it
    stands in the body, but the ingest cuts it from the body and keeps it as the publication
    date: :func:`article_keys` adds its year back, so a report dated 2013 is still told from a
    2008 story of the same kind through the CLI as it is with the dateline in the text. The
    margin (the year veto's) keeps a report of 2 January with the December story it follows."""
    out = set()
    for t in () if time is None else (time - margin, time, time + margin):
        try:
            out.add(f"#{dt.datetime.fromtimestamp(t, dt.timezone.utc).year}")
        except (OverflowError, OSError, ValueError):  # a time no calendar holds names no year
            continue
    return out


def article_keys(analysis: Analysis, body: str, title: str | None = None,
                 time: float | None = None) -> dict[str, float]:
    """All the keys of one article: its entity keys (the title's too: title_keys), the number
    keys of its title and body (the ingest may have cut a number-bearing first line into the
    title) and its publication year (publication_years)."""
    dated = dict.fromkeys(publication_years(time), 1.0)
    return {**dated, **number_keys(article_text(body, title)), **title_keys(entity_keys(analysis), analysis)}


def title_keys(keys: dict[str, float], analysis: Analysis) -> dict[str, float]:
    """``keys`` (entity_keys of the body) with the names the title says: a title mention is
    one more mention of its name (the weight 1 + log of the mentions), and a name only the
    title says is a key of its own. The analysis reads the title apart from the body
    (Analysis.title_entities: a title given or cut off as a headline, analyze/titles.py), and
    a lede's names are often not said again ("Tara Reid checked into rehab ...", then "the
    actress"): on the ECB+ CLI stores, replayed, train pair F1 0.853 -> 0.869 and dev 0.885 ->
    0.889 with them (benchmarks/README.md, issue 18, session 18)."""
    if not analysis.title_entities:
        return keys
    out = dict(keys)
    for key, weight in entity_keys(Analysis(analysis.article_id, entities=analysis.title_entities)).items():
        out[key] = 1.0 + math.log(math.exp(out[key] - 1.0) + 1.0) if key in out else weight
    return out


# Words of letters and digits of any script (after folding); apostrophes end a word ("fed's" ->
# "fed"). Any script, so that an article in Russian or Greek has words to be matched by: with
# ASCII words only, its profile was its numbers, and a text of one or two such terms counted as a
# headline (Params.short_terms) with the headline's low join bar. The Indic blocks (Devanagari to
# Sinhala, their dandas left out) are word characters whole: Python's \w leaves out their vowel
# signs, which cut "प्रधानमंत्री" into fragments.
_WORD = re.compile(r"(?:[^\W_]|[\u0900-\u0963\u0966-\u0dff])+")
# One inflectional suffix is stripped (no lexicon): "tapering"/"taper", "arrests"/"arrested".
_SUFFIXES = (("ies", "y"), ("ing", ""), ("ed", ""), ("s", ""))


def words_for(text: str, stems: Iterable[str]) -> dict[str, str]:
    """For each of ``stems`` (term_weights' keys), the first word of ``text`` (folded, as
    term_weights reads it) with that stem: how a stored term reads to a person ("robber" is
    "robbery" there, "pari" is "paris"). Stems not in the text are left out."""
    wanted = set(stems)
    out: dict[str, str] = {}
    for word in _WORD.findall(fold(text)):
        stem = _stem(word)
        if stem in wanted and stem not in out:
            out[stem] = word
            if len(out) == len(wanted):
                break
    return out


def _stem(word: str) -> str:
    if word.isdigit():
        return word
    for suffix, repl in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            return word[: -len(suffix)] + repl
    return word


def term_weights(text: str) -> dict[str, float]:
    """Content-word stems -> sublinear tf (1 + log count): the lexical profile of an article.

    Lowercased, accent-folded words of three or more characters, stopwords and news boilerplate
    (analyze.fingerprint.STOPWORDS) left out, one inflectional suffix stripped; numbers of two
    or more digits stay ("2013"). Capitalised names are words like the others: the IDF, not the
    case, says what is distinctive ("Titanfall", "Plosser", "taper")."""
    counts: dict[str, int] = {}
    for word in _words(fold(text)):
        if len(word) < 3 and not (len(word) == 2 and (word.isdigit() or SPACELESS.match(word))):
            continue
        if word in STOPWORDS:
            continue
        stem = _stem(word)
        counts[stem] = counts.get(stem, 0) + 1
    return {t: 1.0 + math.log(n) for t, n in counts.items()}


def _words(folded: str) -> Iterator[str]:
    """The words of a folded text; a run of a script written without spaces (Chinese, Japanese,
    Thai) as its overlapping pairs of characters, the usual index terms for such text (one
    character alone when the run is one)."""
    for word in _WORD.findall(folded):
        if not SPACELESS.search(word):
            yield word
            continue
        at = 0
        for run in SPACELESS.finditer(word):
            if run.start() > at:
                yield word[at : run.start()]
            chars = run.group()
            yield from (chars[k : k + 2] for k in range(max(1, len(chars) - 1)))
            at = run.end()
        if at < len(word):
            yield word[at:]


def article_text(body: str, title: str | None) -> str:
    """Title and body as one text (the title once, when the body does not already start with
    it, analyze/titles.py). A title the ingest made from the body's first sentence (cut after
    20 words with "…") is the body's start too: prepended, its words would count twice and push
    the rest of the first sentence out of the lead."""
    return body if separate_title(body, title) is None else title + "\n" + body


# The lead: the first LEAD_CHARS characters of title + body, whose terms get LEAD_BOOST added
# to their weight. A headline and first sentence say which event a report is about; the rest of
# the body drifts into background that two events of one kind share. Grid on ECB+ train (the
# stories benchmark, with the other rules of this version): 300 characters, +2: pair F1 0.820
# -> 0.833 (+1: 0.825; +3: 0.826 at lower precision; 200 characters +3: 0.830; 500 +2: 0.820).
LEAD_CHARS = 300
LEAD_BOOST = 2.0


def lead_weighted_terms(text: str) -> dict[str, float]:
    """term_weights of the whole text, with LEAD_BOOST added to each term of its lead (cut at a
    space, so that no half word counts)."""
    terms = term_weights(text)
    lead = text if len(text) <= LEAD_CHARS else text[:LEAD_CHARS].rsplit(None, 1)[0]
    for t in term_weights(lead):
        if t in terms:
            terms[t] += LEAD_BOOST
    return terms


def lead_people(analysis: Analysis) -> frozenset[str]:
    """The surname keys (entity_key) of the people the title names (Analysis.title_entities)
    and of those with a mention in the body's first LEAD_CHARS characters: whom the report is
    about. A report of one footballer's arrest names the teammate arrested weeks before in its
    background, never in its headline or first sentence (scoring.other_protagonists)."""
    people = {entity_key(e.name, "PERSON") for e in analysis.title_entities if e.type == "PERSON"}
    people |= {entity_key(e.name, "PERSON") for e in analysis.entities
               if e.type == "PERSON" and any(m.start < LEAD_CHARS for m in e.mentions)}
    return frozenset(people - {None})


def all_people(analysis: Analysis) -> frozenset[str]:
    """The surname keys of every person the article names, title and body."""
    named = [e for e in (*analysis.title_entities, *analysis.entities) if e.type == "PERSON"]
    return frozenset({entity_key(e.name, "PERSON") for e in named} - {None})


def item_from(article_id: str, body: str, analysis: Analysis, vector: np.ndarray | None,
              time: float | None = None, title: str | None = None) -> Item:
    """The item of one analysed article (vector: candidates.article_vector(body)); the lexical
    terms come from the title and the body, the lead's weighted up (lead_weighted_terms).

    An article written in another language than English (analyze/language.py: judged
    confidently, on a text of 12 words or more) has no vector here: the article vector comes
    from an English sentence model, and for other languages it is noise that still looks alike
    (on the Zyte pages two unrelated Portuguese pages of one site had cosine 0.92, three Russian
    ones 0.88, and each set made a story). Its words, names and numbers place it, so copies of
    it still find each other. About a millisecond an article; the analysis step judges the
    language too but stores no verdict, only the skip."""
    from storyline.analyze.language import not_english

    if vector is not None and not_english(body) is not None:
        vector = None
    return Item(article_id, vector, article_keys(analysis, body, title, time), time, title,
                lead_weighted_terms(article_text(body, title)), lead_people(analysis), all_people(analysis))


def analyse_texts(ids, bodies, *, analyzer=None) -> tuple[list[Analysis], list[np.ndarray | None]]:
    """The product's analysis and article vector of each body (the slow part)."""
    from storyline.analyze import Analyzer
    from storyline.link.reuse.candidates import article_vector

    analyzer = analyzer or Analyzer()
    analyses = list(analyzer.analyze_texts(list(bodies), list(ids)))
    return analyses, [article_vector(body) for body in bodies]


def items_from_texts(ids, bodies, times=None, titles=None, *, analyzer=None) -> list[Item]:
    """Items from raw article bodies, with the product's own vector and entity analysis."""
    ids, bodies = list(ids), list(bodies)
    times = list(times) if times is not None else [None] * len(ids)
    titles = list(titles) if titles is not None else [None] * len(ids)
    analyses, vectors = analyse_texts(ids, bodies, analyzer=analyzer)
    return [item_from(*row) for row in zip(ids, bodies, analyses, vectors, times, titles, strict=True)]
