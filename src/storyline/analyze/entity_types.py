"""Entity types corrected with evidence from the whole article.

The NER tags each mention on its own, and the small model gets names it has not seen wrong:
"Zelenskyy" comes out a place (so his quote went to Trump), "Kyiv" a person, and "ITV's Peston
programme" a person. Once an article's mentions are clustered, the cluster's type is corrected
from what the article says about it:

- a well-known place (countries, capitals, major cities: :mod:`storyline.analyze.places`) named
  only by that one word, with no honorific or title, is a PLACE, whatever the tagger voted;
- a name with a title just before it ("Ukrainian President Zelenskyy") or a title in apposition,
  or, for a name tagged as a place that is not a known place, a name that is the subject of a
  verb of saying ("Zelenskyy has indicated ..."), is a PERSON. An organisation that speaks
  ("Reuters reported") stays an organisation: only a title turns an ORG into a person;
- a "person" named only as the modifier of a programme or publication ("ITV's Peston
  programme") is the title of a work, kept as an ORG;
- a "person" whose name ends in a word that ends the names of clubs, companies and places and
  is no one's surname ("Castlebridge United", "Ashcombe RFC", "Calder Marsh Engineering",
  "Gull Point") is that club, company or place; one ending in a word that is also a surname
  ("Fennick Lane", "Copley Fields") is a place only when its first word is no known first name
  (gender.of_first_name: "Nathan Lane" stays a person); and a "person" whose whole name starts
  such a name in the same article ("Calder Marsh" beside "Calder Marsh Engineering",
  "Harbourne" beside "Harbourne City Council") is that company, or the place of that council;
- a "person" named only right after a lower-case "the" ("told the Chronicle", "the Wend
  estuary") or a number in digits ("the 737 Max jet") is an organisation or a thing: no one is
  called "the Okafor";
- a well-known online platform or service (:data:`PLATFORMS`: "took to Twitter", "Twitter can
  make a joke of it") named by that one word, with no title, is an organisation: the small model
  makes "Twitter" a person in most news, and it was the second most-named "person" of the 181
  Zyte pages (14 articles).
  The small model tags names it has never seen as people: 12 of the 29 "people" of the demo
  corpus were clubs, grounds, companies and places.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.analyze import gender
from storyline.analyze.clusters import HONORIFICS, PEERAGE, Cluster
from storyline.analyze.places import is_place
from storyline.analyze.quote_base import SPEECH_CUES
from storyline.analyze.roles import ROLE_HEADS, ends_of_title
from storyline.folding import fold

if TYPE_CHECKING:  # spaCy's types, for annotations only: spaCy loads with the pipeline
    from storyline.analyze.nlp import Doc, Span

MEDIA_NOUNS = {"program", "programme", "show", "podcast", "series", "column", "newspaper", "magazine", "broadcast", "documentary"}
# Words of a place name that make it an institution when it "says" something ("Downing Street
# said", "the White House said"): metonymy, not a person.
SEAT_WORDS = {"street", "house", "office", "hall", "palace", "square", "road", "building", "quay", "avenue"}


# Last words of organisations' names that are no one's surname.
ORG_HEADS = {
    "united", "rovers", "athletic", "wanderers", "albion", "rfc", "fc", "afc", "engineering", "holdings", "ltd",
    "limited", "inc", "plc", "llc", "council", "chronicle", "gazette", "herald",
}
# ... and of places' names; a council's name after a place ("Leeds City Council") starts with one.
PLACE_HEADS = {"point", "road", "avenue", "quay", "estuary", "harbour", "harbor", "town", "city", "county", "borough",
               "village"}
# Last words of places' names that are surnames too: a place only after no known first name.
SURNAME_PLACE_HEADS = {"lane", "street", "fields", "park", "hill", "green", "bridge", "marsh", "gate", "wood"}
HEADS = ORG_HEADS | PLACE_HEADS  # the words that end a name no surname could
# Online platforms and services news names every day as the place where people say things.
# Written here because no maintained data package lists them (the places' gazetteer has its
# data package; companies have none that ships offline). One word each, never a person's name.
PLATFORMS = frozenset(fold(n) for n in (
    "Twitter", "Facebook", "Instagram", "YouTube", "TikTok", "Snapchat", "WhatsApp", "Reddit", "LinkedIn",
    "Weibo", "WeChat", "Pinterest", "Tumblr", "Twitch", "Netflix", "Spotify", "Hulu", "Google", "Wikipedia",
    "Airbnb", "Uber", "Lyft", "Threads", "Bluesky", "Mastodon", "Telegram", "Signal", "Discord",
))


def _head_type(cluster: Cluster) -> str | None:
    """ORG or PLACE for a name that ends as clubs', companies' and places' names do (module
    docstring), else None."""
    full = cluster.full
    if len(full.tokens) < 2:
        return None
    last = full.tokens[-1]
    if last in ORG_HEADS:
        return "ORG"
    if last in PLACE_HEADS:
        return "PLACE"
    if last in SURNAME_PLACE_HEADS and not _known_first_name(cluster):
        return "PLACE"
    return None


def _prefix_type(cluster: Cluster, others: list[Cluster]) -> str | None:
    """ORG or PLACE when the cluster's whole name starts the name of an organisation or place
    of the article that ends in a head word ("Calder Marsh" of "Calder Marsh Engineering": ORG;
    "Harbourne" of "Harbourne City Council": the council's place)."""
    mine = cluster.full.tokens
    for other in others:
        if other is cluster or other.type == "PERSON":
            continue
        theirs = other.full.tokens
        rest = theirs[len(mine):]
        if len(theirs) > len(mine) and theirs[: len(mine)] == mine and rest[-1] in HEADS:
            return "PLACE" if rest[0] in PLACE_HEADS or rest[-1] == "council" else "ORG"
    return None


def _spans(doc: Doc, cluster: Cluster) -> list[Span]:
    spans = []
    for start, end, _ in cluster.mentions:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and len(span):
            spans.append(span)
    return spans


def _titled(span: Span) -> bool:
    """A title or an honorific right before the name, or a title in apposition: after the name
    ("Alina Mbeki, the council leader") or before it ("the council leader, Alina Mbeki", where
    the name is the apposition of the title). Before it only for a name that starts with a
    known first name: companies stand there too ("the market leader, Tesco"; "the club's
    owner, Fenway Sports Group")."""
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    if before is not None and (before.lower_ in ROLE_HEADS or before.lower_.rstrip(".") in HONORIFICS or before.lower_ in PEERAGE):
        return True
    # The end of an "X of Y" title ("Secretary of State Daniel Ames": the NER took "State" in,
    # entities._after_title_of left it out).
    if before is not None and before.text[:1].isupper() and ends_of_title(doc, before.i):
        return True
    root = span.root
    if root.dep_ == "appos" and not span.start <= root.head.i < span.end \
            and (root.head.lower_ in ROLE_HEADS or root.head.lemma_.lower() in ROLE_HEADS) \
            and len(span) > 1 and gender.of_first_name(span[0].text) is not None:
        return True
    return any(
        child.dep_ == "appos" and (child.lower_ in ROLE_HEADS or child.lemma_.lower() in ROLE_HEADS)
        for tok in span for child in tok.children if not span.start <= child.i < span.end
    )


def _speaks(span: Span) -> bool:
    root = span.root
    return root.dep_ in {"nsubj", "nsubjpass"} and root.head.lemma_.lower() in SPEECH_CUES and root.head.pos_ in {"VERB", "AUX"}


def _names_a_work(span: Span) -> bool:
    root = span.root
    return root.dep_ in {"compound", "nmod", "poss"} and root.head.lemma_.lower() in MEDIA_NOUNS


def _after_the(doc: Doc, spans: list[Span]) -> bool:
    """Whether every mention (``spans``) comes right after a lower-case "the": "he told the
    Chronicle", "the Wend estuary". No one is called "the Okafor"; a publication, a body or a
    river is. Or right after a number that counts it: "the 737 Max jet", "128 GB": a model of a
    product or a unit, not a person (:func:`_model_number`)."""
    return bool(spans) and all(s.start > 0 and (doc[s.start - 1].text == "the" or _model_number(doc[s.start - 1], s))
                               for s in spans)


def _model_number(token, span: Span) -> bool:
    """A number in digits, no year and no day of a date, that modifies the mention or the noun
    the mention modifies ("737" of "the 737 Max jet"). The parse decides: "On Feb. 24 Vladimir
    Putin ordered" has its 24 modify the month, and "In 2016 Jack Whitcombe flew" a year."""
    word = token.text
    if not word.isdecimal() or token.ent_type_ == "DATE" or (len(word) == 4 and 1800 <= int(word) <= 2100):
        return False
    return token.dep_ == "nummod" and token.head.i in (span.root.i, span.root.head.i)


def _who_follows(span: Span) -> bool:
    """", who" right after the mention ("Nadia Stone, who has led the airline"): a relative
    clause for a person. Clubs take "who" too in British English ("Castlebridge United, who are
    ninth"), so it counts only beside a known first name (:func:`_known_first_name`)."""
    doc = span.doc
    if not (span.end + 1 < len(doc) and doc[span.end].text == "," and doc[span.end + 1].lower_ in {"who", "whose", "whom"}):
        return False
    # A team named for a town ("Charlotte Hornets, who are fifth") is plural.
    after = doc[span.end + 2] if span.end + 2 < len(doc) else None
    return not any(t.tag_ == "NNPS" for t in span) and not (after is not None and after.lower_ in {"are", "have", "were"})


def _known_first_name(cluster: Cluster) -> bool:
    full = cluster.full
    return len(full.tokens) > 1 and gender.of_first_name(full.text.split(" ")[0]) is not None


def _person_evidence(cluster: Cluster, spans: list[Span]) -> bool:
    """A title or an honorific at a mention (``spans``: the cluster's), or a gender from one: a
    person whatever the name."""
    return any(n.gender for n in cluster.names) or any(_titled(s) for s in spans)


def _vote(cluster: Cluster, type_: str) -> None:
    """Make ``type_`` win the cluster's vote."""
    cluster.labels[type_] = max(cluster.labels.values(), default=0) + 1


def correct(doc: Doc, clusters: list[Cluster]) -> None:
    """Correct each cluster's type in place from the evidence listed in the module docstring."""
    spans_of = {cluster.id: _spans(doc, cluster) for cluster in clusters}
    titled_of = {cluster.id: _person_evidence(cluster, spans_of[cluster.id]) for cluster in clusters}
    heads = {}
    for cluster in clusters:
        if cluster.type != "PERSON":
            continue
        head = _head_type(cluster)
        # A head no surname has outweighs a title before the name, which is then a misreading
        # ("Athletic host Castlebridge United on Saturday": a verb read as a title).
        if head is not None and (cluster.full.tokens[-1] not in SURNAME_PLACE_HEADS or not titled_of[cluster.id]):
            heads[cluster.id] = head
        elif _after_the(doc, spans_of[cluster.id]) and not titled_of[cluster.id]:
            heads[cluster.id] = "ORG"
    for cluster in clusters:
        if cluster.id in heads:
            _vote(cluster, heads[cluster.id])
    for cluster in clusters:
        if cluster.type == "PERSON" and not titled_of[cluster.id] \
                and (kind := _prefix_type(cluster, clusters)) is not None:
            _vote(cluster, kind)
    for cluster in clusters:
        spans = spans_of[cluster.id]
        if not spans or cluster.id in heads:  # decided by its name above
            continue
        titled = titled_of[cluster.id]
        one_word = all(len(n.tokens) == 1 for n in cluster.names)
        if cluster.type == "PERSON":
            if one_word and not titled and all(is_place(n.text) for n in cluster.names):
                _vote(cluster, "PLACE")
            elif one_word and not titled and all(fold(n.text) in PLATFORMS for n in cluster.names):
                _vote(cluster, "ORG")
            elif not titled and not any(_speaks(s) for s in spans) and all(_names_a_work(s) for s in spans):
                _vote(cluster, "ORG")
            continue
        known_place = any(is_place(n.text) for n in cluster.names)
        if known_place or any(w in SEAT_WORDS for n in cluster.names for w in n.tokens):
            continue
        if cluster.type == "ORG":
            if (titled or _known_first_name(cluster) and any(_who_follows(s) for s in spans)) \
                    and len(cluster.full.tokens) <= 3 and all(t.pos_ == "PROPN" for s in spans for t in s) \
                    and _head_type(cluster) is None:
                _vote(cluster, "PERSON")
            continue
        # A PLACE that is no known place: a name with a title, or one that speaks, is a person.
        speaks = any(_speaks(s) and s.start > 0 and doc[s.start - 1].lower_ != "the" for s in spans)
        if titled or speaks and all(t.pos_ == "PROPN" for s in spans for t in s):
            _vote(cluster, "PERSON")
