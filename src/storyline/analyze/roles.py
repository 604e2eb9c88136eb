"""Roles and titles of people, read from the parse, and the lookup from a title to its holder.

Two shapes give a person a role in news copy:
- a premodifier: "Defence Secretary John Healey", "Italian Prime Minister Giorgia Meloni",
  "former prime minister Rishi Sunak", "US national security adviser Mike Waltz";
- an apposition, on either side: "Sergei Lavrov, Russia's foreign minister" and "Zelensky's
  chief of staff, Andriy Yermak".
A role must end in a role noun from :data:`ROLE_HEADS`, so that "Ukrainian soldier" or
"Tuesday's meeting" are not taken for titles. The lookup (:func:`holder`) then lets the speaker
resolver turn "the Prime Minister" into the person this article calls Prime Minister.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from storyline.analyze.clusters import Cluster
from storyline.records import Role

if TYPE_CHECKING:  # spaCy's types, for annotations only: spaCy loads with the pipeline
    from storyline.analyze.nlp import Doc, Span, Token

ROLE_HEADS = {
    "minister", "secretary", "president", "chancellor", "leader", "adviser", "advisor",
    "spokesman", "spokeswoman", "spokesperson", "chief", "head", "official", "ambassador", "mp",
    "senator", "governor", "mayor", "king", "queen", "prince", "princess", "director",
    "chairman", "chairwoman", "chair", "ceo", "executive", "general", "envoy", "commissioner",
    "premier", "pm", "chancellor", "diplomat", "representative", "congressman",
    "congresswoman", "lawmaker", "legislator", "deputy", "speaker", "mep", "msp", "councillor",
    "commander", "admiral", "marshal", "colonel", "captain", "officer", "founder", "owner",
    "candidate", "nominee", "attorney", "prosecutor", "judge", "justice", "sheriff",
    "economist", "analyst", "professor", "researcher", "expert", "fellow", "correspondent",
    "editor", "reporter", "journalist", "columnist", "host", "coach", "manager", "captain",
    "striker", "player", "pope", "archbishop", "bishop", "cardinal", "rabbi", "imam",
    "negotiator", "emissary", "aide", "strategist", "pollster", "staffer", "chairperson",
    "treasurer", "comptroller", "auditor", "administrator", "administration", "dictator",
    "monarch", "emperor", "sultan", "emir", "sheikh", "ayatollah", "vice-president",
    "vice", "whip", "campaigner", "activist", "lawyer", "solicitor", "barrister", "partner",
    "vp", "cfo", "coo", "cto", "superintendent", "inspector", "commandant", "ruler",
    # occupations news writes before a name ("Astronaut Lena Fischer", "Economist Jo Bell")
    "astronaut", "scientist", "doctor", "nurse", "teacher", "engineer", "pilot", "author",
    "writer", "novelist", "actor", "actress", "singer", "artist", "architect", "chef",
    "physicist", "historian", "epidemiologist", "surgeon", "detective", "principal",
    "headteacher", "headmaster", "headmistress", "president-elect", "senator-elect",
}
# Words that change which office is meant; kept in the comparison key.
MODIFIERS_KEPT = {"former", "ex", "shadow", "deputy", "acting", "interim", "vice", "junior", "chief", "senior", "foreign", "defence", "defense", "home", "prime", "finance", "health", "security", "national"}
_PM = re.compile(r"\bpm\b")


def _is_role_head(token: Token) -> bool:
    return token.lower_ in ROLE_HEADS or token.lemma_.lower() in ROLE_HEADS


def ends_of_title(doc: Doc, i: int) -> bool:
    """Whether token ``i`` comes right after a title's "of" (or "of the"): the "State" of
    "Secretary of State", which the NER may take into the name after it."""
    if i >= 1 and doc[i - 1].lower_ == "the":
        i -= 1
    return i >= 2 and doc[i - 1].lower_ == "of" and doc[i - 2].lower_ in ROLE_HEADS


def role_key(title: str) -> tuple[str, ...]:
    """A comparison key for a title: lowercase words, "PM" spelled out, qualifiers of place
    ("UK", "Russia's", "British") and articles dropped, former-ness kept."""
    text = _PM.sub("prime minister", title.casefold().replace("’", "'"))
    text = text.replace("ex-", "former ").replace("-", " ")
    words = [w for w in re.findall(r"[a-z']+", text) if w not in {"the", "a", "an", "of", "'s", "s"}]
    return tuple(w for w in words if w in ROLE_HEADS or w in MODIFIERS_KEPT or w in {"staff", "state", "affairs", "commons", "lords", "justice", "treasury", "exchequer", "culture", "education", "environment", "energy", "transport", "trade", "business", "work", "pensions", "interior", "economy", "digital", "science", "infrastructure", "housing", "agriculture", "fisheries", "immigration", "employment", "industry", "tourism", "sport", "technology", "climate", "development", "planning", "international"})


def _trim(span: Span) -> Span:
    doc = span.doc
    start, end = span.start, span.end
    while start < end and (doc[start].is_punct or doc[start].lower_ in {"the", "a", "an", "who", "and"}):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in {"and", "who"}):
        end -= 1
    return doc[start:end]


def _premodifier(doc: Doc, start_i: int) -> Span | None:
    """The title written just before a name: walk left over the noun phrase's modifiers."""
    i = start_i - 1
    if i < 0 or not _is_role_head(doc[i]):
        return None
    head_i = i
    while i - 1 >= 0:
        tok = doc[i - 1]
        if tok.dep_ in {"compound", "amod", "nmod", "poss", "case", "nummod"} or tok.text in {"-", "’s", "'s"} or tok.lower_ in {"former", "ex"}:
            if tok.pos_ in {"VERB", "AUX", "PRON", "DET", "ADP", "CCONJ", "SCONJ"} and tok.tag_ != "POS":
                break
            i -= 1
            continue
        break
    span = _trim(doc[i : head_i + 1])
    return span if len(span) else None


