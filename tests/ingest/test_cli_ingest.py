"""`storyline ingest` exit codes and output with bad inputs (Typer's CliRunner, in process; one
test runs the installed console script the way a user does)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from builders import (
    BRIDGE_PARAGRAPHS,
    BRIDGE_TITLE,
    FERRY_PARAGRAPHS,
    FERRY_TITLE,
    gz,
    rss_feed,
    text_article,
    write,
)
from storyline.cli import app


def ingest(*args: str):
    result = CliRunner().invoke(app, ["ingest", *args], env={"STORYLINE_DB": None})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture
def inputs(tmp_path) -> dict[str, Path]:
    return {
        "good": write(tmp_path, "in/good.txt", text_article(FERRY_TITLE, FERRY_PARAGRAPHS)),
        "empty": write(tmp_path, "in/empty.txt", b""),
        "binary": write(tmp_path, "in/photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        "truncated": write(tmp_path, "in/cut.txt.gz", gz(text_article(BRIDGE_TITLE, BRIDGE_PARAGRAPHS))[:-10]),
        "jsonl": write(tmp_path, "in/lines.jsonl", '{"text": "A short wire item about the harbour wall, '
                       'which the council approved on Tuesday after a long debate."}\n[1, 2]\n'),
        "feed": write(tmp_path, "in/feed.rss", rss_feed("Courier", [
            {"title": "Council leader resigns", "link": "https://courier.example/leader",
             "description": "The leader of Millbrook council has resigned."}])),
        "missing": tmp_path / "in/missing.txt",
    }


def test_exit_0_when_something_was_read_even_with_skips(tmp_path, inputs):
    db = str(tmp_path / "s.db")
    result = ingest(str(inputs["good"]), str(inputs["empty"]), str(inputs["binary"]), str(inputs["truncated"]),
                    str(inputs["jsonl"]), str(inputs["missing"]), "--db", db)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "2 added, 0 already present, 5 skipped from 6 files"  # the missing one counted
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped ")]
    assert skipped == [
        f"skipped {inputs['empty']}: empty input",
        f"skipped {inputs['binary']}: binary content (NUL bytes), not text",
        f"skipped {inputs['truncated']}: truncated gzip file (compressed stream ends early)",
        f"skipped {inputs['jsonl']} (line 2): expected a JSON object, got list",
        f"skipped {inputs['missing']}: no such file or folder",
    ]
    assert "error" not in result.stderr


def test_exit_1_when_nothing_could_be_read(tmp_path, inputs):
    db = str(tmp_path / "s.db")
    result = ingest(str(inputs["empty"]), str(inputs["binary"]), str(inputs["missing"]), "--db", db)
    assert result.exit_code == 1
    assert result.stdout.strip() == "0 added, 0 already present, 3 skipped from 3 files"
    assert f"skipped {inputs['empty']}: empty input" in result.stderr
    assert "error: nothing could be read from the inputs given" in result.stderr


def test_a_link_only_feed_counts_as_read(tmp_path, inputs):
    result = ingest(str(inputs["feed"]), "--db", str(tmp_path / "s.db"))
    assert result.exit_code == 0, result.stderr
    assert "0 added" in result.stdout and "1 link-only feed entries (1 new)" in result.stdout


def test_json_report_parses(tmp_path, inputs):
    db = str(tmp_path / "s.db")
    result = ingest(str(inputs["good"]), str(inputs["jsonl"]), str(inputs["empty"]), str(inputs["feed"]),
                    "--db", db, "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)  # stdout holds the JSON only; skips go to stderr
    assert report["files"] == 4 and len(report["added"]) == 2 and report["present"] == []
    assert report["links_seen"] == 1 and report["links_new"] == 1
    assert report["skipped"] == [
        {"source": str(inputs["jsonl"]), "where": "line 2", "reason": "expected a JSON object, got list"},
        {"source": str(inputs["empty"]), "where": None, "reason": "empty input"},
    ]
    again = json.loads(ingest(str(inputs["good"]), "--db", db, "--json").stdout)
    assert again["added"] == [] and again["present"] == report["added"][:1]


def test_json_report_when_nothing_was_read(tmp_path, inputs):
    result = ingest(str(inputs["missing"]), "--db", str(tmp_path / "s.db"), "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["added"] == [] and report["skipped"] == [
        {"source": str(inputs["missing"]), "where": None, "reason": "no such file or folder"}]


def test_max_bytes_option(tmp_path, inputs):
    result = ingest(str(inputs["good"]), "--db", str(tmp_path / "s.db"), "--max-bytes", "100")
    assert result.exit_code == 1
    assert f"skipped {inputs['good']}: larger than the 100-byte cap" in result.stderr


def test_console_script(tmp_path, inputs):
    script = Path(sys.executable).with_name("storyline")
    if not script.exists():
        pytest.skip(f"console script not installed at {script}")
    env = {k: v for k, v in os.environ.items() if k != "STORYLINE_DB"}
    db = str(tmp_path / "s.db")
    some = subprocess.run([str(script), "ingest", str(inputs["good"]), str(inputs["empty"]), "--db", db, "--json"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert some.returncode == 0, some.stderr
    assert len(json.loads(some.stdout)["added"]) == 1
    assert f"{inputs['empty']}: empty input" in some.stderr
    none = subprocess.run([str(script), "ingest", str(inputs["empty"]), "--db", db],
                          capture_output=True, text=True, env=env, timeout=120)
    assert none.returncode == 1 and "nothing could be read" in none.stderr
