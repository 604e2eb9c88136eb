"""`storyline analyze`, `people`, `quotes` and `ingest --no-analyze`, as a user runs them.

Most tests call the Typer app in process (the spaCy model then loads once for the whole run);
one runs the real console command. Assertions on what the extractors find are generic (offsets
index the text, the JSON has its shape), except the last few, on a text written so that the
answer is plain.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from helpers import run_cli, store_two_articles, write_text_articles

import storyline
from storyline.cli import app
from storyline.store import open_store

QUOTE_KINDS = {"direct", "partial", "indirect"}
ENTITY_TYPES = {"PERSON", "ORG", "PLACE"}

# Windows line ends, straight and curly quotation marks, accents and dashes: characters that
# would shift offsets if the file were read with newline translation or measured in bytes.
CRLF_TEXT = (
    "Harbour wall vote in Port Selby\r\n\r\n"
    '"We will build the wall," said Mayor Ana Ortiz on Tuesday.\r\n\r\n'
    'Ben Cole, the harbour master, said the tide was rising "faster than anyone expected". '
    "Café owners — worried about trade — said they would wait and see.\r\n\r\n"
    "“It is a fine day for Port Selby,” Ortiz told reporters. “The sea will not wait.”\r\n"
)

ORTIZ_TEXT = '"We will build the wall," said Mayor Ana Ortiz.\n'


def cli(*args: str):
    result = CliRunner().invoke(app, list(args), env={"STORYLINE_DB": None})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def json_lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def check_analysis_json(obj: dict, text: str) -> None:
    """Every offset in one printed analysis indexes ``text``, and the shape is the documented one."""
    assert {"source", "body", "entities", "quotes"} <= set(obj)
    for entity in obj["entities"]:
        assert set(entity) == {"id", "name", "type", "aliases", "roles", "mentions"}
        assert entity["type"] in ENTITY_TYPES and entity["name"] and isinstance(entity["aliases"], list)
        for mention in entity["mentions"]:
            assert set(mention) == {"start", "end", "text"}
            assert text[mention["start"] : mention["end"]] == mention["text"]
        for role in entity["roles"]:
            assert set(role) == {"title", "start", "end", "sentence_start", "sentence_end"}
            assert 0 <= role["start"] < role["end"] <= len(text) and role["title"]
            if role["sentence_start"] is not None:
                assert role["sentence_start"] <= role["start"] and role["end"] <= role["sentence_end"] <= len(text)
    ids = {e["id"] for e in obj["entities"]}
    for quote in obj["quotes"]:
        assert set(quote) == {"text", "start", "end", "kind", "cue", "speaker", "group"}
        assert quote["kind"] in QUOTE_KINDS
        assert text[quote["start"] : quote["end"]] == quote["text"] and quote["text"]
        speaker = quote["speaker"]
        if speaker is not None:
            assert set(speaker) == {"name", "id", "mention", "mention_start", "mention_end", "anonymous"}
            assert isinstance(speaker["anonymous"], bool)
            if speaker["mention"] is not None:
                assert text[speaker["mention_start"] : speaker["mention_end"]] == speaker["mention"]
            if speaker["id"] is not None:
                assert speaker["id"] in ids


# --- analyze FILE... (nothing stored) -------------------------------------------------------


def test_verbatim_offsets_index_the_file(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(CRLF_TEXT.encode("utf-8"))
    done = run_cli("analyze", str(path), "--verbatim", "--json")  # the real console command
    assert done.returncode == 0, done.stderr
    [obj] = json_lines(done.stdout)
    file_text = path.open(encoding="utf-8", newline="").read()
    assert obj["body"] == file_text and "\r\n" in obj["body"]
    assert obj["source"] == str(path)
    check_analysis_json(obj, file_text)


def test_analyze_files_stores_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "q.txt").write_text(ORTIZ_TEXT, encoding="utf-8")
    db = tmp_path / "never.db"
    result = CliRunner().invoke(app, ["analyze", "q.txt", "--verbatim", "--json"], env={"STORYLINE_DB": str(db)})
    assert result.exit_code == 0, result.stderr
    assert len(json_lines(result.stdout)) == 1
    assert not db.exists() and not (tmp_path / "storyline.db").exists()


def test_without_verbatim_each_cleaned_article_is_analysed(tmp_path):
    text = tmp_path / "wall.txt"
    text.write_text("Harbour wall vote in Port Selby\n\n" + CRLF_TEXT.split("\r\n\r\n", 1)[1].replace("\r\n", "\n"),
                    encoding="utf-8")
    lines = tmp_path / "wire.jsonl"
    lines.write_text(
        json.dumps({"title": "Tide warning", "text": 'Ben Cole said the tide was rising. "Stay away from the '
                    'harbour wall," he told reporters on Monday.'}) + "\n"
        + json.dumps({"title": "Cafe owners wait", "text": "Café owners in Port Selby said they would wait "
                      "and see what the council decides about the new harbour wall."}) + "\n",
        encoding="utf-8")
    result = cli("analyze", str(text), str(lines), "--json")
    assert result.exit_code == 0, result.stderr
    printed = json_lines(result.stdout)
    assert [(o["source"], o["where"]) for o in printed] == [
        (str(text), None), (str(lines), "line 1"), (str(lines), "line 2")]  # one object per article

    # The body is the cleaned body, exactly as ingest stores it.
    db = str(tmp_path / "s.db")
    assert cli("ingest", str(text), str(lines), "--db", db, "--no-analyze").exit_code == 0
    stored = {(a["source"], a["where"]): a["body"] for a in json.loads(cli("articles", "--db", db, "--json").stdout)}
    for obj in printed:
        assert obj["body"] == stored[(obj["source"], obj["where"])]
        assert not obj["body"].startswith("Harbour wall vote")  # the headline is not body text
        check_analysis_json(obj, obj["body"])


def test_bad_files_are_reported_and_the_rest_analysed(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(ORTIZ_TEXT, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    missing = tmp_path / "missing.txt"
    folder = tmp_path / "folder"
    folder.mkdir()

    verbatim = cli("analyze", str(missing), str(empty), str(good), str(binary), str(folder), "--verbatim", "--json")
    assert verbatim.exit_code == 1
    assert [o["source"] for o in json_lines(verbatim.stdout)] == [str(good)]
    errors = verbatim.stderr
    assert f"{missing}: no such file or folder" in errors
    assert f"{empty}: empty input" in errors
    assert f"{binary}: binary content (NUL bytes), not text" in errors
    assert f"{folder}: is a folder" in errors
    assert "4 inputs could not be analysed" in errors

    article = tmp_path / "article.txt"
    article.write_text("Port Selby to build a sea wall\n\n" + ORTIZ_TEXT, encoding="utf-8")
    cleaned = cli("analyze", str(missing), str(good), str(article), str(empty), "--json")
    assert cleaned.exit_code == 1
    assert [o["source"] for o in json_lines(cleaned.stdout)] == [str(article)]
    assert f"{missing}: no such file or folder" in cleaned.stderr and f"{empty}: empty input" in cleaned.stderr
    # One line only: read as a headline, which leaves no body (as ingest would say).
    assert f"{good}: no article text left after cleaning" in cleaned.stderr


def test_readable_summary(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(CRLF_TEXT.encode("utf-8"))
    result = cli("analyze", str(path), "--verbatim")
    assert result.exit_code == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{path}: ") and "entities" in first and "quotes" in first
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.stdout)


@pytest.mark.parametrize("args, message", [
    (["x.txt", "--all"], "--all re-analyses the stored articles"),
    (["--verbatim"], "--verbatim needs FILEs"),
])
def test_option_mistakes(tmp_path, args, message):
    result = cli("analyze", *args, "--db", str(tmp_path / "s.db"))
    assert result.exit_code == 2 and message in result.stderr and result.stdout == ""


# --- analyze (stored articles), ingest --no-analyze ------------------------------------------


def test_ingest_no_analyze_then_analyze_the_store(store_url, tmp_path):
    write_text_articles(tmp_path / "in", 3)
    ingested = cli("ingest", str(tmp_path / "in"), "--db", store_url, "--no-analyze", "--json")
    assert ingested.exit_code == 0, ingested.stderr
    report = json.loads(ingested.stdout.strip().splitlines()[-1])
    assert len(report["added"]) == 3 and report["analysed"] is None and report["not_analysed"] == []
    store = open_store(store_url)
    try:
        assert store.unanalysed() == report["added"]
    finally:
        store.close()

    analysed = cli("analyze", "--db", store_url, "--json")
    assert analysed.exit_code == 0, analysed.stderr
    done = json.loads(analysed.stdout)
    assert done["due"] == 3 and done["analysed"] == report["added"] and done["not_analysed"] == []

    nothing = cli("analyze", "--db", store_url)
    assert nothing.exit_code == 0 and "nothing to analyse" in nothing.stdout

    again = json.loads(cli("analyze", "--all", "--db", store_url, "--json").stdout)
    assert again["due"] == 3 and again["analysed"] == report["added"]
    store = open_store(store_url)
    try:
        assert store.unanalysed(storyline.ANALYZER_VERSION) == []
        found = [store.analysis(i) for i in report["added"]]
        assert all(a is not None and a.article_id == i for a, i in zip(found, report["added"], strict=True))
        assert len(store.quotes()) == sum(len(a.quotes) for a in found)  # --all replaced, never added
    finally:
        store.close()


def test_ingest_analyses_by_default(tmp_path):
    write_text_articles(tmp_path / "in", 2)
    db = str(tmp_path / "s.db")
    result = cli("ingest", str(tmp_path / "in"), "--db", db, "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["analysed"] == report["added"] and len(report["added"]) == 2
    assert json.loads(cli("analyze", "--db", db, "--json").stdout)["due"] == 0


def test_an_analyzer_that_fails(tmp_path, monkeypatch):
    """Ingest keeps every article when analysis fails; analyze says so and exits 1."""
    import storyline.analyze

    from storyline.records import Analysis

    class Picky:
        def analyze(self, articles):
            for article in articles:
                if "report number 1 " in article.body:
                    raise ValueError("cannot parse this one")
                yield Analysis(article.id)

    monkeypatch.setattr(storyline.analyze, "Analyzer", Picky)
    write_text_articles(tmp_path / "in", 3)
    db = str(tmp_path / "s.db")
    result = cli("ingest", str(tmp_path / "in"), "--db", db, "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(report["added"]) == 3 and len(report["analysed"]) == 2 and report["skipped"] == []
    [failed] = report["not_analysed"]
    assert failed["source"].endswith("article-00001.txt") and "cannot parse this one" in failed["reason"]
    assert "not analysed" in result.stderr and "cannot parse this one" in result.stderr

    retry = cli("analyze", "--db", db)
    assert retry.exit_code == 1 and "0 articles analysed" in retry.stdout and "cannot parse this one" in retry.stderr

    def no_model(*args, **kwargs):
        raise OSError("no English spaCy model is installed")

    monkeypatch.setattr(storyline.analyze, "Analyzer", no_model)
    for args in (["analyze", "--db", db], ["analyze", str(tmp_path / "in" / "article-00000.txt")]):
        broken = cli(*args)
        assert broken.exit_code == 1 and "analyzer could not be loaded" in broken.stderr
        assert "no English spaCy model" in broken.stderr and broken.stdout == ""
    write_text_articles(tmp_path / "more", 1, start=7)
    kept = cli("ingest", str(tmp_path / "more"), "--db", db)
    assert kept.exit_code == 0 and "1 added" in kept.stdout
    assert "not analysed analyzer: the analyzer could not be loaded" in kept.stderr


def test_store_errors_exit_2(tmp_path):
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_text("this is not a database " * 100)
    for args in (["analyze"], ["people"], ["quotes"]):
        result = cli(*args, "--db", str(not_a_db))
        assert result.exit_code == 2 and "notes.db" in result.stderr


# --- people, quotes --------------------------------------------------------------------------


@pytest.fixture
def analysed_db(store_url):
    """A store holding two articles with hand-built analyses (see helpers.store_two_articles)."""
    store = open_store(store_url)
    try:
        ids, analyses = store_two_articles(store)
        people = {(found.article_id, found.entity.id): found.entity for found in store.entities("PERSON")}
    finally:
        store.close()
    return store_url, ids, analyses, people


def test_quotes(analysed_db):
    db, ids, analyses, _ = analysed_db
    result = cli("quotes", "--db", db, "--json")
    assert result.exit_code == 0, result.stderr
    listed = json.loads(result.stdout)
    expected = [q for a in analyses for q in a.quotes]
    assert [(q["article_id"], q["start"], q["end"], q["text"]) for q in listed] == [
        (q.article_id, q.start, q.end, q.text) for q in expected]
    first = listed[0]
    assert set(first) == {"article_id", "text", "start", "end", "kind", "cue", "speaker", "group"}
    assert first["kind"] == "direct" and first["cue"] == "said"
    assert first["speaker"] == {"name": "Ana Ortiz", "id": "p1", "mention": "Mayor Ana Ortiz",
                                "mention_start": expected[0].speaker_mention.start,
                                "mention_end": expected[0].speaker_mention.end, "anonymous": False}

    by_ortiz = json.loads(cli("quotes", "--db", db, "--speaker", "ana ortiz", "--json").stdout)
    assert [(q["article_id"], q["text"]) for q in by_ortiz] == [
        (ids[0], "We will build the wall,"), (ids[1], "work on the wall would start in May")]
    assert json.loads(cli("quotes", "--db", db, "--speaker", "Nobody", "--json").stdout) == []
    page = json.loads(cli("quotes", "--db", db, "--limit", "1", "--offset", "1", "--json").stdout)
    assert [q["text"] for q in page] == [expected[1].text]

    table = cli("quotes", "--db", db, "--speaker", "Ben Cole")
    assert table.exit_code == 0
    assert "Ben Cole" in table.stdout and "tide was rising" in table.stdout and "Ana Ortiz" not in table.stdout
    assert table.stdout.strip().endswith("1 quote")


def test_people(analysed_db):
    db, ids, _, stored = analysed_db
    result = cli("people", "--db", db, "--json")
    assert result.exit_code == 0, result.stderr
    listed = json.loads(result.stdout)
    assert listed
    members = []
    for identity in listed:
        assert set(identity) == {"id", "name", "type", "aliases", "roles", "articles", "members", "merges"}
        assert identity["type"] == "PERSON" and identity["name"]
        pairs = [(m["article_id"], m["entity_id"]) for m in identity["members"]]
        assert set(pairs) <= set(stored)  # every member is a stored PERSON entity
        assert identity["articles"] == len({a for a, _ in pairs})
        members += pairs
    assert len(members) == len(set(members))
    assert [i["articles"] for i in listed] == sorted((i["articles"] for i in listed), reverse=True)

    table = cli("people", "--db", db)
    assert table.exit_code == 0 and "Ben Cole" in table.stdout
    assert table.stdout.strip().endswith(f"{len(listed)} people")

    # A page at a time, in the same order, as JSON and as a table.
    assert len(listed) >= 2
    second = json.loads(cli("people", "--db", db, "--json", "--limit", "1", "--offset", "1").stdout)
    assert [p["id"] for p in second] == [listed[1]["id"]]
    page = cli("people", "--db", db, "--limit", "1", "--offset", "1")
    assert listed[1]["name"] in page.stdout and listed[0]["name"] not in page.stdout
    assert page.stdout.strip().endswith(f"2-2 of {len(listed)} people")


@pytest.mark.parametrize("command", ["people", "quotes"])
def test_listings_on_an_empty_store(tmp_path, command):
    assert cli("init", "--db", str(tmp_path / "new.db")).exit_code == 0
    result = cli(command, "--db", str(tmp_path / "new.db"), "--json")
    assert result.exit_code == 0 and json.loads(result.stdout) == []


# --- what the extractors should find on a plain case (pass once they do) ---------------------


def test_ortiz_quote_and_speaker(tmp_path):
    path = tmp_path / "ortiz.txt"
    path.write_text(ORTIZ_TEXT, encoding="utf-8")
    [obj] = json_lines(cli("analyze", str(path), "--verbatim", "--json").stdout)
    [quote] = [q for q in obj["quotes"] if "We will build the wall" in q["text"]]
    assert quote["kind"] == "direct" and quote["cue"] == "said"
    assert ORTIZ_TEXT[quote["start"] : quote["end"]] == quote["text"]
    assert quote["speaker"]["name"].endswith("Ana Ortiz") and not quote["speaker"]["anonymous"]
    assert quote["speaker"]["mention"] in ("Mayor Ana Ortiz", "Ana Ortiz")


def test_ortiz_name_without_title_and_mayor_as_role(tmp_path):
    path = tmp_path / "ortiz.txt"
    path.write_text(ORTIZ_TEXT, encoding="utf-8")
    [obj] = json_lines(cli("analyze", str(path), "--verbatim", "--json").stdout)
    [quote] = obj["quotes"]
    assert quote["speaker"]["name"] == "Ana Ortiz"
    [ortiz] = [e for e in obj["entities"] if e["type"] == "PERSON"]
    assert ortiz["name"] == "Ana Ortiz" and [r["title"] for r in ortiz["roles"]] == ["Mayor"]


def test_ortiz_stored_quote_found_by_speaker(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "wall.txt").write_text("Port Selby to build a sea wall\n\n" + ORTIZ_TEXT, encoding="utf-8")
    db = str(tmp_path / "s.db")
    assert cli("ingest", str(folder), "--db", db).exit_code == 0
    [quote] = json.loads(cli("quotes", "--db", db, "--speaker", "ana ortiz", "--json").stdout)
    assert "We will build the wall" in quote["text"] and quote["kind"] == "direct"
    people = json.loads(cli("people", "--db", db, "--json").stdout)
    assert [p["name"] for p in people] == ["Ana Ortiz"]


def test_quotes_by_surname_alias_or_person_id_and_reported_speech_without_marks(analysed_db):
    db, ids, analyses, _ = analysed_db
    by_name = json.loads(cli("quotes", "--db", db, "--speaker", "Ana Ortiz", "--json").stdout)
    assert by_name
    for query in ("Ortiz", "ortiz", " ANA ORTIZ "):
        found = json.loads(cli("quotes", "--db", db, "--speaker", query, "--json").stdout)
        assert [(q["article_id"], q["text"]) for q in found] == [(q["article_id"], q["text"]) for q in by_name], query
    people = json.loads(cli("people", "--db", db, "--json").stdout)
    ortiz = next(p for p in people if p["name"] == "Ana Ortiz")
    by_id = json.loads(cli("quotes", "--db", db, "--speaker", ortiz["id"], "--json").stdout)
    assert {q["text"] for q in by_id} == {q["text"] for q in by_name}
    assert json.loads(cli("quotes", "--db", db, "--speaker", "Ort", "--json").stdout) == []

    table = cli("quotes", "--db", db, "--speaker", "Ortiz").stdout
    indirect = next(q for a in analyses for q in a.quotes if q.kind == "indirect" and q.speaker == "Ana Ortiz")
    assert indirect.text in table and f"“{indirect.text}”" not in table
    assert "“We will build the wall,”" in table


GERMAN_TEXT = (
    "Bürgermeisterin Anna Ortmann hat am Dienstag angekündigt, dass die neue Brücke im Mai eröffnet wird. "
    "„Wir bauen die Brücke für die nächste Generation“, sagte sie vor Journalisten im Rathaus. "
    "Die Bauarbeiten sollen zwei Jahre dauern und werden von der Stadt bezahlt.\n"
)


def test_articles_not_in_english_are_skipped_with_a_note(store_url, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "en.txt").write_text("Harbour vote\n\n" + ORTIZ_TEXT * 3, encoding="utf-8")
    (folder / "de.txt").write_text("Neue Brücke\n\n" + GERMAN_TEXT, encoding="utf-8")
    ingested = cli("ingest", str(folder), "--db", store_url, "--json")
    assert ingested.exit_code == 0, ingested.stderr
    report = json.loads(ingested.stdout.strip().splitlines()[-1])
    assert len(report["added"]) == 2 and len(report["analysed"]) == 1 and report["not_analysed"] == []
    [note] = report["not_english"]
    assert note["source"].endswith("de.txt") and "written in de" in note["reason"] and "skipped" in note["reason"]
    assert "written in de" in ingested.stderr
    store = open_store(store_url)
    try:
        german = next(a for a in store.articles() if a.source.endswith("de.txt"))
        analysis = store.analysis(german.id)
        assert analysis is not None and analysis.quotes == () and analysis.entities == ()
        assert store.unanalysed() == []  # not due again: the note was given once
    finally:
        store.close()
    from_file = cli("analyze", str(folder / "de.txt"))
    assert from_file.exit_code == 1 and "written in de" in from_file.stderr
