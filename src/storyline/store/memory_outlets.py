"""The outlet page's reading for MemoryStore (store/memory.py), written plainly: the reference
the SQL version (store/sql/outlets.py) is contract-tested against."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from storyline.store.records import OutletDetail, OutletStory, sort_reuse


class OutletsMixin:
    _t: Any  # the MemoryStore's tables

    def outlet_detail(self, outlet: str, reuse_kinds: Sequence[str], *, stories: int = 50,
                      latest: int = 20) -> OutletDetail | None:
        arts = self._t.articles
        mine = [(seq, a) for seq, a in enumerate(arts.values()) if a.outlet == outlet]
        seen = [(seq, g) for seq, g in enumerate(self._t.sightings.values()) if g.outlet == outlet]
        if not mine and not seen:
            return None
        days: dict[str, int] = {}
        for _, a in mine:
            if a.published is not None:
                days[a.published[:10]] = days.get(a.published[:10], 0) + 1
        reuse: dict[str, list[int]] = {}
        for v in self._t.pairs.values():
            p = v.value
            src, der = arts[p.source_id].outlet, arts[p.derived_id].outlet
            if p.kind not in reuse_kinds or not src or not der or src == der or outlet not in (src, der):
                continue
            if der == outlet:
                reuse.setdefault(src, [0, 0])[0] += 1
            else:
                reuse.setdefault(der, [0, 0])[1] += 1
        return OutletDetail(outlet, len(mine), sorted(days.items()), sort_reuse(reuse),
                            self._outlet_stories(outlet, stories), _newest(mine, latest), len(seen),
                            tuple(g for _, g in _latest_first(seen)[:latest]))

    def _outlet_stories(self, outlet: str, limit: int) -> list[OutletStory]:
        firsts: dict[str, dict[str, str | None]] = {}  # story -> outlet -> first day
        counts: dict[str, int] = {}
        ran: dict[str, list] = {}  # article id -> its sightings (the outlets that also ran it)
        for g in self._t.sightings.values():
            ran.setdefault(g.article_id, []).append(g)
        for member in self._t.members.values():
            a = self._t.articles[member.value.article_id]
            sid = member.value.story_id
            if sid not in self._t.stories:
                continue
            for who in (a, *ran.get(a.id, ())):
                if not who.outlet:
                    continue
                day = who.published[:10] if who.published is not None else None
                seen = firsts.setdefault(sid, {})
                old = seen.get(who.outlet)
                seen[who.outlet] = day if old is None else (old if day is None else min(old, day))
                if who.outlet == outlet:
                    counts[sid] = counts.get(sid, 0) + 1
        out = []
        for sid, n in counts.items():
            days = firsts[sid]
            first = days[outlet]
            dated = [d for d in days.values() if d is not None]
            rank = 1 + sum(d < first for d in dated) if first is not None else None
            out.append(OutletStory(sid, self._t.stories[sid].story.label, n, first, min(dated, default=None),
                                   rank, len(days)))
        out.sort(key=lambda s: s.story_id)
        out.sort(key=lambda s: s.first_day or "", reverse=True)
        out.sort(key=lambda s: s.first_day is None)
        return out[:limit]


def _newest(mine: list, limit: int) -> list:
    """The outlet's articles, latest publication first (undated last, then latest stored first)."""
    return [dataclasses.replace(a, raw=None, raw_type=None) for _, a in _latest_first(mine)[:limit]]


def _latest_first(rows: list) -> list:
    """(seq, record) rows, latest publication first (undated last, then latest stored first)."""
    ordered = sorted(rows, key=lambda x: -x[0])
    ordered.sort(key=lambda x: x[1].published or "", reverse=True)
    ordered.sort(key=lambda x: x[1].published is None)
    return ordered
