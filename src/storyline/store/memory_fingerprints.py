"""Fingerprints, LSH buckets and reuse pairs of MemoryStore (store/memory.py inherits them);
the tables live in MemoryStore's ``_t`` like every other, so one ``_writing`` snapshot covers
them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from storyline.records import ReusePair
from storyline.store.base import now_precise
from storyline.store.memory_changes import only_among
from storyline.store.memory_rows import Refused, Versioned
from storyline.store.records import Bucket, ComparedPair, FingerprintBlob, FingerprintRow


class FingerprintsMixin:
    """Methods over ``self._t.fingerprints``, ``buckets`` and ``pairs``; ``_writing``,
    ``_require_article``, ``_log`` and ``_t`` come from MemoryStore."""

    _t: Any

    def put_fingerprints(self, fingerprints: Sequence[FingerprintRow], buckets: Sequence[Bucket],
                         version: str) -> None:
        if not fingerprints:
            return
        with self._writing(f"writing the fingerprints of {len(fingerprints)} articles"):
            self._log("fingerprint", [row.fingerprint.article_id for row in fingerprints])
            for row in fingerprints:
                aid = row.fingerprint.article_id
                self._require_article(aid)
                self._t.buckets.pop(aid, None)
                self._t.candidates_done.pop(aid, None)  # new buckets: look the article up again
                self._t.fingerprints[aid] = Versioned(version, FingerprintBlob(aid, row.shingles, row.words, row.vector))
            for bucket in buckets:
                if bucket.article_id not in self._t.fingerprints:
                    raise Refused(f"a bucket of {bucket.article_id!r}, which has no fingerprint")
                self._t.buckets[bucket.article_id] = self._t.buckets.get(bucket.article_id, frozenset()) | {bucket}

    def unfingerprinted(self, version: str, *, limit: int | None = None,
                         among: Sequence[str] | None = None) -> list[str]:
        def done(aid: str) -> bool:
            found = self._t.fingerprints.get(aid)
            return found is not None and found.version == version

        return only_among([aid for aid in self._t.articles if not done(aid)], among, limit)

    def fingerprint_blobs(self, ids: Sequence[str] | None = None) -> list[FingerprintBlob]:
        order = list(self._t.articles) if ids is None else list(dict.fromkeys(ids))
        return [self._t.fingerprints[aid].value for aid in order if aid in self._t.fingerprints]

    def bucket_mates(self, article_id: str, max_bucket: int, vector_votes: int = 1) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        votes: Counter[str] = Counter()
        for mine in self._t.buckets.get(article_id, ()):
            mates = {b.article_id for bs in self._t.buckets.values() for b in bs
                     if b.article_id != article_id and (b.kind, b.band, b.bucket) == (mine.kind, mine.band, mine.bucket)}
            # A bucket this full is boilerplate every page shares, not a sign of reuse.
            if mates and len(mates) < max_bucket:
                if mine.kind == "vector":
                    votes.update(mates)
                else:
                    out.setdefault(mine.kind, set()).update(mates)
        near = {other for other, n in votes.items() if n >= vector_votes}
        if near:
            out["vector"] = near
        return out

    def bucket_neighbours(self, ids: Sequence[str], max_bucket: int | None = None) -> list[Bucket]:
        wanted = set(ids)
        touched = {(b.kind, b.band, b.bucket) for aid in wanted for b in self._t.buckets.get(aid, ())}
        if max_bucket is not None:
            sizes = Counter((b.kind, b.band, b.bucket) for bs in self._t.buckets.values() for b in bs
                            if (b.kind, b.band, b.bucket) in touched)
            touched = {key for key in touched if sizes[key] <= max_bucket}
        return [b for aid, bs in self._t.buckets.items() if aid not in wanted for b in bs
                if (b.kind, b.band, b.bucket) in touched]

    def settled_buckets(self, version: str, fingerprint_version: str) -> list[Bucket]:
        def settled(aid: str) -> bool:
            done = self._t.candidates_done.get(aid)
            return self._t.fingerprints[aid].version != fingerprint_version or (done is not None and done == version)

        return [b for aid, bs in self._t.buckets.items() if settled(aid) for b in bs]

    def put_reuse(self, pairs: Sequence[ReusePair], version: str) -> None:
        if not pairs:
            return
        with self._writing(f"writing {len(pairs)} reuse pairs"):
            self._log("pair", [aid for p in pairs for aid in (p.source_id, p.derived_id)])
            for pair in pairs:
                self._require_article(pair.source_id)
                self._require_article(pair.derived_id)
                key = ComparedPair(*sorted((pair.source_id, pair.derived_id)))
                self._t.pairs[key] = Versioned(version, pair, now_precise())

    def compared(self, version: str | None = None) -> set[ComparedPair]:
        return {key for key, c in self._t.pairs.items() if version is None or c.version == version}

    def reuse(self, *, kinds: Sequence[str] | None = None, article_id: str | None = None,
              limit: int | None = None, offset: int = 0) -> list[ReusePair]:
        chosen = [(key, c.value) for key, c in self._t.pairs.items()
                  if (kinds is None or c.value.kind in kinds) and (article_id is None or article_id in key)]
        chosen.sort(key=lambda kp: (-kp[1].coverage, kp[0].first_id, kp[0].second_id))
        end = None if limit is None else offset + limit
        return [pair for _, pair in chosen[offset:end]]

    def count_reuse(self, *, kinds: Sequence[str] | None = None, article_id: str | None = None) -> int:
        return sum(1 for key, c in self._t.pairs.items()
                   if (kinds is None or c.value.kind in kinds) and (article_id is None or article_id in key))

    def reuse_among(self, article_ids: Sequence[str]) -> list[ReusePair]:
        inside = set(article_ids)
        chosen = [(key, c.value) for key, c in self._t.pairs.items() if key.first_id in inside and key.second_id in inside]
        chosen.sort(key=lambda kp: (-kp[1].coverage, kp[0].first_id, kp[0].second_id))
        return [pair for _, pair in chosen]
