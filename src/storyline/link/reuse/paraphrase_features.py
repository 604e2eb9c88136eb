"""Features of a sentence pair for the rewrite decision: MiniLM cosine plus lexical evidence.

Sentence embeddings are blind to a changed number ("rose 4%" / "rose 6%"), a different name, a
dropped negation, or a sentence that repeats another and then adds a whole clause; the columns of
:data:`LEXICAL_FEATURES` measure those. :func:`features` builds the matrix that
:class:`storyline.link.reuse.paraphrase.ParaphraseModel` scores.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq, Levenshtein

from storyline.link.reuse.paraphrase_text import STOPWORDS, Sentence, analyse


def _ratio(num: float, den: float) -> float:
    return num / den if den else 1.0


def _jaccard(x: frozenset | set, y: frozenset | set) -> float:
    union = len(x | y)
    return len(x & y) / union if union else 1.0


def _ngram_overlap(x: Counter, y: Counter) -> tuple[float, float]:
    """Clipped n-gram matches as precision over x and recall over y (BLEU's modified precision)."""
    if not x or not y:
        return (1.0, 1.0) if not x and not y else (0.0, 0.0)
    common = sum((x & y).values())
    return common / sum(x.values()), common / sum(y.values())


def _unaligned_runs(s: Sentence, other: Sentence) -> tuple[int, int]:
    """(number of runs, longest run) of tokens of ``s`` whose stem the other sentence lacks.

    Order-free on purpose: a rewrite that moves a clause is still aligned, while a clause that
    only one sentence has shows up as one long run. A shared function word inside a run neither
    breaks nor lengthens it ("... until elections can be held").
    """
    present = other.stem_set
    runs = longest = current = 0
    for tok, stem in zip(s.tokens, s.stems):
        if stem not in present:
            runs += current == 0
            current += 1
            longest = max(longest, current)
        elif tok not in STOPWORDS:
            current = 0
    return runs, longest


# In every pair, "short" is the sentence with fewer tokens and "long" the other: a rewrite that
# keeps a sentence and adds a clause is the typical case, and this makes the features symmetric.
LEXICAL_FEATURES: tuple[str, ...] = (
    "cosine",  # MiniLM sentence vectors
    "token_jaccard",
    "stem_jaccard",
    "content_jaccard",
    "content_contain_short",  # share of the short sentence's content stems found in the long one
    "content_contain_long",
    "unmatched_content_long",  # count of content stems of the long sentence absent from the short
    "unmatched_content_short",
    # BLEU's clipped n-gram precision over the short sentence and over the long one, n = 1..4
    "ngram1_short", "ngram1_long",
    "ngram2_short", "ngram2_long",
    "ngram3_short", "ngram3_long",
    "ngram4_short", "ngram4_long",
    "ngram_geo",  # geometric mean of the four n-gram F-measures
    "char3_jaccard",
    "fuzz_ratio",  # rapidfuzz, on the normalised token string
    "fuzz_token_set",
    "fuzz_partial",
    "lcs_short",  # longest common stem subsequence / short length
    "lcs_long",  # ... / long length
    "edit_distance",  # stem Levenshtein distance / long length (TER-like)
    "len_ratio",
    "len_diff_log",
    "len_short_log",
    "number_missing_either",  # numbers of one sentence absent from the other, both directions
    "number_missing_short",  # numbers of the short sentence absent from the long one
    "number_missing_long",
    "number_mismatch",  # 1 when both sentences hold numbers and the sets differ
    "number_jaccard",
    "name_missing_long",  # capitalised words of the long sentence absent from the short one's
    "name_missing_short",
    "name_jaccard",
    "negation_mismatch",  # one sentence negates, the other does not
    "unaligned_run_long",  # longest run of tokens of the long sentence with no match in the short
    "unaligned_run_short",
    "unaligned_runs_long",  # how many such runs (one added clause vs scattered edits)
    "unaligned_runs_short",
    "lcs_blocks",  # contiguous blocks of the stem LCS alignment / short length
    "longest_block",  # longest contiguous common stem run / short length
)  # fmt: skip


def _lexical(a: str, b: str, cosine: float) -> list[float]:
    """The LEXICAL_FEATURES of one pair, in order."""
    sa, sb = analyse(a), analyse(b)
    # Ties broken by the text, so that features(a, b) == features(b, a) exactly.
    if (len(sa.tokens), sa.text) > (len(sb.tokens), sb.text):
        sa, sb = sb, sa
    na, nb = len(sa.tokens), len(sb.tokens)
    ca, cb = sa.content, sb.content
    shared = len(ca & cb)
    feats = [
        cosine,
        _jaccard(sa.token_set, sb.token_set),
        _jaccard(sa.stem_set, sb.stem_set),
        _jaccard(ca, cb),
        _ratio(shared, len(ca)),
        _ratio(shared, len(cb)),
        float(len(cb - ca)),
        float(len(ca - cb)),
    ]
    f_measures = []
    for n in range(4):
        p, r = _ngram_overlap(sa.ngrams[n], sb.ngrams[n])
        feats += [p, r]
        f_measures.append(2 * p * r / (p + r) if p + r else 0.0)
    feats.append(math.exp(sum(math.log(f + 0.01) for f in f_measures) / 4))
    feats += [
        _jaccard(sa.chars, sb.chars),
        fuzz.ratio(sa.lower, sb.lower) / 100,
        fuzz.token_set_ratio(sa.lower, sb.lower) / 100,
        fuzz.partial_ratio(sa.lower, sb.lower) / 100,
    ]
    blocks = [op for op in LCSseq.opcodes(sa.stems, sb.stems) if op.tag == "equal"]
    lcs = sum(op.src_end - op.src_start for op in blocks)
    feats += [_ratio(lcs, na), _ratio(lcs, nb), _ratio(Levenshtein.distance(sa.stems, sb.stems), nb)]
    feats += [_ratio(na, nb), math.log((nb + 1) / (na + 1)), math.log(na + 1)]
    feats += [
        float(len(sa.numbers ^ sb.numbers)),
        float(len(sa.numbers - sb.numbers)),
        float(len(sb.numbers - sa.numbers)),
        float(bool(sa.numbers) and bool(sb.numbers) and sa.numbers != sb.numbers),
        _jaccard(sa.numbers, sb.numbers),
    ]
    feats += [float(len(sb.names - sa.names)), float(len(sa.names - sb.names)), _jaccard(sa.names, sb.names)]
    feats.append(float((sa.negations > 0) != (sb.negations > 0)))
    long_runs, long_max = _unaligned_runs(sb, sa)
    short_runs, short_max = _unaligned_runs(sa, sb)
    feats += [float(long_max), float(short_max), float(long_runs), float(short_runs)]
    feats.append(_ratio(len(blocks), na))
    feats.append(_ratio(max((op.src_end - op.src_start for op in blocks), default=0), na))
    return feats


def feature_names(vectors: bool = False, dim: int = 384) -> list[str]:
    """Names of the columns :func:`features` returns (``vectors`` adds |va-vb| and va*vb)."""
    names = list(LEXICAL_FEATURES)
    if vectors:
        names += [f"absdiff_{i}" for i in range(dim)] + [f"product_{i}" for i in range(dim)]
    return names


def features(
    pairs_a: Sequence[str], pairs_b: Sequence[str], VA: np.ndarray, VB: np.ndarray, vectors: bool = False
) -> np.ndarray:
    """Feature matrix (n, k) of n sentence pairs; VA and VB (n, d) hold their unit vectors.

    ``vectors=True`` appends |va-vb| and va*vb (2d columns). On MRPC they made every model
    worse (they overfit), so the shipped model does not use them; the benchmark can measure them.
    """
    n = len(pairs_a)
    if not (n == len(pairs_b) == len(VA) == len(VB)):
        raise ValueError("pairs_a, pairs_b, VA and VB must have the same length")
    VA = np.asarray(VA, dtype=np.float32).reshape(n, -1)
    VB = np.asarray(VB, dtype=np.float32).reshape(n, -1)
    cosines = np.einsum("ij,ij->i", VA, VB).tolist()
    lexical = np.array([_lexical(a, b, c) for a, b, c in zip(pairs_a, pairs_b, cosines)], dtype=np.float64)
    lexical = lexical.reshape(n, len(LEXICAL_FEATURES))
    if not vectors:
        return lexical
    return np.hstack([lexical, np.abs(VA - VB), VA * VB]).astype(np.float64)


def pair_features(a: str, b: str, va: np.ndarray, vb: np.ndarray, vectors: bool = False) -> np.ndarray:
    """Feature vector (k,) of one sentence pair; see :func:`features`."""
    return features([a], [b], np.asarray(va)[None, :], np.asarray(vb)[None, :], vectors=vectors)[0]
