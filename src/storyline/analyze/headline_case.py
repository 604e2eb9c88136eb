"""Names in a headline written in Title Case, cut where the tagger ran them into the words after.

English headlines are often set in Title Case ("Katy Perry Wants Revenge"). The small English
model reads capitals as names, so it runs a person or organisation into the capitalised verb and
words after it: "Katy Perry Wants Revenge" as one PERSON, "Edward Snowden Speaks",
"Justin Bieber Dedicates Song". Keyed by surname, such a name no longer meets "Katy Perry" in
the next headline, and a story label shows the run-on. In the UCI headline dump a fifth of the
multi-word names were such run-ons.

The cut: in a Title Case text (:func:`title_cased`), each PERSON or ORG name of two words or
more is cut before its first word that, read in lower case, is an inflected verb ("wants",
"defends", "revealed", "performing", a modal), a spaced punctuation mark (" - ", ": "), or
for a person a function word ("and", "of", "the", "for"). The words are tagged in lower case
(a copy of the text, the same tokens, run through the model's own tagger; each name's first
word, and a surname after a first name, as written) because in Title Case the tagger calls them
proper nouns too. Base-form verbs are no cut: "Grant", "Will" and
"Mark" are first names. Nor is the word after a first name (gender-guesser's dictionary): the
tagger takes an unknown surname ending in -s for a verb ("Orson Welles", "Jessica Sells").
Names of one word and places are left as the model found them, and so is text in sentence
case, but for two cuts in any text: a describing dictionary word in front of a first name
("Bachelor Juan Pablo Galavis"; not a family name written first, "Aung San Suu Kyi"), and a
person's name ending at a spaced dash, colon, semicolon or bar
("Juan Pablo Galavis - Clare Crawley": an aggregator's dash ran two people together; hyphens
and initials are unspaced). In Title Case a person's name also ends before a number ("Juan
Pablo 2014"), and a first name after a title is read as written and never a cut ("Sir Tobias
Renfrew": "tobias" reads as a verb), nor is the surname after it, but for titles said with a
given name alone ("Prince William Says" is cut). And a name written twice across a dash ("Miley Cyrus - Miley Cyrus fan arrested", the
way some aggregators put an article's subject before its headline), cut at the dash.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.analyze.clusters import HONORIFICS, PEERAGE
from storyline.analyze.gender import is_first_name
from storyline.analyze.nlp import english_words, new_span, words_doc
from storyline.analyze.roles import ROLE_HEADS
from storyline.analyze.titles import TITLE_SHARE, TITLE_WORDS

if TYPE_CHECKING:  # spaCy's types, for annotations only
    from storyline.analyze.nlp import Doc, Language

# Names this long or longer are looked at: a run-on is a name and at least one word more.
RUN_ON_TOKENS = 2
# Verb tags (Penn) that end a name: inflected forms, which no first name or surname takes.
VERB_TAGS = frozenset({"VBZ", "VBD", "VBG", "VBN", "MD"})
# Word classes that end a person's name (an organisation's may hold them: "Bank of England").
PERSON_STOPS = frozenset({"ADP", "DET", "CCONJ", "SCONJ", "PRON", "PART", "AUX"})
# Quotation marks and apostrophes belong to the name or its possessive, not to a cut.
_QUOTES = frozenset("'\"\u2018\u2019\u201c\u201d")
# Texts longer than this are not headlines (a body in Title Case is not worth a second tagging).
MAX_TOKENS = 80


def title_cased(doc: Doc) -> bool:
    """Whether ``doc`` reads as a headline in Title Case."""
    if len(doc) > MAX_TOKENS:
        return False
    words = [t.text for t in doc if t.is_alpha and len(t.text) > 3]
    return len(words) >= TITLE_WORDS and sum(w[0].isupper() for w in words) >= TITLE_SHARE * len(words)


def cut_run_ons(doc: Doc, nlp: Language) -> Doc:
    """``doc`` with its PERSON and ORG names cut where they run on (see the module docstring):
    in Title Case, at a verb, a function word or a spaced punctuation mark; in any case, a name
    written twice across a spaced mark ("Miley Cyrus - Miley Cyrus", an aggregator's "name -
    headline") at the mark. ``doc`` itself when it holds no such name."""
    long = [e for e in doc.ents if e.label_ in ("PERSON", "ORG") and len(e) >= RUN_ON_TOKENS]
    if not long:
        return doc
    tags = None
    if title_cased(doc) and "tagger" in nlp.pipe_names:
        tags = _lower_case_tags(doc, nlp, _kept_case(doc, long))
    looked_at = {(e.start, e.end) for e in long}  # not `e in long`: quadratic on a body full of names
    ents, changed = [], False
    for e in doc.ents:
        start, end = e.start, e.end
        if (e.start, e.end) in looked_at:
            # The describing word in front first, so that the cut after it knows the first name.
            lead = _lead_cut(doc, e.start, e.end, english_words(nlp)) if e.label_ == "PERSON" else e.start
            for start in dict.fromkeys((lead, e.start)):
                span = e if start == e.start else new_span(doc, start, e.end, e.label_)
                end = _trim_end(doc, start, _cut(doc, span, tags) if tags is not None else _repeat_cut(doc, span))
                if end - start >= 2 or start == e.start:
                    break  # a first name alone left: the word in front stays after all
            if tags is not None and e.label_ == "PERSON":
                start, end = _common_words(doc, start, end, english_words(nlp))
        if (start, end) == (e.start, e.end):
            ents.append(e)
        else:
            changed = True
            if end > start:
                ents.append(new_span(doc, start, end, e.label_))
    if changed:
        doc.ents = ents
    return doc


def _trim_end(doc: Doc, start: int, end: int) -> int:
    """``end`` moved back over trailing spaces and punctuation, a quotation mark only when it
    is left open ("Juan Pablo '" of "Juan Pablo 'The Bachelor'", not Dwayne "The Rock")."""
    while end > start:
        last = doc[end - 1]
        if last.is_space or (last.is_punct and last.text not in _QUOTES):
            end -= 1
        elif last.text in _QUOTES and sum(t.text in _QUOTES for t in doc[start:end]) % 2 == 1:
            end -= 1
        else:
            break
    return end


def _spaced(doc: Doc, i: int) -> bool:
    """Whether token ``i`` starts a word of its own: space (or a space token) before it."""
    return bool(doc[i - 1].whitespace_) or doc[i - 1].is_space


def _cut(doc: Doc, ent, tags: list[tuple[str, str]]) -> int:
    """Where ``ent`` of a Title Case text ends once cut: before its first word that cannot be
    part of the name."""
    first, surname = _first_word(doc, ent.start), _surname_slot(doc, ent.start)
    for i in range(ent.start + 1, ent.end):
        token = doc[i]
        if token.is_space:
            return i  # a tab or a line break inside a name
        if not _spaced(doc, i):
            continue  # inside a word ("Crowd-Sourcing", "Docu-Series")
        if i == first and is_first_name(token.text):
            continue  # a first name after a title ("Sir Tobias": "tobias" reads as a verb)
        if i == surname:
            continue  # a surname's place
        if token.is_punct:
            if token.text not in _QUOTES:
                return i
            continue
        if ent.label_ == "PERSON" and token.text[:1].isdigit():
            return i  # "Juan Pablo 2014": a year or a count, not a name ("Elizabeth II" is no digit)
        if not token.text[:1].isupper():
            continue
        pos, tag = tags[i]
        if tag in VERB_TAGS:
            return i
        # After a person's first two words, a plural noun is a verb the tagger could not tell
        # ("Sheryl Sandberg Launches", "Zac Efron Shops") or not the name ("Taylor Swift Fans").
        if ent.label_ == "PERSON" and (pos in PERSON_STOPS or (tag == "NNS" and i >= ent.start + 2)):
            return i
    return ent.end


# Titles and roles that open a person's name ("Sir Tobias Renfrew", "Mayor Tobias Renfrew").
_NAME_LEADS = frozenset(HONORIFICS) | frozenset(PEERAGE) | frozenset(ROLE_HEADS)
# Titles said with a given name alone ("Prince William Says", "Pope Francis Meets"): the word
# after the first name is no surname, so it may be a cut.
_GIVEN_NAME_TITLES = frozenset({"king", "queen", "prince", "princess", "pope", "emperor", "empress", "sultan",
                                "saint", "st"})


def _first_word(doc: Doc, start: int) -> int:
    """Where the name proper starts: after a title that opens it ("Sir", "Pope", "Mayor")."""
    return start + 1 if start + 1 < len(doc) and doc[start].lower_.rstrip(".") in _NAME_LEADS else start


def _surname_slot(doc: Doc, start: int) -> int | None:
    """The token that holds a surname when the name's first word (after a title) is a first
    name ("Orson Welles", "Sir Tobias Renfrew"), None when there is none or the title is said
    with a given name alone ("Prince William Says")."""
    first = _first_word(doc, start)
    if first + 1 >= len(doc) or not is_first_name(doc[first].text):
        return None
    if first > start and doc[start].lower_.rstrip(".") in _GIVEN_NAME_TITLES:
        return None
    return first + 1


def _lead_cut(doc: Doc, start: int, end: int, words: frozenset[str]) -> int:
    """Where a person's name starts once a describing word in front is cut: a dictionary word
    (``words``, nlp.english_words) that is no first name and no title, before a first name and
    a surname ("Bachelor Juan Pablo Galavis", "Unpopular Juan Pablo"). The description ran into
    the name, which then met no other report's "Juan Pablo Galavis". Only a dictionary word: a
    family name written first is none ("Aung San Suu Kyi", "Nguyen Xuan Phuc"). Never when the
    first name is joined to the next word by a hyphen ("Park Geun-hye"), nor in a name of two
    words (a first name would be left)."""
    if len(doc[start:end].text.split()) < 3:
        return start
    lead, after = doc[start], doc[start + 1]
    if (lead.is_alpha and lead.text[:1].isupper() and lead.lower_ in words
            and not is_first_name(lead.text) and lead.lower_ not in _NAME_LEADS
            and is_first_name(after.text) and after.whitespace_ and lead.whitespace_):
        return start + 1
    return start


def _common_words(doc: Doc, start: int, end: int, words: frozenset[str]) -> tuple[int, int]:
    """A person's name in Title Case without the headline's words the tagger took into it: a
    "name" of two words or more, all dictionary words with no first name or title among them,
    is none ("Nasty Weather", "Record Loss", "Twitter Down": (start, start)); else an inflected
    dictionary word in front is cut ("Eliminates Clare Crawley", "Hires Bruce Gottlieb"), and
    one after a first word that is no first name ("Sbarro Files", "Respawn Hopes"). One
    word is left as it is: "Trump" of "Trump Says" is a dictionary word too. A family name
    that is a dictionary word before a given name that is not ("Xi Jinping", "Park Geun-hye")
    is kept; "Tiger Woods" said in a Title Case headline is lost, the price of the rest."""
    span = [t for t in doc[start:end] if t.is_alpha]
    if len(span) >= 2 and all(_common(t, words) for t in span):
        return start, start
    while end - start >= 2 and _inflected(doc[start], words) and _spaced(doc, start + 1):
        start += 1
    # Two words, the first no first name, the second an inflected word: the headline's verb
    # the tagger read as a plural noun ("Sbarro Files", "Carney Touts", "Respawn Hopes").
    if (end - start == 2 and doc[start].is_alpha and not is_first_name(doc[start].text)
            and _inflected(doc[start + 1], words) and _spaced(doc, start + 1)):
        end -= 1
    return start, end


def _common(token, words: frozenset[str]) -> bool:
    """Whether ``token`` is a dictionary word (or an inflection of one) that is no first name
    and no title."""
    low = token.lower_
    if is_first_name(token.text) or low.rstrip(".") in _NAME_LEADS:
        return False
    return low in words or any(stem in words for stem in _stems(low))


def _inflected(token, words: frozenset[str]) -> bool:
    """An inflected dictionary word ("gives", "eliminates", "parenting"), no first name or
    title: the lemma index holds base forms only, so a real word that is not in it but whose
    stem is."""
    return token.is_alpha and token.lower_ not in words and _common(token, words)


def _stems(word: str) -> list[str]:
    """The base forms ``word`` may be an inflection of (English suffix rules, no dictionary):
    "gives" give, "parties" party, "launches" launch, "hired" hire, "parenting" parent."""
    out = []
    for suffix, back in (("ies", "y"), ("es", ""), ("s", ""), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"),
                         ("d", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            out.append(word[: -len(suffix)] + back)
    return out


def _repeat_cut(doc: Doc, ent) -> int:
    """Where ``ent`` ends in text of any case: at a spaced punctuation mark that a person's name
    never holds ("Juan Pablo Galavis - Clare Crawley", two people an aggregator's dash ran
    together; hyphens and initials are unspaced), or at one between a name and the name again."""
    for i in range(ent.start + 1, ent.end - 1):
        if doc[i].is_punct and doc[i].text not in _QUOTES and _spaced(doc, i):
            if ent.label_ == "PERSON" and doc[i].text in _NAME_BREAKS:
                return i
            head = [t.lower_ for t in doc[ent.start : i]]
            if [t.lower_ for t in doc[i + 1 : i + 1 + len(head)]] == head:
                return i
            return ent.end
    return ent.end


# Spaced marks that end a person's name in any text: dashes, a colon, a semicolon, a bar.
_NAME_BREAKS = frozenset({"-", "–", "—", ":", ";", "|"})


def _kept_case(doc: Doc, names) -> set[int]:
    """The tokens read as written when tagging: each name's first word, and the word after it
    when that is a first name (without them the tagger takes "tobias renfrew" for a verb and an
    adjective, and the verb after them for a noun)."""
    kept = set()
    for e in names:
        kept.update({e.start, _first_word(doc, e.start)})
        if (surname := _surname_slot(doc, e.start)) is not None:
            kept.add(surname)
    return kept


def _lower_case_tags(doc: Doc, nlp: Language, kept: set[int] = frozenset()) -> list[tuple[str, str]]:
    """(coarse, fine) tags of each token of ``doc`` read in lower case (but those in ``kept``),
    by ``nlp``'s tagger (and the token-to-vector layer and attribute ruler it needs, when the
    pipeline has them)."""
    lower = words_doc(nlp, [t.text if t.i in kept else t.text.lower() for t in doc],
                      [bool(t.whitespace_) for t in doc])
    for name in ("tok2vec", "tagger", "attribute_ruler"):
        if name in nlp.pipe_names:
            lower = nlp.get_pipe(name)(lower)
    return [(t.pos_, t.tag_) for t in lower]
