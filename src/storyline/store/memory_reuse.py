"""The reuse steps' part of MemoryStore (store/memory.py inherits it): stored sentence vectors,
candidate pairs and which articles had their candidates looked up. Kept apart so memory.py
stays readable; the tables live in MemoryStore's ``_t`` like every other, so one ``_writing``
snapshot covers them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storyline.store.memory_changes import only_among
from storyline.store.records import CandidatePair, ComparedPair, SentenceVectors


class ReuseStepsMixin:
    """Methods over ``self._t.sentence_vectors`` ({id: (version, SentenceVectors)}),
    ``self._t.candidates`` ({ComparedPair: found_by}) and ``self._t.candidates_done``
    ({id: version}); ``_writing``, ``_require_article`` and ``_t`` come from MemoryStore."""

    _t: Any

    def put_sentence_vectors(self, vectors: dict[str, SentenceVectors], version: str) -> None:
        if not vectors:
            return
        with self._writing(f"writing the sentence vectors of {len(vectors)} articles"):  # type: ignore[attr-defined]
            for aid, sv in vectors.items():
                self._require_article(aid)  # type: ignore[attr-defined]
                # Stored as the SQL stores keep it (float16), so every backend reads back alike.
                self._t.sentence_vectors[aid] = (version, sv.encode())

    def sentence_vectors(self, ids: Sequence[str], version: str | None = None) -> dict[str, SentenceVectors]:
        found = {aid: self._t.sentence_vectors.get(aid) for aid in dict.fromkeys(ids)}
        return {aid: SentenceVectors.decode(*blobs) for aid, (v, blobs) in
                ((a, f) for a, f in found.items() if f is not None) if version is None or v == version}

    def unembedded(self, version: str, *, limit: int | None = None,
                    among: Sequence[str] | None = None) -> list[str]:
        due = [aid for aid in self._t.articles
               if self._t.sentence_vectors.get(aid, (None,))[0] != version]
        return only_among(due, among, limit)

    def candidates_due(self, version: str, fingerprint_version: str, *, limit: int | None = None,
                        among: Sequence[str] | None = None) -> list[str]:
        due = [aid for aid in self._t.articles
               if aid in self._t.fingerprints and self._t.fingerprints[aid].version == fingerprint_version
               and self._t.candidates_done.get(aid) != version]
        return only_among(due, among, limit)

    def put_candidates(self, pairs: Sequence[CandidatePair], done: Sequence[str], version: str) -> None:
        if not pairs and not done:
            return
        with self._writing(f"writing {len(pairs)} candidate pairs of {len(done)} articles"):  # type: ignore[attr-defined]
            self._log("candidate", [aid for p in pairs for aid in (p.first_id, p.second_id)])  # type: ignore[attr-defined]
            for pair in pairs:
                self._require_article(pair.first_id)  # type: ignore[attr-defined]
                self._require_article(pair.second_id)  # type: ignore[attr-defined]
                self._t.candidates.setdefault(ComparedPair(*sorted((pair.first_id, pair.second_id))), pair.found_by)
            for aid in done:
                self._require_article(aid)  # type: ignore[attr-defined]
                self._t.candidates_done[aid] = version

    def candidates(self, article_id: str) -> list[CandidatePair]:
        return [CandidatePair(*key, found_by) for key, found_by in sorted(self._t.candidates.items())
                if article_id in key]

    def uncompared(self, version: str, *, limit: int | None = None,
                    among: Sequence[str] | None = None) -> list[ComparedPair]:
        def analysed_since(key: ComparedPair) -> bool:
            at = self._t.pairs[key].at
            return any((a := self._t.analyses.get(aid)) is not None and a.at > at for aid in key)

        due = [key for key in sorted(self._t.candidates)
               if key not in self._t.pairs or self._t.pairs[key].version != version or analysed_since(key)]
        return only_among(due, among, limit, pairs=True)
