"""People, organisations and places in one article, each with its in-article identity.

spaCy's NER finds the mentions; what it does not do is say that "Keir Starmer", "Sir Keir
Starmer", "Starmer" and "Mr Starmer" are one person, or that a name tagged ORG once and PERSON
four times is a person. That clustering is written here by hand because no maintained library
does in-article name clustering for news (coreference models need weights we cannot ship):

- names are normalised (honorifics and possessives stripped, whitespace collapsed);
- a multi-word name joins a cluster when it shares the surname and the first names agree
  (same first name, or an initial, or one side has none);
- a one-word name joins the single cluster whose surname it is (or, after "Sir"/"Dame"/"Lord",
  whose first name it is: "Sir Iain" is Sir Iain Duncan Smith); a near miss of one edit on a
  long surname counts, so a typo does not split a person;
- the type of a cluster is a vote over its mentions, with PERSON winning ties;
- after clustering, untagged occurrences of a known surname are added as mentions, because the
  small model misses many bare surnames, and the speaker resolver needs them.

The names and the rules for a name joining a cluster (:class:`Cluster`) live in ``clusters``;
this module finds the mentions and drives the clustering.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.analyze import entity_types, gender
from storyline.analyze import roles as roles_mod
from storyline.analyze.clusters import HONORIFICS, PEERAGE, Cluster, Name, parse_name
from storyline.analyze.places import is_place
from storyline.folding import fold
from storyline.records import Entity, Mention

if TYPE_CHECKING:  # spaCy's types, for annotations only: spaCy loads with the pipeline
    from storyline.analyze.nlp import Doc, Span

TYPE_OF_LABEL = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}


class People:
    """The entities of one article: clusters plus lookups the speaker resolver needs."""

    def __init__(self, article_id: str, clusters: list[Cluster], doc: Doc):
        self.article_id = article_id
        self.clusters = clusters
        self.doc = doc
        self._by_token: dict[int, Cluster] = {}
        for cluster in clusters:
            for start, end, _ in cluster.mentions:
                span = doc.char_span(start, end, alignment_mode="expand")
                if span is not None:
                    for token in span:
                        self._by_token[token.i] = cluster

    def cluster_at(self, token_i: int) -> Cluster | None:
        return self._by_token.get(token_i)

    def in_span(self, span: Span) -> Cluster | None:
        """The entity named inside a span, preferring a PERSON, then the right-most (the head)."""
        found = [self._by_token[t.i] for t in span if t.i in self._by_token]
        people = [c for c in found if c.type == "PERSON"]
        pool = people or found
        return pool[-1] if pool else None

    def with_role(self, title: str, before: int | None = None) -> Cluster | None:
        """The person the article gives this title ("the Prime Minister" -> Keir Starmer)."""
        return roles_mod.holder(title, [c for c in self.clusters if c.type == "PERSON"], before)

    def records(self) -> tuple[Entity, ...]:
        out = []
        for cluster in self.clusters:
            aliases = sorted({m[2] for m in cluster.mentions} - {cluster.name})
            out.append(
                Entity(
                    id=cluster.id,
                    name=cluster.name,
                    type=cluster.type,  # type: ignore[arg-type]
                    aliases=tuple(aliases),
                    mentions=tuple(
                        Mention(self.article_id, s, e, t) for s, e, t in sorted(cluster.mentions)
                    ),
                    roles=tuple(cluster.roles),
                )
            )
        return tuple(out)


def _mention_span(ent: Span) -> Span:
    """Drop a leading "the" and a trailing possessive from an entity span."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and doc[start].lower_ in {"the", "a", "an"}:
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].text in {"'s", "’s", "'", "’"}):
        end -= 1
    if ent.label_ == "PERSON":
        # NER spans sometimes start on a verb or a possessive ("Following Starmer",
        # "’s Questions"): a name starts with a capitalised proper noun.
        while start < end and not (doc[start].text[:1].isupper() and doc[start].pos_ in {"PROPN", "NOUN", "ADJ"}):
            start += 1
        if start < end and doc[start].tag_ == "VBG":
            start += 1
        # A title the NER took into the name ("Mayor Ana Ortiz") is a role, found as a
        # premodifier once the name starts after it.
        while end - start > 1 and (doc[start].lower_ in roles_mod.ROLE_HEADS or doc[start].lower_ in {"former", "ex", "deputy", "acting", "shadow"}):
            start += 1
    return doc[_after_title_of(doc, start, end):end]


def _after_title_of(doc: Doc, start: int, end: int) -> int:
    """Where the name starts in a span that took in the end of an "X of Y" title ("Secretary of
    State Daniel Ames" is tagged "State Daniel Ames", an organisation): at its first known first
    name when the span follows a title's "of" (or "of the"), starts with no first name itself,
    and leaves a name of two or three proper nouns with nothing else ("chairman of the John
    Lewis Partnership" and "Prime Minister of Saint Vincent and the Grenadines" stay whole)."""
    if not roles_mod.ends_of_title(doc, start) or gender.of_first_name(doc[start].text) is not None:
        return start
    for i in range(start + 1, end - 1):
        if gender.of_first_name(doc[i].text) is not None:
            rest = doc[i:end]
            if len(rest) <= 3 and all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in rest) \
                    and not any(fold(t.text) in ORG_WORDS for t in rest):
                return i
            return start
    return start


