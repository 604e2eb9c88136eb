"""The storyline command, run as a user runs it: a real subprocess, real stores."""

from __future__ import annotations

import json

import pytest

from helpers import run_cli, write_text_articles

from storyline.cli import app


def test_every_command_has_help():
    """Each command's --help, in this process (a subprocess each took 12 s of the suite; the
    command list below and the other tests run the real entry point)."""
    from typer.testing import CliRunner

    runner = CliRunner()
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        done = runner.invoke(app, [name.removesuffix("_cli"), "--help"], env={"COLUMNS": "100"})
        assert done.exit_code == 0, name
        assert "Usage" in done.stdout and (command.callback.__doc__ or "").split("\n")[0][:30] in " ".join(done.stdout.split())


def test_the_command_list_gives_each_command_a_flowing_summary():
    """`storyline --help` lists each command with its docstring's first paragraph as one
    flowing text (Typer kept the docstring's line breaks: ragged fragments)."""
    listing = run_cli("--help", env={"COLUMNS": "200"}).stdout
    rows = [line.strip("│ ").rstrip() for line in listing.splitlines() if line.startswith("│")]
    story = next(r for r in rows if r.startswith("story "))
    assert "events and timeline, people with their roles, quotes by speaker" in story
    assert not any("``" in r for r in rows)


def test_ingest_list_show_round_trip(store_url, tmp_path):
    write_text_articles(tmp_path / "in", 3)
    done = run_cli("ingest", str(tmp_path / "in"), "--db", store_url)
    assert done.returncode == 0, done.stderr
    assert "3 added, 0 already present, 0 skipped" in done.stdout

    listed = json.loads(run_cli("articles", "--db", store_url, "--json").stdout)
    assert [a["title"] for a in listed] == [f"Council report number {i} published" for i in range(3)]
    for key in ("id", "title", "outlet", "published", "byline", "source", "body"):
        assert key in listed[0]
    assert listed[0]["source"].endswith("article-00000.txt")
    assert listed[0]["body"].startswith("The council published report number 0")

    shown = json.loads(run_cli("show", listed[1]["id"][:6], "--db", store_url, "--json", "--raw").stdout)
    assert shown["id"] == listed[1]["id"] and shown["raw"].startswith("Council report number 1")
    assert shown["fields"]["title"]["origin"] == "stated"

    again = run_cli("ingest", str(tmp_path / "in"), "--db", store_url, "--json")
    report = json.loads(again.stdout.strip().splitlines()[-1])
    assert again.returncode == 0 and report["added"] == [] and len(report["present"]) == 3


def test_db_from_environment(tmp_path):
    write_text_articles(tmp_path / "in", 1)
    db = tmp_path / "env.db"
    assert run_cli("ingest", str(tmp_path / "in"), env={"STORYLINE_DB": str(db)}).returncode == 0
    assert db.exists()
    listed = json.loads(run_cli("articles", "--json", env={"STORYLINE_DB": str(db)}).stdout)
    assert len(listed) == 1


def test_exit_codes_and_stderr(tmp_path):
    db = str(tmp_path / "x.db")
    (tmp_path / "empty.txt").write_bytes(b"")
    write_text_articles(tmp_path / "good", 1)

    nothing = run_cli("ingest", str(tmp_path / "empty.txt"), str(tmp_path / "missing"), "--db", db)
    assert nothing.returncode == 1
    assert "empty.txt: empty input" in nothing.stderr and "no such file or folder" in nothing.stderr
    assert "nothing could be read" in nothing.stderr

    some = run_cli("ingest", str(tmp_path / "empty.txt"), str(tmp_path / "good"), "--db", db)
    assert some.returncode == 0 and "1 added" in some.stdout and "empty input" in some.stderr

    missing = run_cli("show", "abcdef", "--db", db)
    assert missing.returncode == 1 and "no article with id" in missing.stderr and missing.stdout == ""


def test_store_errors_are_reported_not_raised(tmp_path):
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_text("this is not a database " * 100)
    done = run_cli("articles", "--db", str(not_a_db))
    assert done.returncode == 2
    assert "notes.db" in done.stderr and "Traceback" not in done.stderr
    assert not_a_db.read_text().startswith("this is not a database")  # left as it was


@pytest.mark.parametrize("args", [["articles", "--json"], ["links", "--json"]])
def test_listing_json_on_an_empty_store(tmp_path, args):
    db = str(tmp_path / "new.db")
    assert run_cli("init", "--db", db).returncode == 0
    done = run_cli(*args, "--db", db)
    assert done.returncode == 0 and json.loads(done.stdout) == []


@pytest.mark.parametrize("command", ["articles", "links", "stories", "quotes", "search backstop", "outlets", "outlet BBC",
                                     "feeds", "steps"])
def test_reading_a_store_that_does_not_exist_is_an_error(tmp_path, command):
    db = tmp_path / "typo.db"
    done = run_cli(*command.split(), "--db", str(db))
    assert done.returncode == 2 and "typo.db: no such store" in done.stderr and "storyline init" in done.stderr
    assert not db.exists()  # nothing created by a read


def test_init_creates_a_store_once(tmp_path):
    db = tmp_path / "new.db"
    first = run_cli("init", "--db", str(db))
    assert first.returncode == 0 and "created" in first.stdout and "schema v" in first.stdout and db.exists()
    again = run_cli("init", "--db", str(db))
    assert again.returncode == 0 and "already there" in again.stdout


def test_progress_without_a_terminal_is_a_few_plain_lines(capsys):
    """stderr is no terminal here (captured): no bar, nothing in the first seconds, then a line
    and another at most every half minute, however often the label changes (some labels are
    one per item: a file name, a title)."""
    from storyline.cli.common import progress_bar

    now = [0.0]
    with progress_bar("stories", clock=lambda: now[0]) as advance:
        for t, done, label in [(1, 10, "articles clustered"), (6, 20, "articles clustered"),
                               (7, 30, "articles clustered"), (8, 31, "a.txt"), (9, 32, "b.txt"),
                               (40, 900, "articles clustered"), (41, 5, "story facts"), (72, 6, "story facts")]:
            now[0] = t
            advance(done, 1000, label)
    assert capsys.readouterr().err.splitlines() == [
        "stories: articles clustered 20/1,000 (6 s)",
        "stories: articles clustered 900/1,000 (40 s)",
        "stories: story facts 6/1,000 (72 s)",
    ]
