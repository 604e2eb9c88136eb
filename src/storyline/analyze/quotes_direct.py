"""Quotes found from quotation marks: direct quotes (an utterance in marks with its cue: a colon,
a governing cue verb, a cue right after, or a continuation of the same speaker) and partial
quotes (quoted words inside a cue verb's complement); scare quotes, titles and names are dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.analyze import marks
from storyline.analyze.quote_base import SPEECH_CUES, SUBJECT_DEPS, Found, is_cue, subject_of, trim

if TYPE_CHECKING:  # spaCy's types, for annotations only: spaCy loads with the pipeline
    from storyline.analyze.nlp import Doc, Span, Token

_SENTENCE_END = {".", "!", "?", "…"}
# Verbs that put a question: their complement is what was asked, never the answer.
QUESTION_CUES = {"ask", "wonder", "question"}


# Words before a quotation mark that make it a name or a label, not speech.
LABELS = {"so-called", "dubbed", "called", "named", "termed", "nicknamed", "titled", "entitled", "branded", "labelled", "labeled"}


def _label_before(doc: Doc, open_char: int) -> bool:
    before = doc.text[max(0, open_char - 24) : open_char].rstrip().casefold().replace("‐", "-")
    return any(before.endswith(w) for w in LABELS) or before.endswith(("known as", "so called"))


def _standalone(doc: Doc, open_char: int, sent: Span) -> bool:
    """Whether a quotation stands as a whole utterance in its sentence: it opens the sentence,
    or follows a colon, a comma or a cue verb ("said "...""), rather than sitting mid-clause."""
    before = doc.text[sent.start_char : open_char].rstrip()
    if not before or before[-1] in ":,;—–-(" or before[-1] in marks.ALL_MARKS:
        return True
    prev = doc.char_span(sent.start_char, open_char, alignment_mode="contract")
    if prev is not None and len(prev):
        last = [t for t in prev if not t.is_space]
        if last and is_cue(last[-1]) and last[-1].lemma_.lower() in SPEECH_CUES:
            return True
    return False


def _governing_cue(span: Span, inside: set[int], p_start: int, p_end: int) -> Token | None:
    """A cue verb outside the quote, in the same paragraph, that the quoted words depend on
    within four steps without crossing another verb (a copula may be crossed: "said the talk
    was "irritating"")."""
    roots = [t for t in span if t.head.i not in inside or t.head is t]
    for root in roots:
        node, steps = root, 0
        while node.head is not node and steps < 4:
            node = node.head
            steps += 1
            if node.i in inside:
                continue
            if not p_start <= node.idx < p_end:
                break
            if is_cue(node):
                return _outermost(node)
            if node.pos_ == "VERB" or (node.pos_ == "AUX" and node.dep_ not in {"ccomp", "ROOT", "conj", "xcomp"}):
                break
    return None


def _outermost(cue: Token) -> Token:
    """Attribution is univocal: "a senior MP said they thought ..." is the MP's statement, so a
    cue inside the reported clause of another cue gives way to the outer one."""
    node = cue
    for _ in range(3):
        if (
            node.dep_ in {"ccomp", "xcomp"} and node.head is not node and is_cue(node.head)
            and node.head.lemma_.lower() in SPEECH_CUES - QUESTION_CUES
        ):
            node = node.head
        else:
            break
    return node


def _cue_before_colon(doc: Doc, open_char: int, sent: Span) -> Token | None:
    """"X said:" / "He told The i Paper:" / "... would depend on the deal:" -> the verb."""
    before = doc.char_span(sent.start_char, open_char, alignment_mode="contract")
    if before is None or not len(before):
        return None
    tokens = [t for t in before if not t.is_space]
    if not tokens or tokens[-1].text != ":":
        return None
    verbs = [t for t in tokens if is_cue(t) and not any(c.dep_ == "ccomp" and c.i < t.i for c in t.children)]
    if verbs:
        # The last cue before the colon whose subject is outside any quotation.
        for verb in reversed(verbs):
            if subject_of(verb) is not None:
                return verb
        return verbs[-1]
    heads = [t for t in tokens if t.pos_ in {"VERB", "AUX"} and any(c.dep_ in SUBJECT_DEPS for c in t.children)]
    return heads[0] if heads else None


def _cue_after(doc: Doc, close_char: int, limit_char: int) -> Token | None:
    """A cue right after the closing mark: "..., he said." / ", said José Manuel Albares, Spain's
    foreign minister." / " the MP asserted." Looks at most 16 tokens ahead, in the paragraph."""
    window = doc.char_span(close_char, limit_char, alignment_mode="contract")
    if window is None:
        return None
    for n, tok in enumerate(window):
        if n > 16 or tok.text in marks.ALL_MARKS:
            return None
        if tok.text in _SENTENCE_END and n > 0:
            return None
        if is_cue(tok) and tok.lemma_.lower() in SPEECH_CUES:
            # Whatever subject the parser gave the verb, a speech verb right after the closing
            # mark is the quote's cue.
            return tok
    return None


def _looks_like_utterance(span: Span) -> bool:
    """A full utterance (a sentence or more) rather than a few quoted words."""
    words = [t for t in span if t.is_alpha]
    if len(words) < 4:
        return False
    has_verb = any(t.pos_ in {"VERB", "AUX"} for t in span)
    text = span.text.rstrip()
    ends = text[-1:] in {".", "!", "?", ",", "…"} or text.endswith(("...", ".’", "?’"))
    first = words[0].text
    starts_sentence = first[:1].isupper() or not span[0].is_alpha
    return has_verb and (ends or (starts_sentence and len(words) >= 6))


def _complement(cue: Token, quoted: Span) -> Span | None:
    """The complement of ``cue`` that holds the quoted words, so a partial quote is reported
    with the clause it sits in ("the talk was "irritating"")."""
    doc = cue.doc
    for child in cue.children:
        if child.dep_ in {"nsubj", "nsubjpass", "punct", "aux", "auxpass", "neg", "advmod", "mark"}:
            continue
        lo, hi = child.left_edge.i, child.right_edge.i + 1
        if lo <= quoted.start and quoted.end <= hi + 1:
            return trim(doc[lo:hi])
    return None


def _second_part(doc: Doc, found: list[Found], q: marks.Quoted) -> bool:
    """A short quotation right after a direct quote and its cue, in the same paragraph
    (""We saw no side effects," Hall said. "None at all.""): the rest of that utterance."""
    prev = found[-1] if found else None
    return (
        prev is not None and prev.kind == "direct" and prev.paragraph == q.paragraph and prev.cue is not None
        and prev.end <= prev.cue.idx < q.open and q.open - prev.end <= 80 and q.closed
    )


def from_marks(
    doc: Doc,
    spans: list[tuple[marks.Quoted, Span | None]],
    paras: list[tuple[int, int]],
    claimed: set[int],
    cues_used: set[int],
) -> list[Found]:
    """The direct and partial quotes of the quotation-mark pairs ``spans`` ((pair, its tokens));
    adds the tokens they take to ``claimed`` and their cue verbs to ``cues_used``."""
    found: list[Found] = []
    for q, span in spans:
        if span is None or not len(span):
            continue
        inside = {t.i for t in span}
        p_end = paras[q.paragraph][1]
        sent = doc[span.start].sent
        if _label_before(doc, q.open):
            continue  # a so-called "backstop": a label, not speech
        standalone = _standalone(doc, q.open, sent)
        utterance = _looks_like_utterance(span) and standalone
        cue = _cue_before_colon(doc, q.open, sent)
        kind = "direct"
        if cue is None:
            cue = _governing_cue(span, inside, paras[q.paragraph][0], p_end)
            if cue is not None and not utterance:
                kind = "partial"
            elif cue is None and not standalone:
                continue  # mid-clause words with no cue: left to the indirect pass, or a scare quote
        if cue is None and (utterance or q.group is not None):
            close = q.end + 1 if q.closed else q.end
            cue = _cue_after(doc, close, p_end)
        if cue is None and not utterance and q.group is None and not _second_part(doc, found, q):
            continue  # scare quote, title or name: not speech
        if kind == "partial" and cue is not None and cue.lemma_.lower() in QUESTION_CUES:
            continue  # "asked if the council thought ...": the question put, not a statement
        if kind == "partial" and cue is not None:
            content = _complement(cue, span)
            if content is None:
                content = span
            if content.root.dep_ in {"dobj", "obj", "pobj"} and content.root.pos_ in {"NOUN", "PROPN"}:
                continue  # marks on a noun phrase ("wants a robust "backstop""): scare quotes
            if any(t.i in claimed for t in content):
                continue
            found.append(Found(content.start_char, content.end_char, "partial", cue, subject_of(cue), paragraph=q.paragraph))
            claimed.update(t.i for t in content)
            cues_used.add(cue.i)
            continue
        if any(t.i in claimed for t in span):
            continue
        found.append(
            Found(q.start, q.end, "direct", cue, subject_of(cue) if cue is not None else None, q.group, paragraph=q.paragraph)
        )
        claimed.update(inside)
        if cue is not None:
            cues_used.add(cue.i)
    return found
