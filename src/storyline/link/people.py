"""Who is who across articles: merge in-article entities into cross-article identities.

The analyze stage groups one article's mentions of one person into an :class:`Entity`
("Keir Starmer", aliases "Sir Keir Starmer", "Mr Starmer"). :func:`merge_people` merges those
entities across articles into :class:`Identity` records.

    >>> identities = merge_people([("a1", keir_starmer), ("a2", starmer), ("a3", zelenskyy)])

It is approximate and leans towards precision: two entities with different names merge only on
evidence, and every merge beyond plain name equality is explained in ``Identity.merges``.

People, in four passes (each pass decides against the clusters as they were when it began, and
applies its merges in sorted order, so the result does not depend on the input order):

1. Full names ("Keir Starmer", "José Manuel Albares") that are equal after folding case, accents,
   titles and punctuation merge outright.
2. Distinct full names are compared only inside blocks (same surname skeleton, same surname
   letters in any order, or same first name and surname start), never all against all. A pair
   merges when the first names are compatible and either the names are the same up to spelling
   (Zelensky/Zelenskyy, Sergei/Sergey, a middle name more or less) or the names are similar,
   one spelling is rare next to the other, and a shared role or people co-mentioned with both
   more often than chance back it up (a typo such as "Zelenksy").
3. Partial names: an initial and surname ("J. Healey"), then a surname alone ("Starmer"), join
   the one cluster with a compatible full name; when there are several ("Keir Starmer",
   "Victoria Starmer"), role and co-mention evidence must pick one, or the entity stays its own
   identity. A partial name joins one cluster at most, so it can never chain two people.
4. Partial names with no full name to join merge with the same partial name elsewhere.

Throughout, two clusters never merge when that would put two incompatible first names ("Boris",
"Mike") or generational suffixes ("Donald Trump", "Donald Trump Jr") together, or two entities
of the same article together: the analyze stage saw both in context and kept them apart.

Organisations and places merge when a normalised name or alias is shared ("Nato", "NATO",
"the US", "U.S.") or when a short form is the initials of exactly one full name ("US" and
"United States", "NATO" and "North Atlantic Treaty Organization").

Known limits: names written surname first ("Xi Jinping" then "Xi") are read as first name plus
surname, so "Xi" alone does not find "Xi Jinping"; transliterations that change a surname's first
letters ("Selenskyj") fall outside every block; exonyms ("Kiev"/"Kyiv", "Britain"/"UK") are not
linked.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import combinations

from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler

from storyline.folding import fold
from storyline.records import Entity, Identity

# --- Tuned numbers --------------------------------------------------------------------------
# Calibrated on the cases in tests/link/test_people.py. Full-name similarity is rapidfuzz's
# fuzz.ratio (normalised Indel) on "first surname", folded: typos and transliterations of one
# person score 0.92-0.97 (Zelensky/Zelenksy 0.94, Sergei/Sergey Lavrov 0.92), different first
# names with one surname 0.56-0.80 (Boris/Mike Johnson 0.72, Joe/Jill Biden 0.74). Jaro-Winkler
# on the whole name was tried and rejected: the shared first-name prefix inflates it (Joe/Jill
# Biden 0.80, Keir/Victoria Starmer 0.75), so it separates worse.
NAME_SIMILARITY_MIN = 0.88
# Jaro-Winkler on first names alone, where the prefix bonus is what we want: John/Jon 0.93 and
# the typo Volodymr/Volodymyr 0.98 pass; Mark/Marc 0.88 and John/Joan 0.87 do not.
FIRST_NAME_SIMILARITY_MIN = 0.90
# Co-mention evidence: for each person co-mentioned with a name, how surprising it is to see
# them that often in the name's articles if co-mentions were chance (Poisson tail, in -log10
# units, from their frequency in the whole corpus). Raw counts of shared co-mentions favour
# whoever is in most articles (a president is co-mentioned with everybody); a plain rate ratio
# (three times the corpus rate) still let chance decide for small clusters: on the synthetic
# corpus of the scale test, where co-mentions carry no signal at all, 6.7% of identities mixed
# two people with it, 0.5% with the Poisson tail. Evidence totalling EVIDENCE_MIN (about a
# one-in-10,000 coincidence) is enough; a role that only one candidate holds counts as much.
EVIDENCE_MIN = 4.0
# The best of several candidates for a partial name must have this many times the evidence of
# the next best.
EVIDENCE_MARGIN = 2.0
SURPRISE_CAP = 20.0  # per co-mentioned person, so one famous pairing cannot outweigh the rest
# Two similar spellings are a typo and its correction only when one is rare: seen in at most
# TYPO_MAX_ARTICLES articles, or TYPO_RATIO times less often than the other. Two established
# spellings are two people: David Davis and David Davies were both Conservative MPs.
TYPO_MAX_ARTICLES = 2
TYPO_RATIO = 5
# Articles read per name form to collect co-mentioned people: bounds the cost for a person in
# 100k articles; the first ones in article-id order, so the sample is the same on every run.
COMENTION_SAMPLE = 200
# Blocks larger than this are compared by sorted neighbourhood instead of all pairs.
MAX_BLOCK = 400
NEIGHBOURHOOD = 40
ID_LENGTH = 16  # hex digits of SHA-256, as for article ids

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
ROLE_FILLER = frozenset("the a an of for and former ex then current acting s".split())
# Single words too generic to link two organisations by ("the Government" in two countries).
GENERIC_ORG_WORDS = frozenset("""
government ministry department party council police army military alliance company firm court
parliament bank agency group committee commission administration office union board regime
""".split())
ACRONYM_STOPWORDS = frozenset("of the and for de des du la le et".split())

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
    # Volodymyr Zelensky" loses "Ukrainian" too; never cut the last token.
    cut = 0
    for i, token in enumerate(raw[:-1][:5]):
        if _bare(token) in TITLES:
            cut = i + 1
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


def _best_person_name(entity: Entity) -> PersonName | None:
    """The entity's name, or a fuller alias of the same person when the name is partial."""
    name = parse_person_name(entity.name)
    if name is None or name.kind == "full":
        return name or _first_parsed(entity.aliases)
    fuller = [
        alias for a in entity.aliases
        if (alias := parse_person_name(a)) is not None
        and alias.surname_key == name.surname_key
        and _rank(alias.kind) > _rank(name.kind)
        and (name.kind != "initial" or alias.first[:1] == name.first)
    ]
    if not fuller:
        return name
    return min(fuller, key=lambda n: (-_rank(n.kind), -len(n.display), n.display))


