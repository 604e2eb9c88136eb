"""Is this sentence a rewrite of that one? The shipped sentence-pair model and its decision.

Sentence alignment between two articles scores many sentence pairs, so the decision must be
cheap: a small, numpy-only network over the features of
:mod:`storyline.link.reuse.paraphrase_features` (MiniLM cosine plus lexical evidence).

    >>> from storyline.analyze.embed import embed
    >>> from storyline.link.reuse.paraphrase_features import features, pair_features
    >>> model = ParaphraseModel.load()
    >>> va, vb = embed([a, b])
    >>> model.prob(pair_features(a, b, va, vb)[None, :])[0]   # P(b is a rewrite of a)
    >>> model.predict(features(list_a, list_b, VA, VB))       # many pairs at once

The shipped model (``paraphrase_model.json`` next to this module) is a small neural network
(or a logistic regression) over standardised features, fitted on the MRPC training set by
``benchmarks/paraphrase.py --save`` with :mod:`storyline.link.reuse.paraphrase_training`; the
file records how and when it was fitted, and its cross-validated figures. Inference here needs
numpy and rapidfuzz, nothing else.

Alignment re-scores the pairs that can become links with the rewrite cross-encoder and averages
the two (:mod:`storyline.link.reuse.rewrites`); this model alone decides when those weights
cannot be loaded.

Known limits: no synonyms beyond what the embedding knows (words match exactly, or by a crude
5-letter stem); the features are English-centric (function words, negations, number words).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from storyline.link.reuse.paraphrase_features import LEXICAL_FEATURES, features

DEFAULT_MODEL_PATH = Path(__file__).with_name("paraphrase_model.json")


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # overflow-free form of 1 / (1 + exp(-z))


@dataclass
class ParaphraseModel:
    """Standardise, then a feed-forward network (no hidden layer: a logistic regression).

    ``layers`` holds (weights (in, out), bias (out,)) pairs; hidden layers use ``activation``, the
    last layer has one output and a sigmoid. Several ``members`` (networks) average their
    probabilities. ``threshold`` turns a probability into a decision; it was chosen on training
    data only.
    """

    feature_names: list[str]
    mean: np.ndarray
    scale: np.ndarray
    members: list[list[tuple[np.ndarray, np.ndarray]]]
    threshold: float = 0.5
    activation: str = "relu"
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def vectors(self) -> bool:
        """Whether the model expects the |va-vb| and va*vb columns (``features(..., vectors=True)``)."""
        return len(self.feature_names) > len(LEXICAL_FEATURES)

    @classmethod
    def load(cls, path: str | Path | None = None) -> ParaphraseModel:
        """Read a model written by :meth:`save` (default: the one shipped next to this module)."""
        data = json.loads(Path(path or DEFAULT_MODEL_PATH).read_text(encoding="utf-8"))
        members = [
            [(np.asarray(layer["weights"], dtype=np.float64), np.asarray(layer["bias"], dtype=np.float64)) for layer in net]
            for net in data["members"]
        ]
        return cls(
            feature_names=list(data["feature_names"]),
            mean=np.asarray(data["mean"], dtype=np.float64),
            scale=np.asarray(data["scale"], dtype=np.float64),
            members=members,
            threshold=float(data["threshold"]),
            activation=data.get("activation", "relu"),
            meta=data.get("meta", {}),
        )

    def to_dict(self) -> dict[str, Any]:
        def rounded(a: np.ndarray) -> list:
            return np.round(a, 7).tolist()  # 7 digits: far below any effect, half the file size

        return {
            "format": "storyline-paraphrase-model/1",
            "feature_names": self.feature_names,
            "threshold": self.threshold,
            "activation": self.activation,
            "meta": self.meta,
            "mean": rounded(self.mean),
            "scale": rounded(self.scale),
            "members": [[{"weights": rounded(w), "bias": rounded(b)} for w, b in net] for net in self.members],
        }

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")

    def prob(self, X: np.ndarray) -> np.ndarray:
        """Probability of "paraphrase" for each row of X (n, k); a 1-D X is one row."""
        X = np.atleast_2d(np.asarray(X, dtype=np.float64))
        if X.shape[1] != len(self.feature_names):
            raise ValueError(f"expected {len(self.feature_names)} features, got {X.shape[1]}")
        Z = (X - self.mean) / self.scale
        act = np.tanh if self.activation == "tanh" else (lambda h: np.maximum(h, 0.0))
        total = np.zeros(len(Z))
        for net in self.members:
            h = Z
            for weights, bias in net[:-1]:
                h = act(h @ weights + bias)
            weights, bias = net[-1]
            total += _sigmoid((h @ weights + bias)[:, 0])
        return total / len(self.members)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """True where the pair is judged a paraphrase (prob >= threshold)."""
        return self.prob(X) >= self.threshold

    def score_pairs(
        self, pairs_a: Sequence[str], pairs_b: Sequence[str], VA: np.ndarray, VB: np.ndarray
    ) -> np.ndarray:
        """Probabilities straight from sentences and their vectors (builds the right features)."""
        return self.prob(features(pairs_a, pairs_b, VA, VB, vectors=self.vectors))
