"""The people part of :class:`~storyline.store.memory.MemoryStore`: stored identities, their
members, alias and role sources, the name-key index and the people step's progress, as plainly
as Python allows (the reference for store/sql/people.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from storyline.records import Identity
from storyline.store.memory_changes import only_among
from storyline.store.records import ArticleEntity, MentionCounts, PersonRedirect, PersonSources, PersonSummary, PersonTallies, StoredPerson


@dataclass(slots=True, frozen=True)
class PersonRow:
    """One stored identity; ``merged_into`` "" marks one that lost all its members."""

    person: StoredPerson
    created_at: str
    updated_at: str
    merged_into: str | None = None


class PeopleMixin:
    """Store methods over ``self._t.persons`` (id -> PersonRow), ``self._t.person_of``
    ((article id, entity id) -> person id), ``self._t.person_keys`` (name key -> ids) and
    ``self._t.people_done`` (article id -> (version, analysed_at)), ``self._t.person_surnames``
    (article id -> the surname keys it mentions) and ``self._t.place_words`` (article id -> its
    place words: link/people/places.py; a person is out of the lists by them at read time here,
    where the SQL stores keep a mark refreshed on write)."""

    _t: Any

    def entities_of(self, article_ids: Sequence[str], type: str | None = None, *,  # noqa: A002
                    mentions: bool = True) -> list[ArticleEntity]:
        wanted = set(article_ids)
        return [ArticleEntity(aid, e if mentions else replace(e, mentions=())) for aid in self._t.articles
                if aid in wanted and aid in self._t.analyses
                for e in self._t.analyses[aid].value.entities if type is None or e.type == type]

    def people_due(self, version: str, *, limit: int | None = None,
                    among: Sequence[str] | None = None) -> list[str]:
        def done(aid: str) -> bool:
            return self._t.people_done.get(aid) == (version, self._t.analyses[aid].at)

        due = [aid for aid in self._t.articles if aid in self._t.analyses and not done(aid)]
        return only_among(due, among, limit)

    def put_people(self, persons: Sequence[StoredPerson], redirects: Sequence[PersonRedirect],
                   done: Sequence[str], version: str, updated_at: str,
                   surnames: Mapping[str, Sequence[str]] | None = None,
                   grown: Sequence[StoredPerson] = (), places: Mapping[str, Sequence[str]] | None = None) -> None:
        t = self._t
        with self._writing(f"writing {len(persons)} people"):  # type: ignore[attr-defined]
            self._set_surnames(done, surnames or {})
            if places is not None:
                self._set_places(done, places)
            for pid in [p.id for p in persons] + [r.old_id for r in redirects]:
                self._drop_person_rows(pid)
            done_set = set(done)
            t.person_of = {k: v for k, v in t.person_of.items() if k[0] not in done_set}
            for p in persons:
                for m in p.members:
                    self._require_article(m.article_id)  # type: ignore[attr-defined]
                old = t.persons.get(p.id)
                t.persons[p.id] = PersonRow(p, old.created_at if old else updated_at, updated_at)
                for m in p.members:
                    t.person_of[m.article_id, m.entity_id] = p.id
                for key in p.keys:
                    t.person_keys[key] = t.person_keys.get(key, frozenset()) | {p.id}
            for p in grown:
                row = t.persons[p.id]
                kept = tuple(m for m in row.person.members if m.article_id not in done_set)
                had = {(k.article_id, k.entity_id) for k in kept}
                members = kept + tuple(m for m in p.members if (m.article_id, m.entity_id) not in had)
                for m in p.members:
                    self._require_article(m.article_id)  # type: ignore[attr-defined]
                    t.person_of[m.article_id, m.entity_id] = p.id
                person = row.person._replace(
                    name=p.name, aliases=p.aliases, roles=p.roles, merges=p.merges, members=members, place_key=p.place_key,
                    alias_sources=tuple(dict.fromkeys(row.person.alias_sources + p.alias_sources)),
                    role_sources=tuple(dict.fromkeys(row.person.role_sources + p.role_sources)),
                    keys=tuple(sorted(set(row.person.keys) | set(p.keys))))
                t.persons[p.id] = PersonRow(person, row.created_at, updated_at)
                for key in p.keys:
                    t.person_keys[key] = t.person_keys.get(key, frozenset()) | {p.id}
            for r in redirects:
                old = t.persons[r.old_id]
                t.persons[r.old_id] = PersonRow(old.person._replace(members=(), alias_sources=(), role_sources=(), keys=()),
                                                old.created_at, updated_at, r.new_id or "")
                if r.new_id:  # older redirects to the absorbed id now point at its absorber
                    for pid, row in list(t.persons.items()):
                        if row.merged_into == r.old_id:
                            t.persons[pid] = PersonRow(row.person, row.created_at, row.updated_at, r.new_id)
            self._mark_done(done, version)

    def put_surnames(self, articles: Sequence[str], surnames: Mapping[str, Sequence[str]],
                     places: Mapping[str, Sequence[str]] | None = None) -> None:
        with self._writing(f"writing the people of {len(articles)} articles"):  # type: ignore[attr-defined]
            self._set_surnames(articles, surnames)
            if places is not None:
                self._set_places(articles, places)

    def _set_places(self, articles: Sequence[str], places: Mapping[str, Sequence[str]]) -> None:
        self._set_words(self._t.place_words, articles, places)

    def _named_as_place(self, word: str | None) -> int:
        """How many articles give ``word`` as a place (place_word_counts in the SQL stores)."""
        return sum(word in words for words in self._t.place_words.values())

    def _listed(self, row: PersonRow) -> bool:
        """Live, named in an article, and not a place the model tagged a person: its place key
        given as a place by as many articles as it has, and no other live person without a
        place key going by its surname key (link/people/places.py)."""
        if row.merged_into is not None or not row.person.members:
            return False
        key = row.person.place_key
        if key is None:
            return True
        articles = len({m.article_id for m in row.person.members})
        if self._named_as_place(key) < articles:
            return True
        mine = {k for k in row.person.keys if k.startswith("surname:")}
        return any(other.merged_into is None and other.person.members and other.person.place_key is None
                   and mine & set(other.person.keys) for pid, other in self._t.persons.items() if pid != row.person.id)

    def _set_surnames(self, articles: Sequence[str], surnames: Mapping[str, Sequence[str]]) -> None:
        self._set_words(self._t.person_surnames, articles, surnames)

    def _set_words(self, table: dict[str, frozenset[str]], articles: Sequence[str],
                   words: Mapping[str, Sequence[str]]) -> None:
        """Replace each article's row of ``table`` (surnames or place words) with ``words[id]``."""
        for aid in articles:
            table.pop(aid, None)
            if words.get(aid):
                self._require_article(aid)  # type: ignore[attr-defined]  # as the SQL foreign key
                table[aid] = frozenset(words[aid])

    def people_done_among(self, article_ids: Sequence[str]) -> set[str]:
        return {aid for aid in article_ids if aid in self._t.people_done}

    def assigned_members(self, members: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        return {m for m in members if m in self._t.person_of}

    def person_ids_by_key(self, keys: Sequence[str]) -> dict[str, set[str]]:
        t = self._t
        found = {key: {pid for pid in t.person_keys.get(key, ()) if pid in t.persons
                       and t.persons[pid].merged_into is None} for key in keys}
        return {key: ids for key, ids in found.items() if ids}

    def mark_people_done(self, article_ids: Sequence[str], version: str) -> None:
        with self._writing(f"marking {len(article_ids)} articles' people done"):  # type: ignore[attr-defined]
            self._mark_done(article_ids, version)

    def _mark_done(self, article_ids: Sequence[str], version: str) -> None:
        t = self._t
        for aid in article_ids:
            if aid in t.analyses:
                t.people_done[aid] = (version, t.analyses[aid].at)

    def mention_counts(self, keys: Sequence[str], excluding: Sequence[str] = ()) -> MentionCounts:
        left_out = set(excluding)
        counted = {aid: found for aid, found in self._t.person_surnames.items() if aid not in left_out}
        counts = {key: n for key in keys if (n := sum(key in found for found in counted.values()))}
        return MentionCounts(counts, len(counted))

    def _drop_person_rows(self, pid: str) -> None:
        t = self._t
        row = t.persons.get(pid)
        if row is None:
            return
        t.person_of = {k: v for k, v in t.person_of.items() if v != pid}
        for key in row.person.keys:
            t.person_keys[key] = t.person_keys.get(key, frozenset()) - {pid}

    def people(self, *, limit: int | None = None, offset: int = 0) -> list[Identity]:
        live = [self._identity(r) for r in self._t.persons.values() if self._listed(r)]
        live.sort(key=lambda i: (-len({a for a, _ in i.members}), i.name, i.id))
        return live[offset:offset + limit] if limit is not None else live[offset:]

    def person_summaries(self, *, keys: Sequence[str] | None = None, limit: int | None = None,
                         offset: int = 0) -> list[PersonSummary]:
        if keys is not None:
            found = [PersonSummary.of(i) for i in self.people_by_keys(keys) if self._listed(self._t.persons[i.id])]
            found.sort(key=lambda p: (-p.articles, p.name, p.id))
            return found[offset:] if limit is None else found[offset:offset + limit]
        return [PersonSummary.of(i) for i in self.people(limit=limit, offset=offset)]

    def place_people(self, *, limit: int | None = None, offset: int = 0) -> list[tuple[PersonSummary, int]]:
        t = self._t
        found = [(PersonSummary.of(self._identity(r)), self._named_as_place(r.person.place_key))
                 for r in t.persons.values() if r.merged_into is None and r.person.members and not self._listed(r)]
        found.sort(key=lambda x: (-x[0].articles, x[0].name, x[0].id))
        return found[offset:] if limit is None else found[offset:offset + limit]

    def count_place_people(self) -> int:
        return len(self.place_people())

    def count_people(self) -> int:
        return sum(self._listed(r) for r in self._t.persons.values())

    def person(self, person_id: str, *, members: bool = True) -> Identity | None:
        seen = set()
        while person_id and person_id not in seen:
            seen.add(person_id)
            row = self._t.persons.get(person_id)
            if row is None:
                return None
            if row.merged_into is None:
                found = self._identity(row)
                return found if members else replace(found, members=())
            person_id = row.merged_into
        return None

    def people_named(self, part: str, *, limit: int = 20) -> list[PersonSummary]:
        wanted = " ".join(part.split()).lower()
        if not any(c.isalnum() for c in wanted):
            return []
        return [PersonSummary.of(p) for p in self.people() if any(wanted in n.lower() for n in (p.name, *p.aliases))][:limit]

    def person_sources(self, person_id: str, *, articles: Sequence[str] | None = None) -> PersonSources | None:
        row = self._t.persons.get(person_id)
        if row is None or row.merged_into is not None or not row.person.members:
            return None
        p = row.person
        wanted = None if articles is None else set(articles)
        return PersonSources(tuple(sorted((m for m in p.members if wanted is None or m.article_id in wanted),
                                          key=lambda m: (m.article_id, m.entity_id))),
                             tuple(sorted({a for a in p.alias_sources if wanted is None or a.article_id in wanted},
                                          key=lambda a: (a.article_id, a.entity_id, a.alias))),
                             tuple(sorted(set(p.role_sources), key=lambda r: (r.article_id, r.entity_id, r.start, r.end, r.title))))

    def person_tallies(self, person_id: str) -> PersonTallies | None:
        sources = self.person_sources(person_id)
        if sources is None:
            return None

        def most_first(texts: Iterable[str]) -> tuple[tuple[str, int], ...]:
            return tuple(sorted(Counter(texts).items(), key=lambda tn: (-tn[1], tn[0])))

        return PersonTallies(most_first(a.alias for a in sources.aliases), most_first(m.reason for m in sources.members))

    def people_of(self, article_ids: Sequence[str], whole_below: int | None = None) -> list[Identity]:
        wanted = set(article_ids)
        return self._by_ids({pid for (aid, _), pid in self._t.person_of.items() if aid in wanted}, whole_below, wanted)

    def people_by_keys(self, keys: Sequence[str], whole_below: int | None = None,
                       among: Sequence[str] = ()) -> list[Identity]:
        return self._by_ids(set().union(*(self._t.person_keys.get(k, frozenset()) for k in keys)), whole_below,
                            set(among))

    def person_ids_by_keys(self, keys: Sequence[str]) -> set[str]:
        ids = set().union(*(self._t.person_keys.get(k, frozenset()) for k in keys))
        return {pid for pid in ids if pid in self._t.persons and self._t.persons[pid].merged_into is None}

    def people_by_ids(self, ids: Sequence[str]) -> list[Identity]:
        return self._by_ids(set(ids))

    def person_article_counts(self, ids: Sequence[str]) -> dict[str, int]:
        rows = [self._t.persons[pid] for pid in dict.fromkeys(ids) if pid in self._t.persons]
        return {r.person.id: len({m[0] for m in r.person.members}) for r in rows if r.merged_into is None}

    def person_members(self, person_id: str, *, limit: int | None = None, offset: int = 0) -> list[tuple[str, str]]:
        row = self._t.persons.get(person_id)
        if row is None or row.merged_into is not None:
            return []
        members = sorted((m[0], m[1]) for m in row.person.members)
        return members[offset:None if limit is None else offset + limit]

    def person_sizes(self, ids: Sequence[str]) -> dict[str, int]:
        rows = [self._t.persons[pid] for pid in dict.fromkeys(ids) if pid in self._t.persons]
        return {r.person.id: len(r.person.members) for r in rows if r.person.members}

    def known_person_ids(self, ids: Sequence[str]) -> set[str]:
        return {pid for pid in ids if pid in self._t.persons}

    def _by_ids(self, ids: set[str], whole_below: int | None = None, among: set[str] = frozenset()) -> list[Identity]:
        rows = [self._t.persons[pid] for pid in sorted(ids) if pid in self._t.persons]
        out = [self._identity(r) for r in rows if r.merged_into is None]
        if whole_below is None:
            return out
        return [i if len(i.members) < whole_below else replace(i, members=tuple(m for m in i.members if m[0] in among))
                for i in out]

    @staticmethod
    def _identity(row: PersonRow) -> Identity:
        p = row.person
        return Identity(id=p.id, name=p.name, type=p.type, aliases=p.aliases, roles=p.roles,  # type: ignore[arg-type]
                        members=tuple(sorted((m.article_id, m.entity_id) for m in p.members)), merges=p.merges)
