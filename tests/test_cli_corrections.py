"""``storyline correct ...``, ``storyline corrections`` and ``storyline export corrections`` on
a copy of the seeds store, through the real command line."""

from __future__ import annotations

import json

import pytest
from helpers import run_cli, seeds_with_people

import storyline

pytestmark = pytest.mark.slow  # each test copies the seeds store and links it (seconds)


@pytest.fixture
def db(seeds_store, tmp_path) -> str:
    return seeds_with_people(seeds_store, tmp_path / "seeds.db")


def cli_json(*args: str):
    result = run_cli(*args, "--json", timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_correct_list_export_and_undo(db):
    with storyline.open(db) as desk:
        people = [p.id for p in desk.store.people()][:2]
        (story,) = desk.stories()
    made = cli_json("correct", "merge-people", people[0], people[1], "--why", "same man", "--author", "ana",
                    "--db", db)
    assert (made["kind"], made["targets"], made["author"], made["reason"]) == (
        "merge-people", people, "ana", "same man")
    split = cli_json("correct", "split-story", story.id[:8], "--article", story.article_ids[0],
                     "--why", "another event", "--db", db)
    assert split["author"]  # the OS user by default
    listed = cli_json("corrections", "--db", db)
    assert [c["id"] for c in listed] == [split["id"], made["id"]]
    table = run_cli("corrections", "--db", db)
    assert table.returncode == 0 and "same man" in table.stdout and "2 corrections" in table.stdout
    undone = cli_json("correct", "undo", str(made["id"]), "--author", "ben", "--db", db)
    assert undone["active"] is False and undone["undone_by"] == "ben"
    assert [c["id"] for c in cli_json("corrections", "--active", "--db", db)] == [split["id"]]
    exported = run_cli("export", "corrections", "--format", "json", "--db", db)
    assert exported.returncode == 0, exported.stderr
    assert {c["kind"] for c in json.loads(exported.stdout)} == {"merge-people", "split-story"}
    csv = run_cli("export", "corrections", "--db", db)
    assert csv.returncode == 0 and csv.stdout.splitlines()[0].startswith("id,kind,targets,author,reason")
    with storyline.open(db) as desk:
        assert desk.store.story(split["payload"]["story"]).article_ids == (story.article_ids[0],)


def test_bad_corrections_exit_2_with_the_reason(db):
    missing = run_cli("correct", "merge-people", "p1", "p2", "--db", db)
    assert missing.returncode == 2 and "--why" in missing.stderr
    unknown = run_cli("correct", "merge-people", "p1", "p2", "--why", "x", "--db", db)
    assert unknown.returncode == 2 and "no person 'p1'" in unknown.stderr
    blank = run_cli("correct", "move-article", "00", "ff", "--why", "  ", "--db", db)
    assert blank.returncode == 2 and "needs a reason" in blank.stderr
    again = run_cli("correct", "undo", "7", "--db", db)
    assert again.returncode == 2 and "no correction 7" in again.stderr
    assert cli_json("corrections", "--db", db) == []
