"""The rewrite decision for the sentence pairs that count: the cross-encoder over today's model.

Alignment scores every sentence pair of two articles (hundreds to thousands) with the feature
model of :mod:`storyline.link.reuse.paraphrase`, which is cheap but reads the two sentences
apart (a cosine and word overlaps). The cross-encoder of
:mod:`storyline.analyze.rewrite_model` reads them together and is right more often (see
benchmarks/README.md, "Sentence rewrites"), but costs a MiniLM forward pass per pair. So it
re-scores only the pairs that can become links: those the feature model gives at least
:data:`RESCORE_MIN` (the lowest score alignment acts on) that are among the :data:`TOP` best of
their source or derived sentence. Their score becomes :func:`combine` of both models.

When the cross-encoder cannot be loaded (weights file missing or unreadable, torch or the base
model not installed), a warning is logged once and the feature model decides alone, as before.

``STORYLINE_REWRITE_MODEL=off`` (read when a run starts, see
:func:`storyline.link.reuse.rewrite_switch.enabled`) switches the
cross-encoder off on purpose: no torch load, about 1.7x faster comparisons, the feature model's
decision alone. The compare step's version says which decision made a stored pair
(:func:`storyline.link.reuse.steps.reuse_version`), so switching re-compares the stored pairs
instead of mixing both kinds of results.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from storyline.link.reuse.rewrite_switch import enabled

log = logging.getLogger("storyline.reuse")

# Pairs scored below this by the feature model are left alone: alignment ignores them (its lowest
# threshold, align.GAP_MIN, is 0.2), so re-scoring them would cost time and change nothing.
RESCORE_MIN = 0.2
# Per source and per derived sentence, this many of its best-scored counterparts are re-scored:
# a sentence restates one, or with a merge two, of the other side's.
TOP = 2
# Weight of the cross-encoder in the combined probability (the rest is the feature model's). On
# the held-out tenth of MRPC train and of PAN (benchmarks/paraphrase.py --cross) the mean of both
# beat each alone on both sets, with the first weights (cross-encoder alone: a tie with the feature
# model on MRPC, a loss on PAN) and with the retrained ones (cross-encoder alone 79.7 / 90.4
# accuracy, the mean 81.1 / 90.9). 0.5 was set with the first weights and not re-tuned. See
# benchmarks/README.md, "Sentence rewrites".
CROSS_WEIGHT = 0.5


def combine(feature_prob: np.ndarray, cross_logit: np.ndarray) -> np.ndarray:
    """The decision's probability from the feature model's probability and the cross-encoder's logit."""
    cross = 0.5 * (1.0 + np.tanh(0.5 * np.asarray(cross_logit, dtype=np.float64)))
    return CROSS_WEIGHT * cross + (1.0 - CROSS_WEIGHT) * np.asarray(feature_prob, dtype=np.float64)


def contested(scores: np.ndarray, top: int = TOP, floor: float = RESCORE_MIN) -> tuple[np.ndarray, np.ndarray]:
    """(rows, cols) of the pairs to re-score: at least ``floor`` and among the ``top`` of their row or column."""
    if scores.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    k_row, k_col = min(top, scores.shape[1]), min(top, scores.shape[0])
    keep = np.zeros(scores.shape, dtype=bool)
    rows = np.argpartition(-scores, k_row - 1, axis=1)[:, :k_row]
    keep[np.arange(scores.shape[0])[:, None], rows] = True
    cols = np.argpartition(-scores, k_col - 1, axis=0)[:k_col, :]
    keep[cols, np.arange(scores.shape[1])[None, :]] = True
    return np.nonzero(keep & (scores >= floor))


def refine(scores: np.ndarray, s_text: Sequence[str], d_text: Sequence[str], weights: str | Path | None = None) -> int:
    """Re-score the contested pairs of ``scores`` (feature-model probabilities, source x derived)
    in place with the cross-encoder (the shipped one, or the one in ``weights``); returns how
    many it ran on (verbatim pairs are scored without it). Without a usable cross-encoder, or with it switched off (``rewrite_switch.enabled``), nothing changes."""
    if not enabled():
        return 0
    model = cross_encoder(weights)
    if model is None:
        return 0
    ii, jj = contested(scores)
    # A sentence copied word for word restates its source whatever the cross-encoder would say:
    # it is not run on those (most of a syndicated copy), their cross probability is 1.
    same = np.array([_plain(s_text[i]) == _plain(d_text[j]) for i, j in zip(ii, jj)], dtype=bool)
    if same.any():
        scores[ii[same], jj[same]] = combine(scores[ii[same], jj[same]], np.full(int(same.sum()), np.inf))
        ii, jj = ii[~same], jj[~same]
    if len(ii):
        z = model.logits([s_text[i] for i in ii], [d_text[j] for j in jj])
        scores[ii, jj] = combine(scores[ii, jj], z)
    return len(ii)


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold()


@functools.lru_cache(maxsize=2)
def cross_encoder(path: str | Path | None = None):
    """The cross-encoder (loaded once per process), or None with a logged warning when it cannot be loaded."""
    from storyline.analyze.rewrite_model import WEIGHTS_PATH
    from storyline.analyze.rewrite_onnx import load

    try:
        return load(path)
    except Exception as e:  # noqa: BLE001 - whatever stops the load (missing file, bad tensors, no torch), fall back
        log.warning("sentence rewrite cross-encoder %s not available (%s: %s); rewrites are decided by the "
                    "feature model alone", path or WEIGHTS_PATH, type(e).__name__, e)
        return None
