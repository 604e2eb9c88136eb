"""The story-facts part of MemoryStore (store/memory.py), kept apart to keep that module short:
analysis stamps, stored story facts, and which stories' facts may be out of date, with the
rules of store/sql/facts.py written plainly."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storyline.store.memory_changes import only_among
from storyline.store.records import AnalysisStamp, StoryFacts, ValuePairEntry


def _second(stamp: str) -> str:
    """An ISO time to the second: stories and pairs are stamped so, analyses and facts finer."""
    return stamp[:19]


class FactsMixin:
    _t: Any  # the MemoryStore's tables
    _writing: Any

    def analysis_stamps(self, ids: Sequence[str]) -> list[AnalysisStamp]:
        found = (self._t.analyses.get(aid) for aid in dict.fromkeys(ids))
        return [AnalysisStamp(v.value.article_id, v.version, v.at) for v in found if v is not None]

    def put_story_facts(self, facts: Sequence[StoryFacts], removed: Sequence[str] = ()) -> None:
        if not facts and not removed:
            return
        with self._writing(f"writing the facts of {len(facts)} stories"):
            for story_id in removed:
                self._t.facts.pop(story_id, None)
            self._log("story", removed)  # type: ignore[attr-defined]
            for row in facts:
                self._t.facts[row.story_id] = row

    def story_facts(self, story_ids: Sequence[str]) -> list[StoryFacts]:
        return [self._t.facts[sid] for sid in dict.fromkeys(story_ids) if sid in self._t.facts]

    def value_pairs(self, pairs: Sequence[tuple[str, str]], version: str) -> list[ValuePairEntry]:
        found = (self._t.value_pairs.get(tuple(p)) for p in dict.fromkeys(pairs))
        return [e for e in found if e is not None and e.version == version]

    def put_value_pairs(self, entries: Sequence[ValuePairEntry]) -> None:
        if not entries:
            return
        with self._writing(f"writing {len(entries)} value pairs"):
            for e in entries:
                self._require_article(e.first_id)  # type: ignore[attr-defined]
                self._require_article(e.second_id)  # type: ignore[attr-defined]
                self._t.value_pairs[(e.first_id, e.second_id)] = e

    def story_facts_due(self, version: str, *, limit: int | None = None,
                         among: Sequence[str] | None = None) -> list[str]:
        members: dict[str, list[str]] = {}
        for m in self._t.members.values():
            members.setdefault(m.value.story_id, []).append(m.value.article_id)
        changed: dict[str, str] = {}  # article id -> latest change of its reuse pairs
        for key, pair in self._t.pairs.items():
            for aid in key:
                changed[aid] = max(changed.get(aid, ""), _second(pair.at))

        def due(story_id: str, summary) -> bool:
            row = self._t.facts.get(story_id)
            if row is None or row.version != version:
                return True
            built = _second(row.built_at)
            times = [_second(summary.updated_at)]
            for aid in members.get(story_id, ()):
                analysed = self._t.analyses.get(aid)
                times += [_second(analysed.at) if analysed else "", changed.get(aid, "")]
            return any(t and t >= built for t in times)

        chosen = sorted((s for s in self._t.stories.items() if due(*s)), key=lambda s: (-s[1].size, s[0]))
        return only_among([sid for sid, _ in chosen], among, limit)