def extract(doc: Doc, article_id: str) -> People:
    clusters: list[Cluster] = []
    by_key: dict[tuple[str, tuple[str, ...]], Cluster] = {}
    pending_single: list[tuple[Span, Name, str]] = []

    def new_cluster(type_: str) -> Cluster:
        prefix = {"PERSON": "p", "ORG": "o", "PLACE": "l"}[type_]
        cluster = Cluster(id=f"{prefix}{sum(1 for c in clusters if c.id[0] == prefix) + 1}")
        clusters.append(cluster)
        return cluster

    def add(cluster: Cluster, span: Span, name: Name, type_: str) -> None:
        cluster.names.append(name)
        cluster.mentions.append((span.start_char, span.end_char, span.text))
        cluster.labels[type_] += 1
        if name.gender and not cluster.gender:
            cluster.gender = name.gender

    for ent in doc.ents:
        type_ = TYPE_OF_LABEL.get(ent.label_)
        if type_ is None:
            continue
        span = _mention_span(ent)
        if not len(span) or not any(t.is_alpha for t in span) or ent[0].text in {"'s", "’s"}:
            continue
        # Honorifics sit just outside the NER span ("Sir Keir Starmer" is tagged "Keir Starmer").
        prev = doc[span.start - 1] if span.start > 0 else None
        raw = span.text
        if prev is not None and (prev.lower_ in HONORIFICS or prev.lower_ in PEERAGE):
            raw = f"{prev.text} {raw}"
            if prev.lower_ in PEERAGE:
                span = doc[span.start - 1 : span.end]
        name = parse_name(raw)
        if not name.tokens:
            continue
        if type_ == "PERSON" or (type_ == "ORG" and len(name.tokens) <= 3 and _looks_personal(span)):
            if len(name.tokens) == 1:
                pending_single.append((span, name, type_))
                continue
            target = next(
                (c for c in reversed(clusters) if c.type == "PERSON" and c.accepts(name)), None
            )
            if target is None:
                key = ("name", name.tokens)
                target = by_key.get(key)
            if target is None:
                target = new_cluster("PERSON")
                by_key[("name", name.tokens)] = target
            add(target, span, name, type_)
            continue
        if type_ == "ORG" and len(name.tokens) == 1 and span[0].text[:1].isupper():
            # A bare surname tagged ORG ("Starmer said") is decided once all names are known.
            pending_single.append((span, name, type_))
            continue
        key = (type_, tuple(t for t in name.tokens))
        target = by_key.get(key) or _place_or_org_alias(clusters, name, type_)
        if target is None:
            target = new_cluster(type_)
            by_key[key] = target
        add(target, span, name, type_)

    # One-word names wait until all full names are known: "Starmer" early in an article
    # belongs with "Keir Starmer" named later.
    for span, name, type_ in pending_single:
        persons = [c for c in clusters if c.type == "PERSON" and len(c.full.tokens) > 1 and c.accepts(name)]
        if len(persons) > 1:
            # Ambiguous surname: prefer the nearest earlier full mention.
            earlier = [c for c in persons if min(m[0] for m in c.mentions) < span.start_char]
            persons = earlier[-1:] if earlier else []
        if persons:
            # Matching a known person's surname is itself evidence of a person: an ORG tag on
            # a bare "Trump" votes PERSON.
            add(persons[0], span, name, "PERSON")
            continue
        key = (type_ if type_ != "PERSON" else "name", name.tokens)
        target = by_key.get(key) or by_key.get(("name", name.tokens))
        if target is None:
            target = next(
                (c for c in clusters if c.names and c.full.tokens == name.tokens), None
            )
        if target is None:
            target = new_cluster("PERSON" if type_ == "PERSON" else type_)
            by_key[key] = target
        add(target, span, name, type_)

    entity_types.correct(doc, clusters)
    clusters[:] = _join_corrected_surnames(clusters)
    _renumber(clusters)
    for cluster in clusters:
        if cluster.type == "PERSON" and cluster.gender is None and len(cluster.full.tokens) > 1:
            cluster.gender = gender.of_first_name(cluster.full.text.split(" ")[0])
            cluster.gender_guessed = cluster.gender is not None
    _add_bare_surnames(doc, clusters)
    roles_mod.attach(doc, article_id, clusters)
    return People(article_id, clusters, doc)


