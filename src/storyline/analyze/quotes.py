"""Reported speech in one parsed article: direct, partial and indirect quotes with their cues.

Rule-based on spaCy's dependency parse, written by hand because the maintained alternatives
do less: textacy's ``direct_quotations`` finds only direct quotes and fails on unbalanced marks,
and the published news attribution systems (GGT, Citron) are not installable packages.

What is found (see :func:`extract`):
- direct quotes: a quoted utterance introduced by a colon ("X told The i Paper: "...""), governed
  by a cue verb ("X said "...""), followed by a cue ("..., he said" / "..., said X"), or standing
  alone after a quote of the same speaker (continuations, multi-paragraph quotes);
- partial quotes: quoted words inside the complement of a cue verb ("said the talk was
  "irritating"") are reported as that complement, kind "partial";
- indirect speech: the clausal complement of a cue verb ("X said that ...", "X warned ...");
- anything else in quotation marks (scare quotes, titles, nicknames) is not speech and is
  dropped.
The speaker of each quote is left as a parse span here; :mod:`storyline.analyze.speakers` turns
it into a person.
"""

from __future__ import annotations

from dataclasses import dataclass

from storyline.analyze import marks
from storyline.analyze.nlp import Doc, Span, Token

# Verbs that report speech or a stated belief (lemmas). Beliefs are included because news
# attributes them like speech ("Starmer believes ...", "officials fear ...").
SPEECH_CUES = {
    "say", "tell", "add", "insist", "warn", "argue", "claim", "state", "assert", "explain",
    "suggest", "note", "stress", "reiterate", "declare", "announce", "admit", "acknowledge",
    "confirm", "deny", "reply", "respond", "answer", "write", "tweet", "post", "report",
    "describe", "ask", "urge", "promise", "pledge", "vow", "predict", "indicate", "emphasise",
    "emphasize", "concede", "contend", "maintain", "observe", "remark", "comment", "recall",
    "complain", "allege", "testify", "agree", "joke", "quip", "boast", "lament", "inform",
    "reveal", "disclose", "signal", "caution", "mention", "repeat", "counter", "retort",
    "speculate", "estimate", "forecast", "accuse", "charge", "criticise", "criticize",
    "praise", "question", "demand", "threaten", "assure", "reassure", "affirm", "reaffirm",
    "proclaim", "conclude", "continue", "shout", "yell", "whisper", "exclaim", "plead",
    "advise", "recommend", "propose", "hint", "imply", "dispute", "cite", "contend", "brief",
    "predict", "project", "stipulate", "specify", "clarify", "point", "echo", "acknowledge",
    "protest", "concur", "surmise", "read", "tout", "call", "dismiss", "hail",
}
BELIEF_CUES = {
    "believe", "think", "feel", "hope", "expect", "fear", "doubt", "suspect", "worry",
    "figure", "assume", "reckon", "know", "understand", "realize", "realise", "recognize",
    "recognise", "consider", "wonder", "guess", "imagine", "anticipate", "trust", "sense",
    "decide", "learn", "find", "want", "wish", "prefer", "envision",
}
CUES = SPEECH_CUES | BELIEF_CUES
_SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
_SENTENCE_END = {".", "!", "?", "…"}


@dataclass(slots=True)
class Found:
    """A quote before speaker resolution.

    ``start``/``end`` delimit the quoted words (inside the marks for direct quotes; the whole
    complement clause for partial and indirect ones). ``source`` is the span naming the speaker
    near the quote, when there is one; ``follows`` is set for a quote with no cue of its own
    that continues the utterance of an earlier quote (its index).
    """

    start: int
    end: int
    kind: str
    cue: Token | None = None
    source: Span | None = None
    group: int | None = None
    follows: int | None = None
    paragraph: int = 0


def is_cue(token: Token) -> bool:
    """A verb of saying or believing in the active voice ("all options are being considered"
    reports no one), or in the passive with its agent ("was told by officials")."""
    lemma = token.lemma_.lower()
    if not (token.pos_ in {"VERB", "AUX"} and lemma in CUES or (
        lemma in {"say", "tell", "add", "insist", "warn", "argue"} and token.pos_ in {"NOUN", "PROPN"} and token.dep_ in {"ROOT", "ccomp"}
    )):
        return False
    deps = {c.dep_ for c in token.children}
    if "auxpass" in deps and "agent" not in deps and lemma not in {"say", "understand", "report", "tell"}:
        return False
    return True


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


def subject_of(verb: Token) -> Span | None:
    """The subject of a cue verb as a span, walking up from participles and infinitives
    ("..., adding that ...", "went on to say") to the verb that has one."""
    cue, seen = verb, 0
    while verb is not None and seen < 4:
        for child in verb.children:
            if child.dep_ in {"nsubj", "nsubjpass"}:
                return noun_phrase(child)
            if child.dep_ == "agent":
                for grandchild in child.children:
                    if grandchild.dep_ == "pobj":
                        return noun_phrase(grandchild)
        if verb.dep_ in {"advcl", "xcomp", "conj", "ccomp", "acl", "pcomp"} and verb.head is not verb:
            verb = verb.head
            seen += 1
            continue
        break
    # "At PMQs on Wednesday Starmer said:": the parser makes "Wednesday Starmer" the object of
    # "on" and leaves the verb without a subject. A person named right before the cue is it.
    return next((e for e in cue.doc.ents if e.end == cue.i and e.label_ == "PERSON"), None)


