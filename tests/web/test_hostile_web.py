"""The server against a hostile web: cross-origin writes (CSRF), rebound host names, huge
offsets, deeply nested and huge-number JSON bodies, internal errors, and a flood of POSTs.
Requests go through FastAPI's TestClient to the real app over a temporary SQLite store."""

from __future__ import annotations

import json
import threading

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

from storyline.web.api import MAX_OFFSET, create_app  # noqa: E402
from storyline.web.ingest import MAX_WAITING  # noqa: E402

LOCAL = "http://127.0.0.1:8000"
ARTICLE = {"title": "Harbour wall approved by the council",
           "text": "Port Selby council voted on Monday to build a new harbour wall. "
                   "Mayor Ana Ortiz said the work would start in April."}


@pytest.fixture
def app(tmp_path):
    return create_app(str(tmp_path / "web.db"))


@pytest.fixture
def client(app):
    with TestClient(app, base_url=LOCAL, raise_server_exceptions=False) as c:
        yield c


def post(client, body, **headers):
    return client.post("/api/articles?analyze=false", content=body if isinstance(body, (bytes, str)) else json.dumps(body),
                       headers={"Content-Type": "application/json", **headers})


def stored(client) -> int:
    return client.get("/api/v1/articles").json()["total"]


@pytest.mark.parametrize("headers", [
    {"Origin": "https://evil.example"},
    {"Origin": "null"},
    {"Origin": "http://127.0.0.1:9999"},  # another port is another origin
    {"Origin": "http://localhost.evil.example:8000"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},
])
def test_cross_origin_writes_are_refused(client, headers):
    r = post(client, ARTICLE, **headers)
    assert r.status_code == 403 and "own pages" in r.json()["error"]["message"]
    assert stored(client) == 0


def test_a_text_plain_post_is_refused_even_without_origin(client):
    r = client.post("/api/articles?analyze=false", content=json.dumps(ARTICLE), headers={"Content-Type": "text/plain"})
    assert r.status_code == 415 and "must be JSON" in r.json()["error"]["message"]
    r = client.post("/api/articles?analyze=false", data={"text": "x"})
    assert r.status_code == 415
    assert stored(client) == 0


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.nip.io:8000", "", "0.0.0.0:8000"])
def test_requests_for_another_host_name_are_refused(client, host):
    for r in (client.get("/api/articles", headers={"Host": host}), post(client, ARTICLE, Host=host),
              client.get("/", headers={"Host": host})):
        assert r.status_code == 403
    assert r.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert stored(client) == 0


def test_same_origin_and_non_browser_writes_are_accepted(client):
    assert post(client, ARTICLE, Origin=LOCAL, **{"Sec-Fetch-Site": "same-origin"}).status_code == 201
    assert post(client, {**ARTICLE, "title": "Another"}, Host="localhost:8000").status_code in (200, 201)
    assert client.get("/api", headers={"Host": "[::1]:8000"}).status_code == 200
    assert stored(client) == 1  # the second post is the same text: already present


@pytest.mark.parametrize("path", ["/api/articles", "/api/stories", "/api/quotes", "/api/people", "/api/search?q=x&"])
@pytest.mark.parametrize("offset", [str(2 ** 63), str(2 ** 64), "9" * 5000, "-1", "1e3", str(MAX_OFFSET + 1)])
def test_out_of_range_offsets_are_422_json(client, path, offset):
    sep = "" if path.endswith("&") else "?"
    r = client.get(f"{path}{sep}offset={offset}")
    assert r.status_code == 422 and "offset" in r.json()["error"]["message"]


@pytest.mark.parametrize("value", [str(2 ** 63), "9" * 5000, "-5"])
def test_out_of_range_offsets_on_the_story_list_page_are_an_html_page(client, value):
    r = client.get(f"/?offset={value}")
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in r.headers["content-security-policy"]


@pytest.mark.parametrize("body", [
    "[" * 100_000,
    "[" * 100_000 + "]" * 100_000,
    '{"text": "x", "n": ' + "9" * 5000 + "}",
    "9" * 5000,
    b"\xff\xfe{}",
])
def test_hostile_json_bodies_are_400_json(client, body):
    r = post(client, body)
    assert r.status_code == 400 and r.json()["error"]["message"].startswith("malformed JSON")
    assert r.headers["content-security-policy"]


def test_deep_but_parseable_nesting_inside_an_item_costs_only_that_item(client):
    # Blank text, so the item is skipped (a one-line text would be kept as its body).
    deep = '{"text": "   ", "extra": ' + "[" * 900 + "]" * 900 + "}"
    r = post(client, "[" + deep + "," + json.dumps(ARTICLE) + "]")
    assert r.status_code == 201, r.text
    assert [i["status"] for i in r.json()["items"]] == ["skipped", "added"]


def test_an_internal_error_is_json_under_api_and_html_with_csp_elsewhere(app, client):
    def broken(*_a, **_k):
        raise ZeroDivisionError("boom")

    pool = app.state.pool
    original = pool.desk
    pool.desk = broken  # a bug anywhere in a request
    try:
        api = client.get("/api/articles")
        page = client.get("/")
    finally:
        pool.desk = original
    assert api.status_code == 500 and api.json() == {"error": {"status": 500, "message": "internal error; see the server log"}}
    assert "boom" not in api.text and "Traceback" not in api.text
    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "boom" not in page.text


def test_a_full_ingest_queue_answers_429_and_reads_go_on(app, client):
    gate = app.state.ingest_gate
    release = threading.Event()
    import asyncio

    # Fill the queue with ingests that wait (the one running and MAX_WAITING queued).
    loop = asyncio.new_event_loop()
    held = [loop.create_task(gate.run(release.wait)) for _ in range(1 + MAX_WAITING)]
    runner = threading.Thread(target=loop.run_until_complete, args=(asyncio.gather(*held),))
    runner.start()
    try:
        for _ in range(100):
            if gate.pending == 1 + MAX_WAITING:
                break
            threading.Event().wait(0.02)
        r = post(client, ARTICLE)
        assert r.status_code == 429 and r.headers["retry-after"] == "10"
        assert "try again" in r.json()["error"]["message"]
        assert client.get("/api/articles").status_code == 200  # reads are not queued behind ingests
    finally:
        release.set()
        runner.join(timeout=30)
        loop.close()
    assert gate.pending == 0
    assert post(client, ARTICLE).status_code == 201
