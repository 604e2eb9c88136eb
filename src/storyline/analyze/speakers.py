"""Speakers: from the span near a quote ("he", "the Prime Minister", "a senior MP") to a person.

Resolution order, for the noun phrase a cue verb gives as its subject:
1. a name: the in-article entity it belongs to ("Starmer" -> Keir Starmer);
2. a role noun with the name in apposition ("Zelensky's chief of staff, Andriy Yermak");
3. a pronoun: the previous speaker when the gender agrees and they spoke within the last
   paragraphs, else the nearest earlier person in subject position, else the nearest earlier
   person. Gender comes from honorifics and from earlier "he"/"she" resolved to the person;
4. an indefinite description ("a UK Government source", "One Nato official"): an anonymous
   speaker, kept as the article words it, never mapped to a named person;
5. a definite description: the person the article gives that title ("the Prime Minister"),
   else an earlier anonymous speaker with the same head noun ("the MP" -> "a senior MP"), else,
   for a role noun, the most recent named speaker or subject (news varies the way it names the
   person it is quoting: "Ellwood said ... The former Conservative MP went on").
A quote with no cue of its own continues the utterance before it (same group, or the previous
quote within two paragraphs). No pronoun is ever returned as a speaker name.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from storyline.analyze.clusters import Cluster, parse_name
from storyline.analyze.entities import People
from storyline.analyze.quote_base import Found
from storyline.analyze.quote_base import noun_phrase as _noun_phrase
from storyline.analyze.roles import ROLE_HEADS, role_key
from storyline.records import Mention, Quote, Role

if TYPE_CHECKING:  # spaCy's types, for annotations only: spaCy loads with the pipeline
    from storyline.analyze.nlp import Doc, Span, Token

MALE = {"he", "him", "his", "himself"}
FEMALE = {"she", "her", "hers", "herself"}
PLURAL = {"they", "them", "we", "us"}
SELF = {"i", "me", "you", "it", "this", "that", "which", "who"}
INDEFINITE = {"a", "an", "one", "some", "another", "two", "three", "four", "several", "many", "other", "senior", "most", "few", "multiple", "various", "numerous"}
CONTINUATION_PARAGRAPHS = 2
# Documents speak for whoever issued them ("A release from the institute said").
DOCUMENTS = {"statement", "release", "report", "letter", "memo", "filing", "document", "email", "note", "notice", "communique", "communiqué", "bulletin", "post", "tweet", "announcement", "ruling", "judgment", "judgement", "study", "survey", "poll", "paper", "briefing"}
UNNAMED_ROLES = {"spokesman", "spokeswoman", "spokesperson", "official", "source", "aide", "insider", "staffer", "adviser", "advisor", "ally", "friend"}


@dataclass(slots=True)
class Speaker:
    name: str | None
    cluster: Cluster | None
    anonymous: bool
    mention: Span | None
    paragraph: int
    key: str | None = None  # head noun of an anonymous description


def _gender_of(token: Token) -> str | None:
    low = token.lower_
    return "m" if low in MALE else "f" if low in FEMALE else None


class Resolver:
    def __init__(self, doc: Doc, people: People):
        self.doc = doc
        self.people = people
        self.last: Speaker | None = None
        self.anonymous: dict[str, Speaker] = {}
        self.learned: dict[tuple[str, ...], Cluster] = {}

    # -- helpers -----------------------------------------------------------------------------
    def _persons_before(self, offset_token: int, subject_only: bool, gender: str | None, limit: int = 400):
        """People mentioned before a token, nearest first."""
        seen = set()
        lo = max(0, offset_token - limit)
        for i in range(offset_token - 1, lo - 1, -1):
            cluster = self.people.cluster_at(i)
            if cluster is None or cluster.type != "PERSON" or id(cluster) in seen:
                continue
            if subject_only and not _in_subject(self.doc[i]):
                continue
            if gender and cluster.gender and cluster.gender != gender:
                continue
            seen.add(id(cluster))
            yield cluster

    @staticmethod
    def _since(last: Speaker, head: Token, cap: int = 120) -> int:
        """Tokens between the last speaker's mention and ``head`` (at most ``cap``): a person
        named before that mention did not come "in between"."""
        if last.mention is None or last.mention.doc is not head.doc or last.mention.end > head.i:
            return cap
        return min(cap, head.i - last.mention.end)

    def _titled(self, cluster: Cluster, mention: Span, paragraph: int) -> Speaker:
        """A speaker named by a title ("the Prime Minister said"): the title is a role the
        article gives the person, kept with the mention's offsets (across articles a title
        given this way counts as evidence like "Prime Minister Keir Starmer")."""
        title = _strip_article(mention.text.strip())
        start = mention.start_char + mention.text.find(title)  # offsets of the title itself
        if role_key(title) and not any(r.start == start for r in cluster.roles):
            sent = mention.sent
            cluster.roles.append(Role(title, self.people.article_id, start, start + len(title),
                                      sent.start_char, sent.end_char))
        return self._person(cluster, mention, paragraph)

    def _person(self, cluster: Cluster, mention: Span, paragraph: int) -> Speaker:
        return Speaker(cluster.name, cluster, False, mention, paragraph)

    # -- resolution --------------------------------------------------------------------------
    def resolve(self, span: Span, paragraph: int, depth: int = 0) -> Speaker:
        head = span.root
        low = head.lower_
        if head.pos_ == "PRON" or low in MALE | FEMALE | PLURAL | SELF:
            return self._pronoun(head, span, paragraph)
        cluster = self.people.cluster_at(head.i)
        role_head = head.lower_ in ROLE_HEADS or head.lemma_.lower() in ROLE_HEADS
        if cluster is not None and cluster.type != "PERSON" and role_head:
            cluster = None  # "The Defence Secretary" is a person, not the ORG "Defence"
        if cluster is None and head.text[:1].isupper() and not role_head:
            # A name the NER missed ("Sir Iain added"): match it against the article's people.
            name = parse_name(span.text)
            persons = [c for c in self.people.clusters if c.type == "PERSON" and name.tokens and c.accepts(name)]
            if len(persons) == 1:
                cluster = persons[0]
        if cluster is None:
            # A name in apposition to a role noun: "Zelensky's chief of staff, Andriy Yermak".
            for child in head.children:
                if child.dep_ == "appos":
                    cluster = self.people.cluster_at(child.i) or self.people.in_span(
                        self.doc[child.left_edge.i : child.right_edge.i + 1]
                    )
                    if cluster is not None and cluster.type == "PERSON":
                        break
                    cluster = None
        if cluster is None and head.pos_ == "PROPN" and not role_head:
            # The parser sometimes heads a name on a token the NER left out of it.
            compound = [
                t for t in span
                if t.dep_ in {"compound", "flat"} and (c := self.people.cluster_at(t.i)) is not None and c.type == "PERSON"
            ]
            if compound:
                cluster = self.people.cluster_at(compound[-1].i)
        if cluster is not None:
            return self._person(cluster, span, paragraph) if cluster.type == "PERSON" else Speaker(
                cluster.name, cluster, False, span, paragraph
            )
        return self._description(head, span, paragraph, depth)

    def _pronoun(self, head: Token, span: Span, paragraph: int) -> Speaker:
        low = head.lower_
        gender = _gender_of(head)
        if low in SELF and low not in {"it"}:
            return Speaker(None, None, False, span, paragraph)
        last = self.last
        recent = last is not None and paragraph - last.paragraph <= CONTINUATION_PARAGRAPHS
        if low in PLURAL or low == "it":
            if recent and last is not None and (last.anonymous or last.cluster is None or last.cluster.type != "PERSON"):
                return Speaker(last.name, last.cluster, last.anonymous, span, paragraph, last.key)
            if recent and last is not None and low in {"they", "them"} and last.anonymous:
                return Speaker(last.name, last.cluster, True, span, paragraph, last.key)
            return Speaker(None, None, False, span, paragraph)
        # he / she
        if recent and last is not None and last.cluster is not None and last.cluster.type == "PERSON":
            if not (gender and last.cluster.gender and last.cluster.gender != gender):
                # Only when no other person was the subject of a sentence in between.
                between = next(self._persons_before(head.i, True, None, limit=self._since(last, head)), None)
                if between is None or between is last.cluster:
                    self._learn(last.cluster, gender)
                    return Speaker(last.name, last.cluster, False, span, paragraph)
        if recent and last is not None and last.cluster is None and last.anonymous:
            between = next(self._persons_before(head.i, True, None, limit=self._since(last, head)), None)
            if between is None:
                return Speaker(last.name, None, True, span, paragraph, last.key)
        for subject_only in (True, False):
            cluster = next(self._persons_before(head.i, subject_only, gender, limit=300), None)
            if cluster is not None:
                self._learn(cluster, gender)
                return Speaker(cluster.name, cluster, False, span, paragraph)
        # A gender guessed from a first name is a prior, not what the text says: when no one
        # else fits the pronoun, the speaker just quoted does ("Dr Femi Adeyemi ... said the
        # assessment assumed ...", then "“That might be right on day one,” she said": "Femi"
        # reads as a man's name, and the quote went to no one).
        # Not past anyone else who was the subject of a sentence in between, named or not ("A
        # local resident was less sure. “...,” she said").
        if recent and last is not None and last.cluster is not None and last.cluster.type == "PERSON" \
                and last.cluster.gender_guessed and gender and not self._subject_between(last, head):
            last.cluster.gender, last.cluster.gender_guessed = gender, False
            return Speaker(last.name, last.cluster, False, span, paragraph)
        return Speaker(None, None, False, span, paragraph)

    def _subject_between(self, last: Speaker, head: Token) -> bool:
        """Whether a noun or name other than the last speaker's is the subject of a sentence
        between that speaker's mention and ``head`` (not of a clause inside one: "said the
        assessment assumed the gates would close" names no one new)."""
        lo = head.i - self._since(last, head)
        for token in self.doc[max(0, lo):head.i]:
            if token.dep_ in {"nsubj", "nsubjpass"} and token.pos_ in {"NOUN", "PROPN"} and token.head.dep_ == "ROOT":
                cluster = self.people.cluster_at(token.i)
                if cluster is not last.cluster:
                    return True
        return False

    def _learn(self, cluster: Cluster, gender: str | None) -> None:
        if gender and not cluster.gender:
            cluster.gender = gender
        if gender and cluster.gender == gender:
            cluster.gender_guessed = False  # the text has said it

    def _document(self, head: Token, span: Span, paragraph: int, depth: int) -> Speaker | None:
        """"A release from the institute said", "a Pentagon statement said", "the ministry's
        letter said": a document speaks for whoever issued it. None when the article does not say."""
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in {"from", "by", "of", "on"}:
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None and pobj.lemma_.lower() not in DOCUMENTS:
                    return self.resolve(_noun_phrase(pobj), paragraph, depth + 1)
            if child.dep_ in {"poss", "compound"} and child.pos_ in {"PROPN", "NOUN"}:
                cluster = self.people.cluster_at(child.i)
                if cluster is not None:
                    return Speaker(cluster.name, cluster, False, span, paragraph)
                if child.dep_ == "poss":
                    return self.resolve(_noun_phrase(child), paragraph, depth + 1)
        return None

    def _organisation(self, head: Token, span: Span, paragraph: int) -> Speaker | None:
        """"The ministry added": the organisation named earlier whose name holds the noun
        ("the Ministry of Transport")."""
        key = head.lemma_.lower()
        for i in range(head.i - 1, max(-1, head.i - 400), -1):
            cluster = self.people.cluster_at(i)
            if cluster is not None and cluster.type == "ORG" and any(key in n.tokens or head.lower_ in n.tokens for n in cluster.names):
                return Speaker(cluster.name, cluster, False, span, paragraph)
        return None

    def _description(self, head: Token, span: Span, paragraph: int, depth: int = 0) -> Speaker:
        words = [t for t in span if not t.is_punct]
        first = words[0].lower_ if words else ""
        key = head.lemma_.lower()
        text = span.text.strip()
        possessor = next((c for c in head.children if c.dep_ == "poss"), None)
        if key in DOCUMENTS and depth < 2:
            issuer = self._document(head, span, paragraph, depth)
            if issuer is not None and issuer.name is not None:
                return replace(issuer, mention=span)
        if first in {"the", "its"} and key not in ROLE_HEADS and head.pos_ == "NOUN":
            organisation = self._organisation(head, span, paragraph)
            if organisation is not None:
                return organisation
        indefinite = first in INDEFINITE or (head.tag_ in {"NNS", "NNPS"} and first not in {"the", "his", "her", "their", "its"})
        if indefinite:
            speaker = Speaker(text, None, True, span, paragraph, key)
            self.anonymous[key] = speaker
            return speaker
        last_word = words[-1] if words else head
        role = head.lower_ in ROLE_HEADS or key in ROLE_HEADS or last_word.lower_ in ROLE_HEADS
        if possessor is None and role:
            holder = self.people.with_role(text, before=span.start_char) or self.learned.get(role_key(text))
            if holder is not None:
                return self._titled(holder, span, paragraph)
        if possessor is not None and role and key not in UNNAMED_ROLES and possessor.lower_ not in MALE | FEMALE | PLURAL:
            # "Zelensky's chief of staff said": the person the article names with that very
            # title ("Zelensky's chief of staff, Andriy Yermak"), if it does.
            holder = self.people.with_role(text, before=span.start_char)
            if holder is not None and _same_possessor(holder, possessor):
                return self._person(holder, span, paragraph)
        if head.pos_ == "PROPN" and not role:
            return Speaker(_strip_article(text), None, False, span, paragraph, key)  # "Downing Street"
        earlier = self.anonymous.get(key)
        if earlier is not None:
            return Speaker(earlier.name, None, True, span, paragraph, key)
        if possessor is not None:
            # "Starmer's official spokesman": someone's aide, not the person named. A
            # spokesman or an official stays anonymous; "Zelensky's chief of staff" is a title.
            unnamed = key in UNNAMED_ROLES or possessor.lower_ in MALE | FEMALE | PLURAL
            speaker = Speaker(text, None, unnamed, span, paragraph, key)
            self.anonymous[key] = speaker
            return speaker
        if role:
            # The title names someone the article has just been quoting, or the person just
            # named as a subject; remember it, so the same title later means the same person.
            last = self.last
            cluster = None
            if last is not None and last.cluster is not None and last.cluster.type == "PERSON" and paragraph - last.paragraph <= CONTINUATION_PARAGRAPHS:
                cluster = last.cluster
            elif last is None or paragraph - last.paragraph > CONTINUATION_PARAGRAPHS:
                cluster = next(self._persons_before(head.i, True, None, limit=80), None)
            if cluster is not None:
                self.learned.setdefault(role_key(text), cluster)
                return self._titled(cluster, span, paragraph)
            # "The spokeswoman for the fire service" with nobody named: an anonymous source.
            return Speaker(_strip_article(text), None, key in UNNAMED_ROLES, span, paragraph, key)
        # An institution or a group named by a common noun ("the government", "officials").
        return Speaker(text, None, True, span, paragraph, key)


