"""Syndicated copy through the CLI: the same wire text from two outlets is stored once, and the
second outlet is kept as a sighting that `show --json` and `story --json` carry (a real SQLite
store, the CLI in a subprocess)."""

from __future__ import annotations

import json

from storyline.store import open_store
from storyline.records import Story
from storyline.store.records import Membership
from tests.helpers import run_cli

WIRE = ("Lighthouse keepers on the northern coast will be replaced by automated beacons next spring, "
        "the maritime authority said on Tuesday. The last three keepers will retire in March.")


def _write(path, rows) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_two_outlets_one_text_one_article_one_sighting(tmp_path):
    db = str(tmp_path / "s.db")
    first = {"url": "https://wire.example/lighthouses", "outlet": "Coast Wire", "title": "Keepers to go",
             "published": "2026-05-05", "text": WIRE}
    second = {"url": "https://gazette.example/news/lighthouses", "outlet": "Harbour Gazette",
              "title": "Last keepers retire", "published": "2026-05-05T10:00:00", "text": WIRE}
    feed = tmp_path / "wire.jsonl"
    _write(feed, [first, second])
    done = run_cli("ingest", str(feed), "--db", db, "--no-analyze")
    assert done.returncode == 0, done.stderr
    assert "1 added, 1 already present (1 from new outlets or URLs)" in done.stdout

    again = run_cli("ingest", str(feed), "--db", db, "--no-analyze", "--json")
    report = json.loads(again.stdout)
    assert report["added"] == [] and len(report["present"]) == 2 and report["sighted"] == []

    [article_id] = report["present"][:1]
    shown = json.loads(run_cli("show", article_id, "--db", db, "--json").stdout)
    assert shown["outlet"] == "Coast Wire"
    assert [(s["outlet"], s["url"], s["published"]) for s in shown["also_published"]] == [
        ("Harbour Gazette", second["url"], "2026-05-05T10:00:00")]
    text = run_cli("show", article_id, "--db", db)
    assert "also published by" in text.stdout and "Harbour Gazette" in text.stdout
    # The listing carries them too: a URL looked up in `articles --json` is found.
    listed = json.loads(run_cli("articles", "--db", db, "--json").stdout)
    assert [[s["url"] for s in a["also_published"]] for a in listed] == [[second["url"]]]

    store = open_store(db)
    try:
        store.put_stories([Story(article_id, "Lighthouses", first="2026-05-05", last="2026-05-05")],
                          [Membership(article_id, article_id, 0)], [], "1", "2026-05-06")
    finally:
        store.close()
    story = json.loads(run_cli("story", article_id, "--db", db, "--json").stdout)
    [member] = story["articles"]
    assert member["sightings"] == [{"url": second["url"], "outlet": "Harbour Gazette",
                                    "title": "Last keepers retire", "published": "2026-05-05T10:00:00"}]
    assert story["outlets"] == ["Coast Wire", "Harbour Gazette"]
    assert "from 2 outlets" in run_cli("story", article_id, "--db", db).stdout

    # The outlet that only ran the wire copy is an outlet: listed, and with a page of its own.
    outlets = json.loads(run_cli("outlets", "--db", db, "--json").stdout)
    assert [(o["outlet"], o["articles"], o["sighted"]) for o in outlets] == [("Coast Wire", 1, 0),
                                                                           ("Harbour Gazette", 0, 1)]
    page = json.loads(run_cli("outlet", "Harbour Gazette", "--db", db, "--json").stdout)
    assert (page["articles"], page["sighted"], page["latest"]) == (0, 1, [])
    assert [(s["article_id"], s["url"]) for s in page["sighted_latest"]] == [(article_id, second["url"])]
    assert [(s["id"], s["articles"], s["first_day"], s["rank"]) for s in page["stories"]] == [
        (article_id, 1, "2026-05-05", 1)]
    text = run_cli("outlet", "Harbour Gazette", "--db", db).stdout
    assert "also ran 1 stored text word for word" in text and "Last keepers retire" in text


def test_a_dump_without_urls_keeps_each_outlet_once(tmp_path):
    db = str(tmp_path / "d.db")
    rows = [{"outlet": name, "title": f"Keepers ({name})", "text": WIRE}
            for name in ("Coast Wire", "Harbour Gazette", "harbour gazette", "Valley Echo")]
    dump = tmp_path / "dump.jsonl"
    _write(dump, rows)
    first = json.loads(run_cli("ingest", str(dump), "--db", db, "--no-analyze", "--json").stdout)
    assert len(first["added"]) == 1
    assert [(s["outlet"], s["where"]) for s in first["sighted"]] == [("Harbour Gazette", "line 2"),
                                                                      ("Valley Echo", "line 4")]
    again = json.loads(run_cli("ingest", str(dump), "--db", db, "--no-analyze", "--json").stdout)
    assert again["sighted"] == []
    shown = json.loads(run_cli("show", first["added"][0], "--db", db, "--json").stdout)
    assert [s["outlet"] for s in shown["also_published"]] == ["Harbour Gazette", "Valley Echo"]
