"""Per-article analysis queries: entities, quotes and time expressions, and which articles are
analysed (by which analyzer version). Also how those records become rows and back."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from storyline.records import Analysis, Entity, Mention, Quote, Role, TimePoint
from storyline.store.base import now_precise, speaker_key
from storyline.store.records import AnalysisState, ArticleEntity
from storyline.store.sql import changes
from storyline.store.sql.connection import Connection, marks

ENTITY_COLUMNS = "article_id, pos, entity_id, name, type, aliases, roles, mentions"
QUOTE_COLUMNS = (
    "article_id, pos, span_start, span_end, text, kind, cue, speaker, speaker_key, speaker_id, "
    "mention_text, mention_start, mention_end, anonymous, grp"
)
TIME_COLUMNS = "article_id, pos, span_start, span_end, text, type, value, mod, anchored, detail"


def put_analyses(db: Connection, analyses: Sequence[Analysis], version: str) -> None:
    if not analyses:
        return
    stamp = now_precise()
    with db.writing(f"writing the analyses of {len(analyses)} articles"):
        changes.log(db, "analysis", [a.article_id for a in analyses])
        for analysis in analyses:
            aid = analysis.article_id
            # Replace, never append: a re-run (or a newer analyzer) must not duplicate rows.
            db.run("DELETE FROM times WHERE article_id = ?", (aid,))
            db.run("DELETE FROM quotes WHERE article_id = ?", (aid,))
            db.run("DELETE FROM entities WHERE article_id = ?", (aid,))
            db.run("DELETE FROM title_entities WHERE article_id = ?", (aid,))
            db.run(
                "INSERT INTO analyses (article_id, version, analysed_at) VALUES (?, ?, ?) "
                "ON CONFLICT (article_id) DO UPDATE SET version = excluded.version, "
                "analysed_at = excluded.analysed_at",
                (aid, version, stamp),
            )
            db.run_many(
                f"INSERT INTO entities ({ENTITY_COLUMNS}) VALUES ({marks(range(8))})",
                [_entity_row(aid, pos, e) for pos, e in enumerate(analysis.entities)],
            )
            # article_seq copies the article's seq so that quotes list in article order from
            # an index (migration 006).
            db.run_many(
                f"INSERT INTO quotes ({QUOTE_COLUMNS}, article_seq) "
                f"VALUES ({marks(range(15))}, (SELECT seq FROM articles WHERE id = ?))",
                [(*quote_row(aid, pos, q), aid) for pos, q in enumerate(analysis.quotes)],
            )
            db.run_many(
                f"INSERT INTO times ({TIME_COLUMNS}) VALUES ({marks(range(10))})",
                [_time_row(aid, pos, t) for pos, t in enumerate(analysis.times)],
            )
            db.run_many(
                f"INSERT INTO title_entities ({ENTITY_COLUMNS}) VALUES ({marks(range(8))})",
                [_entity_row(aid, pos, e) for pos, e in enumerate(analysis.title_entities)],
            )


def analysis(db: Connection, article_id: str) -> Analysis | None:
    return analyses_of(db, [article_id]).get(article_id)


def analyses_of(db: Connection, ids: Sequence[str]) -> dict[str, Analysis]:
    """:func:`analysis` of each of ``ids`` that was analysed, in one read per table (the story
    facts read a story's analyses: four statements an article cost PostgreSQL more than the
    rows themselves)."""
    ids = list(dict.fromkeys(ids))
    done = {row[0] for row in db.rows_in("SELECT article_id FROM analyses WHERE article_id IN", ids)}

    def grouped(columns: str, table: str, make) -> dict[str, list]:
        out: dict[str, list] = {}
        for row in sorted(db.rows_in(f"SELECT {columns} FROM {table} WHERE article_id IN", sorted(done)),
                          key=lambda row: (row[0], row[1])):  # article id, then pos
            out.setdefault(row[0], []).append(make(row))
        return out

    entities = grouped(ENTITY_COLUMNS, "entities", _entity_from)
    quotes = grouped(QUOTE_COLUMNS, "quotes", _quote_from)
    times = grouped(TIME_COLUMNS, "times", _time_from)
    titles = grouped(ENTITY_COLUMNS, "title_entities", _entity_from)
    return {aid: Analysis(article_id=aid, entities=tuple(entities.get(aid, ())), quotes=tuple(quotes.get(aid, ())),
                          times=tuple(times.get(aid, ())), title_entities=tuple(titles.get(aid, ())))
            for aid in ids if aid in done}


def title_entities_of(db: Connection, ids: Sequence[str]) -> dict[str, tuple[Entity, ...]]:
    """The title entities (Analysis.title_entities) of those of ``ids`` that have any."""
    found: dict[str, list[Entity]] = {}
    for row in sorted(db.rows_in(f"SELECT {ENTITY_COLUMNS} FROM title_entities WHERE article_id IN", list(ids)),
                      key=lambda row: (row[0], row[1])):
        found.setdefault(row[0], []).append(_entity_from(row))
    return {aid: tuple(es) for aid, es in found.items()}


def unanalysed(db: Connection, version: str | None = None, *, limit: int | None = None,
               among: Sequence[str] | None = None) -> list[str]:
    cond = "n.article_id IS NULL"
    params: list[Any] = []
    if version is not None:
        cond += " OR n.version <> ?"
        params.append(version)
    sql = f"SELECT a.id FROM articles a LEFT JOIN analyses n ON n.article_id = a.id WHERE ({cond})"
    return [r[0] for r in db.due(sql, "a.seq", params, limit=limit, among=among, columns=("a.id",))]


def entities(db: Connection, type: str | None = None) -> list[ArticleEntity]:  # noqa: A002
    sql = f"SELECT {', '.join('e.' + c for c in ENTITY_COLUMNS.split(', '))} FROM entities e " \
          "JOIN articles a ON a.id = e.article_id"
    params: list[Any] = []
    if type is not None:
        sql += " WHERE e.type = ?"
        params.append(type)
    rows = db.run(sql + " ORDER BY a.seq, e.pos", params).fetchall()
    return [ArticleEntity(row[0], _entity_from(row)) for row in rows]


def entities_of(db: Connection, ids: Sequence[str], type: str | None = None, *,  # noqa: A002
                mentions: bool = True) -> list[ArticleEntity]:
    columns = ", ".join("e." + c if mentions or c != "mentions" else "'[]'" for c in ENTITY_COLUMNS.split(", "))
    rows = db.rows_in(f"SELECT {columns}, a.seq FROM entities e JOIN articles a ON a.id = e.article_id "
                      "WHERE e.article_id IN", list(ids))
    rows.sort(key=lambda row: (row[-1], row[1]))  # article order, then the analyzer's order
    # Filtered before decoding: the JSON of the other types' mentions and roles was most of the
    # people step's reads (56k entities decoded for 100 new articles at 10k).
    return [ArticleEntity(row[0], _entity_from(row[:-1])) for row in rows if type is None or row[4] == type]


def quotes(db: Connection, speaker: str | None = None, *, people: Sequence[str] = (), limit: int | None = None,
           offset: int = 0) -> list[Quote]:
    if people:
        union, args = _of_people(QUOTE_COLUMNS + ", article_seq", speaker, people)
        paged, args = db.paged(f"SELECT * FROM ({union}) AS found ORDER BY article_seq, span_start, pos", args,
                               limit, offset)
        return [_quote_from(row[:-1]) for row in db.run(paged, args).fetchall()]
    # quotes.article_seq is the article's seq (migration 006): the order comes from an index.
    sql = f"SELECT {QUOTE_COLUMNS} FROM quotes"
    params: list[Any] = []
    if speaker is not None:
        sql += " WHERE speaker_key = ?"
        params.append(speaker_key(speaker))
    sql, params = db.paged(sql + " ORDER BY article_seq, span_start, pos", params, limit, offset)
    return [_quote_from(row) for row in db.run(sql, params).fetchall()]


def count_quotes(db: Connection, speaker: str | None = None, people: Sequence[str] = ()) -> int:
    if people:
        sql, params = _of_people("article_id, pos", speaker, people)
        return int(db.run(f"SELECT COUNT(*) FROM ({sql}) AS found", params).fetchone()[0])
    if speaker is None:
        return int(db.run("SELECT COUNT(*) FROM quotes").fetchone()[0])
    return int(db.run("SELECT COUNT(*) FROM quotes WHERE speaker_key = ?", (speaker_key(speaker),)).fetchone()[0])


def _of_people(columns: str, speaker: str | None, people: Sequence[str]) -> tuple[str, list[Any]]:
    """The quotes spoken by a member entity of ``people`` (through person_members, by person),
    and those whose speaker is written as ``speaker``: one query of each, on their indexes, their
    union without repeats."""
    people = sorted(set(people))
    q_columns = ", ".join(f"q.{c.strip()}" for c in columns.split(","))
    sql = (f"SELECT {q_columns} FROM person_members m JOIN quotes q ON q.article_id = m.article_id "
           f"AND q.speaker_id = m.entity_id WHERE m.person_id IN ({marks(people)})")
    params: list[Any] = list(people)
    if speaker is not None:
        sql = f"SELECT {columns} FROM quotes WHERE speaker_key = ? UNION {sql}"
        params.insert(0, speaker_key(speaker))
    return sql, params


def analysis_state(db: Connection) -> AnalysisState:
    count, latest = db.run("SELECT COUNT(*), MAX(analysed_at) FROM analyses").fetchone()
    return AnalysisState(int(count), latest)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _entity_row(article_id: str, pos: int, e: Entity) -> tuple:
    # Mentions and roles carry their article id in the record; stored once, on the row.
    roles = [{"title": r.title, "start": r.start, "end": r.end, "sentence_start": r.sentence_start,
              "sentence_end": r.sentence_end} for r in e.roles]
    mentions = [{"start": m.start, "end": m.end, "text": m.text} for m in e.mentions]
    return (article_id, pos, e.id, e.name, e.type, _json(list(e.aliases)), _json(roles), _json(mentions))


def _entity_from(row: Sequence[Any]) -> Entity:
    article_id, _pos, entity_id, name, type_, aliases, roles, mentions = row
    return Entity(
        id=entity_id, name=name, type=type_, aliases=tuple(_list(aliases)),
        mentions=tuple(Mention(article_id, m["start"], m["end"], m["text"]) for m in _list(mentions)),
        roles=tuple(Role(r["title"], article_id, r["start"], r["end"], r.get("sentence_start"),
                         r.get("sentence_end")) for r in _list(roles)),
    )


def _list(text: str) -> list:
    # Most entities have no aliases or roles: "[]" is not worth a JSON decoder call (the people
    # step decodes tens of thousands of entities per batch).
    return [] if text == "[]" else json.loads(text)


def quote_row(article_id: str, pos: int, q: Quote) -> tuple:
    """A quote as a row of QUOTE_COLUMNS (the upgrade tests write rows as older versions did)."""
    m = q.speaker_mention
    return (
        article_id, pos, q.start, q.end, q.text, q.kind, q.cue, q.speaker, speaker_key(q.speaker),
        q.speaker_id, m.text if m else None, m.start if m else None, m.end if m else None,
        int(bool(q.anonymous)), q.group,
    )


def _quote_from(row: Sequence[Any]) -> Quote:
    (article_id, _pos, start, end, text, kind, cue, speaker, _key, speaker_id, m_text, m_start, m_end,
     anonymous, group) = row
    mention = Mention(article_id, m_start, m_end, m_text) if m_text is not None else None
    return Quote(
        article_id=article_id, text=text, start=start, end=end, kind=kind, cue=cue, speaker=speaker,
        speaker_mention=mention, anonymous=bool(anonymous), speaker_id=speaker_id, group=group,
    )


def _time_row(article_id: str, pos: int, t: TimePoint) -> tuple:
    return (article_id, pos, t.start, t.end, t.text, t.type, t.value, t.mod, int(bool(t.anchored)), t.detail)


def _time_from(row: Sequence[Any]) -> TimePoint:
    article_id, _pos, start, end, text, type_, value, mod, anchored, detail = row
    return TimePoint(article_id=article_id, text=text, start=start, end=end, type=type_, value=value,
                     mod=mod, anchored=bool(anchored), detail=detail)
