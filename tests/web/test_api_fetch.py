"""POST /api/articles with only a URL fetches the page (a real local HTTP server; loopback is
allowed only with STORYLINE_ALLOW_PRIVATE=1, as a server must not be made to reach its own
network)."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

from http_site import Route, Site, article_page  # noqa: E402
from storyline.web.api import create_app  # noqa: E402


@pytest.fixture
def site():
    s = Site().start()
    s.routes["/harbour.html"] = Route(article_page("Harbour budget report"))
    yield s
    s.stop()


def post(client, payload):
    return client.post("/api/articles", content=json.dumps(payload), params={"analyze": "false"},
                       headers={"Content-Type": "application/json"})


def test_a_url_alone_is_fetched(site, tmp_path, monkeypatch):
    monkeypatch.setenv("STORYLINE_ALLOW_PRIVATE", "1")
    with TestClient(create_app(str(tmp_path / "api.db")), base_url="http://127.0.0.1:8000") as client:
        r = post(client, {"url": f"{site.base}/harbour.html"})
        assert r.status_code == 201, r.text
        [item] = r.json()["items"]
        assert item["status"] == "added" and item["id"]
        article = client.get(f"/api/articles/{item['id']}").json()
        assert article["title"] == "Harbour budget report" and article["url"] == f"{site.base}/harbour.html"
        assert "Paragraph 3 of harbour budget report" in article["body"]
        missing = post(client, {"url": f"{site.base}/gone.html"}).json()["items"][0]
        assert missing["status"] == "skipped" and "HTTP 404" in missing["reasons"][0]


def test_a_url_on_a_private_address_is_refused_by_default(site, tmp_path, monkeypatch):
    monkeypatch.delenv("STORYLINE_ALLOW_PRIVATE", raising=False)
    with TestClient(create_app(str(tmp_path / "api.db")), base_url="http://127.0.0.1:8000") as client:
        [item] = post(client, {"url": f"{site.base}/harbour.html"}).json()["items"]
    assert item["status"] == "skipped" and "non-public address" in item["reasons"][0]
    assert site.hits == []


def test_api_search_gives_ranked_items_with_snippets(tmp_path):
    with TestClient(create_app(str(tmp_path / "api.db")), base_url="http://127.0.0.1:8000") as client:
        post(client, [{"title": "Backstop talks", "outlet": "inews", "published": "2025-02-17",
                       "text": "Britain is pressing the US over a backstop for a peacekeeping force."},
                      {"title": "Ferry", "outlet": "BBC", "text": "The ferry was cancelled; no backstop there."}])
        data = client.get("/api/v1/search", params={"q": "backstop"}).json()
        assert [i["title"] for i in data["items"]] == ["Backstop talks", "Ferry"]  # the title match first
        for item in data["items"]:
            assert [item["snippet"][s:e].lower() for s, e in item["highlights"]] == ["backstop"] * len(item["highlights"])
            assert item["highlights"] and "body" not in item and item["rank"] > 0  # lists give summaries
        only = client.get("/api/v1/search", params={"q": "backstop", "outlet": "The i Paper"}).json()["items"]
        assert [i["title"] for i in only] == ["Backstop talks"]
        assert client.get("/api/v1/search", params={"q": "backstop", "story": "abc"}).status_code == 404
