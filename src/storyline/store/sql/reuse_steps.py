"""Queries of the resumable reuse steps: stored sentence vectors, candidate pairs, and which
articles and pairs are still due (see store/schema/007_reuse_steps.sql)."""

from __future__ import annotations

from collections.abc import Sequence

from storyline.store.records import CandidatePair, ComparedPair, SentenceVectors
from storyline.store.sql import changes
from storyline.store.sql.connection import Connection


def put_sentence_vectors(db: Connection, vectors: dict[str, SentenceVectors], version: str) -> None:
    if not vectors:
        return
    rows = [(aid, version, *sv.encode()) for aid, sv in vectors.items()]
    with db.writing(f"writing the sentence vectors of {len(rows)} articles"):
        db.run_many(
            "INSERT INTO sentence_vectors (article_id, version, spans, vectors) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (article_id) DO UPDATE SET version = excluded.version, spans = excluded.spans, "
            "vectors = excluded.vectors",
            rows,
        )


def sentence_vectors(db: Connection, ids: Sequence[str], version: str | None = None) -> dict[str, SentenceVectors]:
    rows = db.rows_in("SELECT article_id, version, spans, vectors FROM sentence_vectors WHERE article_id IN", ids)
    # PostgreSQL returns memoryview for BYTEA: bytes() makes both backends alike.
    return {r[0]: SentenceVectors.decode(bytes(r[2]), bytes(r[3])) for r in rows
            if version is None or r[1] == version}


def unembedded(db: Connection, version: str, *, limit: int | None = None,
               among: Sequence[str] | None = None) -> list[str]:
    sql = ("SELECT a.id FROM articles a LEFT JOIN sentence_vectors v ON v.article_id = a.id "
           "WHERE (v.article_id IS NULL OR v.version <> ?)")
    return [r[0] for r in db.due(sql, "a.seq", [version], limit=limit, among=among, columns=("a.id",))]


def candidates_due(db: Connection, version: str, fingerprint_version: str, *,
                   limit: int | None = None, among: Sequence[str] | None = None) -> list[str]:
    # CROSS JOIN keeps SQLite's planner on articles first: left free, it starts from the index on
    # fingerprints.version (all of them) even when a handful of ids is asked for (``among``).
    sql = ("SELECT a.id FROM articles a CROSS JOIN fingerprints f "
           "LEFT JOIN candidates_done d ON d.article_id = a.id "
           "WHERE (f.article_id = a.id AND f.version = ? AND (d.article_id IS NULL OR d.version <> ?))")
    return [r[0] for r in db.due(sql, "a.seq", [fingerprint_version, version], limit=limit, among=among,
                                 columns=("a.id",))]


def put_candidates(db: Connection, pairs: Sequence[CandidatePair], done: Sequence[str], version: str) -> None:
    if not pairs and not done:
        return
    with db.writing(f"writing {len(pairs)} candidate pairs of {len(done)} articles"):
        changes.log(db, "candidate", [aid for p in pairs for aid in (p.first_id, p.second_id)])
        db.insert_new("reuse_candidates", ("first_id", "second_id", "found_by"),
                      [(*sorted((p.first_id, p.second_id)), p.found_by) for p in pairs])
        db.run_many(
            "INSERT INTO candidates_done (article_id, version) VALUES (?, ?) "
            "ON CONFLICT (article_id) DO UPDATE SET version = excluded.version",
            [(aid, version) for aid in done],
        )


def candidates(db: Connection, article_id: str) -> list[CandidatePair]:
    rows = db.run(
        "SELECT first_id, second_id, found_by FROM reuse_candidates WHERE first_id = ? OR second_id = ? "
        "ORDER BY first_id, second_id",
        (article_id, article_id),
    ).fetchall()
    return [CandidatePair(*r) for r in rows]


def uncompared(db: Connection, version: str, *, limit: int | None = None,
               among: Sequence[str] | None = None) -> list[ComparedPair]:
    # A pair is due when it was never compared by this version, or when one of its articles was
    # analysed again after the comparison (the changes it reports read the analyses). Both
    # stamps are microsecond ISO times of one format, so text order is time order.
    sql = ("SELECT c.first_id, c.second_id FROM reuse_candidates c LEFT JOIN reuse_pairs r "
           "ON r.first_id = c.first_id AND r.second_id = c.second_id "
           "LEFT JOIN analyses a1 ON a1.article_id = c.first_id "
           "LEFT JOIN analyses a2 ON a2.article_id = c.second_id "
           "WHERE (r.first_id IS NULL OR r.version <> ? OR a1.analysed_at > r.compared_at "
           "OR a2.analysed_at > r.compared_at)")
    # ``among``: article ids; the due pairs with either article among them.
    rows = db.due(sql, "c.first_id, c.second_id", [version], limit=limit, among=among,
                  columns=("c.first_id", "c.second_id"))
    return [ComparedPair(*row) for row in rows]
