"""Store queries for reuse: fingerprints, LSH buckets and compared pairs (both backends).

A mixin of SQLStore, kept apart so the article and analysis queries stay readable."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from storyline.records import Change, Fingerprint, ReusePair, SentencePair

_PAIR_COLUMNS = (
    "first_id, second_id, source_id, derived_id, kind, direction_confidence, coverage, "
    "source_coverage, verbatim, similarity, evidence, aligned, changes, version, compared_at"
)
_IDS_PER_QUERY = 500


class ReuseQueries:
    """Needs SQLStore's _run, _run_many, _writing and _paged."""

    def put_fingerprints(
        self, fingerprints: Sequence[tuple[Fingerprint, bytes, bytes, bytes | None]],
        buckets: Sequence[tuple[str, str, int, int]], version: str,
    ) -> None:
        """Replace the fingerprints (record plus its encoded blobs: shingles, words, vector) and
        the LSH buckets ((article_id, kind, band, bucket)) of some articles, in one transaction."""
        if not fingerprints:
            return
        with self._writing(f"writing the fingerprints of {len(fingerprints)} articles"):
            for fp, shingles, words, vector in fingerprints:
                self._run("DELETE FROM lsh_buckets WHERE article_id = ?", (fp.article_id,))
                self._run(
                    "INSERT INTO fingerprints (article_id, version, shingles, words, vector) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (article_id) DO UPDATE SET version = excluded.version, shingles = excluded.shingles, "
                    "words = excluded.words, vector = excluded.vector",
                    (fp.article_id, version, shingles, words, vector),
                )
            self._run_many(
                "INSERT INTO lsh_buckets (article_id, kind, band, bucket) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                list(buckets),
            )

    def unfingerprinted(self, version: str, *, limit: int | None = None) -> list[str]:
        sql = ("SELECT a.id FROM articles a LEFT JOIN fingerprints f ON f.article_id = a.id "
               "WHERE f.article_id IS NULL OR f.version <> ? ORDER BY a.seq")
        sql, params = self._paged(sql, [version], limit, 0)
        return [row[0] for row in self._run(sql, params).fetchall()]

    def fingerprint_blobs(self, ids: Sequence[str] | None = None) -> list[tuple[str, bytes, bytes, bytes | None]]:
        """(article_id, shingles, words, vector) for the given articles, or for all in corpus order."""
        if ids is None:
            rows = self._run(
                "SELECT f.article_id, f.shingles, f.words, f.vector FROM fingerprints f "
                "JOIN articles a ON a.id = f.article_id ORDER BY a.seq"
            ).fetchall()
        else:
            rows = []
            unique = list(dict.fromkeys(ids))
            for i in range(0, len(unique), _IDS_PER_QUERY):
                chunk = unique[i : i + _IDS_PER_QUERY]
                rows += self._run(
                    "SELECT article_id, shingles, words, vector FROM fingerprints "
                    f"WHERE article_id IN ({', '.join('?' * len(chunk))})", chunk,
                ).fetchall()
        return [(r[0], bytes(r[1]), bytes(r[2]), bytes(r[3]) if r[3] is not None else None) for r in rows]

    def bucket_mates(self, article_id: str, max_bucket: int) -> dict[str, set[str]]:
        """Articles sharing an LSH bucket with ``article_id``, by kind. Buckets with more than
        ``max_bucket`` members (boilerplate every page shares) are skipped."""
        rows = self._run(
            "SELECT b.kind, b.band, b.bucket, b.article_id FROM lsh_buckets a JOIN lsh_buckets b "
            "ON b.kind = a.kind AND b.band = a.band AND b.bucket = a.bucket "
            "WHERE a.article_id = ? AND b.article_id <> ?",
            (article_id, article_id),
        ).fetchall()
        by_bucket: dict[tuple[str, int, int], set[str]] = {}
        for kind, band, bucket, other in rows:
            by_bucket.setdefault((kind, band, bucket), set()).add(other)
        out: dict[str, set[str]] = {}
        for (kind, _, _), members in by_bucket.items():
            if len(members) < max_bucket:
                out.setdefault(kind, set()).update(members)
        return out

    def put_reuse(self, pairs: Sequence[ReusePair], version: str) -> None:
        """Insert or replace compared pairs (keyed by the unordered pair), in one transaction."""
        if not pairs:
            return
        from storyline.store.sql import _now

        now = _now()
        with self._writing(f"writing {len(pairs)} reuse pairs"):
            self._run_many(
                f"INSERT INTO reuse_pairs ({_PAIR_COLUMNS}) VALUES ({', '.join('?' * 15)}) "
                "ON CONFLICT (first_id, second_id) DO UPDATE SET source_id = excluded.source_id, "
                "derived_id = excluded.derived_id, kind = excluded.kind, "
                "direction_confidence = excluded.direction_confidence, coverage = excluded.coverage, "
                "source_coverage = excluded.source_coverage, verbatim = excluded.verbatim, "
                "similarity = excluded.similarity, evidence = excluded.evidence, aligned = excluded.aligned, "
                "changes = excluded.changes, version = excluded.version, compared_at = excluded.compared_at",
                [_pair_row(p, version, now) for p in pairs],
            )

    def compared(self, version: str | None = None) -> set[tuple[str, str]]:
        """(first_id, second_id) of every pair compared by this version, or by any."""
        if version is None:
            rows = self._run("SELECT first_id, second_id FROM reuse_pairs").fetchall()
        else:
            rows = self._run("SELECT first_id, second_id FROM reuse_pairs WHERE version = ?", (version,)).fetchall()
        return {(r[0], r[1]) for r in rows}

    def reuse(self, *, kinds: Sequence[str] | None = None, article_id: str | None = None) -> list[ReusePair]:
        sql = f"SELECT {_PAIR_COLUMNS} FROM reuse_pairs"
        where: list[str] = []
        params: list[Any] = []
        if kinds is not None:
            where.append(f"kind IN ({', '.join('?' * len(kinds))})")
            params += list(kinds)
        if article_id is not None:
            where.append("(first_id = ? OR second_id = ?)")
            params += [article_id, article_id]
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self._run(sql + " ORDER BY coverage DESC, first_id, second_id", params).fetchall()
        return [_pair_from(r) for r in rows]


