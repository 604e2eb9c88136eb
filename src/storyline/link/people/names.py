"""Person names: parsing ("Defence Secretary John Healey" -> first "john", surname "healey"),
the folded keys names are blocked and compared by, and how two names' parts relate.

No clusters or articles here: only what can be said about names themselves.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from rapidfuzz.distance import JaroWinkler

from storyline.folding import fold
from storyline.link.people.tuning import FIRST_NAME_SIMILARITY_MIN, PROMINENT_MIN, PROMINENT_RATIO
from storyline.records import Entity

# --- Word lists -----------------------------------------------------------------------------
# Titles and title-like words that may precede a name ("Sir", "Defence Secretary", "US
# President"). The last token of a name is never stripped, so "John Major" keeps "Major".
TITLES = frozenset("""
mr mrs ms miss mx sir dame dr doctor prof professor lord lady baroness baron earl duke duchess
president vice prime minister secretary chancellor premier senator sen rep representative
congressman congresswoman governor gov mayor ambassador general gen colonel col lieutenant lt
captain capt admiral adm commander sergeant sgt marshal king queen prince princess crown pope
sheikh emir rev reverend archbishop bishop cardinal rabbi imam judge justice chief deputy
foreign defence defense home health interior finance former acting shadow us uk
""".split())
# Words that begin a recognised PERSON span but are no part of the name: headline case and
# sentence starts make the tagger swallow them ("Under Obama", "Though Sanders", "Like Donald
# Trump", "Republican Donald Trump", "State Hillary Clinton" from "Secretary of State ...").
# Each left one more "person" per surname: 15 "Obama"s and 77 "Trump"s on the 3k incremental
# benchmark store, and every one of them was re-read whenever a batch named the surname. Only
# words that are not given names in English news: function words, a few adjectives, party and
# demonym labels (not "Will", "Can", "Said", "Per", "Young", "Do", "May": given names too).
# Like titles, they are stripped from the front only, never the last token.
NOT_NAME_WORDS = frozenset("""
a an the this that these those some any every each all both no not nor and or but so yet if as
at by for from in into on onto of off out over under with without within via plus vs versus
about above after against along amid among around before behind below beneath beside between
beyond despite during except inside near since than through throughout till toward towards until
unlike upon while whilst though although because unless whether when where why how what who whom
which whose like given including regarding concerning following is are was were be been has have
had does did would could should might must shall says say tells told asks asked calls called
meets slams blasts backs beats wins loses stop stops
new old top late ex anti then now also even just only still again here there
year years day days week weeks month months today tonight yesterday tomorrow
republican republicans democrat democrats democratic gop tory tories labour liberal conservative
independent socialist communist american americans british filipino french german russian chinese
state federal party leader leaders presidents candidate candidates nominee hopeful frontrunner
""".split())
# Words that join two names inside one span ("Hillary And Obama"): the part after the last one
# is the name (a "Procter and Gamble" is an organisation, not parsed here).
NAME_JOINERS = frozenset({"and", "&", "or", "with", "vs", "versus"})
POST_NOMINALS = frozenset("mp msp mep kc qc obe cbe mbe kbe phd md esq".split())
SUFFIXES = {"jr": "jr", "junior": "jr", "sr": "sr", "snr": "sr", "senior": "sr",
            "ii": "ii", "iii": "iii", "iv": "iv"}
# Surname particles: "Ursula von der Leyen" has first name "ursula", surname "von der leyen".
PARTICLES = frozenset("von van der den de del della di da du la le bin ibn al el ter dos das".split())
# Common short forms, so "Mike Johnson" can be compared with "Michael Johnson" (never merged on
# the name alone: evidence is still required).
NICKNAMES = {
    "bill": "william", "billy": "william", "will": "william", "bob": "robert", "rob": "robert",
    "bobby": "robert", "mike": "michael", "mick": "michael", "jim": "james", "jimmy": "james",
    "joe": "joseph", "tony": "anthony", "dave": "david", "ed": "edward", "eddie": "edward",
    "ted": "edward", "liz": "elizabeth", "beth": "elizabeth", "nick": "nicholas", "tom": "thomas",
    "ben": "benjamin", "dan": "daniel", "chris": "christopher", "kate": "katherine",
    "steve": "stephen", "steven": "stephen", "matt": "matthew", "sam": "samuel", "andy": "andrew",
    "pete": "peter", "rick": "richard", "rich": "richard", "dick": "richard", "chuck": "charles",
    "charlie": "charles", "don": "donald", "greg": "gregory", "jeff": "jeffrey", "ron": "ronald",
    "vlad": "vladimir",
}

_DOTTED_INITIALS = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]?")  # "J.", "J.D."
_PREFIXED_PARTICLE = re.compile(r"(al|el|ad|as|ash|bin|ben|ibn|abu)-(.+)")  # "al-Assad"
_EDGE_PUNCT = ",;:!?\"()[]{}"


def skeleton(token: str) -> str:
    """A folded name token with common transliteration variation removed.

    Zelensky, Zelenskyy, Zelenskiy and Zelenskyj all give "zelensk"; Volodymyr and Wolodymyr
    give "volodimir"; Sergei and Sergey give "sergei". Only used as a key: two names are never
    merged on their skeleton without also having compatible first names.
    """
    s = token.replace("ph", "f").replace("kh", "h").replace("w", "v").replace("y", "i")
    s = re.sub(r"ij$", "i", s)
    s = re.sub(r"(.)\1+", r"\1", s)
    if len(s) >= 5 and re.search(r"[^aeiou]i$", s):
        s = s[:-1]  # the -y/-i/-iy/-yy endings of transliterated Slavic names
    return s


# --- Person names ---------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class PersonName:
    """A person's name, parsed: ``display`` keeps the surface form less titles; the rest is folded.

    ``kind`` is "full" (a first name and a surname), "initial" ("J. Healey") or "surname"
    ("Starmer", "von der Leyen"). ``surname_key`` is the skeleton of the surname without
    particles; ``first_key`` the skeleton of the first name after expanding nicknames.
    """

    display: str
    kind: str
    first: str
    middle: tuple[str, ...]
    surname: str
    suffix: str
    surname_key: str
    first_key: str
    key: str  # exact-equality key: the folded name

    @property
    def short(self) -> str:
        """"first surname", folded, for similarity scores (middle names left out)."""
        return f"{NICKNAMES.get(self.first, self.first)} {self.surname}".strip()


def parse_person_name(text: str) -> PersonName | None:
    """Parse a person's name, dropping leading titles and trailing post-nominals.

    Returns None when nothing name-like is left. "Defence Secretary John Healey" -> first
    "john", surname "healey"; "Mr Starmer's" -> surname "starmer"; "Donald Trump Jr" keeps
    the suffix "jr" (father and son are different people).
    """
    raw = [t.strip(_EDGE_PUNCT) for t in text.split()]
    raw = [t for t in raw if t]
    suffix = ""
    while len(raw) > 1:
        last = _bare(raw[-1])
        if last in POST_NOMINALS:
            raw.pop()
        elif last in SUFFIXES and not suffix:
            suffix = SUFFIXES[last]
            raw.pop()
        else:
            break
    raw = _strip_titles(raw)  # after the suffix, so "Martin Luther King Jr" keeps "King"
    if not raw:
        return None
    raw[-1] = re.sub(r"['’]s$", "", raw[-1])  # "Starmer's"
    tokens = [part for t in raw for part in _name_tokens(t)]
    if not tokens:
        return None
    start = _surname_start(tokens)
    first = tokens[0] if start > 0 else ""
    middle = tuple(tokens[1:start]) if start > 0 else ()
    surname_tokens = tokens[start:]
    core = [t for t in surname_tokens if t not in PARTICLES] or surname_tokens
    kind = "surname" if not first else "initial" if len(first) == 1 else "full"
    surname = " ".join(surname_tokens)
    return PersonName(
        display=" ".join(raw) + (f" {suffix.capitalize()}" if suffix else ""),
        kind=kind,
        first=first,
        middle=middle,
        surname=surname,
        suffix=suffix,
        surname_key=skeleton("".join(core)),
        first_key=skeleton(NICKNAMES.get(first, first)) if kind == "full" else first,
        key=" ".join([first, *middle, surname, suffix]).strip(),
    )


def _bare(token: str) -> str:
    return fold(token).strip(".'")


def _strip_titles(raw: list[str]) -> list[str]:
    # Cut after the last title word among the first few tokens, so "Ukrainian President
    # Volodymyr Zelensky" loses "Ukrainian" too; never cut the last token. A joining word
    # anywhere before the last token cuts too ("Hillary And Obama" -> "Obama").
    cut = 0
    for i, token in enumerate(raw[:-1]):
        bare = _bare(token)
        if bare in NAME_JOINERS or (i < 5 and bare in TITLES):
            cut = i + 1
    # Then words that are no name at the front ("Under Obama", "Republican Donald Trump").
    while cut < len(raw) - 1 and _bare(raw[cut]) in NOT_NAME_WORDS | TITLES:
        cut += 1
    return raw[cut:]


def _name_tokens(token: str) -> list[str]:
    """One surface token as folded name tokens: "J.D." -> ["j", "d"], "al-Assad" -> ["al",
    "assad"], "Rees-Mogg" -> ["reesmogg"], "O'Brien" -> ["obrien"]."""
    folded = fold(token)
    if _DOTTED_INITIALS.fullmatch(folded):
        return [c for c in folded if c != "."]
    particle = _PREFIXED_PARTICLE.fullmatch(folded)
    parts = [particle[1], particle[2]] if particle else [folded]
    return [cleaned for part in parts if (cleaned := re.sub(r"[\W_]", "", part))]


def _surname_start(tokens: list[str]) -> int:
    if len(tokens) == 1 or tokens[0] in PARTICLES:
        return 0
    for i in range(1, len(tokens) - 1):
        if tokens[i] in PARTICLES:
            return i
    return len(tokens) - 1


K = TypeVar("K")
COURTESY_TITLES = frozenset("mr mrs ms miss mx sir dame lady lord madam".split())


def prominent(mentions: Mapping[K, int], entity: Entity) -> K | None:
    """Of the candidates a partial name fits ({candidate: mentions}), the one mentioned by far
    the most (tuning.PROMINENT_RATIO, PROMINENT_MIN), or None: also when the mention carries a
    courtesy title ("Mrs Trump" may be the less mentioned one)."""
    if len(mentions) < 2 or any(_bare(text.split()[0]) in COURTESY_TITLES
                                for text in (entity.name, *entity.aliases) if text.split()):
        return None
    ranked = sorted(mentions.items(), key=lambda kv: (-kv[1], str(kv[0])))
    (top, most), (_, next_most) = ranked[0], ranked[1]
    return top if most >= PROMINENT_MIN and most >= PROMINENT_RATIO * next_most else None


def best_person_name(entity: Entity,
                     parse: Callable[[str], PersonName | None] | None = None) -> PersonName | None:
    """The entity's name, or a fuller alias of the same person when the name is partial.
    ``parse`` is :func:`parse_person_name` or a caller's cache of it."""
    parse = parse or parse_person_name
    name = parse(entity.name)
    if name is None or name.kind == "full":
        return name or _first_parsed(entity.aliases, parse)
    fuller = [
        alias for a in entity.aliases
        if (alias := parse(a)) is not None
        and alias.surname_key == name.surname_key
        and kind_rank(alias.kind) > kind_rank(name.kind)
        and (name.kind != "initial" or alias.first[:1] == name.first)
    ]
    if not fuller:
        return name
    return min(fuller, key=lambda n: (-kind_rank(n.kind), -len(n.display), n.display))


