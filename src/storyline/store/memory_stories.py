"""The MemoryStore's incremental-clustering reads (a mixin, to keep store/memory.py short):
the articles still to cluster and the clusterer's checkpoint (the entities of some articles are
read by store/memory_people.py's ``entities_of``).
Each rule is the one the SQL stores apply (store/sql/stories.py, store/sql/analysis.py)."""

from __future__ import annotations

from collections.abc import Sequence

from storyline.store.memory_changes import only_among
from storyline.store.records import StoryCheckpoint


class MemoryStoryReads:
    """Mixed into MemoryStore, whose tables (``self._t``) it reads."""

    def story_checkpoint_token(self) -> tuple[str, str] | None:
        header = self._t.checkpoint.get(1)
        return None if header is None else (header.version, header.token)

    def story_checkpoint(self) -> StoryCheckpoint | None:
        header = self._t.checkpoint.get(1)
        if header is None:
            return None
        return header._replace(parts=tuple(self._t.checkpoint_parts[k] for k in sorted(self._t.checkpoint_parts)))

    def unclustered(self, version: str, *, limit: int | None = None,
                     among: Sequence[str] | None = None) -> list[str]:
        members = self._t.members
        due = [aid for aid in self._t.articles if aid not in members or members[aid].version != version]
        return only_among(due, among, limit)