def _pair_row(p: ReusePair, version: str, now: str) -> tuple:
    first, second = sorted((p.source_id, p.derived_id))
    return (
        first, second, p.source_id, p.derived_id, p.kind, p.direction_confidence, p.coverage,
        p.source_coverage, p.verbatim, p.similarity, json.dumps(list(p.evidence)),
        json.dumps([[*s.source_span, *s.derived_span, s.score, s.verbatim] for s in p.aligned]),
        json.dumps([_change_json(c) for c in p.changes], ensure_ascii=False), version, now,
    )


def _change_json(c: Change) -> dict:
    return {"type": c.type, "source_text": c.source_text, "derived_text": c.derived_text,
            "source_span": list(c.source_span) if c.source_span else None,
            "derived_span": list(c.derived_span) if c.derived_span else None, "subject": c.subject}


def _pair_from(r: Sequence[Any]) -> ReusePair:
    changes = tuple(
        Change(c["type"], c["source_text"], c["derived_text"],
               tuple(c["source_span"]) if c["source_span"] else None,
               tuple(c["derived_span"]) if c["derived_span"] else None, c.get("subject"))
        for c in json.loads(r[12])
    )
    aligned = tuple(SentencePair((a[0], a[1]), (a[2], a[3]), a[4], a[5]) for a in json.loads(r[11]))
    return ReusePair(
        source_id=r[2], derived_id=r[3], kind=r[4], direction_confidence=float(r[5]), coverage=float(r[6]),
        changes=changes, source_coverage=float(r[7]), verbatim=float(r[8]), similarity=float(r[9]),
        evidence=tuple(json.loads(r[10])), aligned=aligned,
    )
