"""Compare two articles: the kind of reuse, which one is the source, and what changed.

Kinds, from the alignment (link/reuse/align.py):
- duplicate: the same text (each side's word 5-shingles ≥ DUPLICATE_MIN inside the other);
- syndicated: a near-verbatim copy of most of the source (derived 5-shingles ≥ SYNDICATED_MIN
  inside the source and most derived sentences aligned);
- rewrite: the source's facts and structure in other words (most derived sentences restate
  source sentences, in order, over a long run);
- partial: some passages reused (a run of restated or copied sentences, or a verbatim share,
  too small for the above);
- independent: anything else, such as two reports of the same story (not reuse).

Too little text to tell: apart from the same text (duplicate), copying is claimed only on at least
align.MIN_WORDS copied words, and restating only on at least two restated sentences holding
that many words on each side (align.MIN_RESTATED). Two outlets' headlines on one piece of news
share a name and a phrase, or say the same thing in other words, without either having copied
the other: in the UCI headline dump 20,000 of 36,000 candidate pairs were called reuse before
this rule, and 42 (the same headline twice) after it (session 34).

The constants were calibrated on the five seeds (one rewrite among ten pairs; the independent
pairs restate at most 2 sentences in a row and 0.3 of the shorter side) and on the
Clough-Stevenson graded answers (benchmarks/reuse_grades.py): near copies there keep ≥ 0.5 of
their 5-shingles, light revisions 0.2-0.6, heavy revisions under 0.25 with most sentences still
aligned, independent answers under 0.1 with few aligned sentences.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from storyline.link.reuse import drift
from storyline.link.reuse.align import MIN_RESTATED, MIN_WORDS, Alignment, Scorer, align
from storyline.link.reuse.direction import decide
from storyline.records import Analysis, Article, ReuseKind, ReusePair

DUPLICATE_MIN = 0.9
SYNDICATED_MIN = 0.5
SYNDICATED_COVERAGE = 0.5
REWRITE_COVERAGE = 0.5  # share of the derived article restating the source
REWRITE_SOURCE_COVERAGE = 0.25  # share of the source restated
REWRITE_RUN = 3  # consecutive derived sentences restating source sentences in order
PARTIAL_RUN = 3
PARTIAL_VERBATIM = 0.15
PARTIAL_COPIED_SENTENCES = 2  # sentences copied near-verbatim (verbatim share ≥ 0.8)
# A quarter of the derived text restated, over two sentences in a row or four sentences in all.
# On Clough-Stevenson no independent answer has two restated sentences in a row, and none more
# than three restated in all; heavy revisions of short answers often have no longer run.
PARTIAL_COVERAGE = 0.25
PARTIAL_SHORT_RUN = 2
PARTIAL_PAIRS = 4
# Copied words (align.copied_words) a claim of copying needs, unless the texts are the same: more
# than a headline holds, so a headline or a phrase two reports share is not taken for a copy,
# while a copied sentence of a brief is.
MIN_COPIED_WORDS = MIN_WORDS


def kind_of(al: Alignment) -> ReuseKind:
    short = min(len(al.source_sentences), len(al.derived_sentences))
    if al.verbatim >= DUPLICATE_MIN and al.source_verbatim >= DUPLICATE_MIN:
        return "duplicate"
    enough_copied = al.copied_words >= MIN_COPIED_WORDS
    if enough_copied and al.verbatim >= SYNDICATED_MIN and al.derived_coverage >= SYNDICATED_COVERAGE:
        return "syndicated"
    run_needed = min(REWRITE_RUN, max(MIN_RESTATED, short))
    # Both counted on each side: four derived sentences linked to one source sentence (splits)
    # restate one sentence, and one side of a single sentence is never scored by the
    # cross-encoder (align.score_matrix), so no restating kind may rest on it.
    enough_restated = al.restated_words >= MIN_WORDS and al.restated_sentences >= MIN_RESTATED
    if (
        enough_restated
        and al.derived_coverage >= REWRITE_COVERAGE
        and al.source_coverage >= REWRITE_SOURCE_COVERAGE
        and al.longest_run >= run_needed
    ):
        return "rewrite"
    copied = sum(1 for p in al.pairs if p.verbatim >= 0.8)
    if (enough_restated and al.longest_run >= PARTIAL_RUN) or (
            enough_copied and (al.verbatim >= PARTIAL_VERBATIM or copied >= PARTIAL_COPIED_SENTENCES)):
        return "partial"
    if enough_restated and al.derived_coverage >= PARTIAL_COVERAGE and (
        al.longest_run >= PARTIAL_SHORT_RUN or len(al.pairs) >= PARTIAL_PAIRS
    ):
        return "partial"
    return "independent"


def compare(
    a: Article,
    b: Article,
    a_analysis: Analysis | None = None,
    b_analysis: Analysis | None = None,
    *,
    a_vectors: np.ndarray | None = None,
    b_vectors: np.ndarray | None = None,
    scorer: Scorer | None = None,
    with_changes: bool = True,
    always: bool = False,
    values_only: bool = False,
) -> ReusePair:
    """The reuse between two articles, oriented source -> derived (a -> b when the direction is
    unknown and a was given first). Sentence vectors are those of ``align_spans(body)``.
    Independent pairs carry no alignment or changes unless ``always`` (as `storyline diff` asks);
    ``values_only`` keeps only the number and date changes (``drift.value_only_changes``)."""
    al = align(a.body, b.body, a_vectors, b_vectors, scorer=scorer)
    direction = decide(a, b, al, a_analysis, b_analysis)
    source, derived = (a, b) if direction.first_is_source else (b, a)
    s_an, d_an = (a_analysis, b_analysis) if direction.first_is_source else (b_analysis, a_analysis)
    if not direction.first_is_source:
        al = align(b.body, a.body, b_vectors, a_vectors, scorer=scorer, scores=al.scores.T)
    kind = kind_of(al)
    pair = ReusePair(
        source_id=source.id,
        derived_id=derived.id,
        kind=kind,
        direction_confidence=direction.confidence,
        coverage=round(al.derived_coverage, 4),
        source_coverage=round(al.source_coverage, 4),
        verbatim=round(al.verbatim, 4),
        similarity=round(al.similarity, 4),
        evidence=direction.evidence,
        aligned=al.pairs,
    )
    if not always and (kind == "independent" or not with_changes):
        return replace(pair, aligned=al.pairs if kind != "independent" else ())
    if values_only:
        return replace(pair, changes=tuple(drift.value_only_changes(source, derived, al)))
    return replace(pair, changes=tuple(drift.changes(source, derived, al, s_an, d_an)))





# A rewrite that keeps this share of the derived text's word 5-shingles verbatim is a light
# revision (words swapped inside copied sentences); below it, a heavy one (restructured).
# Calibrated on Clough-Stevenson (benchmarks/reuse_grades.py): light revisions keep 0.2-0.6 of
# their shingles, heavy ones mostly under 0.2.
LIGHT_REVISION_VERBATIM = 0.2


def grade(pair: ReusePair) -> str:
    """The Clough-Stevenson grade of a pair: cut (near copy), light, heavy (revision) or non."""
    if pair.kind in ("duplicate", "syndicated"):
        return "cut"
    if pair.kind in ("rewrite", "partial"):
        return "light" if pair.verbatim >= LIGHT_REVISION_VERBATIM else "heavy"
    return "non"
