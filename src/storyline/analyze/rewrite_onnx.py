"""The rewrite cross-encoder (analyze/rewrite_model.py) on ONNX Runtime: the same logits as on
torch, about twice as fast on one CPU thread.

Why: the cross-encoder was 65% of the compare step's CPU (profile of 100 articles added to a
10k store, session 11: 10.2 of 15.6 s), for the same reason the sentence model was slow
(analyze/embed_onnx.py: torch's per-call overhead and kernels on one thread). The merged model
(base MiniLM plus the shipped LoRA updates, and the head) is exported once per weights file into
the model cache (``embed_onnx.cache_dir``), named by the base weights and the shipped file, and
read from there by every later process, which then loads onnxruntime and tokenizers only.

Tokenising reproduces the torch path's ``tokenizer(a, b, truncation="longest_first",
max_length=MAX_LENGTH, padding=True)``: the same fast tokenizer (tokenizer.json) with pair
truncation from the longer side, padding to the longest pair of the batch, segment ids 0 for the
first sentence and 1 for the second.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from storyline.analyze import rewrite_model
from storyline.analyze.embed import on_onnx
from storyline.analyze.embed_onnx import export_module, exported, model_file, session
from storyline.analyze.rewrite_model import MAX_CHARS, MAX_LENGTH, WEIGHTS_PATH, base_dir, merged

# Pairs per call: one. A pair's logit then depends on the pair alone: in a batch, padding and
# the matrix shapes move it in the 7th digit (4.8e-7 measured), so the same pair scored in two
# compares, or by two workers, could round apart and a stored result depend on what was scored
# beside it. On the pairs the compare step re-scores (100 articles added to the incremental
# benchmark's 10k store, 66 word pieces a pair on average) one a call runs as fast as batches
# (48-50 pairs a CPU second against 46-47 at 8); on short pairs (33 pieces) about 12% slower
# (90 against 102). Measured 2026-12-05, one thread; it is also what makes the memo exact.
ONNX_BATCH = 1
# Logits remembered per process, by a 16-byte digest of the pair of sentence texts: rewrites and
# copies of one story share sentences, so one batch of compares scores the same sentence pair
# again and again (358 pairs, 265 distinct in the benchmark's 100 articles; a wire story carried
# by ten outlets, far more). Bounded: about 10 MB at the limit (digest, float, the dict's own).
MEMO_PAIRS = 50_000


@functools.lru_cache(maxsize=2)
def load(path: str | Path | None = None):
    """The cross-encoder of the shipped weights (or ``path``), loaded once per process: on ONNX
    Runtime on the CPU, on torch (``rewrite_model.load``) on a device, with
    STORYLINE_EMBEDDER=torch, or when ONNX Runtime cannot run it. Raises as
    ``rewrite_model.load`` does for a missing or unreadable file."""
    file = Path(path or WEIGHTS_PATH)
    if not file.is_file():
        raise OSError(f"{file}: rewrite model weights not found")
    _metadata(file)  # a broken file fails here, as itself, whatever the runtime
    if on_onnx():
        try:
            return OnnxRewriteModel(file)
        except Exception as exc:  # noqa: BLE001 - no onnxruntime, a failed export: torch
            logging.getLogger(__name__).warning("rewrite cross-encoder on torch: ONNX Runtime unavailable (%s: %s)",
                                                type(exc).__name__, exc)
    return rewrite_model.load(file)


def _digest(first: str, second: str) -> bytes:
    """The memo's key of a sentence pair (the first's length, so no two pairs join alike)."""
    return hashlib.blake2b(f"{len(first)}:{first}{second}".encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _metadata(weights: Path) -> dict[str, str]:
    from safetensors import safe_open

    with safe_open(str(weights), framework="numpy") as f:
        return dict(f.metadata() or {})


def export(weights: Path, target: Path) -> None:
    """The merged cross-encoder of ``weights`` (ids, mask, segments -> one logit a pair)."""
    import torch

    _, encoder, head, _ = merged(weights, attention="eager")

    class Logits(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder, self.head = encoder, head

        def forward(self, input_ids, attention_mask, token_type_ids):
            # The additive 4-D mask built here (eager attention passes it through as given).
            mask = (1.0 - attention_mask[:, None, None, :].to(torch.float32)) * -10000.0
            states = self.encoder(input_ids=input_ids, attention_mask=mask, token_type_ids=token_type_ids,
                                  return_dict=True).last_hidden_state
            return self.head(states, attention_mask)

    export_module(Logits().eval(), target, "logits", {0: "batch"})


class OnnxRewriteModel:
    """The cross-encoder of ``weights`` on ONNX Runtime, with RewriteModel's ``logits``/``prob``."""

    def __init__(self, weights: Path, threads: int | None = None):
        from tokenizers import Tokenizer

        from storyline.analyze.embed import TORCH_THREADS

        source = base_dir()
        self.meta = _metadata(weights)
        path = exported(model_file(source, "rewrite-cross-encoder", weights), lambda target: export(weights, target))
        self.tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=MAX_LENGTH, strategy="longest_first")
        self.tokenizer.enable_padding(pad_id=0, pad_type_id=0, pad_token="[PAD]")  # to the longest
        self.session = session(path, threads or int(os.environ.get(TORCH_THREADS, "1")))
        self.path = path
        self.memo: OrderedDict[bytes, float] = OrderedDict()

    def logits(self, a: Sequence[str], b: Sequence[str], batch: int = ONNX_BATCH) -> np.ndarray:
        """One logit per pair (a[k], b[k]); positive means "b restates a". Empty in, empty out.
        With ``batch`` 1 (the default) a pair's logit does not depend on the others, and pairs
        scored before in this process are taken from the memo (the same number)."""
        if len(a) != len(b):
            raise ValueError(f"{len(a)} first sentences for {len(b)} second ones")
        out = np.zeros(len(a), dtype=np.float32)
        todo: dict[bytes, list[int]] = {}
        texts: dict[bytes, tuple[str, str]] = {}
        for k, (x, y) in enumerate(zip(a, b)):
            pair = (x[:MAX_CHARS], y[:MAX_CHARS])
            key = _digest(*pair)
            known = self.memo.get(key) if batch == 1 else None
            if known is None:
                todo.setdefault(key, []).append(k)
                texts[key] = pair
            else:
                out[k] = known
                self.memo.move_to_end(key)
        order = sorted(todo, key=lambda key: len(texts[key][0]) + len(texts[key][1]))
        for start in range(0, len(order), batch):
            chunk = order[start : start + batch]
            encoded = self.tokenizer.encode_batch([texts[key] for key in chunk])
            feed = {"input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
                    "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
                    "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64)}
            for key, z in zip(chunk, self.session.run(None, feed)[0]):
                out[todo[key]] = z
                if batch == 1:
                    self.memo[key] = float(z)
                    while len(self.memo) > MEMO_PAIRS:
                        self.memo.popitem(last=False)
        return out

    def prob(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        z = self.logits(a, b).astype(np.float64)
        return 0.5 * (1.0 + np.tanh(0.5 * z))