def noun_phrase(head: Token) -> Span:
    """The noun phrase of ``head`` without its appositions and relative clauses: "Sergei
    Lavrov, Russia's foreign minister, who ..." gives "Sergei Lavrov"."""
    doc = head.doc
    start = head.left_edge.i
    end = head.right_edge.i + 1
    for tok in doc[head.i + 1 : end]:
        if tok.text in {",", "(", "—", "–", "-"} or tok.dep_ in {"relcl", "appos", "acl"} or tok.text in marks.ALL_MARKS:
            end = tok.i
            break
    for tok in doc[start : head.i]:
        if tok.text in marks.ALL_MARKS or tok.text in {",", "(", "—", "–"}:
            start = tok.i + 1
    if start >= end:
        return doc[head.i : head.i + 1]
    return doc[start:end]


def _tokens_in(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


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
        if node.dep_ in {"ccomp", "xcomp"} and node.head is not node and is_cue(node.head) and node.head.lemma_.lower() in SPEECH_CUES:
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
    heads = [t for t in tokens if t.pos_ in {"VERB", "AUX"} and any(c.dep_ in _SUBJECT_DEPS for c in t.children)]
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


def extract(doc: Doc) -> list[Found]:
    text = doc.text
    quoted = marks.find(text)
    paras = marks.paragraphs(text)
    found: list[Found] = []
    claimed: set[int] = set()  # token indices already inside a reported quote
    cues_used: set[int] = set()

    spans = [(q, _tokens_in(doc, q.start, q.end)) for q in quoted]
    # Words inside any quotation mark pair are never a cue for indirect speech.
    quoted_tokens = {t.i for _, span in spans if span is not None for t in span}

    # 1. Quotation marks.
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
        if cue is None and not utterance and q.group is None:
            continue  # scare quote, title or name: not speech
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

    # 2. Indirect speech: the clausal complement of a cue verb.
    for token in doc:
        if token.i in quoted_tokens or token.i in cues_used or not is_cue(token) or token.i in claimed:
            continue
        own = next((c for c in token.children if c.dep_ in {"nsubj", "nsubjpass", "agent"}), None)
        if own is None and token.tag_ != "VBG":
            continue  # "When asked whether ..., he said": the question put, not a statement
        if _inverted_question(token) or _inside_question(token):
            continue
        comp = _clause_complement(token) or _preposed_clause(token) or _object_content(token)
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

    # 3. "according to X": the rest of the sentence is X's.
    for token in doc:
        if token.lower_ != "according" or token.i in quoted_tokens or token.i in claimed:
            continue
        to = next((c for c in token.children if c.lower_ == "to"), None)
        source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if source is None:
            continue
        sent = token.sent
        pp_start, pp_end = token.i, source.right_edge.i + 1
        before = _trim(doc[sent.start : pp_start]) if pp_start > sent.start else None
        after = _trim(doc[pp_end : sent.end]) if pp_end < sent.end else None
        content = max((x for x in (before, after) if x is not None), key=len, default=None)
        if content is None or len([t for t in content if t.is_alpha]) < 3 or any(t.i in claimed for t in content):
            continue
        found.append(Found(content.start_char, content.end_char, "indirect", token, noun_phrase(source), paragraph=_paragraph_of(paras, content.start_char)))
        claimed.update(t.i for t in content)

    found.sort(key=lambda f: f.start)
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
        span = _trim(verb.doc[child.left_edge.i : child.right_edge.i + 1])
        if span is None or len([t for t in span if t.is_alpha]) < 3:
            continue
        if not any(t.dep_ in _SUBJECT_DEPS or t.dep_ == "expl" for t in span):
            continue
        return span
    return None


def _inverted_question(verb: Token) -> bool:
    """"Does he believe ...?" asks; it does not report."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return subject is not None and any(
        c.dep_ == "aux" and c.i < subject.i and c.lower_ in {"does", "do", "did"} for c in verb.children
    )


# Verbs whose noun-phrase object is itself a stated position ("Clinton promised a country of
# new opportunities", "Graham backs Cruz"): the object is reported content.
OBJECT_CUES = {
    "promise", "announce", "deny", "propose", "reject", "support", "back", "oppose", "endorse",
    "favor", "favour", "want", "prefer", "praise", "criticize", "criticise", "blame", "defend",
    "demand", "question", "dispute", "predict", "pledge", "vow", "mention", "cite", "concede",
    "acknowledge", "admit", "confirm", "dismiss", "condemn", "applaud", "welcome", "like",  # not "urge": its object is the addressee
    "love", "hate", "dislike", "fear", "doubt", "believe", "slam",
}


def _object_content(verb: Token) -> Span | None:
    if verb.lemma_.lower() not in OBJECT_CUES:
        return None
    obj = next((c for c in verb.children if c.dep_ in {"dobj", "obj"}), None)
    if obj is None or obj.pos_ == "PRON" and obj.lower_ in {"it", "this", "that", "them", "him", "her"}:
        return None
    span = _trim(verb.doc[obj.left_edge.i : obj.right_edge.i + 1])
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
    return _trim(verb.doc[sent.start : left - 1])


def _complement(cue: Token, quoted: Span) -> Span | None:
    """The complement of ``cue`` that holds the quoted words, so a partial quote is reported
    with the clause it sits in ("the talk was "irritating"")."""
    doc = cue.doc
    for child in cue.children:
        if child.dep_ in {"nsubj", "nsubjpass", "punct", "aux", "auxpass", "neg", "advmod", "mark"}:
            continue
        lo, hi = child.left_edge.i, child.right_edge.i + 1
        if lo <= quoted.start and quoted.end <= hi + 1:
            return _trim(doc[lo:hi])
    return None


def _trim(span: Span) -> Span | None:
    doc = span.doc
    start, end = span.start, span.end
    while start < end and (doc[start].is_punct and doc[start].text not in marks.ALL_MARKS or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct and doc[end - 1].text not in marks.ALL_MARKS or doc[end - 1].is_space):
        end -= 1
    if start >= end:
        return None
    return doc[start:end]