def _first_parsed(aliases: Iterable[str], parse: Callable[[str], PersonName | None]) -> PersonName | None:
    parsed = sorted((p for a in aliases if (p := parse(a))),
                    key=lambda n: (-kind_rank(n.kind), -len(n.display), n.display))
    return parsed[0] if parsed else None


def kind_rank(kind: str) -> int:
    return {"surname": 0, "initial": 1, "full": 2}[kind]


def first_name_relation(a: str, b: str) -> str:
    """How two spelled-out first names relate: "same", "nickname", "similar" or "different"."""
    if a == b or skeleton(a) == skeleton(b):
        return "same"
    if NICKNAMES.get(a, a) == NICKNAMES.get(b, b):
        return "nickname"
    if JaroWinkler.normalized_similarity(a, b) >= FIRST_NAME_SIMILARITY_MIN:
        return "similar"
    return "different"


def middles_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    # "George W. Bush" and "George H. W. Bush" differ; a missing middle name is no conflict.
    if not a or not b:
        return True
    x, y = a[0], b[0]
    if len(x) == 1 or len(y) == 1:
        return x[0] == y[0]
    return skeleton(x) == skeleton(y)


def initial_fits(initial: str, first: str) -> bool:
    return first.startswith(initial) or NICKNAMES.get(first, first).startswith(initial)