def _appositions(doc: Doc, mention: Span) -> list[Span]:
    found = []
    tokens = set(range(mention.start, mention.end))
    for tok in mention:
        for child in tok.children:
            if child.dep_ == "appos" and child.i not in tokens and _is_role_head(child):
                sub = doc[child.left_edge.i : child.right_edge.i + 1]
                # Cut a relative clause or a second apposition: "leader of the PVV, who ..."
                cut = next((t.i for t in sub if t.i > child.i and (t.text == "," or t.lower_ in {"who", "which", "that"})), sub.end)
                span = _trim(doc[sub.start : cut])
                if len(span):
                    found.append(span)
    # The name is the apposition of a role noun: "Zelensky's chief of staff, Andriy Yermak".
    root = mention.root
    if root.dep_ == "appos" and root.head.i not in tokens and _is_role_head(root.head):
        head = root.head
        left = head.left_edge.i
        right = head.right_edge.i + 1
        stop = min((t.i for t in doc[head.i + 1 : right] if t.text == "," or t.i in tokens), default=right)
        span = _trim(doc[left:stop])
        if len(span):
            found.append(span)
    return found


def attach(doc: Doc, article_id: str, clusters: list[Cluster]) -> None:
    """Give each PERSON cluster the roles its mentions carry."""
    for cluster in clusters:
        if cluster.type != "PERSON":
            continue
        seen = set()
        for start, end, _ in cluster.mentions:
            mention = doc.char_span(start, end, alignment_mode="expand")
            if mention is None or not len(mention):
                continue
            spans = []
            pre = _premodifier(doc, mention.start)
            if pre is not None:
                spans.append(pre)
            spans.extend(_appositions(doc, mention))
            for span in spans:
                key = (span.start_char, span.end_char)
                if key in seen or not role_key(span.text):
                    continue
                seen.add(key)
                sent = span.sent
                cluster.roles.append(
                    Role(span.text, article_id, span.start_char, span.end_char, sent.start_char, sent.end_char)
                )


def holder(title: str, people: list[Cluster], before: int | None = None) -> Cluster | None:
    """The person given ``title`` in this article: the last one named with it before the offset
    ``before``, else the first one after. "the Prime Minister" matches a holder called
    "UK Prime Minister" or "Prime Minister"; "the former prime minister" does not."""
    key = role_key(title)
    if not key or not any(w in ROLE_HEADS for w in key):
        return None
    qualified = _qualified(title)
    best: tuple[int, Cluster] | None = None
    after: tuple[int, Cluster] | None = None
    for cluster in people:
        for role in cluster.roles:
            if role_key(role.title) != key:
                continue
            if before is None or role.start < before:
                if best is None or role.start > best[0]:
                    best = (role.start, cluster)
            elif (after is None or role.start < after[0]) and (qualified or not _qualified(role.title)):
                # A later "Italian Prime Minister Giorgia Meloni" is not who an unqualified
                # "the Prime Minister" at the top of a British story means.
                after = (role.start, cluster)
    if best is not None:
        return best[1]
    return after[1] if after is not None else None


def _qualified(title: str) -> bool:
    """Whether a title names a country or an organisation ("Italian Prime Minister",
    "Russia's foreign minister", "Nato chief"): any capitalised word that is not a role word."""
    words = re.findall(r"[A-Za-z][\w'’-]*", title)
    return any(
        w[0].isupper() and w.casefold() not in ROLE_HEADS and w.casefold() not in MODIFIERS_KEPT
        and w.casefold() not in {"the", "former", "ex", "of", "staff", "state"}
        for w in words
    )
