"""kill -9 in the middle of linking (`storyline relink` in a subprocess, real models), on
PostgreSQL: the next run finishes the work, and the store ends exactly as an uninterrupted run
(of the SQLite seeds store) leaves it: the same reuse pairs, stories, people and quotes, none
twice (issue 15). Pass ("sqlite", TABLE) to the parametrisation to run it on SQLite too."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import storyline
from helpers import kill_when, run_cli
from storyline.store import open_store

pytestmark = pytest.mark.slow


def _outcome(store) -> dict:
    """What linking produced, in a form that does not depend on the order of the work."""
    stories = sorted(sorted(s.article_ids) for s in store.stories())
    people = sorted((p.name, sorted(p.members), sorted(p.roles)) for p in store.people())
    return {
        "pairs": sorted((p.source_id, p.derived_id, p.kind) for p in store.reuse()),
        "stories": stories,
        "people": people,
        "quotes": sorted((q.article_id, q.start, q.speaker) for q in store.quotes()),
        "facts": sorted(f.story_id for f in store.story_facts([s.id for s in store.stories()])),
    }


def _count(url: str, table: str) -> int:
    store = open_store(url)
    try:
        return store.db.run(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - our own names
    finally:
        store.close()


# One run, on PostgreSQL, killed while the people step is part way (the steps before it done and
# their cursors stored). SQLite has its own kill -9 tests per stage (reuse, stories, people in
# tests/link) and the suite's time is kept down by not repeating them here.
@pytest.mark.parametrize(("backend", "table"), [("postgres", "persons")])
def test_kill_9_mid_linking_then_the_next_run_ends_as_an_uninterrupted_one(
        backend, table, seeds_store, seeds_dir, tmp_path, request):
    url = str(tmp_path / "killed.db") if backend == "sqlite" else request.getfixturevalue("postgres_url")
    with storyline.open(url) as desk:
        desk.ingest([seeds_dir], analyze=False)
    env = {k: v for k, v in os.environ.items() if k != "STORYLINE_DB"}
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    proc = subprocess.Popen([sys.executable, "-m", "storyline", "relink", "--db", url],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    # Killed once the step that writes ``table`` has committed a batch: the steps before it are
    # done (their cursors stored), it is part way, the ones after it have not started.
    kill_when(proc, lambda: _count(url, table) > 0, timeout=600, poll=0.01)
    with storyline.open(url) as desk:
        assert not _outcome(desk.store)["facts"]  # killed before the last step ended

    done = run_cli("relink", "--db", url, "--json", timeout=600)
    assert done.returncode == 0, done.stderr
    again = run_cli("relink", "--db", url, "--json", timeout=600)  # nothing left to do
    assert again.returncode == 0, again.stderr
    assert all(step["done"] == 0 for step in json.loads(again.stdout)), again.stdout

    reference = open_store(str(seeds_store))
    killed = open_store(url)
    try:
        expected, got = _outcome(reference), _outcome(killed)
        assert expected["pairs"] and expected["stories"] and expected["people"] and expected["quotes"]
        assert got == expected
        for key in ("pairs", "quotes"):
            assert len(set(map(str, got[key]))) == len(got[key])  # none twice
    finally:
        reference.close()
        killed.close()
