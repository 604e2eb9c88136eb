#!/usr/bin/env python3
"""Sentence rewrite detection: ``storyline.link.reuse.paraphrase`` on MRPC (and PAN).

Usage::

    python benchmarks/paraphrase.py TRAIN [TEST] [--folds 10] [--seed 0] [--pan DIR]
                                    [--save PATH] [--cache DIR] [--vectors] [--cross [WEIGHTS]]
                                    [--compare NAME=WEIGHTS ...] [--int8]

e.g. ``.venv/bin/python benchmarks/paraphrase.py ../shared/eval/paraphrase-mrpc/msr_paraphrase_train.txt
--pan ../shared/eval/paraphrase-pan --save src/storyline/link/paraphrase_model.json``

TRAIN and TEST are MRPC-format files: tab-separated, header ``Quality  #1 ID  #2 ID  #1 String
#2 String``, Quality 1 = paraphrase. One file: stratified k-fold cross-validation on it (every
figure is over the pooled out-of-fold predictions; ``fold_accuracy_std`` shows the spread). Two
files: fit on TRAIN, report on TEST. Nothing of the data is stored in this repository.

**What is scored.** Each pair gets :func:`storyline.link.reuse.paraphrase_features.features`
(MiniLM cosine plus lexical evidence) and these rows are reported:

* ``mrpc``: the product's model (:func:`storyline.link.reuse.paraphrase_training.fit` defaults: one
  hidden layer of 32 ReLU units, L2 alpha 1, threshold maximising accuracy on the training predictions);
* ``logistic``: a logistic regression on the same features (no hidden layer);
* ``baseline_cosine_only``: the MiniLM cosine alone, threshold maximising training accuracy;
  the distance to ``mrpc`` is what the lexical features add;
* ``vectors`` (with ``--vectors``): the model with |va-vb| and va*vb appended (768 columns).

Within every fold both the fit and the threshold use the training part only. Accuracy and F1
(positive class = paraphrase) are in percent. ``goal`` is the best classical MRPC *test* result
(Ji & Eisenstein 2013, TF-KLD: 80.4 / 85.9) — a test figure, while ours are cross-validated on train.

``--pan DIR`` adds the PAN sentence pairs of Madnani et al. (2012) (``pan-train_s1.txt``,
``pan-train_s2.txt``, ``pan-train.labels``; one item a line; labels 0/1): ``pan_transfer`` is the
model fitted on all of TRAIN applied as is (its own threshold), ``pan_cv`` cross-validates the
same recipe on PAN. ``--save PATH`` writes the model fitted on all of TRAIN as the JSON that
``ParaphraseModel.load`` reads, with a note of the data, date and the figures above.
``--cache DIR`` (opt-in, outside the repository) keeps sentence vectors between runs.

``--cross [WEIGHTS]`` adds ``held_out``: the rewrite cross-encoder
(:mod:`storyline.analyze.rewrite_model`, the shipped weights unless WEIGHTS is given) against
today's model refitted on the same 90% of TRAIN, on the stratified 10% of TRAIN (and of PAN) that
``benchmarks/train_rewrite_model.py`` holds out (:func:`split`); rows ``today``,
``cross_encoder``, ``product`` (:func:`storyline.link.reuse.rewrites.combine`, what alignment
uses) and ``stacked_cv``; ``pairs_per_s`` of both models on the held-out MRPC pairs, same run.
``--compare NAME=WEIGHTS`` (repeatable) adds the rows ``cross_encoder_NAME`` and ``product_NAME``
(and its pairs/s) for other weights, e.g. the previously shipped ones (``git show REV:PATH >
FILE``), so a retrained model is compared with its predecessor in one run. ``--int8`` adds ``cross_encoder_int8``
and ``product_int8``: the cross-encoder's linear layers quantised to int8 on the fly
(``torch.ao.quantization.quantize_dynamic``), with its pairs/s.

Progress goes to stderr; the LAST stdout line is one JSON object with all figures.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import shlex
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from storyline.link.reuse import paraphrase_features, paraphrase_training  # noqa: E402

GOAL = {"accuracy": 80.4, "f1": 85.9, "source": "Ji & Eisenstein 2013 (TF-KLD), MRPC test"}

Pairs = tuple[list[str], list[str], np.ndarray]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def read_mrpc(path: Path) -> Pairs:
    """(sentences 1, sentences 2, labels) of an MRPC-format file."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    header, body = rows[0], [r for r in rows[1:] if r]
    if header[0].strip() != "Quality" or len(header) < 5:
        raise SystemExit(f"{path}: not an MRPC file (header {header!r})")
    return [r[3] for r in body], [r[4] for r in body], np.array([int(r[0]) for r in body])


