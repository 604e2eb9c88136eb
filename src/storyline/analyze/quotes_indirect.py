"""Reported speech without quotation marks: the clausal complement of a cue verb ("X said that
...", "..., Ellwood said"), the object of a verb that states a position ("Graham backs Cruz"),
and "according to X" sentences. Questions put to someone are not statements and are skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.analyze.quote_base import (
    CLAUSE_REPORTING,
    OBJECT_REPORTING,
    SUBJECT_DEPS,
    Found,
    is_cue,
    noun_phrase,
    subject_of,
    trim,
)

if TYPE_CHECKING:  # spaCy's types, for annotations only: spaCy loads with the pipeline
    from storyline.analyze.nlp import Doc, Span, Token


def from_cue_verbs(
    doc: Doc, paras: list[tuple[int, int]], quoted_tokens: set[int], cues_used: set[int], claimed: set[int]
) -> list[Found]:
    """Indirect (or, when it holds quoted words, partial) speech: the content a cue verb reports.
    Skips tokens in ``quoted_tokens``, ``cues_used`` and ``claimed``; adds what it takes to ``claimed``."""
    found: list[Found] = []
    for token in doc:
        if token.i in quoted_tokens or token.i in cues_used or token.i in claimed:
            continue
        if token.lemma_.lower() not in CLAUSE_REPORTING | OBJECT_REPORTING | {"call"} or not is_cue(token):
            continue
        own = next((c for c in token.children if c.dep_ in {"nsubj", "nsubjpass", "agent"}), None)
        shared = token.dep_ == "conj" and token.head.pos_ in {"VERB", "AUX"} and any(
            c.dep_ in {"nsubj", "nsubjpass"} for c in token.head.children
        )  # "... is telling veterans X and says he will ...": the subject of the first verb
        if own is None and token.tag_ != "VBG" and not shared:
            continue  # "When asked whether ..., he said": the question put, not a statement
        if _inverted_question(token) or _inside_question(token):
            continue
        comp = None
        if token.lemma_.lower() in CLAUSE_REPORTING:
            comp = _clause_complement(token) or _preposed_clause(token)
        if comp is None:
            comp = _object_content(token)
        if comp is None:
            continue
        if any(t.i in claimed for t in comp):
            continue
        subject = subject_of(token)
        if subject is None or subject.root.lower_ in {"this", "that", "which", "what"}:
            continue
        if any(t.i in quoted_tokens for t in comp):
            if comp.root.dep_ in {"dobj", "obj"}:
                continue  # "wants a robust "backstop"": marks on a noun phrase are scare quotes
            kind = "partial"
        else:
            kind = "indirect"
        found.append(Found(comp.start_char, comp.end_char, kind, token, subject, paragraph=_paragraph_of(paras, comp.start_char)))
        claimed.update(t.i for t in comp)
        claimed.add(token.i)
    return found


def from_according_to(doc: Doc, paras: list[tuple[int, int]], quoted_tokens: set[int], claimed: set[int]) -> list[Found]:
    """"according to X": the rest of the sentence is X's. Adds what it takes to ``claimed``."""
    found: list[Found] = []
    for token in doc:
        if token.lower_ != "according" or token.i in quoted_tokens or token.i in claimed:
            continue
        to = next((c for c in token.children if c.lower_ == "to"), None)
        source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if source is None:
            continue
        sent = token.sent
        pp_start, pp_end = token.i, source.right_edge.i + 1
        before = trim(doc[sent.start : pp_start]) if pp_start > sent.start else None
        after = trim(doc[pp_end : sent.end]) if pp_end < sent.end else None
        content = max((x for x in (before, after) if x is not None), key=len, default=None)
        if content is None or len([t for t in content if t.is_alpha]) < 3 or any(t.i in claimed for t in content):
            continue
        found.append(Found(content.start_char, content.end_char, "indirect", token, noun_phrase(source), paragraph=_paragraph_of(paras, content.start_char)))
        claimed.update(t.i for t in content)
    return found


def _paragraph_of(paras: list[tuple[int, int]], offset: int) -> int:
    for i, (s, e) in enumerate(paras):
        if s <= offset < e:
            return i
    return 0


def _clause_complement(verb: Token) -> Span | None:
    """The reported clause of a cue verb: its ccomp ("said (that) ..."), trimmed of edge
    punctuation. A bare "want to"/"hope to" infinitive is not reported speech."""
    for child in verb.children:
        if child.dep_ != "ccomp":
            continue
        span = trim(verb.doc[child.left_edge.i : child.right_edge.i + 1])
        if span is None or len([t for t in span if t.is_alpha]) < 3:
            continue
        if not any(t.dep_ in SUBJECT_DEPS or t.dep_ == "expl" for t in span):
            continue
        return span
    return None


def _inverted_question(verb: Token) -> bool:
    """"Does he believe ...?" asks; it does not report."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return subject is not None and any(
        c.dep_ == "aux" and c.i < subject.i and c.lower_ in {"does", "do", "did"} for c in verb.children
    )


def _object_content(verb: Token) -> Span | None:
    """The noun-phrase object of a verb of the "object" frame ("denied the claims"), and what
    a speaker "called for" (a demand is a speech act; "called him a liar" is left to the marks)."""
    lemma = verb.lemma_.lower()
    if lemma == "call":
        prep = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "for"), None)
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
        if obj is None:
            return None
        span = trim(verb.doc[obj.left_edge.i : obj.right_edge.i + 1])
        return span if span is not None and any(t.is_alpha for t in span) else None
    if lemma not in OBJECT_REPORTING:
        return None
    obj = next((c for c in verb.children if c.dep_ in {"dobj", "obj"}), None)
    if obj is None or obj.pos_ == "PRON" and obj.lower_ in {"it", "this", "that", "them", "him", "her"}:
        return None
    if obj.tag_ in {"WDT", "WP", "WP$"}:
        return None  # "the timetable, which Okafor promised": the object is the relative pronoun
    span = trim(verb.doc[obj.left_edge.i : obj.right_edge.i + 1])
    if span is None or len([t for t in span if t.is_alpha]) < 1:
        return None
    return span


def _inside_question(verb: Token) -> bool:
    """"When asked what form he thought this should take": a question put to someone."""
    node = verb
    for _ in range(3):
        if node.head is node:
            return False
        node = node.head
        if node.lemma_.lower() in {"ask", "wonder", "question"}:
            return True
    return False


def _preposed_clause(verb: Token) -> Span | None:
    """"Any manned Russian aircraft ... would have to be shot down, Ellwood said." The parser
    often hangs the reported clause as an adverbial; take the sentence up to the comma before
    the subject when the cue ends its sentence."""
    sent = verb.sent
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.i > verb.i:
        left = verb.i
    else:
        left = subject.left_edge.i
    if left - 1 <= sent.start or verb.doc[left - 1].text not in {",", "”", '"'}:
        return None
    tail = [t for t in verb.doc[verb.i + 1 : sent.end] if not (t.is_punct or t.is_space)]
    if subject is not None and subject.i > verb.i:
        tail = [t for t in tail if t.i > subject.right_edge.i]
    if len(tail) > 6:
        return None
    return trim(verb.doc[sent.start : left - 1])
