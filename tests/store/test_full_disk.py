"""A full disk mid-ingest: the failing batch is rolled back, earlier batches kept, the store sound.

SQLite's max_page_count makes the database file "full" at a chosen size, which raises the same
SQLITE_FULL error a full disk does, without filling a real disk.
"""

from __future__ import annotations

import pytest
from helpers import write_text_articles

from storyline.desk import Desk, IngestAborted
from storyline.store import open_store


def test_full_disk_keeps_committed_batches_and_resumes(tmp_path):
    write_text_articles(tmp_path / "in", 400)
    db = tmp_path / "full.db"
    store = open_store(db)
    pages = store.db.run("PRAGMA page_count").fetchone()[0]
    store.db.run(f"PRAGMA max_page_count = {pages + 40}")
    with pytest.raises(IngestAborted, match="full") as caught:
        Desk(store).ingest([tmp_path / "in"], batch_size=20)
    store.close()
    kept = caught.value.report.added
    assert 0 < len(kept) < 400 and len(kept) % 20 == 0

    with Desk(open_store(db)) as desk:
        assert desk.store.db.run("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert [a.id for a in desk.articles()] == kept
        resumed = desk.ingest([tmp_path / "in"], batch_size=20)
        assert len(resumed.added) == 400 - len(kept) and sorted(resumed.present) == sorted(kept)
        assert desk.store.count() == 400
