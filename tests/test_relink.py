"""The pipeline as steps (``storyline steps``, ``storyline relink``, ``Desk.link``): what is
due per step, running everything due, running one step, and redoing what an outdated
analyzer version produced, on a real store with the real models."""

from __future__ import annotations

import json

import pytest

import storyline
from helpers import run_cli, write_text_articles

ORDER = ["analyze", "embed", "fingerprint", "candidates", "compare", "stories", "people", "story_facts"]


@pytest.fixture
def ingested(tmp_path):
    write_text_articles(tmp_path / "in", 3)
    db = str(tmp_path / "s.db")
    with storyline.open(db) as desk:
        desk.ingest([tmp_path / "in"], analyze=False)
    return db


def _due(db: str, *, full_scan: bool | None = None) -> dict[str, int]:
    result = run_cli("steps", "--db", db, "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["name"] for r in rows] == ORDER
    assert all(r["version"] and r["writes"] for r in rows)
    if full_scan is not None:  # before any run every step scans; after one, the change log serves
        assert [r["full_scan"] for r in rows] == [full_scan] * len(ORDER)
    return {r["name"]: r["due"] for r in rows}


def test_steps_list_what_is_due_and_relink_does_it(ingested):
    due = _due(ingested, full_scan=True)
    assert due["analyze"] == 3 and due["embed"] == 3 and due["stories"] == 3
    result = run_cli("relink", "--db", ingested, "--json", timeout=600)
    assert result.returncode == 0, result.stderr
    done = {s["step"]: s for s in json.loads(result.stdout)}
    assert list(done) == ORDER
    assert done["analyze"]["done"] == 3 and done["stories"]["done"] == 3 and done["people"]["done"] == 3
    assert done["story_facts"]["done"] >= 1
    left = _due(ingested, full_scan=False)
    # Facts are stamped to the second: a story changed in the second its facts were built is
    # listed again, and found unchanged (nothing rebuilt).
    assert {k: v for k, v in left.items() if k != "story_facts"} == dict.fromkeys(ORDER[:-1], 0)
    again = json.loads(run_cli("relink", "--db", ingested, "--json", timeout=600).stdout)
    assert all(s["done"] == 0 for s in again if s["step"] != "story_facts")
    assert all(s["counts"].get("built", 0) == 0 for s in again)
    with storyline.open(ingested) as desk:
        assert len({a for s in desk.stories() for a in s.article_ids}) == 3
        assert all(desk.store.story_facts([s.id]) for s in desk.stories())


def test_one_step_and_unknown_steps(ingested):
    result = run_cli("relink", "--db", ingested, "--step", "analyze", "--json", timeout=600)
    assert result.returncode == 0, result.stderr
    assert [s["step"] for s in json.loads(result.stdout)] == ["analyze"]
    assert _due(ingested)["analyze"] == 0 and _due(ingested)["stories"] == 3
    bad = run_cli("relink", "--db", ingested, "--step", "nope")
    assert bad.returncode == 2 and "no step 'nope'" in bad.stderr and "story_facts" in bad.stderr


def test_a_new_analyzer_version_is_redone_with_what_depends_on_it(ingested):
    with storyline.open(ingested) as desk:
        desk.link()
        before = {s.id: s.article_ids for s in desk.stories()}
        desk.analysing.version = "next"  # as if the analyzer had changed
        assert "analyze" in [s.name for s in desk.steps() if s.due(desk.store)]
        report = desk.link()
        assert report.of("analyze").done == 3
        # the people of re-analysed articles are assigned again, and the facts of their stories rebuilt
        assert report.of("people").done == 3 and report.of("story_facts").done >= 1
        assert desk.store.unanalysed("next") == []
        assert {s.id: s.article_ids for s in desk.stories()} == before
