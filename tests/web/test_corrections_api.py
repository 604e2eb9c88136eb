"""The corrections API (/api/v1/corrections) and page over a copy of the seeds store: each
kind made over HTTP lands in the store, bad requests say why, writes keep the write guards,
and the server's caches show the corrected people and stories at once."""

from __future__ import annotations

import json

import pytest
from helpers import seeds_with_people

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

import storyline  # noqa: E402
from storyline.web.api import create_app  # noqa: E402

BASE = "http://127.0.0.1:8000"

pytestmark = pytest.mark.slow  # each test copies the seeds store and links it (seconds)


@pytest.fixture
def db(seeds_store, tmp_path) -> str:
    return seeds_with_people(seeds_store, tmp_path / "seeds.db")


@pytest.fixture
def client(db):
    with TestClient(create_app(db), base_url=BASE) as c:
        yield c


def post(client, path: str, body: dict, **headers):
    return client.post("/api/v1/corrections" + path, content=json.dumps(body),
                       headers={"Content-Type": "application/json", **headers})


def test_merge_people_over_http_is_stored_listed_shown_and_undone(client, db):
    before = client.get("/api/people").json()
    people = before["items"] if isinstance(before, dict) else before
    keep, other = people[0]["id"], people[1]["id"]
    r = post(client, "/merge-people", {"keep": keep, "other": other, "reason": "same man"})
    assert r.status_code == 201, r.text
    made = r.json()
    assert (made["kind"], made["targets"], made["author"], made["reason"], made["active"]) == (
        "merge-people", [keep, other], "web", "same man", True)
    assert client.get("/api/v1/corrections").json()["items"] == [made]
    assert client.get(f"/api/v1/corrections/{made['id']}").json() == made
    with storyline.open(db) as desk:
        assert desk.store.person(other).id == keep
    # The people listing is cached per analysis state; a correction empties the cache.
    after = client.get("/api/people").json()
    after = after["items"] if isinstance(after, dict) else after
    assert other not in {p["id"] for p in after} and keep in {p["id"] for p in after}
    page = client.get("/corrections")
    assert page.status_code == 200 and "same man" in page.text and f'data-testid="undo-{made["id"]}"' in page.text
    r = post(client, f"/{made['id']}/undo", {"author": "ana"})
    assert r.status_code == 200 and r.json()["undone_by"] == "ana" and r.json()["active"] is False
    r = post(client, f"/{made['id']}/undo", {})
    assert r.status_code == 422 and "undone already" in r.json()["error"]["message"]
    with storyline.open(db) as desk:
        assert desk.store.person(other).id == other
    assert client.get("/api/v1/corrections?active=true").json()["items"] == []


def test_story_and_quote_corrections_over_http(client, db):
    with storyline.open(db) as desk:
        (story,) = desk.stories()
        article = next(a for a in story.article_ids if desk.store.analysis(a).quotes)
    r = post(client, "/split-story", {"story": story.id, "articles": [article], "reason": "another event",
                                      "author": "ana"})
    assert r.status_code == 201, r.text
    new_story = r.json()["payload"]["story"]
    assert client.get(f"/api/stories/{new_story}").status_code == 200
    shown = client.get(f"/stories/{new_story}")
    assert shown.status_code == 200 and 'data-testid="corrections-here"' in shown.text and "another event" in shown.text
    r = post(client, "/move-article", {"article": article, "story": story.id, "reason": "no, the same event"})
    assert r.status_code == 201, r.text
    r = post(client, "/quote-speaker", {"article": article, "quote": 1, "speaker": "Jane Testperson",
                                        "reason": "named in the next line"})
    assert r.status_code == 201, r.text
    with storyline.open(db) as desk:
        assert desk.store.story_of(article) == story.id
        assert desk.store.analysis(article).quotes[0].speaker == "Jane Testperson"
        assert [c.kind for c in desk.corrections()] == ["quote-speaker", "move-article", "split-story"]
    shown = client.get(f"/articles/{article}").text
    assert "Jane Testperson" in shown and "named in the next line" in shown and "no, the same event" in shown


@pytest.mark.parametrize(("path", "body", "status", "says"), [
    ("/merge-people", {"keep": "nobody", "other": "none", "reason": "r"}, 422, "no person 'nobody'"),
    ("/merge-people", {"keep": "a", "other": "b"}, 422, "reason"),
    ("/merge-people", {"keep": "a", "other": "b", "reason": ""}, 422, "reason"),
    ("/quote-speaker", {"article": "0", "quote": 0, "speaker": "X", "reason": "r"}, 422, "quote"),
    ("/split-story", {"story": "ffff", "articles": ["0"], "reason": "r"}, 422, "no story"),
    ("/9999/undo", {}, 422, "no correction 9999"),
])
def test_bad_corrections_are_refused_with_the_reason(client, path, body, status, says):
    r = post(client, path, body)
    assert r.status_code == status, r.text
    assert says in r.json()["error"]["message"]
    assert client.get("/api/v1/corrections").json()["items"] == []


def test_writes_keep_the_guards(client, db):
    body = {"keep": "a", "other": "b", "reason": "r"}
    assert post(client, "/merge-people", body, Origin="http://evil.example").status_code == 403
    r = client.post("/api/v1/corrections/merge-people", content="keep=a&other=b&reason=r",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 415
    with TestClient(create_app(db, token="s3cret"), base_url=BASE) as locked:
        assert post(locked, "/merge-people", body).status_code == 401
        r = post(locked, "/merge-people", body, Authorization="Bearer s3cret")
        assert r.status_code == 422  # past the token: the ids are unknown

