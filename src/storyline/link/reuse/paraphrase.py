"""Is this sentence a rewrite of that one? A small, fast, numpy-only sentence-pair classifier.

Sentence alignment between two articles scores many sentence pairs, so the decision must be
cheap. It combines the MiniLM cosine of the two sentence vectors (meaning) with lexical evidence
that sentence embeddings are blind to: a changed number ("rose 4%" / "rose 6%"), a different
name, a dropped negation, or a sentence that repeats another and then adds a whole clause.

    >>> from storyline.analyze.embed import embed
    >>> model = ParaphraseModel.load()
    >>> va, vb = embed([a, b])
    >>> model.prob(pair_features(a, b, va, vb)[None, :])[0]   # P(b is a rewrite of a)
    >>> model.predict(features(list_a, list_b, VA, VB))       # many pairs at once

The shipped model (``paraphrase_model.json`` next to this module) is a small neural network
(or a logistic regression) over standardised features, fitted on the MRPC training set by
``benchmarks/paraphrase.py --save``; the file records how and when it was fitted, and its
cross-validated figures. :func:`fit` (scikit-learn, imported lazily) serves that benchmark only:
inference here needs numpy and rapidfuzz, nothing else.

Known limits: no synonyms beyond what the embedding knows (words match exactly, or by a crude
5-letter stem); the features are English-centric (function words, negations, number words).
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq, Levenshtein

DEFAULT_MODEL_PATH = Path(__file__).with_name("paraphrase_model.json")

# Function words carry little of a sentence's content, so "content" features ignore them. The
# reporting verbs are here too: "X said" is added or dropped freely in a rewrite.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself now of off on once only or other our ours ourselves out over own
    same she should so some such than that the their theirs them themselves then there these they
    this those through to too under until up very was we were what when where which while who whom
    why will with would you your yours yourself yourselves said says say told according mr mrs ms
    dr ca wo""".split()
)
NEGATIONS = frozenset("not no never none nobody nothing neither nor without cannot".split())

# Numbers keep inner separators ("1,520.15" is one token); words keep inner apostrophes, dots and
# hyphens, and are split afterwards by _split_word.
_TOKEN_RE = re.compile(r"\d+(?:[.,:]\d+)*|\w+(?:['’.\-]\w+)*")
_NUMBER_RE = re.compile(r"^\d+(?:[.,:]\d+)*$")
# Written-out numbers state the same fact as digits ("two" / "2").
_NUMBER_WORDS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "hundred": "100",
    "thousand": "1000", "million": "million", "billion": "billion",
}  # fmt: skip
_SUFFIXES = ("ations", "ation", "ings", "ing", "ers", "ies", "ied", "ed", "es", "er", "ly", "s")
# Prefix length at which two words count as the same word (govern/governs/governed). Crude, but
# it needs no lexicon, and a lemmatiser would cost far more than all these features together
# (4 to 7 letters measured within noise of each other on MRPC).
_PREFIX = 5


def _normalise_number(token: str) -> str:
    """'1,520.15' -> '1520.15', '4.50' -> '4.5': the same quantity written differently matches."""
    t = token.replace(",", "")
    if t.count(".") == 1 and ":" not in t:
        t = t.rstrip("0").rstrip(".")
    return t


def _stem(word: str) -> str:
    """A lexicon-free stem: strip one common suffix, then keep at most ``_PREFIX`` characters."""
    if len(word) > 4:
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
    return word[:_PREFIX]


def _split_word(low: str) -> list[str]:
    """'doesn't' -> does, not; "company's" -> company; 'u.s' -> us; 'cross-section' -> cross, section."""
    if low.endswith("n't") and len(low) > 3:
        return [low[:-3], "not"]
    if low.endswith("'s"):
        low = low[:-2]
    low = low.replace(".", "")
    return [part for part in low.split("-") if part] or [low]


@dataclass(frozen=True)
class _Sentence:
    """What the features need from one sentence, computed once: a sentence meets many others."""

    text: str
    lower: str  # normalised tokens joined by spaces
    tokens: tuple[str, ...]  # lower-cased word tokens
    stems: tuple[str, ...]
    token_set: frozenset[str]
    stem_set: frozenset[str]
    content: frozenset[str]  # stems of non-function words
    numbers: frozenset[str]
    names: frozenset[str]  # stems of capitalised words after the first token
    negations: int
    ngrams: tuple[Counter, ...] = field(default=())  # stem n-gram counts, n = 1..4
    chars: frozenset[str] = frozenset()  # character 3-grams of ``lower``


@functools.lru_cache(maxsize=8192)
def _analyse(text: str) -> _Sentence:
    tokens: list[str] = []
    names: set[str] = set()
    numbers: set[str] = set()
    for i, raw in enumerate(_TOKEN_RE.findall(text)):
        low = raw.lower().replace("’", "'")
        if _NUMBER_RE.match(low):
            low = _normalise_number(low)
            numbers.add(low)
            tokens.append(low)
            continue
        parts = _split_word(low)
        for part in parts:
            if part in _NUMBER_WORDS:
                numbers.add(_NUMBER_WORDS[part])
            # The first word is capitalised anyway, so it is no evidence of a name.
            elif i > 0 and raw[0].isupper() and part not in STOPWORDS:
                names.add(_stem(part))
        tokens.extend(parts)
    stems = tuple(_stem(t) for t in tokens)
    lower = " ".join(tokens)
    return _Sentence(
        text=text,
        lower=lower,
        tokens=tuple(tokens),
        stems=stems,
        token_set=frozenset(tokens),
        stem_set=frozenset(stems),
        content=frozenset(s for t, s in zip(tokens, stems) if t not in STOPWORDS),
        numbers=frozenset(numbers),
        names=frozenset(names),
        negations=sum(t in NEGATIONS for t in tokens),
        ngrams=tuple(Counter(zip(*(stems[k:] for k in range(n)))) for n in range(1, 5)),
        chars=frozenset(lower[i : i + 3] for i in range(max(len(lower) - 2, 1))),
    )


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


def _unaligned_runs(s: _Sentence, other: _Sentence) -> tuple[int, int]:
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
    sa, sb = _analyse(a), _analyse(b)
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