def _first_parsed(aliases: Iterable[str]) -> PersonName | None:
    parsed = sorted((p for a in aliases if (p := parse_person_name(a))),
                    key=lambda n: (-_rank(n.kind), -len(n.display), n.display))
    return parsed[0] if parsed else None


def _rank(kind: str) -> int:
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


def _middles_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    # "George W. Bush" and "George H. W. Bush" differ; a missing middle name is no conflict.
    if not a or not b:
        return True
    x, y = a[0], b[0]
    if len(x) == 1 or len(y) == 1:
        return x[0] == y[0]
    return skeleton(x) == skeleton(y)


def _initial_fits(initial: str, first: str) -> bool:
    return first.startswith(initial) or NICKNAMES.get(first, first).startswith(initial)


# --- Roles ----------------------------------------------------------------------------------


def role_key(title: str) -> str:
    """"the former Defence Secretary" -> "defence secretary"."""
    return " ".join(w for w in re.findall(r"\w+", fold(title)) if w not in ROLE_FILLER)


def shared_roles(a: dict[str, str], b: dict[str, str]) -> list[str]:
    """Role titles the two sides share: equal keys, or one's words within the other's
    ("President" and "Ukrainian President"). ``a``/``b`` map role key -> a display title."""
    out = set()
    for ka, ta in a.items():
        wa = set(ka.split())
        for kb, tb in b.items():
            wb = set(kb.split())
            if wa <= wb or wb <= wa:
                out.add(ta if len(ka) <= len(kb) else tb)
    return sorted(out)


def _role_titles(members: Iterable[_Member]) -> dict[str, str]:
    """Role key -> its most frequent title, most frequent roles first."""
    counts: Counter[tuple[str, str]] = Counter(role for m in members for role in m.roles)
    key_counts: Counter[str] = Counter()
    for (key, _), n in counts.items():
        key_counts[key] += n
    titles: dict[str, str] = {}
    for (key, title), _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][1])):
        titles.setdefault(key, title)
    return {k: titles[k] for k in sorted(titles, key=lambda k: (-key_counts[k], titles[k]))}


