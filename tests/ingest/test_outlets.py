"""Canonical outlet names: aliases, domains, and unknown outlets kept or inferred from the URL."""

from __future__ import annotations

import json

import pytest

from helpers import run_cli
from storyline.ingest.outlets import canonical_outlet, name_key


@pytest.mark.parametrize("name", ["inews", "i news", "iNews", "The i Paper", "i Paper", "the i", "inews.co.uk"])
def test_the_i_papers_names(name):
    assert canonical_outlet(name, None)[0] == "The i Paper"


def test_domains_and_unknown_outlets():
    assert canonical_outlet(None, "https://www.inews.co.uk/news/world/x") == ("The i Paper", "URL domain inews.co.uk")
    assert canonical_outlet(None, "https://news.bbc.co.uk/1/hi/x.stm")[0] == "BBC News"
    assert canonical_outlet(None, "https://local.example.org/a") == (
        "local.example.org", "URL domain local.example.org (not a known outlet)")
    assert canonical_outlet("Port Selby Gazette", "https://www.bbc.co.uk/x") == ("Port Selby Gazette", None)
    assert canonical_outlet(None, None) == (None, None) and canonical_outlet(None, "not a url") == (None, None)
    assert name_key("The  Guardian!") == name_key("guardian")


def test_outlets_command_counts_canonical_outlets(tmp_path):
    lines = [{"title": f"Story {i}", "text": f"Body of story number {i} about the harbour wall and its budget.",
              "outlet": outlet} for i, outlet in enumerate(["inews", "i news", "The i Paper", "BBC"])]
    lines.append({"title": "Story 9", "text": "A body about the ferry crossing cancelled by the storm.",
                  "url": "https://www.portselby.example/ferry"})
    (tmp_path / "in.jsonl").write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    db = str(tmp_path / "s.db")
    assert run_cli("ingest", str(tmp_path / "in.jsonl"), "--db", db, "--no-analyze").returncode == 0
    done = run_cli("outlets", "--db", db, "--json")
    assert [(o["outlet"], o["articles"]) for o in json.loads(done.stdout)] == [
        ("The i Paper", 3), ("BBC News", 1), ("portselby.example", 1)]
    assert all(o["copies_in"] == o["copied_out"] == 0 for o in json.loads(done.stdout))