def read_pan(folder: Path) -> Pairs:
    """(sentences 1, sentences 2, labels) of the PAN sentence-pair files."""

    def lines(name: str) -> list[str]:
        text = (folder / name).read_text(encoding="utf-8")
        return text[:-1].split("\n") if text.endswith("\n") else text.split("\n")

    a, b, labels = lines("pan-train_s1.txt"), lines("pan-train_s2.txt"), lines("pan-train.labels")
    if not len(a) == len(b) == len(labels):
        raise SystemExit(f"{folder}: {len(a)}, {len(b)} and {len(labels)} lines do not match")
    return a, b, np.array([int(x) for x in labels])


def embed_pairs(a: Sequence[str], b: Sequence[str], cache: Path | None) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors of both sides; every distinct sentence is embedded once."""
    unique = list(dict.fromkeys([*a, *b]))
    key = hashlib.sha256("\n\0".join(unique).encode()).hexdigest()[:20]
    cached = cache / f"minilm-{key}.npy" if cache else None
    if cached and cached.exists():
        vectors = np.load(cached)
        log(f"  vectors of {len(unique)} sentences from {cached}")
    else:
        from storyline.analyze.embed import embed

        t = time.perf_counter()
        vectors = embed(unique)
        log(f"  embedded {len(unique)} sentences in {time.perf_counter() - t:.0f} s")
        if cached:
            cached.parent.mkdir(parents=True, exist_ok=True)
            np.save(cached, vectors)
    index = {s: i for i, s in enumerate(unique)}
    return vectors[[index[s] for s in a]], vectors[[index[s] for s in b]]


def scores(y: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    tp = int(np.sum(pred & (y == 1)))
    fp = int(np.sum(pred & (y == 0)))
    fn = int(np.sum(~pred & (y == 1)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "accuracy": round(100 * float(np.mean(pred == y)), 2),
        "f1": round(100 * f1, 2),
        "precision": round(100 * precision, 2),
        "recall": round(100 * recall, 2),
        "n": int(len(y)),
    }


# A "recipe" fits on (X, y) and returns a function giving decisions for new rows.
Recipe = Callable[[np.ndarray, np.ndarray], Callable[[np.ndarray], np.ndarray]]


def model_recipe(**kwargs) -> Recipe:
    def run(X: np.ndarray, y: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
        return paraphrase_training.fit(X, y, **kwargs).predict

    return run


def cosine_recipe(X: np.ndarray, y: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    threshold = paraphrase_training.best_threshold(X[:, 0], y)  # column 0 is the cosine
    return lambda Z: Z[:, 0] >= threshold


def cross_validate(recipe: Recipe, X: np.ndarray, y: np.ndarray, folds: int, seed: int, label: str) -> dict:
    """Pooled out-of-fold scores of a recipe under stratified k-fold."""
    from sklearn.model_selection import StratifiedKFold

    t = time.perf_counter()
    pred = np.zeros(len(y), dtype=bool)
    fold_acc = []
    for tr, te in StratifiedKFold(folds, shuffle=True, random_state=seed).split(X, y):
        pred[te] = recipe(X[tr], y[tr])(X[te])
        fold_acc.append(100 * float(np.mean(pred[te] == y[te])))
    result = scores(y, pred) | {"folds": folds, "fold_accuracy_std": round(float(np.std(fold_acc)), 2)}
    log(f"  {label:<22} acc {result['accuracy']:.2f}  F1 {result['f1']:.2f}  ({time.perf_counter() - t:.0f} s)")
    return result


def train_test(recipe: Recipe, Xtr: np.ndarray, ytr: np.ndarray, Xte: np.ndarray, yte: np.ndarray, label: str) -> dict:
    result = scores(yte, recipe(Xtr, ytr)(Xte))
    log(f"  {label:<22} acc {result['accuracy']:.2f}  F1 {result['f1']:.2f}")
    return result


# The held-out tenth the cross-encoder never trains on (benchmarks/train_rewrite_model.py).
DEV_SHARE = 0.1
SPLIT_SEED = 0


def split(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(train indices, held-out indices): a stratified DEV_SHARE held out, fixed seed."""
    from sklearn.model_selection import train_test_split

    idx = np.arange(len(y))
    train, dev = train_test_split(idx, test_size=DEV_SHARE, stratify=y, random_state=SPLIT_SEED)
    return np.sort(train), np.sort(dev)


def pairs_per_second(run: Callable[[], object], n: int) -> float:
    t = time.perf_counter()
    run()
    return round(n / (time.perf_counter() - t), 1)


