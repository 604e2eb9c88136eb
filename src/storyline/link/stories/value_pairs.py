"""The compared pairs a story's number and date findings come from, and their reuse from one
build of the story's facts to the next.

Each covered article is compared (link/reuse/compare.py, the feature model alone) with its
VALUE_NEIGHBOURS closest members by mean sentence vector. Those compares were 94% of a story's
facts CPU (benchmarks/README.md, incremental, session 8), and a story's facts are rebuilt
whenever it gains a member: rebuilt from nothing, the cost of one new article grew with its
story. A compare's result depends only on the two articles, not on the story, so the facts
document keeps, for every pair it compared, a stamp of both articles and what
crosscheck.value_evidence keeps of the result (the value changes inside strongly aligned
sentences: nothing, for most pairs). The next build compares only the pairs it has no entry
for with the same stamps; the findings are the same as from a build from nothing (a test
checks it).

An article's stamp covers what a compare reads of it: its analysis (analyzer version and
time), its publication date and title (the direction of a pair reads them); its body cannot
change under one id (ids come from the content hash). The entries carry REUSE_VERSION and
EMBED_VERSION: when the compare or the sentence vectors change, none is used. Sentence vectors
are the stored (float16) ones whether just embedded or read back (link/reuse/vectors.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from storyline.link.reuse.steps import REUSE_VERSION
from storyline.link.reuse.vectors import EMBED_VERSION
from storyline.link.stories.crosscheck import value_evidence
from storyline.link.stories.facts import FACTS_KEY, load_pair, plain
from storyline.records import Analysis, Article, ReusePair
from storyline.store.records import AnalysisStamp, ValuePairEntry

# What the entries were made by: the compare and the sentence vectors it read.
VERSION = f"{REUSE_VERSION}/{EMBED_VERSION}"
# Numbers and dates are compared between each article and its closest neighbours (article
# vectors): the same claim is told by articles that tell the story the same way.
VALUE_NEIGHBOURS = 3


class ValuePairs:
    """The value pairs of one build: ``pairs`` (value_evidence of each compared pair that has
    any, in the order a build from nothing gives) and ``entries`` (what the document keeps)."""

    __slots__ = ("compared", "entries", "fresh", "pairs", "reused")

    def __init__(self) -> None:
        self.pairs: list[ReusePair] = []
        self.entries: list[list] = []
        self.fresh: list[ValuePairEntry] = []  # entries the store lacks (compared now, or from the document)
        self.compared = 0  # compares run in this build
        self.reused = 0  # pairs taken from the previous build's entries or the store

    def document(self) -> dict:
        return {"version": VERSION, "pairs": self.entries}


def stamp(article: Article, analysed: AnalysisStamp | None) -> str | None:
    """What a compare reads of ``article`` besides its body, as a short hash; None when it has
    no stored analysis (then nothing of it is reused)."""
    if analysed is None:
        return None
    text = "\x1f".join((analysed.version, analysed.analysed_at, article.published or "", article.title or ""))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def known_pairs(previous: Mapping | None) -> dict[tuple[str, str], tuple[str, str, dict | None]]:
    """The previous build's entries by pair of ids: (stamp a, stamp b, evidence or None)."""
    block = (previous or {}).get(FACTS_KEY)
    if not isinstance(block, Mapping) or block.get("version") != VERSION:
        return {}
    return {(a, b): (sa, sb, ev) for a, b, sa, sb, ev in block.get("pairs", ())}


Lookup = Callable[[list[tuple[str, str]]], Mapping[tuple[str, str], tuple[str, str, dict | None]]]


def stored_pairs(store) -> Lookup:
    """A lookup of the store's value pairs (``Store.value_pairs``) of this VERSION, by pair."""
    def lookup(pairs: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, str, dict | None]]:
        return {(e.first_id, e.second_id): (e.first_stamp, e.second_stamp,
                                            json.loads(e.evidence) if e.evidence is not None else None)
                for e in store.value_pairs(pairs, VERSION)}

    return lookup


def value_pairs(articles: Sequence[Article], analyses: Mapping[str, Analysis], vectors,
                stamps: Mapping[str, str | None], previous: Mapping | None = None,
                lookup: Lookup | None = None) -> ValuePairs:
    """The value pairs of ``articles`` (vectors: {id: (spans, matrix)} of their sentences),
    taking what ``previous`` (the story's last facts document) holds for unchanged articles,
    then what ``lookup`` (the store's value pairs: a story that absorbed another, or was split
    from one) holds for the pairs still missing; ``fresh`` lists the entries the store lacks."""
    from storyline.link.reuse.align import default_scorer
    from storyline.link.reuse.compare import compare

    means = {}
    for a in articles:
        matrix = vectors[a.id][1]
        if len(matrix):
            m = matrix.mean(axis=0)
            means[a.id] = m / (np.linalg.norm(m) or 1.0)
    pairs: set[tuple[str, str]] = set()
    ids = list(means)
    for i in ids:
        near = sorted((j for j in ids if j != i), key=lambda j: -float(means[i] @ means[j]))[:VALUE_NEIGHBOURS]
        pairs |= {tuple(sorted((i, j))) for j in near}
    known = known_pairs(previous)
    # What the store holds of these pairs: used where the document has nothing current, and
    # written where it lacks an entry the document has (a store older than the table fills it
    # as its stories are rebuilt).
    in_store = lookup(sorted(pairs)) if lookup is not None and pairs else {}
    for p, entry in in_store.items():
        if not _current(known.get(p), stamps.get(p[0]), stamps.get(p[1])):
            known[p] = entry
    by_id = {a.id: a for a in articles}
    out = ValuePairs()
    scorer = None
    for i, j in sorted(pairs):
        si, sj = stamps.get(i), stamps.get(j)
        old = known.get((i, j))
        if _current(old, si, sj):
            evidence = load_pair(old[2]) if old[2] is not None else None
            out.reused += 1
        else:
            # The feature model alone aligns these pairs: they are mostly independent reports,
            # whose numbers and dates are checked against each other, not rewrites to decide;
            # the cross-encoder made this step five times slower (benchmarks/README.md). Only
            # numbers and dates are kept, so only they are looked for (compare's values_only:
            # the other kinds of change were a seventh of the step, session 16).
            scorer = scorer or default_scorer()
            evidence = value_evidence(compare(by_id[i], by_id[j], analyses[i], analyses[j], a_vectors=vectors[i][1],
                                              b_vectors=vectors[j][1], scorer=scorer, always=True,
                                              values_only=True))
            out.compared += 1
        kept = plain(evidence) if evidence is not None else None
        if evidence is not None:
            out.pairs.append(evidence)
        if si is not None and sj is not None:
            out.entries.append([i, j, si, sj, kept])
            if lookup is not None and not _current(in_store.get((i, j)), si, sj):
                out.fresh.append(ValuePairEntry(i, j, VERSION, si, sj,
                                                json.dumps(kept, ensure_ascii=False) if kept is not None else None))
    return out


def _current(entry: tuple[str, str, dict | None] | None, si: str | None, sj: str | None) -> bool:
    """Whether a kept entry was made of the articles as they are (both stamps match)."""
    return entry is not None and si is not None and entry[0] == si and entry[1] == sj
