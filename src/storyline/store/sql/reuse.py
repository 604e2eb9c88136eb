"""Reuse queries: fingerprints, LSH buckets and compared pairs; how a pair becomes a row and back."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from storyline.records import Change, ReusePair, SentencePair
from storyline.store.base import now_precise
from storyline.store.records import Bucket, ComparedPair, FingerprintBlob, FingerprintRow
from storyline.store.sql import changes
from storyline.store.sql.connection import Connection, chunks, marks

_PAIR_COLUMNS = (
    "first_id, second_id, source_id, derived_id, kind, direction_confidence, coverage, "
    "source_coverage, verbatim, similarity, evidence, aligned, changes, version, compared_at"
)


def put_fingerprints(db: Connection, fingerprints: Sequence[FingerprintRow], buckets: Sequence[Bucket],
                     version: str) -> None:
    if not fingerprints:
        return
    with db.writing(f"writing the fingerprints of {len(fingerprints)} articles"):
        ids = [row.fingerprint.article_id for row in fingerprints]
        changes.log(db, "fingerprint", ids)
        for chunk in chunks(ids):
            db.run(f"DELETE FROM lsh_buckets WHERE article_id IN ({marks(chunk)})", chunk)
            # New buckets, new mates: the candidates step looks these articles up again.
            db.run(f"DELETE FROM candidates_done WHERE article_id IN ({marks(chunk)})", chunk)
        db.run_many(
            "INSERT INTO fingerprints (article_id, version, shingles, words, vector) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (article_id) DO UPDATE SET version = excluded.version, shingles = excluded.shingles, "
            "words = excluded.words, vector = excluded.vector",
            [(row.fingerprint.article_id, version, row.shingles, row.words, row.vector) for row in fingerprints],
        )
        # ~90 bucket rows an article: the biggest write of linking (COPY on PostgreSQL).
        db.insert_new("lsh_buckets", ("article_id", "kind", "band", "bucket"),
                      [(b.article_id, b.kind, b.band, b.bucket) for b in buckets])


def unfingerprinted(db: Connection, version: str, *, limit: int | None = None,
                    among: Sequence[str] | None = None) -> list[str]:
    sql = ("SELECT a.id FROM articles a LEFT JOIN fingerprints f ON f.article_id = a.id "
           "WHERE (f.article_id IS NULL OR f.version <> ?)")
    return [r[0] for r in db.due(sql, "a.seq", [version], limit=limit, among=among, columns=("a.id",))]


def fingerprint_blobs(db: Connection, ids: Sequence[str] | None = None) -> list[FingerprintBlob]:
    if ids is None:
        rows = db.run(
            "SELECT f.article_id, f.shingles, f.words, f.vector FROM fingerprints f "
            "JOIN articles a ON a.id = f.article_id ORDER BY a.seq"
        ).fetchall()
    else:
        rows = db.rows_in("SELECT article_id, shingles, words, vector FROM fingerprints WHERE article_id IN", ids)
    # PostgreSQL returns memoryview for BYTEA: callers get bytes either way.
    return [FingerprintBlob(r[0], bytes(r[1]), bytes(r[2]), bytes(r[3]) if r[3] is not None else None)
            for r in rows]


def bucket_mates(db: Connection, article_id: str, max_bucket: int, vector_votes: int = 1) -> dict[str, set[str]]:
    rows = db.run(
        "SELECT b.kind, b.band, b.bucket, b.article_id FROM lsh_buckets a JOIN lsh_buckets b "
        "ON b.kind = a.kind AND b.band = a.band AND b.bucket = a.bucket "
        "WHERE a.article_id = ? AND a.kind <> 'vector' AND b.article_id <> ?",
        (article_id, article_id),
    ).fetchall()
    by_bucket: dict[tuple[str, int, int], set[str]] = {}
    for kind, band, bucket, other in rows:
        by_bucket.setdefault((kind, band, bucket), set()).add(other)
    out: dict[str, set[str]] = {}
    for (kind, _, _), members in by_bucket.items():
        # A bucket this full is boilerplate every page shares, not a sign of reuse.
        if len(members) < max_bucket:
            out.setdefault(kind, set()).update(members)
    near = _vector_mates(db, article_id, max_bucket, vector_votes)
    if near:
        out["vector"] = near
    return out


def _vector_mates(db: Connection, article_id: str, max_bucket: int, votes: int) -> set[str]:
    # The vote is counted in the database: most articles sharing one vector band with this
    # one are unrelated news (cosine 0.2-0.6), and fetching every such row was the step's
    # main cost, growing with the corpus. The bands of hot buckets are left out first (an
    # index-only count, at most max_bucket + 1 entries each). "kind NOT IN" the other two
    # kinds, not "kind = 'vector'": an equality on kind lets SQLite take the primary key's
    # index (kind first) and scan every vector row instead of the article's ~55.
    bands = [band for band, size in db.run(
        "SELECT a.band, (SELECT COUNT(*) FROM (SELECT 1 FROM lsh_buckets b WHERE b.kind = a.kind "
        "AND b.band = a.band AND b.bucket = a.bucket LIMIT ?) AS capped) FROM lsh_buckets a "
        "WHERE a.article_id = ? AND a.kind NOT IN ('shingles', 'words')", (max_bucket + 1, article_id)).fetchall()
        if size <= max_bucket]
    if not bands:
        return set()
    rows = db.run(
        "SELECT b.article_id FROM lsh_buckets a JOIN lsh_buckets b "
        "ON b.kind = a.kind AND b.band = a.band AND b.bucket = a.bucket "
        f"WHERE a.article_id = ? AND a.kind NOT IN ('shingles', 'words') AND a.band IN ({marks(bands)}) AND b.article_id <> ? "
        "GROUP BY b.article_id HAVING COUNT(*) >= ?",
        (article_id, *bands, article_id, votes)).fetchall()
    return {r[0] for r in rows}


def bucket_neighbours(db: Connection, ids: Sequence[str], max_bucket: int | None = None) -> list[Bucket]:
    rows: set[tuple] = set()
    # DISTINCT per chunk, a set over the chunks: a bucket several of the ids share comes back
    # once a chunk, and one reached from two chunks once in all.
    for chunk in chunks(ids):
        if max_bucket is None:
            found = db.run(
                "SELECT DISTINCT b.article_id, b.kind, b.band, b.bucket FROM lsh_buckets a JOIN lsh_buckets b "
                "ON b.kind = a.kind AND b.band = a.band AND b.bucket = a.bucket "
                f"WHERE a.article_id IN ({marks(chunk)}) AND b.article_id NOT IN ({marks(chunk)})",
                [*chunk, *chunk])
        else:
            # The chunk's buckets first, each sized by counting at most max_bucket + 1 of its rows
            # on the primary key: a hot bucket (a vector band of a dense store holds thousands)
            # is never read whole. Materialised, so neither planner re-counts per joined row.
            found = db.run(
                "WITH touched AS MATERIALIZED (SELECT DISTINCT kind, band, bucket FROM lsh_buckets "
                f"WHERE article_id IN ({marks(chunk)})), "
                "small AS MATERIALIZED (SELECT t.kind, t.band, t.bucket FROM touched t WHERE (SELECT COUNT(*) FROM "
                "(SELECT 1 FROM lsh_buckets c WHERE c.kind = t.kind AND c.band = t.band AND c.bucket = t.bucket "
                "LIMIT ?) AS capped) <= ?) "
                "SELECT DISTINCT b.article_id, b.kind, b.band, b.bucket FROM small s JOIN lsh_buckets b "
                "ON b.kind = s.kind AND b.band = s.band AND b.bucket = s.bucket "
                f"WHERE b.article_id NOT IN ({marks(chunk)})",
                [*chunk, max_bucket + 1, max_bucket, *chunk])
        rows.update(found.fetchall())
    wanted = set(ids)
    return [Bucket(*r) for r in rows if r[0] not in wanted]


def settled_buckets(db: Connection, version: str, fingerprint_version: str) -> list[Bucket]:
    # From the small side: the articles done (candidates_done, then their rows by article), and
    # those whose fingerprint is of another version; never a scan of every bucket row.
    done = db.run(
        "SELECT b.article_id, b.kind, b.band, b.bucket FROM candidates_done d "
        "JOIN fingerprints f ON f.article_id = d.article_id JOIN lsh_buckets b ON b.article_id = d.article_id "
        "WHERE d.version = ? AND f.version = ?", (version, fingerprint_version)).fetchall()
    stale = db.run(
        # CROSS JOIN keeps SQLite on fingerprints first (left free it scans every bucket row).
        "SELECT b.article_id, b.kind, b.band, b.bucket FROM fingerprints f "
        "CROSS JOIN lsh_buckets b WHERE b.article_id = f.article_id AND f.version <> ?",
        (fingerprint_version,)).fetchall()
    return [Bucket(*r) for r in done + stale]


def put_reuse(db: Connection, pairs: Sequence[ReusePair], version: str) -> None:
    if not pairs:
        return
    stamp = now_precise()  # compared with analyses' stamps (reuse_steps.uncompared)
    with db.writing(f"writing {len(pairs)} reuse pairs"):
        changes.log(db, "pair", [aid for p in pairs for aid in (p.source_id, p.derived_id)])
        db.run_many(
            f"INSERT INTO reuse_pairs ({_PAIR_COLUMNS}) VALUES ({marks(range(15))}) "
            "ON CONFLICT (first_id, second_id) DO UPDATE SET source_id = excluded.source_id, "
            "derived_id = excluded.derived_id, kind = excluded.kind, "
            "direction_confidence = excluded.direction_confidence, coverage = excluded.coverage, "
            "source_coverage = excluded.source_coverage, verbatim = excluded.verbatim, "
            "similarity = excluded.similarity, evidence = excluded.evidence, aligned = excluded.aligned, "
            "changes = excluded.changes, version = excluded.version, compared_at = excluded.compared_at",
            [_pair_row(p, version, stamp) for p in pairs],
        )


def compared(db: Connection, version: str | None = None) -> set[ComparedPair]:
    if version is None:
        rows = db.run("SELECT first_id, second_id FROM reuse_pairs").fetchall()
    else:
        rows = db.run("SELECT first_id, second_id FROM reuse_pairs WHERE version = ?", (version,)).fetchall()
    return {ComparedPair(r[0], r[1]) for r in rows}


def reuse(db: Connection, *, kinds: Sequence[str] | None = None, article_id: str | None = None,
          limit: int | None = None, offset: int = 0) -> list[ReusePair]:
    where, params = _reuse_filter(kinds, article_id)
    order = " ORDER BY coverage DESC, first_id, second_id"
    if limit is None and not offset:
        return [_pair_from(r) for r in db.run(f"SELECT {_PAIR_COLUMNS} FROM reuse_pairs{where}{order}", params).fetchall()]
    # A page: the keys are sorted and skipped without the rows' alignments and changes (most of
    # a row), and only the page's rows are read whole and decoded.
    keys, params = db.paged(f"SELECT first_id, second_id FROM reuse_pairs{where}{order}", params, limit, offset)
    sql = f"SELECT {_PAIR_COLUMNS} FROM reuse_pairs WHERE (first_id, second_id) IN ({keys}){order}"
    return [_pair_from(r) for r in db.run(sql, params).fetchall()]


def count_reuse(db: Connection, *, kinds: Sequence[str] | None = None, article_id: str | None = None) -> int:
    where, params = _reuse_filter(kinds, article_id)
    return int(db.run(f"SELECT COUNT(*) FROM reuse_pairs{where}", params).fetchone()[0])


def _reuse_filter(kinds: Sequence[str] | None, article_id: str | None) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if kinds is not None:
        where.append(f"kind IN ({marks(kinds)})")
        params += list(kinds)
    if article_id is not None:
        where.append("(first_id = ? OR second_id = ?)")
        params += [article_id, article_id]
    return (" WHERE " + " AND ".join(where) if where else ""), params


class DecodedPairs:
    """Decoded reuse pairs kept by one store object, keyed by their stored row's (version,
    compared_at): a story report reads every pair among its members, and decoding a pair's
    changes and aligned sentences is most of a warm story read (371 pairs, 10,000 changes,
    about 100 ms for the 92-article story of the 3k incremental benchmark). A pair compared
    again has a new stamp and is decoded afresh; at most ``limit`` pairs are kept (LRU)."""

    def __init__(self, limit: int = 4096):
        self.limit = limit
        self._pairs: OrderedDict[tuple[str, str], tuple[tuple, ReusePair]] = OrderedDict()
        self._lock = threading.Lock()  # the web server's threads may share one store

    def get(self, key: tuple[str, str], stamp: tuple) -> ReusePair | None:
        with self._lock:
            found = self._pairs.get(key)
            if found is None or found[0] != stamp:
                return None
            self._pairs.move_to_end(key)
            return found[1]

    def put(self, key: tuple[str, str], stamp: tuple, pair: ReusePair) -> None:
        with self._lock:
            self._pairs[key] = (stamp, pair)
            self._pairs.move_to_end(key)
            while len(self._pairs) > self.limit:
                self._pairs.popitem(last=False)


def reuse_among(db: Connection, article_ids: Sequence[str], cache: DecodedPairs | None = None) -> list[ReusePair]:
    # A pair is stored once with first_id < second_id, so the pairs among the ids are those whose
    # first_id is one of them and whose second_id is too: checked before the row is decoded
    # (decoding the aligned sentences and changes is what a pair costs). With a cache, the keys
    # and stamps are read first and only the pairs not decoded yet are read whole.
    inside = set(article_ids)
    pairs: list[ReusePair] = []
    wanted = sorted(inside)
    if cache is not None:
        missing = set()
        for first, second, version, stamp in db.rows_in(
                "SELECT first_id, second_id, version, compared_at FROM reuse_pairs WHERE first_id IN", wanted):
            if second in inside:
                found = cache.get((first, second), (version, stamp))
                if found is None:
                    missing.add(first)
                else:
                    pairs.append(found)
        wanted = sorted(missing)
        known = {(min(p.source_id, p.derived_id), max(p.source_id, p.derived_id)) for p in pairs}
    rows = db.rows_in(f"SELECT {_PAIR_COLUMNS} FROM reuse_pairs WHERE first_id IN", wanted) if wanted else []
    for r in rows:
        if r[0] in inside and r[1] in inside and (cache is None or (r[0], r[1]) not in known):
            pair = _pair_from(r)
            pairs.append(pair)
            if cache is not None:
                cache.put((r[0], r[1]), (r[13], r[14]), pair)
    pairs.sort(key=lambda p: (-p.coverage, *sorted((p.source_id, p.derived_id))))
    return pairs


def _pair_row(p: ReusePair, version: str, stamp: str) -> tuple:
    first, second = sorted((p.source_id, p.derived_id))
    return (
        first, second, p.source_id, p.derived_id, p.kind, p.direction_confidence, p.coverage,
        p.source_coverage, p.verbatim, p.similarity, json.dumps(list(p.evidence)),
        json.dumps([[*s.source_span, *s.derived_span, s.score, s.verbatim] for s in p.aligned]),
        json.dumps([_change_json(c) for c in p.changes], ensure_ascii=False), version, stamp,
    )


def _change_json(c: Change) -> dict:
    return {"type": c.type, "source_text": c.source_text, "derived_text": c.derived_text,
            "source_span": list(c.source_span) if c.source_span else None,
            "derived_span": list(c.derived_span) if c.derived_span else None, "subject": c.subject,
            "kind": c.kind, "severity": c.severity}


def _pair_from(r: Sequence[Any]) -> ReusePair:
    changes = tuple(
        Change(c["type"], c["source_text"], c["derived_text"],
               tuple(c["source_span"]) if c["source_span"] else None,
               tuple(c["derived_span"]) if c["derived_span"] else None, c.get("subject"),
               c.get("kind") or "", c.get("severity") or "")
        for c in json.loads(r[12])
    )
    aligned = tuple(SentencePair((a[0], a[1]), (a[2], a[3]), a[4], a[5]) for a in json.loads(r[11]))
    return ReusePair(
        source_id=r[2], derived_id=r[3], kind=r[4], direction_confidence=float(r[5]), coverage=float(r[6]),
        changes=changes, source_coverage=float(r[7]), verbatim=float(r[8]), similarity=float(r[9]),
        evidence=tuple(json.loads(r[10])), aligned=aligned,
    )
