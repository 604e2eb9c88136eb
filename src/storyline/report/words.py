"""Word-by-word comparison of two passages, for side-by-side views (diff page, `storyline diff`),
and how a quote is written out (:func:`quoted`)."""

from __future__ import annotations

import difflib
import re
from typing import Literal

_WORD = re.compile(r"\S+\s*")

Op = Literal["equal", "changed"]


def word_ops(source: str, derived: str) -> list[tuple[Op, str, str]]:
    """``source`` against ``derived`` as runs of (op, source words, derived words): "equal" runs
    hold the same words (case ignored) on both sides, "changed" runs what one side has in place
    of the other (either side may be empty). Joining each side's words gives the text back,
    whitespace included."""
    a, b = _WORD.findall(source), _WORD.findall(derived)
    matcher = difflib.SequenceMatcher(None, [w.strip().lower() for w in a], [w.strip().lower() for w in b],
                                      autojunk=False)
    ops: list[tuple[Op, str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        ops.append(("equal" if op == "equal" else "changed", "".join(a[i1:i2]), "".join(b[j1:j2])))
    return ops


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """"1 article", "3 articles": a count with its noun (``plural`` when not the noun + s)."""
    return f"{n} {noun}" if n == 1 else f"{n} {plural or noun + 's'}"


def quoted(text: str, kind: str) -> str:
    """A quote as a reader should see it: a direct quotation inside quotation marks; partial and
    indirect quotes as the reported speech they are ("that the bridge would reopen", with any
    quoted words keeping their own marks), never inside marks the speaker did not utter."""
    return f"“{text}”" if kind == "direct" else text


def membership_reason(why: dict | None) -> str:
    """One line saying why an article is in its story, from the evidence the clusterer stored
    when it joined (link/stories/cluster.py ``_evidence``); empty when none was stored (an
    article clustered before evidence was kept)."""
    if not why:
        return ""
    if why.get("kind") == "founded":
        near = why.get("nearest_story")
        if near is None:
            text = "started the story (no earlier story was near)"
        else:
            text = (f"started the story (nearest story {near[:12]} scored {why.get('nearest_score', 0):.2f},"
                    f" below the {why.get('join_threshold', 0):.2f} needed)")
        other = why.get("other_years")
        if other:
            text += (f"; kept out of story {str(other.get('story', ''))[:12]}: it names"
                     f" {', '.join(other.get('article_years') or ())}, that story"
                     f" {', '.join(other.get('story_years') or ())}")
        return text
    if why.get("kind") == "split":  # moved with its part when a story was cut in two (link/stories/split.py)
        text = (f"split off story {str(why.get('from', ''))[:12]} with the {why.get('moved', 0)} articles on"
                f" its subject (the two parts alike {why.get('centroid_cosine', 0):.2f} in meaning)")
        before = membership_reason(why.get("before"))
        return f"{text}; before that: {before}" if before else text
    if why.get("kind") == "rescued":  # a second look once the story had grown (Params.rescue_after)
        parts = [f"joined later, on a second look, with score {why.get('score', 0):.2f}"
                 f" (needs {why.get('rescue_threshold', 0):.2f} then: meaning {why.get('cosine', 0):.2f},"
                 f" words {why.get('lexical', 0):.2f}, names {why.get('entities', 0):.2f})"]
    else:
        parts = [f"joined with score {why.get('score', 0):.2f} (needs {why.get('join_threshold', 0):.2f}:"
                 f" meaning {why.get('cosine', 0):.2f}, words {why.get('lexical', 0):.2f},"
                 f" names {why.get('entities', 0):.2f})"]
    names = [n.lstrip("#") for n in why.get("shared_entities") or ()]
    if names:
        parts.append("shares " + ", ".join(names))
    if why.get("shared_terms"):
        parts.append("words " + ", ".join(why["shared_terms"]))
    if why.get("nearest_article"):
        parts.append(f"nearest {why['nearest_article'][:10]} ({why.get('nearest_similarity') or 0:.2f})")
    for kept in why.get("not_merged") or ():  # a merge kept apart (Params.protagonist_min, cast_min)
        theirs, ours = ", ".join(kept.get("other_people") or ()), ", ".join(kept.get("people") or ())
        head = f"story {str(kept.get('story', ''))[:12]} scored {kept.get('score', 0):.2f} too but was not merged: "
        if kept.get("rule") == "casts":
            parts.append(head + f"its reports keep naming {theirs}, this story's {ours}, and neither names the"
                                f" other's people")
        else:
            parts.append(head + f"its reports lead with {theirs}, this story's with {ours}")
    return "; ".join(parts)