# --- Union-find -----------------------------------------------------------------------------


class _Clusters:
    """Union-find over member positions that remembers why each merge was made.

    For people it also keeps, per cluster, the articles, spelled-out first names and suffixes
    of its members, and refuses a merge that would join two in-article-distinct entities or two
    incompatible full names: that is the guard against chaining "Keir Starmer" and "Victoria
    Starmer" through some third entity.
    """

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))
        self.size = [1] * size
        self.reasons: dict[int, list[str]] = defaultdict(list)
        self.articles: dict[int, set[str]] = {}
        self.firsts: dict[int, set[str]] = {}
        self.suffixes: dict[int, set[str]] = {}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def track_person(self, i: int, article_id: str, name: PersonName | None) -> None:
        self.articles[i] = {article_id}
        full = name is not None and name.kind == "full"
        self.firsts[i] = {name.first} if full else set()
        self.suffixes[i] = {name.suffix} if full else set()

    def conflict(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb or ra not in self.articles:
            return False
        if not self.articles[ra].isdisjoint(self.articles[rb]):
            return True
        if self.suffixes[ra] and self.suffixes[rb] and self.suffixes[ra] != self.suffixes[rb]:
            return True
        return any(first_name_relation(x, y) == "different"
                   for x in self.firsts[ra] for y in self.firsts[rb])

    def union(self, a: int, b: int, reason: str | None = None, *, guarded: bool = True) -> bool:
        """Merge the clusters of ``a`` and ``b``; False when the guard refuses (or already one)."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb or (guarded and self.conflict(ra, rb)):
            return False
        if self.size[ra] < self.size[rb]:  # union by size keeps the trees shallow
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        self.reasons[ra].extend(self.reasons.pop(rb, []))
        if reason:
            self.reasons[ra].append(reason)
        for table in (self.articles, self.firsts, self.suffixes):
            if rb in table:
                table[ra] |= table.pop(rb)
        return True

    def groups(self, indices: Iterable[int]) -> dict[int, list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for i in indices:
            out[self.find(i)].append(i)
        return out


# --- Inputs ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Member:
    article_id: str
    entity: Entity
    roles: tuple[tuple[str, str], ...] = ()  # (role key, title) for each role the entity has
    person: PersonName | None = None


@dataclass(slots=True)
class _NameGroup:
    """Full-name members with the same folded name: the unit compared in pass 2."""

    name: PersonName
    members: list[int]
    display: str = ""
    articles: list[str] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)


# Fuller names a partial name may join: surname key -> (root, first name, suffix) -> a member.
_Targets = dict[str, dict[tuple[int, str, str], int]]


@dataclass(slots=True, order=True)
class _Merge:
    sort_key: tuple
    a: int = field(compare=False)
    b: int = field(compare=False)
    reason: str = field(compare=False)


@dataclass(slots=True, frozen=True)
class _Company:
    """Who a set of articles mentions: people (surname keys) -> articles, over ``articles``."""

    counts: Counter[str]
    articles: int


class _Comentions:
    """Which people each article mentions (by surname key), and which of them keep a name's
    company more often than chance would."""

    def __init__(self, members: list[_Member], people: list[int]) -> None:
        self.by_article: dict[str, set[str]] = defaultdict(set)
        self.display: dict[str, str] = {}
        for i in people:
            name = members[i].person
            if name is not None and name.surname_key:
                self.by_article[members[i].article_id].add(name.surname_key)
                self.display.setdefault(name.surname_key, name.display.split()[-1])
        self.frequency = Counter(k for keys in self.by_article.values() for k in keys)
        self.total = max(len(self.by_article), 1)

    def company(self, articles: Iterable[str]) -> _Company:
        sample = sorted(set(articles))[:COMENTION_SAMPLE]
        return _Company(Counter(k for a in sample for k in self.by_article.get(a, ())), len(sample))

    def evidence(self, keys: Iterable[str], company: _Company) -> tuple[float, str]:
        """How surprising the company's co-mentions of ``keys`` are: the total surprise, and
        the most telling people as text ("Jeffries 3/3, Schumer 2/3": in 3 of 3 articles...)."""
        found = []
        for key in keys:
            seen = company.counts.get(key, 0)
            expected = self.frequency[key] / self.total * company.articles
            if (score := surprise(seen, expected)) > 0:
                found.append((-score, self.display[key], seen))
        found.sort()
        text = ", ".join(f"{name} {seen}/{company.articles}" for _, name, seen in found[:5])
        return -sum(score for score, _, _ in found), text


def surprise(seen: int, expected: float) -> float:
    """-log10 of the chance of seeing something ``seen`` or more times where ``expected`` is
    the mean (Poisson), capped at SURPRISE_CAP; 0 when ``seen`` is not above the mean.

    The tail is bounded by its first term times the geometric series that dominates the rest.
    """
    if seen <= expected or seen == 0:
        return 0.0
    if expected <= 0:
        return SURPRISE_CAP
    log_first = -expected + seen * math.log(expected) - math.lgamma(seen + 1)
    log_tail = log_first - math.log(1 - expected / (seen + 1))
    return min(max(-log_tail / math.log(10), 0.0), SURPRISE_CAP)


# --- The entry point ------------------------------------------------------------------------


def merge_people(entities: Iterable[tuple[str, Entity]]) -> list[Identity]:
    """Merge in-article entities, given as (article_id, entity), into cross-article identities.

    Entities merge only with entities of the same type. The result is the same for any order
    of the input: identities are sorted by type, then name, then id. See the module docstring
    for the rules; the work is near-linear in the input (comparisons happen only inside small
    blocks of similar names).
    """
    role_keys: dict[str, str] = {}  # titles repeat a lot: fold each once per call
    members = []
    for article_id, entity in sorted(entities, key=lambda p: (p[0], p[1].id, p[1].name, p[1].type)):
        roles = []
        for role in entity.roles:
            title = role.title.strip()
            if title not in role_keys:
                role_keys[title] = role_key(title)
            if role_keys[title]:
                roles.append((role_keys[title], title))
        members.append(_Member(article_id, entity, tuple(roles)))
    clusters = _Clusters(len(members))
    by_type: dict[str, list[int]] = defaultdict(list)
    for i, member in enumerate(members):
        by_type[member.entity.type].append(i)
    for type_, indices in by_type.items():
        if type_ == "PERSON":
            _link_people(members, indices, clusters)
        else:
            _link_named_things(members, indices, clusters)
    identities = [
        _identity(members, group, clusters.reasons.get(root, []))
        for indices in by_type.values()
        for root, group in clusters.groups(indices).items()
    ]
    return _with_unique_ids(identities)


# --- People ---------------------------------------------------------------------------------


def _link_people(members: list[_Member], people: list[int], clusters: _Clusters) -> None:
    parsed: dict[tuple[str, tuple[str, ...]], PersonName | None] = {}  # names repeat a lot
    for i in people:
        entity = members[i].entity
        if (entity.name, entity.aliases) not in parsed:
            parsed[entity.name, entity.aliases] = _best_person_name(entity)
        members[i].person = parsed[entity.name, entity.aliases]
        clusters.track_person(i, members[i].article_id, members[i].person)
    comentions = _Comentions(members, people)
    groups = _full_name_groups(members, people, clusters)
    _merge_similar_full_names(groups, clusters, comentions)
    ambiguous: set[int] = set()
    for kind in ("initial", "surname"):
        partial = [i for i in people if members[i].person and members[i].person.kind == kind]
        ambiguous |= _attach_partial_names(members, people, partial, clusters, comentions, ambiguous)


def _full_name_groups(members: list[_Member], people: list[int], clusters: _Clusters) -> list[_NameGroup]:
    """Pass 1: merge full names that are equal once folded; return one group per folded name."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for i in people:
        name = members[i].person
        if name is not None and name.kind == "full":
            by_key[name.key].append(i)
    groups = []
    for key in sorted(by_key):
        indices = by_key[key]
        group = _NameGroup(members[indices[0]].person, indices)
        group.display = _most_frequent([members[i].person.display for i in indices])
        group.articles = sorted({members[i].article_id for i in indices})
        group.roles = _role_titles(members[i] for i in indices)
        for i in indices[1:]:
            # Equal folded names are one person even within an article (the analyzer's split).
            variant = members[i].person.display
            reason = (f"{variant} ~ {group.display}: same name ignoring case, accents and titles"
                      if variant != group.display else None)
            clusters.union(indices[0], i, reason, guarded=False)
        groups.append(group)
    return groups


def _merge_similar_full_names(groups: list[_NameGroup], clusters: _Clusters,
                              comentions: _Comentions) -> None:
    """Pass 2: compare distinct full names within blocks; merge the strongest pairs first."""
    cache: dict[int, _Company] = {}

    def comentioned(g: int) -> _Company:  # computed only for pairs that get that far
        if g not in cache:
            cache[g] = comentions.company(groups[g].articles)
        return cache[g]

    merges = [m for a, b in _candidate_pairs(groups)
              if (m := _compare_full_names(groups, a, b, comentioned, comentions)) is not None]
    for merge in sorted(merges):
        clusters.union(groups[merge.a].members[0], groups[merge.b].members[0], merge.reason)


def _block_keys(name: PersonName) -> list[tuple[str, str, str]]:
    # Three ways in, so that one spelling slip does not keep a pair apart: the surname skeleton
    # (transliterations), its letters sorted (transposed letters: Zelenksy), and the first name
    # with the surname's start (any other typo in the surname). The first two are split by the
    # first name's initial, as different initials are never compared anyway.
    initial = name.first_key[:1]
    return [("surname", name.surname_key, initial),
            ("letters", "".join(sorted(name.surname_key)), initial),
            ("first", name.first_key, name.surname_key[:3])]


def _candidate_pairs(groups: list[_NameGroup]) -> Iterator[tuple[int, int]]:
    blocks: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for g, group in enumerate(groups):
        for key in _block_keys(group.name):
            blocks[key].append(g)
    seen: set[tuple[int, int]] = set()
    for block in blocks.values():
        if len(block) <= MAX_BLOCK:
            pairs = combinations(block, 2)
        else:  # a huge block ("John Smith" and kin): compare neighbours in sorted order only
            ordered = sorted(block, key=lambda g: groups[g].name.key)
            pairs = ((ordered[i], ordered[j]) for i in range(len(ordered))
                     for j in range(i + 1, min(i + 1 + NEIGHBOURHOOD, len(ordered))))
        for a, b in pairs:
            pair = (min(a, b), max(a, b))
            if pair not in seen:
                seen.add(pair)
                yield pair


def _compare_full_names(groups: list[_NameGroup], a: int, b: int, comentioned: Callable[[int], _Company],
                        comentions: _Comentions) -> _Merge | None:
    """Decide whether two full-name groups are one person, with the reason, or None."""
    x, y = groups[a].name, groups[b].name
    relation = first_name_relation(x.first, y.first)
    if relation == "different" or x.suffix != y.suffix or not _middles_compatible(x.middle, y.middle):
        return None
    similarity = fuzz.ratio(x.short, y.short) / 100
    same_spelling = relation == "same" and x.surname_key == y.surname_key
    if not same_spelling and similarity < NAME_SIMILARITY_MIN:
        return None
    if not same_spelling and relation != "nickname" and not _one_is_rare(groups[a], groups[b]):
        return None  # two established spellings: two people
    notes = []
    if same_spelling:
        notes.append("same name up to accents, transliteration and middle names")
    elif relation == "nickname":
        notes.append(f"'{x.first}' and '{y.first}' are forms of one first name")
    roles = shared_roles(groups[a].roles, groups[b].roles)
    # Co-mentions: the people of the smaller name's articles, in the larger name's company.
    small, large = sorted((a, b), key=lambda g: (len(groups[g].articles), g))
    keys: set[str] = set()
    for article_id in groups[small].articles[:COMENTION_SAMPLE]:
        keys |= comentions.by_article.get(article_id, set())
    score, people = comentions.evidence(keys - {x.surname_key, y.surname_key}, comentioned(large))
    if not same_spelling and not roles and score < EVIDENCE_MIN:
        return None  # similar names but nothing else in common: could be two people
    notes += [f"shared role '{r}'" for r in roles]
    if score >= EVIDENCE_MIN:
        notes.append(f"co-mentioned with {people}")
    # Merge the best-supported pairs first, so that when the guard must refuse one of two
    # conflicting merges, it refuses the weaker.
    strength = (0 if same_spelling else 1, -len(roles) * EVIDENCE_MIN - score, -similarity)
    joined, target = sorted((groups[a], groups[b]), key=lambda g: len(g.members))
    reason = f"{joined.display} ~ {target.display}: name similarity {similarity:.2f}; " + "; ".join(notes)
    return _Merge((*strength, x.key, y.key), a, b, reason)


def _one_is_rare(a: _NameGroup, b: _NameGroup) -> bool:
    rare, common = sorted((len(a.articles), len(b.articles)))
    return rare <= TYPO_MAX_ARTICLES or rare * TYPO_RATIO <= common


def _attach_partial_names(members: list[_Member], people: list[int], partial: list[int],
                          clusters: _Clusters, comentions: _Comentions, ambiguous: set[int]) -> set[int]:
    """Pass 3 and 4 for one kind of partial name ("initial", then "surname").

    Returns the partial names left alone because several clusters fit them: they are no
    target for the next, shorter kind ("J. Healey" between John and Jane Healey tells "Healey"
    nothing)."""
    if not partial:
        return set()
    kind = members[partial[0]].person.kind
    # Targets: the fuller names, one per (cluster, first name, suffix), as clusters stand now;
    # the pass decides against this frozen picture and applies its merges afterwards.
    targets: _Targets = defaultdict(dict)
    by_letters: _Targets = defaultdict(dict)
    for i in people:
        name = members[i].person
        if name is not None and _rank(name.kind) > _rank(kind) and i not in ambiguous:
            slot = (clusters.find(i), name.first, name.suffix)
            targets[name.surname_key].setdefault(slot, i)
            by_letters["".join(sorted(name.surname_key))].setdefault(slot, i)
    clusters_now = clusters.groups(people)
    evidence = _ClusterEvidence(members, clusters_now, comentions)

    decisions: list[tuple[int, int | None, str | None]] = []
    for i in partial:
        target, reason = _choose_cluster(members, i, targets, by_letters, clusters, evidence)
        decisions.append((i, target, reason))
    leftovers: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    unresolved = set()
    for i, target, reason in decisions:
        if target is not None:
            clusters.union(target, i, reason)
        elif reason == "ambiguous":
            unresolved.add(i)
        else:  # no fuller name anywhere: group with the same partial name
            name = members[i].person
            leftovers[name.first, name.surname_key, name.suffix].append(i)
    for indices in leftovers.values():
        first = indices[0]
        shown = members[first].person.display
        for i in indices[1:]:
            variant = members[i].person.display
            reason = (f"{variant} ~ {shown}: same name up to accents and transliteration"
                      if fold(variant) != fold(shown) else None)
            clusters.union(first, i, reason)
    return unresolved


class _ClusterEvidence:
    """Roles and co-mentioned people of each cluster, computed when first asked for."""

    def __init__(self, members: list[_Member], groups: dict[int, list[int]], comentions: _Comentions):
        self.members, self.groups, self.comentions = members, groups, comentions
        self._roles: dict[int, dict[str, str]] = {}
        self._people: dict[int, _Company] = {}
        self._display: dict[int, str] = {}

    def roles(self, root: int) -> dict[str, str]:
        if root not in self._roles:
            self._roles[root] = _role_titles(self.members[i] for i in self.groups[root])
        return self._roles[root]

    def people(self, root: int) -> _Company:
        if root not in self._people:
            self._people[root] = self.comentions.company(self.members[i].article_id for i in self.groups[root])
        return self._people[root]

    def display(self, root: int) -> str:
        if root not in self._display:
            self._display[root] = _identity_name([self.members[i].person for i in self.groups[root]
                                                  if self.members[i].person])
        return self._display[root]


def _choose_cluster(members: list[_Member], i: int, targets: _Targets, by_letters: _Targets,
                    clusters: _Clusters, evidence: _ClusterEvidence) -> tuple[int | None, str | None]:
    """The cluster a partial name joins, with the reason; (None, None) when there is no
    candidate at all, (None, "ambiguous") when evidence cannot pick between several."""
    member = members[i]
    name = member.person
    roots = _compatible_roots(name, targets.get(name.surname_key, {}), members, clusters, member.article_id)
    by_spelling_slip = False
    if not roots:  # maybe a slip of the pen ("Zelenksy"): only with evidence below
        roots = _compatible_roots(name, by_letters.get("".join(sorted(name.surname_key)), {}),
                                  members, clusters, member.article_id)
        by_spelling_slip = bool(roots)
    if not roots:
        return None, None
    if len(roots) == 1 and not by_spelling_slip:
        root = roots[0]
        return root, (f"{name.display} ~ {evidence.display(root)}: the only person named "
                      f"{evidence.display(root).split()[-1]} with a compatible name")
    own_roles = _role_titles([member])
    own_people = evidence.comentions.by_article.get(member.article_id, set()) - {name.surname_key}
    role_matches = {root: shared_roles(own_roles, evidence.roles(root)) for root in roots}
    role_holders = Counter(r for roles in role_matches.values() for r in roles)
    scored = []
    for root in roots:
        # A role only counts when it tells the candidates apart ("Minister" may fit several).
        roles = [r for r in role_matches[root] if role_holders[r] == 1]
        score, people = evidence.comentions.evidence(own_people, evidence.people(root))
        scored.append((len(roles) * EVIDENCE_MIN + score, root, roles, people, score))
    scored.sort(key=lambda s: (-s[0], evidence.display(s[1]), s[1]))
    best = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    if best[0] < EVIDENCE_MIN or best[0] < EVIDENCE_MARGIN * runner_up:
        return None, "ambiguous"
    notes = [f"shared role '{r}'" for r in best[2]]
    if best[4] >= EVIDENCE_MIN / 2:
        notes.append(f"co-mentioned with {best[3]}")
    if by_spelling_slip:
        notes.append("surname letters transposed")
    others = [evidence.display(s[1]) for s in scored[1:]]
    if others:
        more = f" and {len(others) - 3} more" if len(others) > 3 else ""
        notes.append("over " + ", ".join(others[:3]) + more)
    return best[1], f"{name.display} ~ {evidence.display(best[1])}: " + "; ".join(notes)


def _compatible_roots(name: PersonName, candidates: dict[tuple[int, str, str], int],
                      members: list[_Member], clusters: _Clusters, article_id: str) -> list[int]:
    roots = set()
    for j in candidates.values():
        other = members[j].person
        if name.suffix and other.suffix != name.suffix:
            continue
        if name.kind == "initial" and not _initial_fits(name.first, other.first):
            continue
        root = clusters.find(j)
        if article_id not in clusters.articles[root]:  # the analyzer kept them apart
            roots.add(root)
    return sorted(roots)


# --- Organisations and places ---------------------------------------------------------------


def org_key(text: str) -> str:
    """"the U.S." -> "us"; "NATO's" -> "nato"; "Nato" -> "nato"."""
    folded = re.sub(r"'s\b", "", fold(text)).replace(".", "")
    tokens = re.findall(r"\w+", folded)
    if tokens and tokens[0] == "the":
        tokens = tokens[1:]
    return " ".join(tokens)


def acronyms(key: str) -> set[str]:
    """Initials of a multi-word name, with and without small words: "bank of england" ->
    {"be", "boe"}; "north atlantic treaty organization" -> {"nato"}."""
    words = key.split()
    if len(words) < 2:
        return set()
    content = [w for w in words if w not in ACRONYM_STOPWORDS]
    return {"".join(w[0] for w in words), "".join(w[0] for w in content)} - {""}


def is_short_form(surface: str) -> bool:
    """Could this be an acronym? "NATO", "US", "U.S.", "BoE", "Nato" yes; "Ukraine" no."""
    key = org_key(surface)
    letters = re.sub(r"[^\w]", "", surface.removeprefix("the ").removeprefix("The "))
    if " " in key or not key.isalpha() or not 2 <= len(key) <= 6:
        return False
    capitals = sum(c.isupper() for c in letters)
    return capitals >= 2 or (capitals == 1 and 3 <= len(key) <= 4)  # "Nato", "Opec"


def _usable_alias(alias: str) -> bool:
    # A capital letter tells a name ("the Alliance"?) from a description ("the alliance");
    # single generic words are never used to link.
    key = org_key(alias)
    return bool(key) and any(c.isupper() for c in alias) and key not in GENERIC_ORG_WORDS


def _link_named_things(members: list[_Member], indices: list[int], clusters: _Clusters) -> None:
    """Organisations and places: shared normalised names or aliases, then acronyms."""
    anchors: dict[str, tuple[int, str, bool]] = {}  # form -> (member, its surface, is its name)
    for i in indices:
        entity = members[i].entity
        forms = [(entity.name, True)] + [(a, False) for a in sorted(set(entity.aliases)) if _usable_alias(a)]
        for surface, is_name in forms:
            key = org_key(surface)
            if not key:
                continue
            if key not in anchors:
                anchors[key] = (i, surface, is_name)
                continue
            j, other_surface, other_is_name = anchors[key]
            if clusters.find(i) == clusters.find(j):
                continue
            other_name = members[j].entity.name
            if is_name and other_is_name:
                reason = (None if surface == other_surface else
                          f"{surface} ~ {other_surface}: same name ignoring case, punctuation and 'the'")
            else:
                reason = f"{entity.name} ~ {other_name}: both called '{surface if not is_name else other_surface}'"
            clusters.union(j, i, reason, guarded=False)
    _link_acronyms(members, indices, clusters)


def _link_acronyms(members: list[_Member], indices: list[int], clusters: _Clusters) -> None:
    # Initials -> the clusters with a full name having them, as clusters stand after the name
    # pass. An acronym links only when exactly one cluster has those initials: "UN" must not
    # join "United Nations" and "University of Nottingham" together.
    full_names: dict[str, dict[int, str]] = defaultdict(dict)
    short_forms: list[tuple[int, str]] = []
    for i in indices:
        entity = members[i].entity
        for surface in [entity.name, *sorted(a for a in set(entity.aliases) if _usable_alias(a))]:
            key = org_key(surface)
            for acronym in acronyms(key):
                full_names[acronym].setdefault(clusters.find(i), surface)
            if is_short_form(surface):
                short_forms.append((i, surface))
    for i, surface in short_forms:
        owners = full_names.get(org_key(surface), {})
        if len(owners) == 1:
            (root, full), = owners.items()
            if clusters.find(i) != clusters.find(root):
                clusters.union(root, i, f"{surface} ~ {full}: acronym of the full name", guarded=False)


# --- Identities -----------------------------------------------------------------------------


def _most_frequent(forms: list[str]) -> str:
    """Most frequent form; ties go to the longest, then the alphabetically first."""
    counts = Counter(forms)
    return min(counts, key=lambda f: (-counts[f], -len(f), f))


def _identity_name(names: list[PersonName]) -> str:
    full = [n.display for n in names if n.kind == "full"]
    return _most_frequent(full or [n.display for n in names])


def _identity(members: list[_Member], indices: list[int], reasons: list[str]) -> Identity:
    group = [members[i] for i in indices]
    type_ = group[0].entity.type
    if type_ == "PERSON" and any(m.person for m in group):
        name = _identity_name([m.person for m in group if m.person])
    else:
        name = _most_frequent([m.entity.name.strip() for m in group])
    surfaces = Counter(s.strip() for m in group for s in (m.entity.name, *m.entity.aliases) if s.strip())
    surfaces.pop(name, None)
    roles = _role_titles(group)
    return Identity(
        id="",  # given by _with_unique_ids
        name=name,
        type=type_,
        aliases=tuple(sorted(surfaces, key=lambda s: (-surfaces[s], s))),
        roles=tuple(roles.values()),
        members=tuple(sorted({(m.article_id, m.entity.id) for m in group})),
        merges=tuple(reasons),
    )


def _name_id_key(identity: Identity) -> str:
    # Hash the spelling-insensitive form of the name, so the id survives the name flipping
    # between "Zelensky" and "Zelenskyy" as the corpus grows.
    if identity.type == "PERSON" and (name := parse_person_name(identity.name)):
        return " ".join(filter(None, [skeleton(name.first), *map(skeleton, name.surname.split()), name.suffix]))
    return org_key(identity.name)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:ID_LENGTH]


def _with_unique_ids(identities: list[Identity]) -> list[Identity]:
    """Give each identity an id derived from its type and canonical name.

    The canonical name, not the member list, so that an identity keeps its id when new articles
    add members (links to it stay valid); members only break ties: when names collide (two
    unresolved "Johnson"s), the identity with most members keeps the plain name hash and each
    other one hashes in its smallest member key as well.
    """
    by_key: dict[tuple[str, str], list[Identity]] = defaultdict(list)
    for identity in identities:
        by_key[identity.type, _name_id_key(identity)].append(identity)
    out = []
    for (type_, key), same in by_key.items():
        same.sort(key=lambda x: (-len(x.members), x.members[0]))
        for n, identity in enumerate(same):
            extra = () if n == 0 else identity.members[0]
            out.append(replace(identity, id=_digest(type_, key, *extra)))
    return sorted(out, key=lambda x: (x.type, x.name.casefold(), x.name, x.id))

