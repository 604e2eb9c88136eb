"""``storyline check [--repair]`` on damaged stores, and faults while writing: a full disk (a
file size limit on the writing process), a read-only (immutable) store file, a corrupted or
truncated database file. Each ends in a clear error or finding, and nothing stored is lost or
half-written. Damage is made at test time on real SQLite files (PostgreSQL for check)."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys

import pytest

from helpers import run_cli, store_two_articles, write_text_articles
from storyline.records import Article
from storyline.store import open_store


def statuses(result) -> dict[str, str]:
    return {f["check"]: f["status"] for f in json.loads(result.stdout)}


def damage(db, *sql: str) -> None:
    raw = sqlite3.connect(db)
    raw.execute("PRAGMA foreign_keys = OFF")
    for statement in sql:
        raw.execute(statement)
    raw.commit()
    raw.close()


@pytest.fixture
def two(tmp_path):
    db = str(tmp_path / "s.db")
    store = open_store(db)
    ids, _ = store_two_articles(store)
    store.close()
    return db, ids


def test_a_healthy_store_checks_ok_with_a_note_on_analyzer_versions(two):
    db, _ = two
    r = run_cli("check", "--db", db, "--json")
    assert r.returncode == 0, r.stderr
    found = statuses(r)
    assert found == {"file integrity": "ok", "foreign keys": "ok", "orphaned facts": "ok",
                     "offsets inside bodies": "ok", "search index": "ok", "analyzer versions": "note"}
    assert "2 analyses by older analyzer versions (test: 2)" in json.loads(r.stdout)[-1]["detail"]


def test_damage_is_found_then_repaired(two):
    db, (a1, a2) = two
    damage(db,
           "INSERT INTO articles_fts (articles_fts) VALUES ('delete-all')",  # search index emptied
           f"UPDATE quotes SET span_end = 100000 WHERE article_id = '{a2}'",  # offset past the body
           f"DELETE FROM analyses WHERE article_id = '{a1}'")  # its quotes and entities orphaned
    r = run_cli("check", "--db", db, "--json")
    assert r.returncode == 1
    findings = {f["check"]: f for f in json.loads(r.stdout)}
    assert {k: f["status"] for k, f in findings.items() if f["status"] == "problem"} == {
        "foreign keys": "problem", "offsets inside bodies": "problem", "search index": "problem"}
    assert "--repair" in findings["search index"]["detail"]
    assert "1 quotes in 1 articles point outside" in findings["offsets inside bodies"]["detail"]

    fixed = run_cli("check", "--db", db, "--repair")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "(repaired)" in fixed.stdout and "rebuilt" in fixed.stdout
    again = run_cli("check", "--db", db, "--json")
    assert again.returncode == 0 and set(statuses(again).values()) <= {"ok", "note"}
    store = open_store(db)
    try:
        assert store.count() == 2  # the articles themselves are never touched
        assert sorted(store.unanalysed("test")) == sorted([a1, a2])  # both analyses to redo
        assert [a.id for a in store.search("wall")] != []  # the index works again
    finally:
        store.close()


def test_check_on_both_sql_backends(store_url):
    store = open_store(store_url)
    try:
        store_two_articles(store)
        findings = store.check(analyzer_version="test")
    finally:
        store.close()
    assert [(f.check, f.status) for f in findings] == [
        ("file integrity", "ok"), ("foreign keys", "ok"), ("orphaned facts", "ok"),
        ("offsets inside bodies", "ok"), ("search index", "ok"), ("analyzer versions", "ok")]
    assert "2 analyses" in findings[-1].detail


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_corrupted_database_file_is_a_clear_error_and_left_as_it_is(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(os.urandom(20_000))
    before = _digest(junk)
    for args in (("articles",), ("ingest", str(tmp_path)), ("check",)):
        r = run_cli(*args, "--db", str(junk))
        assert r.returncode == 2 and "junk.db: cannot open as a SQLite store (file is not a database)" in r.stderr
    assert _digest(junk) == before


def test_damage_inside_a_database_is_found_by_check(tmp_path):
    write_text_articles(tmp_path / "in", 40)
    db = tmp_path / "s.db"
    assert run_cli("ingest", str(tmp_path / "in"), "--db", str(db), "--no-analyze").returncode == 0
    # Bad bytes over pages of the articles table's data, away from the schema (a random place
    # could hit the schema pages, and then the store does not open at all: a clear error too,
    # but not what this test is about).
    con = sqlite3.connect(db)
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    pages = [row[0] for row in con.execute("SELECT pageno FROM dbstat WHERE name = 'articles' AND pageno > 1")]
    con.close()
    with open(db, "r+b") as fh:
        for page in pages:
            fh.seek((page - 1) * page_size + 16)
            fh.write(os.urandom(page_size - 32))
    r = run_cli("check", "--db", str(db))
    assert r.returncode == 1
    assert "the database file is damaged" in r.stdout and "sqlite3 DB .recover" in r.stdout


def _limited(max_bytes: int):
    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))
    return limit


@pytest.mark.slow
def test_a_full_disk_fails_the_batch_cleanly_and_a_rerun_completes(tmp_path):
    write_text_articles(tmp_path / "in", 60)
    db = tmp_path / "s.db"
    open_store(str(db)).close()  # created and migrated with room to spare
    # Room for a few batches more: a write past the limit fails as on a full disk.
    room = max(p.stat().st_size for p in tmp_path.glob("s.db*")) + 150_000
    env = {k: v for k, v in os.environ.items() if k != "STORYLINE_DB"}
    r = subprocess.run([sys.executable, "-m", "storyline", "ingest", str(tmp_path / "in"), "--db", str(db),
                        "--no-analyze", "--batch-size", "5"], capture_output=True, text=True, env=env,
                       preexec_fn=_limited(room), timeout=300)
    assert r.returncode == 2
    assert "failed and was rolled back: disk I/O error" in r.stderr
    raw = sqlite3.connect(db)
    stored = raw.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert stored % 5 == 0 and 0 < stored < 60  # whole batches only
    assert f"{stored} articles added before the failure are kept" in r.stderr
    raw.close()
    again = run_cli("ingest", str(tmp_path / "in"), "--db", str(db), "--no-analyze")
    assert again.returncode == 0 and f"{60 - stored} added, {stored} already present" in again.stdout
    assert run_cli("check", "--db", str(db)).returncode == 0


def test_a_read_only_store_refuses_writes_and_still_answers_reads(tmp_path):
    write_text_articles(tmp_path / "in", 3)
    db = tmp_path / "s.db"
    assert run_cli("ingest", str(tmp_path / "in"), "--db", str(db), "--no-analyze").returncode == 0
    write_text_articles(tmp_path / "more", 2, start=10)
    # Immutable: even root cannot write it (chmod does not stop root, which CI runs as).
    if subprocess.run(["chattr", "+i", str(db)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not supported here")
    try:
        before = _digest(db)
        r = run_cli("ingest", str(tmp_path / "more"), "--db", str(db), "--no-analyze")
        assert r.returncode == 2 and "attempt to write a readonly database" in r.stderr
        listed = run_cli("articles", "--db", str(db), "--json")
        assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 3
        assert _digest(db) == before
    finally:
        subprocess.run(["chattr", "-i", str(db)], check=True)


def test_a_postgres_table_without_statistics_is_analysed_when_a_store_opens(postgres_url, monkeypatch):
    """A restored dump or a bulk load has no planner statistics until autovacuum reaches it;
    the planner's guesses then cost seconds a query (store/postgres.py)."""
    import psycopg

    from storyline.store import postgres

    monkeypatch.setattr(postgres, "ANALYSE_ROWS", 10)
    store = open_store(postgres_url)
    store.add_articles([Article(id=f"{n:016x}", content_hash=f"h{n}", source="/in/a.txt", body=f"Body {n}.")
                        for n in range(30)])
    store.close()

    def analysed() -> dict[str, bool]:
        with psycopg.connect(postgres_url, autocommit=True) as c:
            c.execute("SELECT pg_stat_force_next_flush()")
            return {r[0]: r[1] is not None for r in c.execute(
                "SELECT relname, last_analyze FROM pg_stat_user_tables WHERE relname IN ('articles', 'stories')")}

    with psycopg.connect(postgres_url, autocommit=True) as c:  # the stats of the writes, now
        c.execute("SELECT pg_stat_force_next_flush()")
    assert analysed() == {"articles": False, "stories": False}
    reopened = open_store(postgres_url)
    assert analysed() == {"articles": True, "stories": False}  # stories holds no rows
    reopened.close()
