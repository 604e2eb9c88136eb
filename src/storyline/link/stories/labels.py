"""A story's label: its key people and places and its representative headline
(scan.summarise writes them with the story's summary).

Split from scan.py (the story step over a store): this reads the members' texts, names and
vectors that summarise hands it, nothing else. A headline dump is what makes it more than a
count of names: the small English model reads Title Case headlines badly (it runs names on,
"Carney Touts Selby Low-Rate", and takes words for names), so where a story has members in
sentence case a key name must be written so in one of them (_said_in_sentence_case).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from storyline.analyze.titles import cut_short, title_case
from storyline.records import Article, Entity

KEY_PEOPLE = 3
KEY_PLACES = 2


def key_names(articles: Sequence[Article], named: Sequence[Iterable[Entity]]) -> tuple[str, ...]:
    """The key people, then places, of a story's ``articles`` (``named``: each one's entities)."""
    said = _said_in_sentence_case(articles)
    people = _distinct(_key_names(named, "PERSON", said), KEY_PEOPLE)
    # A "place" that is a key person's surname is that person tagged as a place ("Mark Carney,
    # Carney"); a first name is not ("Paris" beside "Paris Hilton" may be the city).
    surnames = {_words(p)[-1:] for p in people if len(_words(p)) > 1}
    places = _distinct([x for x in _key_names(named, "PLACE", said) if _words(x) not in surnames], KEY_PLACES, people)
    return tuple(people + places)


# A key name is named by at least this share of the members a label is made from (rounded up;
# up to 50 members, one): in a story of 184 headlines, the one that names "Upper Case" or
# "Download" is noise. (The UCI store's 60 largest stories: at 0.05 their labels kept 82 names
# of 246, real ones such as "Respawn" in 8 of 328 Titanfall headlines or "Anton Valukas" in 3 of
# 168 lost too; at 0.02, 149; with no share, 211.)
KEY_SHARE = 0.02
# How much of each member in sentence case a name is looked for in (its headline and lead).
SAID_CHARS = 2000


def _key_names(per_article: Sequence[Iterable[Entity]], type_: str,
               said: Callable[[str], bool] | None = None) -> list[str]:
    """The names of ``type_``, in most articles first, named by KEY_SHARE of the articles or
    more. People are counted by surname so that "Starmer" in one article and "Keir Starmer" in
    another add up; the fullest name seen often enough is shown (:func:`_shown`), of the forms
    that ``said`` accepts (all when None; a name none of whose forms it accepts is left out)."""
    count: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    for entities in per_article:
        seen: dict[str, set[str]] = {}
        for e in entities:
            # A name is capitalised somewhere ("iPhone" is one, "marijuana" is not), is no
            # abbreviation ("Ch" of "Ch. 11"; "Xi" is a name), and a dash, a colon or a function
            # word the model ran into it or cut it at is no part of it ("New Jersey Herald -",
            # "U. S. Fish and").
            name = _untailed(e.name)
            if (e.type != type_ or not any(ch.isupper() for ch in name)
                    or name.casefold().rstrip(".") in _NOT_NAMES):
                continue
            key = name.split()[-1].casefold() if type_ == "PERSON" else name.casefold()
            seen.setdefault(key, set()).add(name)
        count.update(seen.keys())
        for key, names in seen.items():
            forms.setdefault(key, Counter()).update(names)
    floor = math.ceil(KEY_SHARE * len(per_article))
    out = []
    for key, n in sorted(count.items(), key=lambda kv: (-kv[1], kv[0])):
        if n < floor:
            break
        kept = Counter({f: c for f, c in forms[key].items() if said is None or said(f)})
        if kept:
            out.append(_shown(kept))
        if len(out) >= KEY_PEOPLE + KEY_PLACES + 8:
            break  # enough to choose from (_distinct); each test of ``said`` reads texts
    return out


_TRAILING = " -–—|:;,"
# Words a name never ends with: the model cut it after one ("U. S. Fish and Wildlife Service").
_TAIL_WORDS = frozenset({"and", "of", "the", "for", "&", "in", "at", "on", "to", "de"})


def _untailed(name: str) -> str:
    """``name`` without trailing marks and function words (_TRAILING, _TAIL_WORDS)."""
    words = name.strip().rstrip(_TRAILING).split()
    while len(words) > 1 and words[-1].casefold() in _TAIL_WORDS:
        words.pop()
        words[-1] = words[-1].rstrip(_TRAILING)
    return " ".join(words)


def _said_in_sentence_case(articles: Sequence[Article]) -> Callable[[str], bool] | None:
    """When some members but not all are headlines in Title Case, where the small model runs
    names on ("Carney Touts BOE Low-Rate") and takes words for names ("Sbarro Files"): a test
    that a name is written so, word for word and case for case, in a member in sentence case
    (its first SAID_CHARS characters), where the model reads names right. None otherwise."""
    plain = [a.body[:SAID_CHARS] for a in articles if not title_case(a.body)]
    if not plain or len(plain) == len(articles):
        return None
    text = "\n".join(plain)

    def said(name: str) -> bool:
        # A one-word name must be written so inside a sentence: sentence case capitalises a
        # headline's first word whatever it is ("Recall probe widens", "Bill passes Senate"),
        # though not all its letters ("US stocks dip").
        one_word = " " not in name.strip() and not name.isupper()
        # str.find, not a regex built from the name: the names and texts are untrusted, and
        # CPython's substring search stays linear on any input.
        start = text.find(name) if name else -1
        while start >= 0:
            end = start + len(name)
            if ((start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum())
                    and not (one_word and _opens_sentence(text, start))):
                return True
            start = text.find(name, start + 1)
        return False

    return said


def _opens_sentence(text: str, start: int) -> bool:
    """Whether ``text[start:]`` opens a line, a sentence or a subtitle (after ". ", ": ", a
    dash, an ellipsis...), or a quotation there: where sentence case writes any word capitalised.
    Looks back a bounded way (marks, spaces and one word): linear in all."""
    k = start
    while k > 0 and text[k - 1] in _OPENERS:
        k -= 1
    gap = k
    while k > 0 and text[k - 1].isspace() and text[k - 1] != "\n":
        k -= 1
    if k == 0 or text[k - 1] == "\n":
        return True
    if k == gap:
        return False  # no space before it: inside a word, or after a mark that joins ("Mid-East")
    while k > 0 and text[k - 1] in _CLOSERS:  # 'was "over." Recall', "(finally). Recall"
        k -= 1
    if k == 0:
        return True
    if text[k - 1] in ":;!?-–—|…":
        return True
    if text[k - 1] != ".":
        return False
    end = k - 1  # a period ends a sentence unless it ends an abbreviation ("Dr. Seuss", "U.S. Senate")
    j = end
    while j > 0 and text[j - 1].isalpha() and end - j < 6:
        j -= 1
    word = text[j:end]
    if not word or not word[0].isupper():
        return True  # after a number, a mark or a word in lower case ("rose 5%.", "went up.")
    if len(word) <= 2 or (j > 0 and text[j - 1] == "."):
        return False  # "Dr.", "St.", the "S." of "U.S."
    return word.casefold() not in _ABBREVIATIONS


# Marks that open a quotation or an aside before a word, and that close one before a space.
_OPENERS = frozenset("\"'‘“(")
_CLOSERS = frozenset("\"'’”)")
# Capitalised words a period follows inside a sentence (of three letters or more: "Dr." and
# "U.S." are told by their length).
_ABBREVIATIONS = frozenset({
    "mrs", "gov", "sen", "rep", "gen", "col", "sgt", "capt", "prof", "rev", "inc", "ltd", "corp", "bros",
    "ave", "blvd", "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov", "dec", "est", "approx",
})
# Abbreviations the small model takes for a name of their own ("Ch" of "Ch. 11"): no key name.
_NOT_NAMES = frozenset({"ch", "mr", "ms", "dr", "st", "mt", "jr", "sr", "no", "co", "vs", "pt", "ft"}) | _ABBREVIATIONS


def _distinct(names: Sequence[str], n: int, taken: Sequence[str] = ()) -> list[str]:
    """The first ``n`` of ``names`` that are not one of ``taken`` (another kind's names: the same
    name only, "Paris" is kept after "Paris Hilton") or of each other written longer or shorter:
    a name whose words hold another's, or are held in another's, is that one ("Lohan" in "Lindsay
    Lohan"; "Edward Snowden Speaks", a headline's verb run into the name), but for a generation
    ("Donald Trump Jr.")."""
    chosen: list[str] = []
    seen: list[tuple[str, ...]] = []
    other_kind = {_words(t) for t in taken}  # a person's name: only the same name is that one
    for name in names:
        if len(chosen) == n:
            break
        words = _words(name)
        if words and words not in other_kind and not any(_same(words, other) for other in seen):
            chosen.append(name)
            seen.append(words)
    return chosen


# Words that make a longer name another person's ("Donald Trump Jr." is not "Donald Trump").
_GENERATIONS = frozenset({"jr", "sr", "ii", "iii", "iv"})


def _same(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether one name's words come in a row in the other's, and the rest says no other person."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return _within(short, long) and not (_GENERATIONS & (set(long) - set(short)))


def _words(name: str) -> tuple[str, ...]:
    return tuple(w.casefold() for w in re.findall(r"\w+", name))


def _within(part: tuple[str, ...], whole: tuple[str, ...]) -> bool:
    """Whether ``part``'s words come in a row in ``whole``."""
    return any(whole[k : k + len(part)] == part for k in range(len(whole) - len(part) + 1))


# A form of a name is shown when it is in at least this share of the articles of its most common
# form. The fullest form alone was shown before, and in a headline dump that is a tagger's slip
# seen once ("Catherine Giudici Disses Juan Pablo" for "Juan Pablo Galavis", headlines in Title
# Case fool the tagger); in full articles the full name is in as many articles as the surname.
SHOWN_SHARE = 0.25


def _shown(forms: Counter[str]) -> str:
    """The longest of the forms seen in SHOWN_SHARE of the articles of the most common one."""
    floor = max(forms.values()) * SHOWN_SHARE
    return max((f for f, c in forms.items() if c >= floor), key=lambda f: (len(f), forms[f], f))


def representative_headline(articles: Sequence[Article], vectors: dict[str, np.ndarray | None]) -> str | None:
    """The title of the member nearest the members' mean vector (the first title without
    vectors), a whole one when the story has any: aggregators cut long headlines with "..."."""
    titled = [a for a in articles if a.title]
    if not titled:
        return None
    titled = [a for a in titled if not cut_short(a.title)] or titled
    with_vec = [a for a in titled if vectors.get(a.id) is not None]
    if not with_vec:
        return titled[0].title
    matrix = np.stack([vectors[a.id] for a in with_vec])
    centre = matrix.mean(axis=0)
    return with_vec[int(np.argmax(matrix @ centre))].title


