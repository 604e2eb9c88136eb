"""Correction queries (migration 015): corrections with who/when/why, their lookup keys, and
the story memberships of some articles (what applying a story correction reads)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from storyline.store.records import Correction, Membership
from storyline.store.sql.connection import Connection

_COLUMNS = "id, kind, targets, payload, author, reason, created_at, undone_at, undone_by"


def add_correction(db: Connection, c: Correction) -> Correction:
    with db.writing(f"writing a {c.kind} correction"):
        row = db.run(
            "INSERT INTO corrections (kind, targets, payload, author, reason, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (c.kind, json.dumps(list(c.targets)), json.dumps(c.payload, ensure_ascii=False, sort_keys=True),
             c.author, c.reason, c.created_at)).fetchone()
        cid = int(row[0])
        db.run_many("INSERT INTO correction_keys (key, correction_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    [(k, cid) for k in dict.fromkeys(c.keys)])
    return c._replace(id=cid, undone_at=None, undone_by=None)


def corrections(db: Connection, *, limit: int | None, offset: int, active: bool | None) -> list[Correction]:
    where = "" if active is None else (" WHERE undone_at IS NULL" if active else " WHERE undone_at IS NOT NULL")
    sql, params = db.paged(f"SELECT {_COLUMNS} FROM corrections{where} ORDER BY id DESC", [], limit, offset)
    return _with_keys(db, db.run(sql, params).fetchall())


def correction(db: Connection, cid: int) -> Correction | None:
    rows = db.run(f"SELECT {_COLUMNS} FROM corrections WHERE id = ?", (cid,)).fetchall()
    found = _with_keys(db, rows)
    return found[0] if found else None


def undo_correction(db: Connection, cid: int, undone_at: str, undone_by: str) -> bool:
    with db.writing(f"undoing correction {cid}"):
        cur = db.run("UPDATE corrections SET undone_at = ?, undone_by = ? WHERE id = ? AND undone_at IS NULL",
                     (undone_at, undone_by, cid))
        return cur.rowcount == 1


def corrections_by_keys(db: Connection, keys: Sequence[str]) -> list[Correction]:
    ids = sorted({int(r[0]) for r in db.rows_in("SELECT correction_id FROM correction_keys WHERE key IN",
                                                 sorted(set(keys)))})
    rows = db.rows_in(f"SELECT {_COLUMNS} FROM corrections WHERE undone_at IS NULL AND id IN", ids)
    return sorted(_with_keys(db, rows), key=lambda c: c.id)


def correction_keys(db: Connection, prefix: str) -> list[str]:
    rows = db.run("SELECT DISTINCT k.key FROM correction_keys k JOIN corrections c ON c.id = k.correction_id "
                  "WHERE c.undone_at IS NULL AND substr(k.key, 1, ?) = ? ORDER BY k.key", (len(prefix), prefix))
    return [r[0] for r in rows.fetchall()]


def memberships_of(db: Connection, article_ids: Sequence[str]) -> list[Membership]:
    rows = db.rows_in("SELECT article_id, story_id, seq FROM story_members WHERE article_id IN",
                      sorted(set(article_ids)))
    return sorted((Membership(r[0], r[1], int(r[2])) for r in rows), key=lambda m: m.seq)


def _with_keys(db: Connection, rows: Sequence[tuple]) -> list[Correction]:
    keys: dict[int, list[str]] = {}
    for key, cid in db.rows_in("SELECT key, correction_id FROM correction_keys WHERE correction_id IN",
                               [int(r[0]) for r in rows], " ORDER BY key"):
        keys.setdefault(int(cid), []).append(key)
    return [Correction(int(r[0]), r[1], tuple(json.loads(r[2])), json.loads(r[3]), r[4], r[5], r[6], r[7], r[8],
                       tuple(keys.get(int(r[0]), ()))) for r in rows]