def held_out(name: str, pairs: Pairs, X: np.ndarray, fit_on: tuple[np.ndarray, np.ndarray], seed: int,
             crosses: dict[str, object]) -> dict:
    """Today's model (fitted on ``fit_on``) against the cross-encoders (suffix of their rows ->
    model; "" is the one under test) on the held-out tenth of ``pairs``; pairs a second of each,
    one thread, in this run."""
    from storyline.analyze.embed import embed
    from storyline.link.reuse.rewrites import combine

    a, b, y = pairs
    _, dev = split(y)
    da, db, dy = [a[i] for i in dev], [b[i] for i in dev], y[dev]
    today = paraphrase_training.fit(*fit_on, seed=seed)
    feature_prob = today.prob(X[dev])
    out: dict = {"pairs": int(len(dy)), "today": scores(dy, feature_prob >= today.threshold)}
    for suffix, cross in crosses.items():
        z = cross.logits(da, db)
        out["cross_encoder" + suffix] = scores(dy, z >= 0.0)
        out["product" + suffix] = scores(dy, combine(feature_prob, z) >= 0.5)
        if not suffix:
            out["stacked_cv"] = stacked(X[dev], z, dy, seed)
    for row in out:
        if row != "pairs":
            log(f"  {name} held out {row:<22} acc {out[row]['accuracy']:.2f}  F1 {out[row]['f1']:.2f}")
    if name == "mrpc":
        n = len(dy)
        VA, VB = embed(da), embed(db)
        out["pairs_per_s"] = {
            "today_given_vectors": pairs_per_second(lambda: today.prob(paraphrase_features.features(da, db, VA, VB)), n),
            "today_with_embedding": pairs_per_second(
                lambda: today.prob(paraphrase_features.features(da, db, embed(da), embed(db))), n),
        }
        for suffix, cross in crosses.items():
            out["pairs_per_s"]["cross_encoder" + suffix] = pairs_per_second(lambda c=cross: c.logits(da, db), n)
        log(f"  pairs/s: {out['pairs_per_s']}")
    return out


def cross_encoders(weights: Path | None, others: Sequence[str], int8: bool) -> dict[str, object]:
    """The cross-encoders to score: "" (``weights``, or the shipped ones), "_NAME" for each
    ``NAME=WEIGHTS`` of ``others``, "_int8" (the first, quantised)."""
    from storyline.analyze.rewrite_model import RewriteModel, load

    cross = load(weights)
    out: dict[str, object] = {"": cross}
    for other in others:
        name, sep, path = other.partition("=")
        if not sep or not name or not path:
            raise SystemExit(f"--compare {other!r}: expected NAME=WEIGHTS")
        out["_" + name] = load(Path(path))
    if int8:
        import copy

        import torch

        encoder = torch.ao.quantization.quantize_dynamic(copy.deepcopy(cross.encoder), {torch.nn.Linear},
                                                         dtype=torch.qint8)
        out["_int8"] = RewriteModel(cross.tokenizer, encoder, cross.head, cross.meta)
    return out


def stacked(X: np.ndarray, z: np.ndarray, y: np.ndarray, seed: int) -> dict:
    """Today's recipe with the cross-encoder's logit as one more feature, 10-fold CV within the
    held-out pairs (the only pairs whose logits are not in-sample)."""
    pred = np.zeros(len(y), dtype=bool)
    from sklearn.model_selection import StratifiedKFold

    Xz = np.hstack([X, z[:, None]])
    names = [*paraphrase_features.feature_names(False), "cross_logit"]
    for tr, te in StratifiedKFold(10, shuffle=True, random_state=seed).split(Xz, y):
        pred[te] = paraphrase_training.fit(Xz[tr], y[tr], seed=seed, feature_names_=names).predict(Xz[te])
    return scores(y, pred)