def _same_possessor(holder: Cluster, possessor: Token) -> bool:
    """Whether one of the holder's titles names the same possessor ("Zelensky's ...")."""
    word = possessor.text.casefold()
    return any(word in r.title.casefold() for r in holder.roles)


def _strip_article(text: str) -> str:
    words = text.split(" ", 1)
    return words[1] if len(words) == 2 and words[0].lower() == "the" else text


def _in_subject(token: Token) -> bool:
    node, steps = token, 0
    while steps < 3:
        if node.dep_ in {"nsubj", "nsubjpass"}:
            return True
        # Not through "poss": in "Trump’s backing would be enough" Trump is not the subject.
        if node.dep_ not in {"compound", "flat", "appos", "amod"} or node.head is node:
            return False
        node = node.head
        steps += 1
    return False


def attribute(doc: Doc, article_id: str, found: list[Found], people: People) -> list[Quote]:
    resolver = Resolver(doc, people)
    speakers: list[Speaker | None] = []
    groups: dict[int, Speaker] = {}
    previous: tuple[Found, Speaker | None] | None = None
    for f in found:
        speaker: Speaker | None = None
        if f.source is not None:
            speaker = resolver.resolve(f.source, f.paragraph)
        elif f.group is not None and f.group in groups:
            speaker = groups[f.group]
        elif f.kind == "direct" and previous is not None and previous[1] is not None:
            prev_found, prev_speaker = previous
            if f.paragraph - prev_found.paragraph <= 1 or (
                prev_found.group is not None and prev_found.group == f.group
            ):
                speaker = prev_speaker
        if speaker is not None:
            if f.group is not None:
                groups.setdefault(f.group, speaker)
            if speaker.name is not None:
                resolver.last = replace(speaker, paragraph=f.paragraph)
        speakers.append(speaker)
        previous = (f, speaker)
    # A multi-paragraph quote whose cue comes at its end ("...," he said) names its speaker in
    # its last paragraph: give that speaker to the earlier paragraphs of the group.
    for i, f in enumerate(found):
        if speakers[i] is None and f.group is not None and f.group in groups:
            speakers[i] = groups[f.group]
    quotes = []
    for f, speaker in zip(found, speakers, strict=True):
        text = doc.text[f.start : f.end]
        mention = None
        if speaker is not None and speaker.mention is not None:
            m = speaker.mention
            mention = Mention(article_id, m.start_char, m.end_char, m.text)
        quotes.append(
            Quote(
                article_id=article_id,
                text=text,
                start=f.start,
                end=f.end,
                kind=f.kind,  # type: ignore[arg-type]
                cue=f.cue.text if f.cue is not None else None,
                speaker=speaker.name if speaker is not None else None,
                speaker_mention=mention,
                anonymous=speaker.anonymous if speaker is not None else False,
                speaker_id=speaker.cluster.id if speaker is not None and speaker.cluster is not None else None,
                group=f.group,
            )
        )
    return quotes