def _join_corrected_surnames(clusters: list[Cluster]) -> list[Cluster]:
    """A one-word organisation or person that is the surname of exactly one person named in
    full, once the types are corrected, is that person: "the chief executive, Alina Mbeki"
    (tagged a place, a person by her title) and then "Mbeki said" (tagged an organisation) were
    two entities, because bare names are matched to the full names that are people before the
    correction ("Alina Okafor" tagged ORG and "Okafor" PERSON: two Okafors in one article). A
    known place is left alone (entity_types: "Jordan" is a country without a title), and so is
    a full name that stays an organisation ("Villa" beside "Aston Villa")."""
    full = [c for c in clusters if c.type == "PERSON" and len(c.full.tokens) > 1]
    kept = []
    for cluster in clusters:
        if cluster.type in {"ORG", "PERSON"} and all(len(n.tokens) == 1 for n in cluster.names) \
                and not any(is_place(n.text) for n in cluster.names):
            owners = [c for c in full if c is not cluster and all(c.accepts(n) for n in cluster.names)]
            if len(owners) == 1:
                owner = owners[0]
                owner.names += cluster.names
                owner.mentions = sorted(owner.mentions + cluster.mentions)
                owner.labels["PERSON"] += len(cluster.mentions)
                owner.gender = owner.gender or cluster.gender  # "Mrs Okafor" says it
                continue
        kept.append(cluster)
    return kept


def _renumber(clusters: list[Cluster]) -> None:
    """Ids by the final type ("p3" is a person), in order of first appearance within a type."""
    counts: dict[str, int] = {}
    for cluster in clusters:
        prefix = {"PERSON": "p", "ORG": "o", "PLACE": "l"}[cluster.type]
        counts[prefix] = counts.get(prefix, 0) + 1
        cluster.id = f"{prefix}{counts[prefix]}"


def _looks_personal(span: Span) -> bool:
    """An ORG tag on what is grammatically a person's name ("Starmer said") gets a PERSON vote
    only through the clustering: a multi-token ORG is treated as a person when it has the
    shape First Last with both tokens title-case PROPN and no organisation word."""
    words = [t for t in span if t.is_alpha]
    if len(words) != 2:
        return False
    return all(t.pos_ == "PROPN" and t.text[:1].isupper() and not t.text.isupper() for t in words) and not any(
        fold(t.text) in ORG_WORDS for t in words
    )


ORG_WORDS = {
    "party", "government", "ministry", "department", "office", "council", "bank", "house",
    "union", "committee", "news", "times", "post", "press", "agency", "group", "university",
    "institute", "commission", "company", "inc", "corp", "ltd", "association", "foundation",
    "league", "club", "court", "parliament", "senate", "congress", "army", "force", "forces",
    "nato", "labour", "conservatives", "tories", "democrats", "republicans", "paper", "daily",
}


def _place_or_org_alias(clusters: list[Cluster], name: Name, type_: str) -> Cluster | None:
    """"NATO" and "Nato" are one organisation; an acronym matches its spelled-out form."""
    folded = "".join(name.tokens)
    for cluster in clusters:
        if cluster.type != type_ and not (cluster.type in {"ORG", "PLACE"} and type_ in {"ORG", "PLACE"}):
            continue
        for other in cluster.names:
            if other.tokens == name.tokens:
                return cluster
            initials = "".join(t[0] for t in other.tokens if t not in {"of", "the", "and"})
            if len(name.tokens) == 1 and len(folded) >= 2 and folded == initials and len(other.tokens) > 1:
                return cluster
            initials_new = "".join(t[0] for t in name.tokens if t not in {"of", "the", "and"})
            if len(other.tokens) == 1 and len(name.tokens) > 1 and other.tokens[0] == initials_new:
                return cluster
    return None


def _add_bare_surnames(doc: Doc, clusters: list[Cluster]) -> None:
    """Untagged occurrences of a known person's surname become mentions of that person."""
    surnames: dict[str, list[Cluster]] = {}
    for cluster in clusters:
        if cluster.type == "PERSON" and len(cluster.full.tokens) > 1:
            surnames.setdefault(cluster.surname, []).append(cluster)
    for cluster in clusters:
        # A person known by one name only ("Ukrainian President Zelenskyy"): the NER misses
        # the same name in the next sentence ("Zelenskyy has indicated ...").
        if cluster.type == "PERSON" and len(cluster.full.tokens) == 1 and cluster.surname not in surnames:
            surnames[cluster.surname] = [cluster]
    if not surnames:
        return
    covered = set()
    for cluster in clusters:
        for start, end, _ in cluster.mentions:
            covered.update(range(start, end))
    for token in doc:
        if token.idx in covered or not token.text[:1].isupper() or token.pos_ not in {"PROPN", "NOUN", "ADJ"}:
            continue
        owners = surnames.get(fold(token.text))
        if not owners or len(owners) != 1:
            continue
        cluster = owners[0]
        name = parse_name(token.text)
        cluster.names.append(name)
        cluster.mentions.append((token.idx, token.idx + len(token.text), token.text))
        cluster.labels["PERSON"] += 1
