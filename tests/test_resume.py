"""A killed ingest loses nothing and duplicates nothing once it is run again.

Run with --no-analyze: this is about the articles' transactions, and analysing 3,000 articles
with the real extractors would take most of the test's time. A killed analysis run is tested in
test_desk_analysis.py, and a re-ingest that analyses what a killed run left unanalysed there too.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from helpers import run_cli, write_text_articles

from storyline.store import StoreError, open_store

TOTAL = 3000


def _count(store_url: str) -> int:
    try:
        store = open_store(store_url)
    except StoreError:
        return 0  # not created yet
    try:
        return store.count()
    finally:
        store.close()


def test_kill_mid_ingest_then_resume(store_url, tmp_path):
    write_text_articles(tmp_path / "in", TOTAL)
    env = {k: v for k, v in os.environ.items() if k != "STORYLINE_DB"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "storyline", "ingest", str(tmp_path / "in"), "--db", store_url,
         "--batch-size", "25", "--no-analyze"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )
    deadline = time.monotonic() + 120
    try:
        while _count(store_url) < 100:
            assert proc.poll() is None, "ingest finished before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    kept = _count(store_url)
    assert 100 <= kept < TOTAL  # killed mid-way, committed batches kept
    assert kept % 25 == 0  # whole batches only: no half-written transaction

    done = run_cli("ingest", str(tmp_path / "in"), "--db", store_url, "--json", "--no-analyze")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(report["added"]) == TOTAL - kept
    assert len(report["present"]) == kept

    store = open_store(store_url)
    try:
        articles = store.articles()
        assert len(articles) == TOTAL
        assert len({a.id for a in articles}) == TOTAL
        assert {a.title for a in articles} == {f"Council report number {i} published" for i in range(TOTAL)}
        if not store_url.startswith("postgresql://"):
            assert store.db.run("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        store.close()
