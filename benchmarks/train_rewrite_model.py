#!/usr/bin/env python3
"""Train the rewrite cross-encoder shipped as ``src/storyline/analyze/rewrite_model.safetensors``.

Usage::

    python benchmarks/train_rewrite_model.py EVAL_DIR [--out PATH] [--work DIR] [--pan-pairs N]
                                             [--epochs 3] [--lr 5e-4] [--rank 8] [--seed 0] [--threads 2]
                                             [--keep last|best]

e.g. the shipped file: ``.venv/bin/python benchmarks/train_rewrite_model.py ../shared/eval --work /tmp/rewrite
--pan-pairs 1000 --epochs 3 --rank 16 --keep best --threads 1 --out src/storyline/analyze/rewrite_model.safetensors``

EVAL_DIR holds ``paraphrase-mrpc/msr_paraphrase_train.txt`` and ``paraphrase-pan/`` (PAN
sentence pairs, see benchmarks/paraphrase.py). Neither has a dev split, so ``paraphrase.split`` holds
out a stratified 10% of each (seed 0): the model never trains on it, and
``benchmarks/paraphrase.py --cross`` scores today's model and this one on exactly those pairs.
Training data: the other 90% of MRPC, plus ``--pan-pairs`` pairs drawn from the other 90% of PAN
(0: MRPC only).

Recipe (:mod:`storyline.analyze.rewrite_model`): MiniLM-L6 of the sentence model as a
cross-encoder, its weights frozen; rank-``--rank`` LoRA updates of the six linear layers of each
block and a dense+tanh+linear head over the mean token state are trained with AdamW, binary
cross-entropy, batches of 16, linear warm-up (10%) and decay, for ``--epochs`` epochs. ``--keep
last`` (the default) ships the last epoch, with no selection on the held-out part; ``--keep best``
ships the epoch with the best held-out MRPC accuracy (then F1), which makes the held-out part a dev
set: say so wherever its figures are quoted. The decision threshold is probability 0.5.
Everything is seeded; torch on the CPU with ``--threads`` threads.

A checkpoint is written to ``--work`` after every epoch, and ``--out`` is rewritten whenever the
epoch to keep changes, so a run stopped early still leaves its best (or last) finished epoch; a
rerun with the same ``--work`` and arguments resumes after the last finished epoch. Progress goes to stderr; the LAST stdout line is
one JSON object with the held-out figures of every epoch.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import random
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "benchmarks"))

from paraphrase import DEV_SHARE, SPLIT_SEED, read_mrpc, read_pan, scores, split  # noqa: E402

from storyline.analyze import rewrite_model  # noqa: E402

BATCH = 16


def data(eval_dir: Path, pan_pairs: int, seed: int) -> dict:
    """Training pairs and the two held-out sets, from EVAL_DIR."""
    ma, mb, my = read_mrpc(eval_dir / "paraphrase-mrpc" / "msr_paraphrase_train.txt")
    pa, pb, py = read_pan(eval_dir / "paraphrase-pan")
    mtr, mdev = split(my)
    ptr, pdev = split(py)
    ptr = np.sort(np.random.default_rng(seed).permutation(ptr)[:pan_pairs]) if pan_pairs else ptr[:0]
    a = [ma[i] for i in mtr] + [pa[i] for i in ptr]
    b = [mb[i] for i in mtr] + [pb[i] for i in ptr]
    y = np.r_[my[mtr], py[ptr]]
    return {
        "train": (a, b, y),
        "mrpc_dev": ([ma[i] for i in mdev], [mb[i] for i in mdev], my[mdev]),
        "pan_dev": ([pa[i] for i in pdev], [pb[i] for i in pdev], py[pdev]),
    }


def evaluate(tokenizer, encoder, head, pairs) -> dict:
    encoder.eval()
    head.eval()
    a, b, y = pairs
    z = rewrite_model.logits(tokenizer, encoder, head, a, b, batch=64)
    return scores(y, z >= 0.0)


def _kept(history: list[dict], keep: str) -> dict | None:
    """The epoch to ship: the last, or the best on held-out MRPC (accuracy, then F1; the earlier on a tie)."""
    if not history:
        return None
    if keep == "last":
        return history[-1]
    return max(history, key=lambda r: (r["mrpc_dev"]["accuracy"], r["mrpc_dev"]["f1"], -r["epoch"]))


def _ship(args, argv, encoder, head, history: list[dict], row: dict, torch, path: Path) -> None:
    """Write the shipped tensors of the current epoch to ``path``, with their provenance."""
    from safetensors.torch import save_file

    mrpc = args.eval_dir / "paraphrase-mrpc" / "msr_paraphrase_train.txt"
    meta = {
        "format": "storyline-rewrite-model/1",
        "fitted": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": "benchmarks/train_rewrite_model.py " + " ".join(argv or sys.argv[1:]),
        "mrpc_sha256": hashlib.sha256(mrpc.read_bytes()).hexdigest(),
        "held_out": f"stratified {DEV_SHARE:.0%} of MRPC train and of PAN train (seed {SPLIT_SEED})"
                    + ("; the shipped epoch was chosen on it (a dev set)" if args.keep == "best" else ""),
        "figures": json.dumps(row),
        "history": json.dumps([{k: r[k] for k in ("epoch", "mrpc_dev", "pan_dev")} for r in history]),
        "torch": torch.__version__,
    }
    save_file(rewrite_model.shipped_tensors(encoder, head), str(path), metadata=meta)
    print(f"saved epoch {row['epoch']} to {path} ({path.stat().st_size / 1e6:.2f} MB)", file=sys.stderr,
          flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("eval_dir", type=Path, help="folder with paraphrase-mrpc/ and paraphrase-pan/")
    parser.add_argument("--out", type=Path, help="write the shipped tensors here (safetensors)")
    parser.add_argument("--work", type=Path, required=True, help="checkpoint folder (outside the repository)")
    parser.add_argument("--pan-pairs", type=int, default=0, help="PAN training pairs added to MRPC's (0: none)")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--lr", type=float, default=5e-4)
    parser.add_argument("--rank", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--keep", choices=("last", "best"), default="last",
                        help="ship the last epoch, or the one best on the held-out MRPC pairs")
    args = parser.parse_args(argv)
    if args.work.resolve().is_relative_to(REPO):
        raise SystemExit(f"{args.work}: keep checkpoints outside the repository")
    import torch

    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    sets = data(args.eval_dir, args.pan_pairs, args.seed)
    a, b, y = sets["train"]
    print(f"training on {len(y)} pairs ({100 * y.mean():.1f}% rewrites); held out: MRPC {len(sets['mrpc_dev'][2])},"
          f" PAN {len(sets['pan_dev'][2])}", file=sys.stderr, flush=True)
    tokenizer, encoder, head = rewrite_model.build(args.rank, alpha=2.0 * args.rank, dropout=0.1)
    params = [p for p in encoder.parameters() if p.requires_grad] + list(head.parameters())
    optimizer = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    steps_per_epoch = math.ceil(len(y) / BATCH)
    total = steps_per_epoch * args.epochs
    warmup = max(1, total // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / (total - warmup))))
    args.work.mkdir(parents=True, exist_ok=True)
    # Neither where the result goes nor the thread count changes what is trained.
    run_key = repr(sorted((k, str(v)) for k, v in vars(args).items() if k not in ("out", "threads", "keep")))
    checkpoint = args.work / f"checkpoint-{hashlib.sha256(run_key.encode()).hexdigest()[:10]}.pt"
    history: list[dict] = []
    first_epoch = 0
    if checkpoint.exists():
        state = torch.load(checkpoint, weights_only=False)
        trainable = {n for n, p in encoder.named_parameters() if p.requires_grad}
        encoder.load_state_dict({k: v for k, v in state["encoder"].items() if k in trainable}, strict=False)
        head.load_state_dict(state["head"])
        optimizer.load_state_dict(state["optimizer"])
        schedule.load_state_dict(state["schedule"])
        torch.set_rng_state(state["rng"])
        history, first_epoch = state["history"], state["epoch"] + 1
        print(f"resumed from {checkpoint} after epoch {first_epoch}", file=sys.stderr, flush=True)
    kept_file, shipped = checkpoint.with_suffix(".kept.safetensors"), False
    loss_fn = torch.nn.BCEWithLogitsLoss()
    started = time.perf_counter()
    for epoch in range(first_epoch, args.epochs):
        encoder.train()
        head.train()
        order = np.random.default_rng(args.seed + epoch).permutation(len(y))
        t, running = time.perf_counter(), 0.0
        for step in range(steps_per_epoch):
            idx = order[step * BATCH : (step + 1) * BATCH]
            enc = rewrite_model.encode(tokenizer, [a[i] for i in idx], [b[i] for i in idx])
            logit = head(encoder(**enc).last_hidden_state, enc["attention_mask"])
            loss = loss_fn(logit, torch.tensor(y[idx], dtype=torch.float32))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            running += float(loss.detach())
            if (step + 1) % 25 == 0:
                rate = (step + 1) * BATCH / (time.perf_counter() - t)
                print(f"  epoch {epoch + 1} step {step + 1}/{steps_per_epoch} loss {running / 25:.3f} ({rate:.1f} pairs/s)",
                      file=sys.stderr, flush=True)
                running = 0.0
        row = {"epoch": epoch + 1, "mrpc_dev": evaluate(tokenizer, encoder, head, sets["mrpc_dev"]),
               "pan_dev": evaluate(tokenizer, encoder, head, sets["pan_dev"]),
               "seconds": round(time.perf_counter() - t, 1)}
        history.append(row)
        print(f"epoch {epoch + 1}: MRPC held out acc {row['mrpc_dev']['accuracy']} F1 {row['mrpc_dev']['f1']};"
              f" PAN acc {row['pan_dev']['accuracy']} F1 {row['pan_dev']['f1']} ({row['seconds']} s)",
              file=sys.stderr, flush=True)
        kept = _kept(history, args.keep)
        torch.save({"encoder": {n: p for n, p in encoder.named_parameters() if p.requires_grad},
                    "head": head.state_dict(), "optimizer": optimizer.state_dict(), "schedule": schedule.state_dict(),
                    "rng": torch.get_rng_state(), "history": history, "epoch": epoch}, checkpoint)
        if kept is row:
            # Kept beside the checkpoint too: a resumed run whose best epoch came before the resume
            # no longer has that epoch's weights in memory, and still writes --out from this copy.
            _ship(args, argv, encoder, head, history, row, torch, kept_file)
            if args.out:
                shutil.copyfile(kept_file, args.out)
                shipped = True
    if args.out and not shipped and kept_file.exists():
        shutil.copyfile(kept_file, args.out)
        print(f"copied the kept epoch from {kept_file} to {args.out}", file=sys.stderr, flush=True)
    out = {"pairs": int(len(y)), "pan_pairs": args.pan_pairs, "epochs": history, "kept": _kept(history, args.keep),
           "seconds": round(time.perf_counter() - started, 1)}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
