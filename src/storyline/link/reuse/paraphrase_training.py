"""Fitting a :class:`~storyline.link.reuse.paraphrase.ParaphraseModel` (serves ``benchmarks/paraphrase.py``).

scikit-learn is imported inside :func:`fit` only: inference never needs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from storyline.link.reuse.paraphrase import ParaphraseModel
from storyline.link.reuse.paraphrase_features import LEXICAL_FEATURES, feature_names


def best_threshold(prob: np.ndarray, y: np.ndarray) -> float:
    """The cut that maximises accuracy of ``prob >= t`` on (prob, y), halfway between two scores."""
    order = np.argsort(-prob, kind="stable")
    p, yy = prob[order], np.asarray(y)[order].astype(np.int64)
    # Cutting after position i predicts the first i+1 as positive: correct = tp + (negatives after).
    tp = np.cumsum(yy)
    fn_neg_after = (len(yy) - np.arange(1, len(yy) + 1)) - (yy.sum() - tp)
    correct = tp + fn_neg_after
    # Only cut between distinct scores.
    valid = np.r_[p[1:] < p[:-1], True]
    correct = np.where(valid, correct, -1)
    i = int(np.argmax(correct))
    if (len(yy) - yy.sum()) > correct[i]:  # predicting nothing positive is better
        return float(p[0] + 1e-9)
    return float((p[i] + p[i + 1]) / 2) if i + 1 < len(p) else float(p[i] - 1e-9)


def fit(
    X: np.ndarray,
    y: np.ndarray,
    *,
    hidden: tuple[int, ...] = (32,),
    alpha: float = 1.0,
    members: int = 1,
    threshold_folds: int = 0,
    feature_names_: Sequence[str] | None = None,
    seed: int = 0,
    meta: dict[str, Any] | None = None,
) -> ParaphraseModel:
    """Fit a model on (X, y) with scikit-learn (imported here: inference never needs it).

    ``hidden=()`` gives a logistic regression (C = 1 / alpha). The threshold maximises accuracy
    on training predictions: in-sample when ``threshold_folds`` is 0, else out-of-fold
    predictions of that many inner folds (costs that many extra fits).
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.neural_network import MLPClassifier

    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y).astype(int)
    names = list(feature_names_) if feature_names_ is not None else feature_names(X.shape[1] > len(LEXICAL_FEATURES))
    if len(names) != X.shape[1]:
        raise ValueError(f"{len(names)} feature names for {X.shape[1]} columns")
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0

    def fit_members(Xs: np.ndarray, ys: np.ndarray) -> list[list[tuple[np.ndarray, np.ndarray]]]:
        Z = (Xs - mean) / scale
        nets = []
        for m in range(members):
            if not hidden:
                clf = LogisticRegression(C=1.0 / alpha, max_iter=5000).fit(Z, ys)
                nets.append([(clf.coef_.T.copy(), clf.intercept_.copy())])
            else:
                clf = MLPClassifier(hidden, alpha=alpha, max_iter=2000, random_state=seed + m).fit(Z, ys)
                nets.append([(w.copy(), b.copy()) for w, b in zip(clf.coefs_, clf.intercepts_)])
        return nets

    def model(nets: list, threshold: float) -> ParaphraseModel:
        return ParaphraseModel(names, mean, scale, nets, threshold, "relu", dict(meta or {}))

    final = model(fit_members(X, y), 0.5)
    if threshold_folds:
        oof = np.zeros(len(y))
        folds = StratifiedKFold(threshold_folds, shuffle=True, random_state=seed)
        for tr, te in folds.split(X, y):
            oof[te] = model(fit_members(X[tr], y[tr]), 0.5).prob(X[te])
        final.threshold = best_threshold(oof, y)
    else:
        final.threshold = best_threshold(final.prob(X), y)
    final.meta.update({"hidden": list(hidden), "alpha": alpha, "members": members, "threshold_folds": threshold_folds})
    return final
