"""Store integrity, checked and (where it can be) repaired, for ``storyline check``.

Each check reports in plain words what it looked at and what it found; ``repair`` fixes what
can be fixed without losing stored input: it deletes derived facts that cannot be trusted (an
orphaned row, an analysis whose offsets fall outside its article's body: the article is then
analysed again by the next ``storyline analyze``) and rebuilds the search index. A damaged
database file is never "repaired" here: the way back is a backup or ``sqlite3 DB .recover``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from storyline.store.sql import changes
from storyline.store.sql.connection import Connection, chunks, marks

Status = Literal["ok", "problem", "note"]

# Facts that name articles without a foreign key (their rows outlive a deleted article).
_UNLINKED = (("reuse_pairs", "source_id"), ("reuse_pairs", "derived_id"),
             ("person_aliases", "article_id"), ("person_roles", "article_id"))
# Facts whose offsets index their article's body: (table, what they are).
_SPANS = (("quotes", "quotes"), ("times", "time expressions"))


@dataclass(slots=True, frozen=True)
class Finding:
    check: str
    status: Status
    detail: str
    repaired: bool = False


def check(db: Connection, *, analyzer_version: str, repair: bool = False) -> list[Finding]:
    """Every check in turn; one that cannot run (a damaged file) is a problem, not a crash."""
    findings = [_guarded("file integrity", lambda: _integrity(db))]
    if findings[0].status == "problem":
        return findings  # the other checks would read damaged pages
    for name, run in (("foreign keys", lambda: _foreign_keys(db, repair)),
                      ("orphaned facts", lambda: _orphans(db, repair)),
                      ("offsets inside bodies", lambda: _offsets(db, repair)),
                      ("search index", lambda: _search(db, repair)),
                      ("analyzer versions", lambda: _versions(db, analyzer_version))):
        findings.append(_guarded(name, run))
    return findings


def _guarded(name: str, run) -> Finding:
    try:
        status, detail, repaired = run()
    except Exception as exc:  # noqa: BLE001 - a check that fails is itself the finding
        return Finding(name, "problem", f"could not be checked: {exc}")
    return Finding(name, status, detail, repaired)


def _integrity(db: Connection):
    if db.dialect != "sqlite":
        return "ok", "checked by PostgreSQL itself (page checksums, WAL)", False
    try:
        rows = [r[0] for r in db.run("PRAGMA integrity_check").fetchall()]
    except db.errors() as exc:  # damage bad enough that the check itself cannot read on
        rows = [str(exc)]
    if rows == ["ok"]:
        return "ok", "the database file is intact", False
    shown = "; ".join(rows[:3]) + (f" (and {len(rows) - 3} more)" if len(rows) > 3 else "")
    return "problem", (f"the database file is damaged: {shown}. Nothing was changed; restore a backup, "
                       f"or recover what is readable with `sqlite3 DB .recover`"), False


def _foreign_keys(db: Connection, repair: bool):
    if db.dialect != "sqlite":
        return "ok", "enforced by PostgreSQL on every write", False
    rows = db.run("PRAGMA foreign_key_check").fetchall()
    if not rows:
        return "ok", "every fact points at a stored article (or analysis)", False
    tables: dict[str, int] = {}
    for table, *_ in rows:
        tables[table] = tables.get(table, 0) + 1
    detail = ", ".join(f"{n} in {t}" for t, n in sorted(tables.items()))
    if not repair:
        return "problem", f"{len(rows)} rows point at missing rows ({detail}); --repair deletes them", False
    with db.transaction():
        for table, rowid, *_ in rows:
            db.run(f"DELETE FROM {table} WHERE rowid = ?", (rowid,))  # noqa: S608 - table names from SQLite itself
    return "ok", f"deleted {len(rows)} rows that pointed at missing rows ({detail})", True


def _orphans(db: Connection, repair: bool):
    found = {}
    for table, column in _UNLINKED:
        n = db.run(f"SELECT count(*) FROM {table} WHERE {column} NOT IN (SELECT id FROM articles)").fetchone()[0]  # noqa: S608
        if n:
            found[(table, column)] = n
    if not found:
        return "ok", "no reuse pair or person fact names a missing article", False
    detail = ", ".join(f"{n} in {t}.{c}" for (t, c), n in found.items())
    if not repair:
        return "problem", f"facts naming missing articles: {detail}; --repair deletes them", False
    with db.transaction():
        for table, column in found:
            db.run(f"DELETE FROM {table} WHERE {column} NOT IN (SELECT id FROM articles)")  # noqa: S608
    return "ok", f"deleted facts naming missing articles: {detail}", True


def _offsets(db: Connection, repair: bool):
    bad: set[str] = set()
    counts = []
    for table, what in _SPANS:
        rows = db.run(f"SELECT t.article_id, count(*) FROM {table} t JOIN articles a ON a.id = t.article_id "  # noqa: S608
                      f"WHERE t.span_start < 0 OR t.span_end < t.span_start OR t.span_end > length(a.body) "
                      f"GROUP BY t.article_id").fetchall()
        if rows:
            bad.update(r[0] for r in rows)
            counts.append(f"{sum(r[1] for r in rows)} {what}")
    if not bad:
        return "ok", "every stored quote and time expression lies inside its article's body", False
    detail = f"{' and '.join(counts)} in {len(bad)} articles point outside the article's body"
    if not repair:
        return "problem", f"{detail}; --repair deletes those analyses, and `storyline analyze` redoes them", False
    with db.transaction():
        for chunk in chunks(sorted(bad)):
            db.run(f"DELETE FROM analyses WHERE article_id IN ({marks(chunk)})", chunk)  # noqa: S608
        changes.log(db, "article", sorted(bad))  # the analyze step re-checks them
    return "ok", f"{detail}: their analyses were deleted; run `storyline analyze` to redo them", True


def _search(db: Connection, repair: bool):
    if db.dialect != "sqlite":
        return "ok", "PostgreSQL's index is kept in step by PostgreSQL", False
    try:
        db.run("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
        return "ok", "the full-text index matches the stored articles", False
    except db.errors() as exc:
        if not repair:
            return "problem", f"the full-text index is out of step with the articles ({exc}); --repair rebuilds it", False
    with db.transaction():
        db.run("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
    return "ok", "the full-text index was out of step and has been rebuilt", True


def _versions(db: Connection, current: str):
    rows = db.run("SELECT version, count(*) FROM analyses GROUP BY version ORDER BY version").fetchall()
    total = db.run("SELECT count(*) FROM articles").fetchone()[0]
    analysed = sum(n for _, n in rows)
    old = [(v, n) for v, n in rows if v != current]
    parts = []
    if old:
        parts.append(f"{sum(n for _, n in old)} analyses by older analyzer versions "
                     f"({', '.join(f'{v}: {n}' for v, n in old)})")
    if total - analysed:
        parts.append(f"{total - analysed} articles not analysed")
    if not parts:
        return "ok", f"all {analysed} analyses are by the current analyzer ({current})", False
    return "note", "; ".join(parts) + "; `storyline analyze` brings them up to date", False
