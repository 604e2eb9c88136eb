"""Union-find over the entities being merged, with the guard that keeps two people apart."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from storyline.link.people.names import PersonName, first_name_relation


class Clusters:
    """Union-find over member positions that remembers why each merge was made.

    For people it also keeps, per cluster, the articles, spelled-out first names and suffixes
    of its members, and refuses a merge that would join two in-article-distinct entities or two
    incompatible full names: that is the guard against chaining "Keir Starmer" and "Victoria
    Starmer" through some third entity.
    """

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))
        self.size = [1] * size
        self.reasons: dict[int, list[str]] = defaultdict(list)
        self.articles: dict[int, set[str]] = {}
        self.firsts: dict[int, set[str]] = {}
        self.suffixes: dict[int, set[str]] = {}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def track_person(self, i: int, article_id: str, name: PersonName | None) -> None:
        self.articles[i] = {article_id}
        full = name is not None and name.kind == "full"
        self.firsts[i] = {name.first} if full else set()
        self.suffixes[i] = {name.suffix} if full else set()

    def conflict(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb or ra not in self.articles:
            return False
        if not self.articles[ra].isdisjoint(self.articles[rb]):
            return True
        if self.suffixes[ra] and self.suffixes[rb] and self.suffixes[ra] != self.suffixes[rb]:
            return True
        return any(first_name_relation(x, y) == "different"
                   for x in self.firsts[ra] for y in self.firsts[rb])

    def union(self, a: int, b: int, reason: str | None = None, *, guarded: bool = True) -> bool:
        """Merge the clusters of ``a`` and ``b``; False when the guard refuses (or already one)."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb or (guarded and self.conflict(ra, rb)):
            return False
        if self.size[ra] < self.size[rb]:  # union by size keeps the trees shallow
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        self.reasons[ra].extend(self.reasons.pop(rb, []))
        if reason:
            self.reasons[ra].append(reason)
        for table in (self.articles, self.firsts, self.suffixes):
            if rb in table:
                table[ra] |= table.pop(rb)
        return True

    def groups(self, indices: Iterable[int]) -> dict[int, list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for i in indices:
            out[self.find(i)].append(i)
        return out
