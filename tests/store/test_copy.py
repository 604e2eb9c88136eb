"""``storyline copy``: a whole store into a new one, SQLite -> PostgreSQL -> SQLite, every row
kept with its keys, and the copy a working store (real SQLite files, a real PostgreSQL server)."""

from __future__ import annotations

import json
import sqlite3
import struct

import pytest
from typer.testing import CliRunner

import storyline
from storyline.cli import app
from storyline.store import StoreError, copy_store, open_store
from storyline.store.sql.transfer import NOT_COPIED, tables

pytestmark = pytest.mark.usefixtures("postgres_server")


def _value(v):
    # PostgreSQL's REAL is a 4-byte float where SQLite keeps 8 bytes: compare as 4-byte floats.
    if isinstance(v, float):
        return struct.unpack("f", struct.pack("f", v))[0]
    if isinstance(v, memoryview):
        return bytes(v)
    return v


def dump(url: str) -> dict[str, list[tuple]]:
    """Every copied table's rows, in a canonical order."""
    store = open_store(url)
    try:
        out = {}
        for table in tables(store.db.dialect):
            if table in NOT_COPIED:
                continue
            columns = sorted(store.db.columns(table))
            rows = store.db.run(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
            out[table] = sorted((tuple(_value(v) for v in row) for row in rows), key=repr)
        return out
    finally:
        store.close()


def test_sqlite_to_postgres_and_back_keeps_every_row(seeds_store, postgres_url, tmp_path):
    report = copy_store(seeds_store, postgres_url)
    assert report.rows["articles"] == 5 and report.rows["persons"] > 0 and report.rows["story_members"] >= 5
    back = tmp_path / "back.db"
    assert copy_store(postgres_url, back).rows == report.rows

    before = dump(str(seeds_store))
    assert before["stories"] and before["persons"] and before["quotes"] and before["sentence_vectors"]
    assert dump(postgres_url) == before
    assert dump(str(back)) == before
    # The SQLite copy's search index was rebuilt: a word of a title finds its article.
    with storyline.open(back) as desk:
        title = desk.articles()[0].title
        word = max(title.split(), key=len).strip(",.:'\"")
        assert desk.articles()[0].id in [hit.id for hit in desk.search(word)]


def test_the_copy_is_a_working_store(seeds_store, postgres_url, tmp_path):
    copy_store(seeds_store, postgres_url)
    with storyline.open(seeds_store) as desk:
        stories = [(s.id, sorted(s.article_ids)) for s in desk.stories()]
        people = sorted((p.id, p.name) for p in desk.people())
    with storyline.open(postgres_url) as desk:
        # No cursor was copied: each step checks its work in full once, and finds none due. The
        # story facts may be checked again (a story changed in the second its facts were built
        # counts as changed: store/sql/facts.py), but nothing is built.
        report = desk.link()
        assert {s.step: s.due for s in report.steps if s.due and s.step != "story_facts"} == {}
        assert report.of("story_facts").counts.get("built", 0) == 0
        assert [(s.id, sorted(s.article_ids)) for s in desk.stories()] == stories
        assert sorted((p.id, p.name) for p in desk.people()) == people
        # Serial keys go on after the copied ones: a new article is stored, not refused.
        note = tmp_path / "note.txt"
        note.write_text("Copy check\n\nA short note on the harbour barrier vote, written after the store was copied.\n")
        assert len(desk.ingest([note], analyze=False).added) == 1
        assert desk.store.count() == 6


def test_copy_refuses_a_store_that_holds_anything_and_leaves_it_as_it_was(seeds_store, tmp_path):
    target = tmp_path / "copy.db"
    copy_store(seeds_store, target)
    before = dump(str(target))
    with pytest.raises(StoreError, match="not an empty store"):
        copy_store(seeds_store, target)
    assert dump(str(target)) == before
    with pytest.raises(StoreError, match="into itself"):
        copy_store(seeds_store, seeds_store)
    with pytest.raises(StoreError, match="no such store"):
        copy_store(tmp_path / "missing.db", tmp_path / "other.db")


def test_an_interrupted_copy_leaves_the_target_empty_and_a_rerun_completes(seeds_store, postgres_url, monkeypatch):
    calls = {"n": 0}
    target_store = open_store(postgres_url)
    cls = type(target_store.db)
    target_store.close()
    original = cls.insert_all

    def failing(self, table, columns, rows, **kw):
        calls["n"] += 1
        if table == "persons":
            raise StoreError("disk full (simulated)")
        return original(self, table, columns, rows, **kw)

    monkeypatch.setattr(cls, "insert_all", failing)
    with pytest.raises(StoreError, match="simulated"):
        copy_store(seeds_store, postgres_url)
    monkeypatch.setattr(cls, "insert_all", original)
    assert calls["n"] > 3  # articles and more were written before the failure ...
    store = open_store(postgres_url)
    assert store.count() == 0  # ... and rolled back with it
    store.close()
    copy_store(seeds_store, postgres_url)
    assert dump(postgres_url) == dump(str(seeds_store))


def test_cli_copy(seeds_store, tmp_path):
    runner = CliRunner()
    target = tmp_path / "cli-copy.db"
    result = runner.invoke(app, ["copy", str(target), "--db", str(seeds_store), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["rows"]["articles"] == 5 and report["total"] == sum(report["rows"].values())
    again = runner.invoke(app, ["copy", str(target), "--db", str(seeds_store)])
    assert again.exit_code == 1 and "not an empty store" in again.output
    # A SQLite file copied from SQLite passes the store's own integrity check.
    assert sqlite3.connect(target).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check = runner.invoke(app, ["check", "--db", str(target), "--json"])
    assert check.exit_code == 0, check.output


def test_a_target_linked_once_while_empty_still_sees_the_copied_work(tmp_path):
    from storyline.run.due import due

    note = tmp_path / "note.txt"
    note.write_text("Harbour vote\n\nCouncillors approved the barrier scheme on Tuesday after a long debate.\n")
    source, target = tmp_path / "source.db", tmp_path / "target.db"
    with storyline.open(source) as desk:
        [added] = desk.ingest([note], analyze=False).added
    with storyline.open(target) as desk:
        desk.link(["analyze"])  # nothing to do: it leaves a cursor behind
        assert desk.store.step_cursor("analyze") is not None
    copy_store(source, target)
    with storyline.open(target) as desk:
        assert desk.store.step_cursor("analyze") is None
        [analyze] = [s for s in desk.steps() if s.name == "analyze"]
        assert due(desk.store, analyze).keys == [added]


def test_copy_refuses_what_is_not_a_storyline_store_without_touching_it(seeds_store, tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as raw:
        raw.execute("CREATE TABLE ledger (entry TEXT)")
        raw.execute("INSERT INTO ledger VALUES ('keep me')")
    with pytest.raises(StoreError, match="not a Storyline store"):
        copy_store(seeds_store, other)
    tables_left = [r[0] for r in sqlite3.connect(other).execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert tables_left == ["ledger"]
    for memory in (":memory:", "memory://"):
        with pytest.raises(StoreError, match="in-memory"):
            copy_store(seeds_store, memory)


def test_passwords_never_shown():
    from storyline.store.sql.transfer import shown

    assert shown("postgresql://reader:s3cret@db.example:5432/news") == "postgresql://reader:***@db.example:5432/news"
    assert shown("/data/storyline.db") == "/data/storyline.db"
    assert shown("/data/password-reset.db") == "/data/password-reset.db"
    # The other places libpq takes a password: a URL parameter, a keyword string.
    assert shown("postgresql://db.example/news?sslmode=require&password=s3cret") == \
        "postgresql://db.example/news?sslmode=require&password=%2A%2A%2A"
    keywords = shown("host=db.example dbname=news password='s3 cret' user=reader")
    assert "s3" not in keywords and "cret" not in keywords and "host=db.example" in keywords
    assert "s3cret" not in shown("host=db password=s3cret dbname='unclosed")
    # A keyword string with "://" in a value is no URL; a malformed URL is still shown; a URL
    # without a host keeps its "//".
    assert "s3cret" not in shown("host=h options='-c a=b://c' password=s3cret")
    assert shown("postgresql://u:s3cret@[::1/db") == "postgresql://u:***@[::1/db"
    assert shown("postgresql:///news?host=/run/pg&password=s3cret") == \
        "postgresql:///news?host=%2Frun%2Fpg&password=%2A%2A%2A"
    assert shown("postgresql:///news?host=/run/pg") == "postgresql:///news?host=/run/pg"


def test_a_refused_postgres_connection_names_the_server_not_the_password():
    from storyline.store import StoreError, open_store

    with pytest.raises(StoreError, match="cannot connect to PostgreSQL") as caught:
        open_store("postgresql://reader:s3cret@127.0.0.1:1/news?connect_timeout=2")
    assert "s3cret" not in str(caught.value) and "127.0.0.1" in str(caught.value)


def test_a_store_name_open_store_cannot_open_is_refused_not_created(tmp_path, monkeypatch):
    from storyline.store import StoreError, missing_store, open_store

    monkeypatch.chdir(tmp_path)
    for name, why in [("host=db.example dbname=news password=s3cret", "keyword string"),
                      ("connect_timeout=10 host=db.example dbname=news", "keyword string"),
                      ("application_name=a host=db.example", "keyword string"),
                      ("memory://x", "no store of that kind"),
                      ("mysql://reader@db.example/news", "no store of that kind"),
                      ("https://example.org/store.db", "no store of that kind")]:
        with pytest.raises(StoreError, match=why) as caught:
            open_store(name)
        assert "s3cret" not in str(caught.value)
        assert missing_store(name) is None  # the CLI then opens it and shows the refusal
        with pytest.raises(StoreError, match=why):
            copy_store(name, str(tmp_path / "copy.db"))
    assert list(tmp_path.iterdir()) == []  # no file named after any of them
    # SQLAlchemy's spelling of a SQLite file is that file.
    store = open_store("sqlite:///relative.db")
    store.close()
    assert (tmp_path / "relative.db").is_file()
    assert missing_store(f"sqlite:///{tmp_path / 'relative.db'}") is None
    assert missing_store(f"sqlite:///{tmp_path / 'other.db'}") == str(tmp_path / "other.db")
    # Through the CLI: exit 2, the reason on stderr, the password hidden, no file made.
    result = CliRunner().invoke(app, ["stories", "--db", "host=db.example dbname=news password=s3cret"])
    assert result.exit_code == 2 and "keyword string" in result.stderr and "s3cret" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["relative.db"]
