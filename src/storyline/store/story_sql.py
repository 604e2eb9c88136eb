"""Store queries for stories: clustering memberships and story summaries (both backends).

A mixin of SQLStore, kept apart so the article and analysis queries stay readable."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from storyline.records import Story

_STORY_COLUMNS = "id, label, headline, key_entities, first_date, last_date, undated, size, updated_at"


class StoryQueries:
    """Needs SQLStore's _run, _run_many, _writing and _paged."""

    def put_stories(self, stories: Sequence[Story], members: Sequence[tuple[str, str, int]],
                    removed: Sequence[str], version: str, updated_at: str) -> None:
        """In one transaction: record memberships ((article_id, story_id, seq), replacing an
        article's earlier one), replace the summaries of ``stories`` and delete the stories in
        ``removed`` (merged into others)."""
        if not stories and not members and not removed:
            return
        with self._writing(f"writing {len(stories)} stories"):
            for story_id in removed:
                self._run("DELETE FROM stories WHERE id = ?", (story_id,))
            self._run_many(
                "INSERT INTO story_members (article_id, story_id, seq, version) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, seq = excluded.seq, "
                "version = excluded.version",
                [(a, s, seq, version) for a, s, seq in members],
            )
            for story in stories:
                self._run(
                    f"INSERT INTO stories ({_STORY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (id) DO UPDATE SET label = excluded.label, headline = excluded.headline, "
                    "key_entities = excluded.key_entities, first_date = excluded.first_date, "
                    "last_date = excluded.last_date, undated = excluded.undated, "
                    "size = excluded.size, updated_at = excluded.updated_at",
                    (story.id, story.label, story.headline, json.dumps(list(story.key_entities)),
                     story.first, story.last, story.undated, len(story.article_ids), updated_at),
                )

    def story_members(self, version: str | None = None) -> list[tuple[str, str, int]]:
        """(article_id, story_id, seq) of every clustered article (by ``version`` if given), in
        the order the clusterer saw them."""
        sql = "SELECT article_id, story_id, seq FROM story_members"
        params: list[Any] = []
        if version is not None:
            sql += " WHERE version = ?"
            params.append(version)
        return [(r[0], r[1], int(r[2])) for r in self._run(sql + " ORDER BY seq", params).fetchall()]

    def clear_stories(self) -> None:
        """Forget every story and membership (a new clustering version starts over)."""
        with self._writing("clearing the stories"):
            self._run("DELETE FROM story_members")
            self._run("DELETE FROM stories")

    def stories(self, *, limit: int | None = None, offset: int = 0, query: str | None = None,
                outlet: str | None = None, person: str | None = None, since: str | None = None,
                until: str | None = None) -> list[Story]:
        """Stories, largest first, then most recent. Filters (all must hold): ``query``, some
        member article holds every word (full text, as :meth:`search`); ``outlet``, some member
        comes from that outlet (exact name, case ignored for ASCII); ``person``, some member
        names a person whose name contains this text (case ignored for ASCII); ``since`` /
        ``until`` (ISO dates), the story's stated date span reaches that day (undated stories
        are then left out)."""
        where, params = self._story_filters(query, outlet, person, since, until)
        if where is None:
            return []
        sql, params = self._paged(
            f"SELECT {_STORY_COLUMNS} FROM stories s{where} ORDER BY size DESC, (last_date IS NULL), last_date DESC, id",
            params, limit, offset)
        rows = self._run(sql, params).fetchall()
        members = self._members_of([r[0] for r in rows])
        return [_story_from(r, members.get(r[0], ())) for r in rows]

    def outlets(self) -> list[tuple[str, int]]:
        """(outlet, number of articles) of every named outlet, most articles first."""
        rows = self._run("SELECT outlet, COUNT(*) FROM articles WHERE outlet IS NOT NULL AND outlet <> '' "
                         "GROUP BY outlet ORDER BY COUNT(*) DESC, outlet").fetchall()
        return [(r[0], int(r[1])) for r in rows]

    def _story_filters(self, query, outlet, person, since, until) -> tuple[str | None, list[Any]]:
        """The WHERE clause (with its leading space) and parameters of the story filters, or
        (None, []) when the query has no words and so can match nothing."""
        from storyline.store.search_sql import _WORD, PG_DOCUMENT, fts5_query

        sqlite = self.param == "?"
        clauses: list[str] = []
        params: list[Any] = []
        if since:
            clauses.append("s.last_date >= ?")
            params.append(since)
        if until:
            clauses.append("s.first_date <= ?")
            params.append(until + "\U0010ffff")  # a stated date with a time of day still counts
        if outlet:
            clauses.append("EXISTS (SELECT 1 FROM story_members m JOIN articles a ON a.id = m.article_id "
                           "WHERE m.story_id = s.id AND LOWER(a.outlet) = LOWER(?))")
            params.append(outlet.strip())
        if person:
            like = "LIKE" if sqlite else "ILIKE"
            clauses.append("EXISTS (SELECT 1 FROM story_members m JOIN entities e ON e.article_id = m.article_id "
                           f"WHERE m.story_id = s.id AND e.type = 'PERSON' AND e.name {like} ? ESCAPE '\\')")
            params.append("%" + _like_escape(person.strip()) + "%")
        if query is not None:
            if sqlite:
                match = fts5_query(query)
                if match is None:
                    return None, []
                clauses.append("s.id IN (SELECT m.story_id FROM articles_fts f JOIN articles a ON a.seq = f.rowid "
                               "JOIN story_members m ON m.article_id = a.id WHERE articles_fts MATCH ?)")
                params.append(match)
            else:
                if not _WORD.search(query):
                    return None, []
                clauses.append("s.id IN (SELECT m.story_id FROM articles a JOIN story_members m ON m.article_id = a.id "
                               f"WHERE {PG_DOCUMENT} @@ plainto_tsquery('english'::regconfig, ?))")
                params.append(query)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def story(self, id_or_prefix: str) -> Story | None:
        """One story by id or unique id prefix (LookupError if the prefix is ambiguous)."""
        wanted = id_or_prefix.strip().lower()
        rows = self._run(
            f"SELECT {_STORY_COLUMNS} FROM stories WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
            (wanted, wanted + "\U0010ffff" if wanted else "\U0010ffff"),
        ).fetchall()
        exact = [r for r in rows if r[0] == wanted]
        if exact:
            rows = exact
        if len(rows) > 1:
            raise LookupError(f"story id prefix {id_or_prefix!r} matches more than one story")
        if not rows:
            return None
        return _story_from(rows[0], self._members_of([rows[0][0]]).get(rows[0][0], ()))

    def story_of(self, article_id: str) -> str | None:
        """The id of the story an article belongs to, if it was clustered."""
        row = self._run("SELECT story_id FROM story_members WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def _members_of(self, story_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {}
        for i in range(0, len(story_ids), 500):
            chunk = list(story_ids[i : i + 500])
            if not chunk:
                continue
            rows = self._run(
                f"SELECT story_id, article_id FROM story_members WHERE story_id IN ({', '.join('?' * len(chunk))}) "
                "ORDER BY seq", chunk,
            ).fetchall()
            for story_id, article_id in rows:
                out.setdefault(story_id, []).append(article_id)
        return {k: tuple(v) for k, v in out.items()}


def _like_escape(text: str) -> str:
    """``text`` with LIKE's wildcards taken literally (escape character: backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _story_from(row: Sequence[Any], article_ids: Sequence[str]) -> Story:
    sid, label, headline, key_entities, first, last, undated, _size, _updated = row
    return Story(id=sid, label=label, article_ids=tuple(article_ids), first=first, last=last,
                 headline=headline, key_entities=tuple(json.loads(key_entities)),
                 undated=int(undated))
