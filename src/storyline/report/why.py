"""Plain-words reasons for the three decisions a reader most often doubts: why two articles are
a copy (a reuse pair), why an article is in its story, and why a quote is given to its speaker.

Each function turns facts already stored (the pair with its alignment, changes and evidence;
the story report's pairs and people; the quote's speaker mention) into one short sentence, e.g.
"94% of the copy restates the source (27 of 30 sentences; 9 word for word); 20 changes: 9 quotes
turned into paraphrase, 2 roles changed, …". Nothing is recomputed: the numbers are the
stored ones, so the sentence says what the decision was made from.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from storyline.records import Quote, ReusePair

# How each change type reads in a sentence: (one, many).
CHANGE_WORDS = {
    "entity_added": ("a name added", "names added"),
    "entity_dropped": ("a name dropped", "names dropped"),
    "entity_replaced": ("a name replaced", "names replaced"),
    "role_changed": ("a title changed", "titles changed"),
    "number_changed": ("a number changed", "numbers changed"),
    "date_changed": ("a date changed", "dates changed"),
    "number_dropped": ("a number dropped", "numbers dropped"),
    "date_dropped": ("a date dropped", "dates dropped"),
    "number_added": ("a number added", "numbers added"),
    "date_added": ("a date added", "dates added"),
    "misquote": ("a quote reworded", "quotes reworded"),
    "quote_to_paraphrase": ("a quote turned into paraphrase", "quotes turned into paraphrase"),
    "attribution_dropped": ("an attribution dropped", "attributions dropped"),
    "hedge_dropped": ("a hedge dropped", "hedges dropped"),
    "claim_dropped": ("a claim dropped", "claims dropped"),
    "claim_added": ("a claim added", "claims added"),
}
KIND_WORDS = {
    "duplicate": "the same text",
    "syndicated": "the same wire text, lightly edited",
    "rewrite": "a rewrite of the source",
    "partial": "a partial copy",
    "independent": "independent reporting",
}
GENERIC_MEMBERSHIP = "Placed here by the similarity of its wording and dates to the story's articles."
MAX_CHANGE_KINDS = 3  # change types named in a sentence (the rest as "…")
PRONOUNS = frozenset({"he", "she", "they", "his", "her", "their", "him", "them", "it", "its", "we", "i"})
VERBATIM_SENTENCE = 0.99  # an aligned sentence this verbatim counts as "word for word"


def _pct(share: float) -> str:
    return f"{round(max(0.0, min(share, 1.0)) * 100)}%"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def changes_phrase(types: Iterable[str]) -> str:
    """"20 changes: 9 quotes turned into paraphrase, 3 claims added, 2 titles changed, …"
    (most frequent first); "no changes" when there are none."""
    counts = Counter(types)
    total = sum(counts.values())
    if not total:
        return "no changes"
    parts = []
    for kind, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CHANGE_KINDS]:
        one, many = CHANGE_WORDS.get(kind, (kind.replace("_", " "), kind.replace("_", " ")))
        parts.append(one if n == 1 else f"{n} {many}")
    more = " and more" if len(counts) > MAX_CHANGE_KINDS else ""
    return f"{_count(total, 'change', 'changes')}: {', '.join(parts)}{more}"


def reuse_why(pair: ReusePair) -> str:
    """Why the pair is the kind it is, from its stored coverage, alignment and changes; then
    how sure the direction is and the strongest evidence for it."""
    if not pair.is_reuse:
        return (f"Judged independent: only {_pct(pair.coverage)} of one restates the other "
                f"(similarity {pair.similarity:.2f}).")
    aligned = len(pair.aligned)
    word_for_word = sum(s.verbatim >= VERBATIM_SENTENCE for s in pair.aligned)
    matched = f"{_pct(pair.coverage)} of the copy restates the source"
    if aligned:
        matched += f" ({_count(aligned, 'sentence', 'sentences')} matched, {word_for_word} word for word)"
    # Changes of meaning only: a wording-only edit never counts as one (see records.Change).
    meaning = [c for c in pair.changes if c.meaning]
    wording = len(pair.changes) - len(meaning)
    if meaning:  # "3 changes: a title, ..." -> "3 changes of meaning: a title, ..."
        count, _, listed = changes_phrase(c.type for c in meaning).partition(": ")
        said = f"{count} of meaning: {listed}"
    else:
        said = "no change of meaning"
    text = f"{KIND_WORDS.get(pair.kind, pair.kind).capitalize()}: {matched}; {said}"
    if wording:
        text += f" and {_count(wording, 'wording-only edit', 'wording-only edits')}"
    text += "."
    if pair.direction_known:
        text += f" Direction {_pct(pair.direction_confidence)} sure"
        if pair.evidence:
            text += f", mainly from {_evidence(pair.evidence[0])}"
        text += "."
    else:
        text += " Which one copied the other is unknown (the evidence is too weak either way)."
    return text


def _evidence(line: str) -> str:
    """An evidence line without its trailing weight ("… 4 vs 14 (-2.50)" → "… 4 vs 14")."""
    head, sep, tail = line.rpartition(" (")
    if sep and tail.endswith(")") and tail[:-1].lstrip("+-").replace(".", "", 1).isdigit():
        return head
    return line


def membership_why(article_id: str, pairs: Sequence[ReusePair], shared_people: Sequence[str],
                   names: dict[str, str]) -> str:
    """Why an article sits in its story: the copies it shares with other members (``pairs``
    among the story's articles) and the people it names that other members name too.
    ``names`` gives each article's short name (its outlet) for the sentence."""
    linked = [p for p in pairs if p.is_reuse and article_id in (p.source_id, p.derived_id)]
    parts = []
    if linked:
        others = [names.get(p.derived_id if p.source_id == article_id else p.source_id, "another article")
                  for p in linked]
        shown = ", ".join(dict.fromkeys(others[:3])) + (", …" if len(others) > 3 else "")
        parts.append(f"shares copied passages with {shown}")
    if shared_people:
        shown = ", ".join(shared_people[:3]) + (", …" if len(shared_people) > 3 else "")
        parts.append(f"names {shown}, as other articles of the story do")
    if not parts:
        return GENERIC_MEMBERSHIP
    return "In this story because it " + " and ".join(parts) + "."


# How much of an article is read for the words its stored terms stand for (words_for).
TERM_TEXT_CHARS = 5000
# Names and words a joining reason shows (the clusterer stores the rarest first).
SHOWN_EVIDENCE = 4


def join_why(why: Mapping | None, text: str = "", titles: Mapping[str, str | None] | None = None,
             merged: Mapping | None = None) -> str:
    """What the story clusterer saw when it placed the article, in plain words, from the
    evidence it stored (story_members.evidence, link/stories/evidence.py): how it joined (as it
    arrived, on a second look, with a part of a story cut in two), the score against the bar,
    the names and words it shares with the story, and its nearest article. ``text``: the
    article's title and body, to show the stored word stems as words; ``titles``: the story's
    articles' titles, to name the nearest one; ``merged``: for an article that started a story
    merged into this one later, that merge's stored evidence. Empty when no evidence was stored.
    Evidence written by another version may lack a part or hold another type: that part is left
    out, never an error (a story's page reads every member's)."""
    if not isinstance(why, Mapping):
        return ""
    titles = titles if isinstance(titles, Mapping) else {}
    kind = why.get("kind")
    if kind == "founded":
        own = isinstance(merged, Mapping)
        text_ = "Started a story of its own" if own else "Started this story"
        near, bar = _num(why.get("nearest_score")), _num(why.get("join_threshold"))
        if why.get("nearest_story") is not None and near is not None and bar is not None:
            text_ += f": the nearest story scored {near:.2f}, below the {bar:.2f} needed to join it"
        text_ += "".join(f"; {clause}" for clause in _left_out(why))
        if own:
            text_ += "; that story joined " + ("another, which this one absorbed" if merged.get("via") else "this one")
            text_ += " later" + _merge_how(merged, titles)
        return text_ + "."
    if kind == "split":
        alike = _num(why.get("centroid_cosine"))
        ours = _people_names(why.get("people"))
        theirs = _people_names(why.get("other_people"))
        moved = _count(int(_num(why.get("moved")) or 0), "article", "articles")
        parts = f" (the parts alike {alike:.2f} in meaning)" if alike is not None else ""
        if ours and theirs:  # split by the people its leads name (link/stories/split.py, people_parts)
            text_ = (f"Moved here with the {moved} that lead with {', '.join(ours)}, not with {', '.join(theirs)},"
                     f" when story {str(why.get('from', ''))[:12]}, whose reports led with one or the other,"
                     f" was cut in two{parts}.")
        else:
            text_ = (f"Moved here with the {moved} on its subject when story {str(why.get('from', ''))[:12]},"
                     f" which had joined two subjects, was cut in two{parts}.")
        before = join_why(why.get("before"), text, titles) if isinstance(why.get("before"), Mapping) else ""
        return f"{text_} Before that: {before}" if before else text_
    hows = {"joined": "Joined as it arrived", "rescued": "Joined on a second look, once the story had grown",
            "time shard": "Joined when two stretches of the stream were put together"}
    if kind not in hows:
        return ""
    score = _num(why.get("score"))
    bar = _num(why.get("rescue_threshold") if kind == "rescued" else why.get("join_threshold"))
    numbers = ", ".join(x for x in (f"score {score:.2f}" if score is not None else "",
                                    f"{bar:.2f} needed" if bar is not None else "") if x)
    head = hows[kind] + (f" ({numbers})" if numbers else "")
    parts = []
    if (cosine := _num(why.get("cosine"))) is not None:
        parts.append(f"alike in meaning {cosine:.2f}")
    keys = _strs(why.get("shared_entities"))[:SHOWN_EVIDENCE]
    names = _fullest([_key_name(k) for k in keys if not k.startswith("#")])
    numbers_shared = [k[1:] for k in keys if k.startswith("#")]
    if names or numbers_shared:
        parts.append("shares " + " and ".join(filter(None, (
            ", ".join(names),
            ("the numbers " if len(numbers_shared) > 1 else "the number ") + ", ".join(numbers_shared)
            if numbers_shared else ""))))
    stems = _strs(why.get("shared_terms"))[:SHOWN_EVIDENCE]
    if stems:
        from storyline.link.stories.features import words_for

        shown = words_for(text[:TERM_TEXT_CHARS], stems) if text else {}
        parts.append("the words " + ", ".join(shown.get(s, s) for s in stems))
    nearest = why.get("nearest_article")
    if isinstance(nearest, str) and nearest:
        title = titles.get(nearest)
        named = f"“{title}”" if title else f"article {nearest[:10]}"
        similarity = _num(why.get("nearest_similarity"))
        parts.append(f"nearest {named}" + (f" ({similarity:.2f})" if similarity is not None else ""))
    text_ = head + (": " + "; ".join(parts) if parts else "") + "."
    text_ += "".join(f" {clause[:1].upper()}{clause[1:]}." for clause in _left_out(why))
    kept_apart = why.get("not_merged")
    for kept in kept_apart if isinstance(kept_apart, list) else ():  # protagonist_min, cast_min, people_split_share
        if not isinstance(kept, Mapping):
            continue
        theirs = ", ".join(_people_names(kept.get("other_people")))
        ours = ", ".join(_people_names(kept.get("people")))
        scored = _num(kept.get("score"))
        text_ += (f" Story {str(kept.get('story', ''))[:12]}" + (f" scored {scored:.2f} too but" if scored is not None else "")
                  + " was not merged: ")
        if kept.get("rule") == "casts":
            text_ += f"its reports keep naming {theirs}, this story's {ours}, and neither names the other's people."
        elif kept.get("rule") == "people split":  # split.apart_by_people
            text_ += (f"its reports lead with {theirs} and this story's with {ours}, never one with the other's"
                      " person alone: merged, they would be split again.")
        else:
            text_ += f"its reports lead with {theirs}, this story's with {ours}."
    before = why.get("before")
    if kind == "rescued" and isinstance(before, Mapping) and before.get("kind") == "split":
        # A split's moved part that joined this story at once (Params.split_home).
        text_ += " " + join_why(before, text, titles)
    return text_


def _left_out(why: Mapping) -> list[str]:
    """The stories a rule kept the article from, each in a clause ("story …, which names 2008,
    was left out, as this article names 2013"): the year veto's (``other_years``) and the
    weeks-apart test's (``other_people``; link/stories/evidence.py ``_kept_out_evidence``)."""
    clauses = []
    other = why.get("other_years")
    if isinstance(other, Mapping) and _strs(other.get("story_years")) and _strs(other.get("article_years")):
        clauses.append(f"story {str(other.get('story', ''))[:12]}, which names {', '.join(_strs(other.get('story_years')))},"
                       f" was left out, as this article names {', '.join(_strs(other.get('article_years')))}")
    other = why.get("other_people")
    if isinstance(other, Mapping) and isinstance(other.get("story"), str):
        theirs = _people_names(other.get("story_people"))
        ours = _people_names(other.get("people"))
        days = _num(other.get("days"))
        if theirs and ours:
            clauses.append(f"story {other['story'][:12]}, "
                           + (f"{days:.0f} days apart" if days is not None else "apart in time")
                           + f" and about {', '.join(theirs)}, was left out, as this article leads with {', '.join(ours)}")
    return clauses


def _fullest(names: list[str]) -> list[str]:
    """``names`` without those whose words another holds ("Varga" beside "Helen Varga", "Calder
    Marsh" beside "Calder Marsh Engineering"), in order."""
    words = [set(n.casefold().split()) for n in names]
    return [n for k, n in enumerate(names)
            if not any(j != k and words[k] < words[j] for j in range(len(names)))]


def _num(value) -> float | None:
    """A stored number as a float; None for anything else (a missing part, another type, a
    number no float holds, NaN or an infinity)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer past float's range, from a malformed stored evidence
        return None
    return number if math.isfinite(number) else None


def _strs(value) -> list[str]:
    """A stored list of names or words as strings; [] for anything else (a string is no list)."""
    return [str(x) for x in value if x is not None] if isinstance(value, list) else []


def _merge_how(merge: Mapping, titles: Mapping[str, str | None]) -> str:
    """How a story joined another, from the merge's stored evidence (link/stories/cluster.py
    ``_converge``, evidence.py's rescues and average link, shard_join.py)."""
    rule, score, bar = merge.get("rule"), _num(merge.get("score")), _num(merge.get("bar"))
    scored = f" (score {score:.2f}{'' if bar is None else f', {bar:.2f} needed'})" if score is not None else ""
    if rule == "converge":
        by = merge.get("by")
        named = f"“{titles[by]}”" if isinstance(by, str) and titles.get(by) else "an article"
        return f", when {named} matched both{scored}"
    if rule in ("rescue", "piece rescue"):
        return f", on a second look{scored}"
    if rule == "split home":  # the piece is the part a split moved out; it may be the older
        if merge.get("absorbed") == merge.get("piece"):
            return f", when it was split out of another story{scored}"
        return f", when a part split out of another story joined it{scored}"
    if rule == "average link" and (link := _num(merge.get("link"))) is not None:
        return f", their articles alike on average ({link:.2f})"
    if rule == "time shard":
        return ", when two stretches of the stream were put together"
    return ""


def _people_names(value) -> list[str]:
    """The people of an evidence list (surname keys, as the clusterer stores them) as names;
    blank or non-string entries left out."""
    return [_key_name(k) for k in _strs(value) if k.strip()]


def _key_name(key: str) -> str:
    """An entity key as a name to read: a lower-case key with capitals ("harry winston" Harry
    Winston); a key with capitals of its own as it is."""
    if key != key.lower():
        return key
    return " ".join(w[:1].upper() + w[1:] for w in key.split(" "))


def member_why(article_id: str, evidence: Mapping | None, text: str, titles: Mapping[str, str | None],
               pairs: Sequence[ReusePair], shared_people: Sequence[str], names: dict[str, str],
               merged: Mapping | None = None) -> str:
    """Why an article is in its story on its page: how the clusterer placed it
    (:func:`join_why`), then the copies and people it shares (:func:`membership_why`) when it
    has any."""
    placed = join_why(evidence, text, titles, merged)
    shared = membership_why(article_id, pairs, shared_people, names)
    if not placed:
        return shared
    return placed if shared == GENERIC_MEMBERSHIP else f"{placed} {shared}"


def speaker_why(quote: Quote) -> str:
    """How the quote's speaker was decided, from the stored mention and flags."""
    if not quote.speaker:
        return "No speaker found near the quote."
    cue = f" with “{quote.cue}”" if quote.cue else ""
    if quote.anonymous:
        return f"An unnamed source: the article describes the speaker as “{quote.speaker}”{cue}."
    mention = quote.speaker_mention.text if quote.speaker_mention else None
    if mention is None:
        return f"Given to {quote.speaker}: the speaker named in the passage{cue}."
    if mention.casefold() == quote.speaker.casefold():
        return f"Given to {quote.speaker}: named next to the quote{cue}."
    if mention.casefold() in PRONOUNS:
        return f"Given to {quote.speaker}: “{mention}”{cue} refers back to the last person named, {quote.speaker}."
    if set(mention.casefold().split()) <= set(quote.speaker.casefold().split()):
        return f"Given to {quote.speaker}: named as “{mention}” next to the quote{cue}."
    return f"Given to {quote.speaker}: the article calls the speaker “{mention}”{cue}, a name or title it gives {quote.speaker}."