def most_frequent(forms: list[str]) -> str:
    """Most frequent form; ties go to the longest, then the alphabetically first."""
    counts = Counter(forms)
    return min(counts, key=lambda f: (-counts[f], -len(f), f))


def opening_pair(name: PersonName | None) -> tuple[str, str] | None:
    """(first, first middle name) of a full name with a middle name ("Juan Pablo Galavis"): the
    two given names it opens with (link/people/given_names.py)."""
    if name is None or name.kind != "full" or not name.middle:
        return None
    return name.first, name.middle[0]


def identity_name(names: list[PersonName]) -> str:
    """The most frequent full name; two given names said alone give way to the fuller name they
    open when that is said at least three quarters as often ("Juan Pablo Galavis" 51 times over
    "Juan Pablo" 57: link/people/given_names.py; "Mike Tyson" 19 times stays over a headline's
    "Mike Tyson Mysteries" 10)."""
    full = [n for n in names if n.kind == "full"]
    if not full:
        return most_frequent([n.display for n in names])
    counts = Counter(n.display for n in full)
    best = most_frequent([n.display for n in full])
    shown = next(n for n in full if n.display == best)
    if shown.middle or shown.suffix:
        return best
    longer = [n.display for n in full if opening_pair(n) == (shown.first, shown.surname)]
    if longer and 4 * counts[(top := most_frequent(longer))] >= 3 * counts[best]:
        return top
    return best