def outside_repo(path: Path) -> Path:
    if path.resolve().is_relative_to(REPO):
        raise SystemExit(f"{path}: cache data outside the repository")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("train", type=Path, help="MRPC-format file to fit (and cross-validate) on")
    parser.add_argument("test", type=Path, nargs="?", help="MRPC-format file to report on")
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pan", type=Path, help="folder with pan-train_s1.txt, pan-train_s2.txt, pan-train.labels")
    parser.add_argument("--save", type=Path, help="write the model fitted on all of TRAIN here (JSON)")
    parser.add_argument("--cache", type=Path, help="keep sentence vectors in this folder (outside the repo)")
    parser.add_argument("--vectors", action="store_true", help="also score the model with |va-vb| and va*vb")
    parser.add_argument("--cross", nargs="?", const="shipped", metavar="WEIGHTS",
                        help="also compare the rewrite cross-encoder (default: the shipped one) with today's model "
                             "on the held-out tenth of TRAIN (and of PAN)")
    parser.add_argument("--compare", action="append", default=[], metavar="NAME=WEIGHTS",
                        help="with --cross: also score these weights (e.g. before=the previously shipped ones)")
    parser.add_argument("--int8", action="store_true",
                        help="with --cross: also score the cross-encoder with int8 dynamic quantisation")
    args = parser.parse_args(argv)
    cache = outside_repo(args.cache) if args.cache else None
    started = time.perf_counter()
    recipe = model_recipe(seed=args.seed)
    rows: dict[str, Recipe] = {
        "mrpc": recipe,
        "logistic": model_recipe(hidden=(), seed=args.seed),
        "baseline_cosine_only": cosine_recipe,
    }

    def featurise(pairs: Pairs, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        a, b, y = pairs
        log(f"{name}: {len(y)} pairs, {100 * y.mean():.1f}% paraphrases")
        VA, VB = embed_pairs(a, b, cache)
        t = time.perf_counter()
        X = paraphrase_features.features(a, b, VA, VB)
        log(f"  features in {time.perf_counter() - t:.1f} s ({1e6 * (time.perf_counter() - t) / len(y):.0f} µs a pair)")
        return X, y, VA, VB

    Xtr, ytr, VAtr, VBtr = featurise(read_mrpc(args.train), args.train.name)
    out: dict = {}
    if args.test:
        Xte, yte, VAte, VBte = featurise(read_mrpc(args.test), args.test.name)
        out["protocol"] = f"fit on {args.train.name}, report on {args.test.name}"
        for name, r in rows.items():
            out[name] = train_test(r, Xtr, ytr, Xte, yte, name)
        if args.vectors:
            out["vectors"] = train_test(
                recipe, np.hstack([Xtr, np.abs(VAtr - VBtr), VAtr * VBtr]), ytr,
                np.hstack([Xte, np.abs(VAte - VBte), VAte * VBte]), yte, "vectors",
            )  # fmt: skip
    else:
        out["protocol"] = f"stratified {args.folds}-fold cross-validation on {args.train.name} (seed {args.seed})"
        for name, r in rows.items():
            out[name] = cross_validate(r, Xtr, ytr, args.folds, args.seed, name)
        if args.vectors:
            Xv = np.hstack([Xtr, np.abs(VAtr - VBtr), VAtr * VBtr])
            out["vectors"] = cross_validate(recipe, Xv, ytr, args.folds, args.seed, "vectors")

    t = time.perf_counter()
    model = paraphrase_training.fit(Xtr, ytr, seed=args.seed)
    log(f"fitted on all of {args.train.name} in {time.perf_counter() - t:.1f} s (threshold {model.threshold:.3f})")
    if args.pan:
        Xp, yp, _, _ = featurise(read_pan(args.pan), "PAN")
        out["pan_transfer"] = scores(yp, model.predict(Xp))
        log(f"  {'pan_transfer':<22} acc {out['pan_transfer']['accuracy']:.2f}  F1 {out['pan_transfer']['f1']:.2f}")
        out["pan_cv"] = cross_validate(recipe, Xp, yp, args.folds, args.seed, "pan_cv")
        out["pan_baseline_cosine_only"] = cross_validate(cosine_recipe, Xp, yp, args.folds, args.seed, "pan cosine only")
    if args.cross:
        weights = None if args.cross == "shipped" else Path(args.cross)
        crosses = cross_encoders(weights, args.compare, args.int8)
        train_part, _ = split(ytr)
        out["held_out"] = {"protocol": f"stratified {DEV_SHARE:.0%} of each set held out (seed {SPLIT_SEED}); today's"
                                       " model fitted on the other 90% of TRAIN",
                           "mrpc": held_out("mrpc", read_mrpc(args.train), Xtr, (Xtr[train_part], ytr[train_part]),
                                            args.seed, crosses)}
        if args.pan:
            out["held_out"]["pan"] = held_out("pan", read_pan(args.pan), Xp, (Xtr[train_part], ytr[train_part]),
                                              args.seed, crosses)
    out["goal"] = GOAL
    out["seconds"] = round(time.perf_counter() - started, 1)

    if args.save:
        import sklearn

        model.meta.update(
            {
                "fitted": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "data": f"MRPC-format {args.train.name}",
                "data_sha256": hashlib.sha256(args.train.read_bytes()).hexdigest(),
                "pairs": int(len(ytr)),
                "positive_share": round(float(ytr.mean()), 4),
                "embedding": "all-MiniLM-L6-v2 (storyline.analyze.embed)",
                "command": "benchmarks/paraphrase.py " + " ".join(shlex.quote(a) for a in (argv or sys.argv[1:])),
                "sklearn": sklearn.__version__,
                "figures": {k: v for k, v in out.items() if k not in ("goal", "seconds")},
            }
        )
        model.save(args.save)
        log(f"saved {args.save}")
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
