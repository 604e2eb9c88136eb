"""``storyline export``: on a tiny store of self-written (fictional) articles with hand-built
analyses, reuse pairs and stories (no model needed), every table round-trips through CSV, JSON
and Parquet, both graphs through GraphML, CSV cells are neutralised against formula injection,
and wrong pairings of table and format are usage errors."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.ingest.convert import content_hash
from storyline.records import Analysis, Article, Change, Entity, Mention, Quote, ReusePair, Role, Story
from storyline.report.export import COLUMNS, neutralise
from storyline.store import open_store
from storyline.store.records import Membership

FORMULA = '=HYPERLINK("http://example.invalid","click")'


def make_article(body: str, **extra) -> Article:
    digest = content_hash(body)
    return Article(id=digest[:16], content_hash=digest, source="/in/x.txt", body=body,
                   ingested_at="2026-01-01T00:00:00+00:00", **extra)


def person(article_id: str, eid: str, name: str, role: str | None = None) -> Entity:
    roles = (Role(role, article_id, 0, len(role)),) if role else ()
    return Entity(id=eid, name=name, type="PERSON", aliases=(name.split()[-1],),
                  mentions=(Mention(article_id, 0, len(name), name),), roles=roles)


def quote(article_id: str, text: str, speaker: str | None, speaker_id: str | None, **extra) -> Quote:
    return Quote(article_id, text, 10, 10 + len(text), "direct", cue="said", speaker=speaker,
                 speaker_id=speaker_id, **extra)


@pytest.fixture
def db(tmp_path):
    """Three articles: a1 and a2 quote Ana Ortiz and Tom Reyes, a3 (rewritten from a1) only Ana
    Ortiz, plus an anonymous quote and one without a speaker. One rewrite pair, one independent
    pair, one story."""
    path = tmp_path / "store.db"
    a1 = make_article("Mayor Ana Ortiz said the harbour wall in Port Selby will rise. Tom Reyes, an engineer, agreed.",
                      title="Harbour wall to rise", outlet="The Selby Gazette", published="2026-03-10")
    a2 = make_article("Engineer Tom Reyes and Mayor Ana Ortiz spoke at the Port Selby quay on Tuesday.",
                      title="@quay: two voices", outlet="Quay Radio", published="2026-03-11")
    a3 = make_article("Port Selby's mayor, Ana Ortiz, repeated that the wall will rise by May.",
                      title=None, outlet=None, published=None)
    store = open_store(str(path))
    try:
        store.add_articles([a1, a2, a3])
        store.put_analyses([
            Analysis(a1.id, entities=(person(a1.id, "p1", "Ana Ortiz", "Mayor"), person(a1.id, "p2", "Tom Reyes")),
                     quotes=(quote(a1.id, FORMULA, "Ana Ortiz", "p1", group=1),
                             quote(a1.id, "The wall will hold, “für immer”", "Ana Ortiz", "p1",
                                   speaker_mention=Mention(a1.id, 0, 15, "Mayor Ana Ortiz")),
                             quote(a1.id, "-5 metres is the worst case", "Tom Reyes", "p2"))),
            Analysis(a2.id, entities=(person(a2.id, "e7", "Tom Reyes"), person(a2.id, "e8", "Ana Ortiz", "Mayor")),
                     quotes=(quote(a2.id, "+1 for the wall", "Tom Reyes", "e7"),
                             quote(a2.id, "We listen to the quay", "Ana Ortiz", None))),  # matched by name
            Analysis(a3.id, entities=(person(a3.id, "x1", "Ana Ortiz", "Mayor"),),
                     quotes=(quote(a3.id, "It will rise by May", "Ana Ortiz", "x1"),
                             quote(a3.id, "a waste of money", "a senior councillor", None, anonymous=True),
                             quote(a3.id, "Nobody owns up", None, None))),
        ], "test")
        change = Change("date_changed", "on Tuesday", "by May", (0, 10), (0, 6), None)
        store.put_reuse([
            ReusePair(a1.id, a3.id, "rewrite", 0.9, 0.75, (change, change), source_coverage=0.5, verbatim=0.1,
                      similarity=0.8, evidence=("quotations; dates (+1.0)",)),
            ReusePair(a1.id, a2.id, "independent", 0.5, 0.05),
        ], "test")
        story = Story(a1.id, "Ana Ortiz, Port Selby: the harbour wall", (a1.id, a2.id, a3.id), "2026-03-10",
                      "2026-03-11", headline="Harbour wall to rise", key_entities=("Ana Ortiz", "Port Selby"),
                      undated=1)
        store.put_stories([story], [Membership(a1.id, a1.id, 0), Membership(a2.id, a1.id, 1), Membership(a3.id, a1.id, 2)],
                          [], "1",
                          "2026-03-12T00:00:00")
    finally:
        store.close()
    return path, a1, a2, a3


def export(db_path, *args: str):
    return CliRunner().invoke(app, ["export", *args, "--db", str(db_path)], env={"STORYLINE_DB": None})


def read_csv(result) -> list[dict]:
    text = result.stdout_bytes.decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


# --- tables ----------------------------------------------------------------------------------


@pytest.mark.parametrize("what", ["articles", "quotes", "people", "reuse", "stories"])
def test_tables_round_trip_in_every_format(db, tmp_path, what):
    pq = pytest.importorskip("pyarrow.parquet")
    path = db[0]
    as_csv = export(path, what, "--format", "csv")
    assert as_csv.exit_code == 0, as_csv.stderr
    rows = read_csv(as_csv)
    assert list(rows[0]) == [name for name, _ in COLUMNS[what]]
    as_json = export(path, what, "--format", "json")
    assert as_json.exit_code == 0, as_json.stderr
    objects = json.loads(as_json.stdout_bytes.decode("utf-8"))
    out = tmp_path / f"{what}.parquet"
    as_parquet = export(path, what, "--format", "parquet", "--output", str(out))
    assert as_parquet.exit_code == 0, as_parquet.stderr
    table = pq.read_table(out)
    assert table.column_names == [name for name, _ in COLUMNS[what]]
    assert len(rows) == len(objects) == table.num_rows > 0
    parquet_rows = table.to_pylist()
    # Same rows, same order, in every format.
    key = {"articles": "id", "quotes": "article_id", "people": "id", "reuse": "source_id", "stories": "id"}[what]
    json_key = {"articles": "id", "quotes": "article_id", "people": "id", "reuse": None, "stories": "id"}[what]
    assert [r[key] for r in rows] == [r[key] for r in parquet_rows]
    if json_key:
        assert [o[json_key] for o in objects] == [r[key] for r in rows]


def test_articles_are_exported_whole_with_their_story_and_filtered(db):
    path, a1, a2, a3 = db
    rows = read_csv(export(path, "articles"))
    assert [r["id"] for r in rows] == [a1.id, a2.id, a3.id]
    assert rows[0]["body"] == a1.body and rows[0]["story_id"] == a1.id and rows[0]["source"] == "/in/x.txt"
    assert rows[1]["title"] == "'@quay: two voices"  # neutralised like every other CSV cell
    assert [r["id"] for r in read_csv(export(path, "articles", "--outlet", "quay radio"))] == [a2.id]
    assert [r["id"] for r in read_csv(export(path, "articles", "--since", "2026-03-11"))] == [a2.id]
    assert [r["id"] for r in read_csv(export(path, "articles", "--person", "reyes"))] == [a1.id, a2.id]
    assert len(read_csv(export(path, "articles", "--story", a1.id[:6]))) == 3
    assert [r["id"] for r in read_csv(export(path, "stories", "--outlet", "Nobody"))] == []
    assert len(json.loads(export(path, "quotes", "--speaker", "Tom Reyes", "--format", "json").stdout_bytes)) == 2
    assert len(read_csv(export(path, "reuse", "--all", "--article", a2.id[:8]))) == 1
    wrong = export(path, "people", "--outlet", "x")
    assert wrong.exit_code == 2 and "people cannot be filtered by --outlet" in wrong.stderr
    missing = export(path, "articles", "--story", "ffffff")
    assert missing.exit_code == 2 and "no story" in missing.stderr


def test_articles_carry_their_sightings_in_every_format(db, tmp_path):
    """The same text run by another outlet (a sighting) is in the export: the outlets in a
    column of names, the sightings as JSON text (CSV, Parquet), a list in JSON."""
    pq = pytest.importorskip("pyarrow.parquet")
    import dataclasses

    path, a1, a2, _ = db
    store = open_store(str(path))
    try:
        copies = [dataclasses.replace(a1, url="https://echo.example/wall", outlet="Bay Echo", published="2026-03-11"),
                  dataclasses.replace(a1, url="https://x.example/wall", outlet="=cmd", source="/home/me/dump.jsonl")]
        assert [r.sighting for r in store.add_articles(copies)] == [True, True]
    finally:
        store.close()
    rows = {r["id"]: r for r in read_csv(export(path, "articles"))}
    assert rows[a1.id]["also_published_outlets"] == "Bay Echo; =cmd"  # a cell starting "B" runs nothing
    seen = json.loads(rows[a1.id]["also_published"])
    assert [(s["outlet"], s["url"], s["published"]) for s in seen] == [
        ("Bay Echo", "https://echo.example/wall", "2026-03-11"), ("=cmd", "https://x.example/wall", "2026-03-10")]
    assert rows[a2.id]["also_published_outlets"] == rows[a2.id]["also_published"] == ""
    objects = {o["id"]: o for o in json.loads(export(path, "articles", "--format", "json").stdout_bytes)}
    assert [s["outlet"] for s in objects[a1.id]["also_published"]] == ["Bay Echo", "=cmd"]
    assert objects[a2.id]["also_published"] == []
    out = tmp_path / "articles.parquet"
    assert export(path, "articles", "--format", "parquet", "--output", str(out)).exit_code == 0
    by_id = {r["id"]: r for r in pq.read_table(out).to_pylist()}
    assert by_id[a1.id]["also_published_outlets"] == "Bay Echo; =cmd" and by_id[a2.id]["also_published"] is None


def test_quotes_columns(db, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    path, a1, a2, a3 = db
    rows = read_csv(export(path, "quotes"))  # csv is the default for tables
    assert len(rows) == 8
    first = rows[0]
    assert first["article_id"] == a1.id and first["article_title"] == "Harbour wall to rise"
    assert first["article_outlet"] == "The Selby Gazette" and first["article_published"] == "2026-03-10"
    assert first["speaker"] == "Ana Ortiz" and first["speaker_id"] == "p1" and first["kind"] == "direct"
    assert first["group"] == "1" and first["anonymous"] == "false" and first["speaker_mention"] == ""
    second = rows[1]
    assert second["text"] == "The wall will hold, “für immer”"  # UTF-8 survives
    assert second["speaker_mention"] == "Mayor Ana Ortiz" and second["speaker_mention_end"] == "15"
    anonymous = next(r for r in rows if r["text"] == "a waste of money")
    assert anonymous["anonymous"] == "true" and anonymous["article_title"] == ""

    out = tmp_path / "q.parquet"
    export(path, "quotes", "--format", "parquet", "-o", str(out))
    back = pq.read_table(out).to_pylist()
    assert back[0]["text"] == FORMULA  # Parquet is not for spreadsheets: text is kept as is
    assert back[0]["start"] == 10 and back[0]["group"] == 1 and back[1]["group"] is None
    assert back[0]["anonymous"] is False and back[6]["anonymous"] is True
    assert back[6]["article_title"] is None

    objects = json.loads(export(path, "quotes", "--format", "json").stdout_bytes)
    assert objects[0]["text"] == FORMULA and objects[0]["speaker"]["name"] == "Ana Ortiz"  # quote_json shape
    assert objects[7]["speaker"] is None


def test_people_columns(db):
    path, a1, a2, a3 = db
    rows = read_csv(export(path, "people", "--format", "csv"))
    by_name = {r["name"]: r for r in rows}
    assert set(by_name) == {"Ana Ortiz", "Tom Reyes"}
    ana = by_name["Ana Ortiz"]
    assert ana["articles"] == "3" and set(ana["article_ids"].split("; ")) == {a1.id, a2.id, a3.id}
    assert ana["roles"] == "Mayor" and "Ortiz" in ana["aliases"].split("; ") and ana["type"] == "PERSON"
    assert isinstance(json.loads(ana["merges"]), list)
    assert rows[0]["name"] == "Ana Ortiz"  # most articles first, as desk.people()
    objects = json.loads(export(path, "people", "--format", "json").stdout_bytes)
    assert objects[0]["name"] == "Ana Ortiz" and objects[0]["articles"] == 3 and len(objects[0]["members"]) == 3


def test_reuse_columns_and_all(db, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    path, a1, a2, a3 = db
    rows = read_csv(export(path, "reuse"))
    assert len(rows) == 1  # independent pairs only with --all
    row = rows[0]
    assert (row["source_id"], row["derived_id"], row["kind"]) == (a1.id, a3.id, "rewrite")
    assert row["source_title"] == "Harbour wall to rise" and row["derived_title"] == ""
    assert row["direction"] == "known" and float(row["direction_confidence"]) == 0.9
    assert float(row["coverage"]) == 0.75 and row["change_count"] == "2" and row["change_types"] == "date_changed"
    changes = json.loads(row["changes"])
    assert changes[0]["type"] == "date_changed" and changes[0]["derived_text"] == "by May"
    assert json.loads(row["evidence"]) == ["quotations; dates (+1.0)"]
    assert len(read_csv(export(path, "reuse", "--all"))) == 2
    out = tmp_path / "r.parquet"
    export(path, "reuse", "--format", "parquet", "--output", str(out), "--all")
    back = pq.read_table(out).to_pylist()
    assert [r["kind"] for r in back] == ["rewrite", "independent"]
    assert back[0]["coverage"] == 0.75 and back[1]["change_count"] == 0 and back[1]["change_types"] == ""
    objects = json.loads(export(path, "reuse", "--format", "json").stdout_bytes)
    assert objects[0]["source"]["id"] == a1.id and len(objects[0]["changes"]) == 2  # pair_json shape


def test_stories_columns(db):
    path, a1, a2, a3 = db
    [row] = read_csv(export(path, "stories"))
    assert row["id"] == a1.id and row["label"] == "Ana Ortiz, Port Selby: the harbour wall"
    assert row["article_ids"].split("; ") == [a1.id, a2.id, a3.id] and row["article_count"] == "3"
    assert row["key_entities"] == "Ana Ortiz; Port Selby" and row["first"] == "2026-03-10"
    assert row["undated"] == "1"
    [obj] = json.loads(export(path, "stories", "--format", "json").stdout_bytes)
    assert obj["article_ids"] == [a1.id, a2.id, a3.id]  # story_json shape


def test_csv_cells_are_neutralised_against_formula_injection(db):
    path = db[0]
    rows = read_csv(export(path, "quotes"))
    texts = [r["text"] for r in rows]
    assert "'" + FORMULA in texts and "'-5 metres is the worst case" in texts and "'+1 for the wall" in texts
    assert "It will rise by May" in texts  # ordinary text untouched
    assert "'@quay: two voices" in [r["article_title"] for r in rows]
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@"))
    assert neutralise("=1+1") == "'=1+1" and neutralise("\tx") == "'\tx" and neutralise("a=b") == "a=b"


def test_empty_store_exports_headers_and_empty_lists(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "empty.db"
    open_store(str(path)).close()
    result = export(path, "stories")
    assert result.exit_code == 0 and read_csv(result) == []
    assert result.stdout_bytes.decode().splitlines()[0].split(",") == [n for n, _ in COLUMNS["stories"]]
    assert json.loads(export(path, "quotes", "--format", "json").stdout_bytes) == []
    out = tmp_path / "e.parquet"
    assert export(path, "reuse", "--format", "parquet", "-o", str(out)).exit_code == 0
    table = pq.read_table(out)
    assert table.num_rows == 0 and str(table.schema.field("coverage").type) == "double"
    graph = nx.read_graphml(io.BytesIO(export(path, "network").stdout_bytes))
    assert graph.number_of_nodes() == 0


# --- graphs ----------------------------------------------------------------------------------


def _graph(result) -> nx.DiGraph:
    assert result.exit_code == 0, result.stderr
    return nx.read_graphml(io.BytesIO(result.stdout_bytes))


def _check_gephi_safe(path) -> None:
    text = path.read_text(encoding="utf-8")
    assert 'attr.type="boolean"' not in text and ">None<" not in text


def test_provenance_graph(db, tmp_path):
    path, a1, a2, a3 = db
    graph = _graph(export(path, "provenance", "--format", "graphml"))
    assert graph.is_directed() and set(graph.nodes) == {a1.id, a2.id, a3.id}
    assert graph.nodes[a1.id]["title"] == "Harbour wall to rise" and graph.nodes[a1.id]["outlet"] == "The Selby Gazette"
    assert graph.nodes[a1.id]["published"] == "2026-03-10" and graph.nodes[a1.id]["type"] == "article"
    assert graph.nodes[a3.id]["title"] == "" and graph.nodes[a3.id]["label"] == a3.id  # no None values
    assert list(graph.edges) == [(a1.id, a3.id)]  # source -> derived
    edge = graph.edges[a1.id, a3.id]
    assert edge["kind"] == "rewrite" and edge["coverage"] == 0.75 and edge["direction_confidence"] == 0.9
    assert edge["changes"] == 2 and edge["change_types"] == "date_changed" and edge["direction"] == "known"
    out = tmp_path / "prov.graphml"
    assert export(path, "provenance", "--all", "--output", str(out)).exit_code == 0  # graphml is the default
    _check_gephi_safe(out)
    full = nx.read_graphml(out)
    assert full.edges[a1.id, a2.id]["kind"] == "independent" and full.edges[a1.id, a2.id]["changes"] == 0


def test_network_graph(db, tmp_path):
    path, a1, a2, a3 = db
    out = tmp_path / "net.graphml"
    result = export(path, "network", "--format", "graphml", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == b"" and "wrote" in result.stderr
    _check_gephi_safe(out)
    graph = nx.read_graphml(out)
    people = {d["name"]: n for n, d in graph.nodes(data=True) if d["type"] == "person"}
    articles = {n for n, d in graph.nodes(data=True) if d["type"] == "article"}
    assert set(people) == {"Ana Ortiz", "Tom Reyes"}
    assert articles == {"article:" + a.id for a in (a1, a2, a3)}
    ana, tom = people["Ana Ortiz"], people["Tom Reyes"]
    assert graph.nodes[ana]["roles"] == "Mayor" and graph.nodes[ana]["quotes"] == 4
    assert graph.nodes[ana]["articles"] == 3 and graph.nodes[tom]["quotes"] == 2
    assert graph.nodes["article:" + a1.id]["outlet"] == "The Selby Gazette"
    quoted = {(u, v): d for u, v, d in graph.edges(data=True) if d["kind"] == "quoted in"}
    assert quoted[ana, "article:" + a1.id]["quotes"] == 2
    assert quoted[ana, "article:" + a2.id]["quotes"] == 1  # speaker matched by name (no speaker entity)
    assert quoted[ana, "article:" + a3.id]["quotes"] == 1  # the anonymous and speakerless quotes are left out
    assert quoted[tom, "article:" + a1.id]["weight"] == 1
    assert len(quoted) == 5
    co = [(u, v, d) for u, v, d in graph.edges(data=True) if d["kind"] == "co-quoted"]
    assert len(co) == 1
    u, v, d = co[0]
    assert {u, v} == {ana, tom} and d["weight"] == 2 and set(d["articles"].split("; ")) == {a1.id, a2.id}
    assert _graph(export(path, "network")).number_of_edges() == 6  # to stdout as well


# --- usage errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(("what", "fmt", "message"), [
    ("provenance", "csv", "graph"), ("network", "json", "graph"), ("network", "parquet", "graph"),
    ("quotes", "graphml", "table"), ("stories", "graphml", "table"),
])
def test_wrong_pairing_is_a_usage_error(db, what, fmt, message):
    result = export(db[0], what, "--format", fmt)
    assert result.exit_code == 2 and message in result.stderr and result.stdout == ""


def test_parquet_needs_an_output_file(db):
    result = export(db[0], "quotes", "--format", "parquet")
    assert result.exit_code == 2 and "--output" in result.stderr and result.stdout_bytes == b""


def test_unknown_table_or_format_is_a_usage_error(db):
    assert export(db[0], "entities").exit_code == 2
    assert export(db[0], "quotes", "--format", "xlsx").exit_code == 2


def test_unwritable_output_is_an_error(db, tmp_path):
    result = export(db[0], "quotes", "--output", str(tmp_path / "no" / "such" / "dir.csv"))
    assert result.exit_code == 2 and "cannot write" in result.stderr
