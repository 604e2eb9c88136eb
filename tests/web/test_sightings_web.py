"""Sightings in the web app and the API: a POSTed copy of a stored text from another outlet is
reported as a sighting, shown on the article page ("Also published by", escaped, only http(s)
links) and in the article and story answers (their models validate them). A real SQLite
store under FastAPI's TestClient."""

from __future__ import annotations

from urllib.parse import quote

import pytest

pytest.importorskip("fastapi")

from storyline.ingest.convert import content_hash  # noqa: E402
from storyline.records import Article, Story  # noqa: E402
from storyline.store import open_store  # noqa: E402
from storyline.store.records import Membership  # noqa: E402
from storyline.web import models as m  # noqa: E402
from test_api import HARBOUR, client, db, post  # noqa: E402,F401 - fixtures used by name

HOSTILE = '<script>alert("x")</script>'


def test_a_copy_from_another_outlet_is_a_sighting_everywhere(client, db):
    first = post(client, HARBOUR).json()["items"][0]
    copy = HARBOUR | {"url": "https://other.test/harbour", "outlet": "Bay " + HOSTILE,
                      "title": "Wall <b>approved</b>", "published": "2026-03-03"}
    r = post(client, copy).json()
    assert r["items"] == [{"index": 0, "status": "present", "id": first["id"], "sighting": True}]
    assert (r["present"], r["sightings"]) == (1, 1)
    m.IngestResult.model_validate(r)
    again = post(client, copy).json()
    assert again["sightings"] == 0 and "sighting" not in again["items"][0]

    # A copy whose URL is no web address: kept by outlet, shown, never a link.
    body = client.get(f"/api/v1/articles/{first['id']}").json()["body"]
    digest = content_hash(body)
    store = open_store(db)
    try:
        sneaky = Article(id=digest[:16], content_hash=digest, body=body, source="/home/desk/x.txt",
                         url="javascript:alert(1)", outlet="Sneaky Sheet")
        assert store.add_articles([sneaky])[0].sighting
        store.put_stories([Story(first["id"], "Harbour wall", first="2026-03-02", last="2026-03-03")],
                          [Membership(first["id"], first["id"], 0)], [], "1", "2026-03-04")
    finally:
        store.close()

    article = client.get(f"/api/v1/articles/{first['id']}").json()
    m.ArticleOut.model_validate(article)
    seen = article["also_published"]
    assert [(s["outlet"], s["url"], s["published"]) for s in seen] == [
        ("Bay " + HOSTILE, "https://other.test/harbour", "2026-03-03"), ("Sneaky Sheet", "javascript:alert(1)", None)]
    assert seen[1]["source"] == "x.txt"  # no local path in the API

    story = client.get(f"/api/v1/stories/{first['id']}").json()
    m.StoryOut.model_validate(story)
    assert [s["outlet"] for s in story["articles"][0]["sightings"]] == ["Bay " + HOSTILE, "Sneaky Sheet"]
    assert story["outlets"] == [HARBOUR["outlet"], "Bay " + HOSTILE, "Sneaky Sheet"]

    page = client.get(f"/articles/{first['id']}").text
    assert "Also published by" in page and 'data-testid="also-published"' in page
    assert HOSTILE not in page and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "Wall &lt;b&gt;approved&lt;/b&gt;" in page
    assert 'href="https://other.test/harbour"' in page
    assert 'href="javascript:' not in page and "<code>javascript:alert(1)</code>" in page

    story_page = client.get(f"/stories/{first['id']}").text
    assert 'data-testid="member-also"' in story_page and HOSTILE not in story_page
    assert "<dt>Outlets</dt><dd>3</dd>" in story_page

    # The outlets that only ran the copy: listed (API and page) and with a page, escaped.
    listed = client.get("/api/v1/outlets").json()
    sighted = {o["outlet"]: (o["articles"], o["sighted"]) for o in listed["items"]}
    assert sighted == {HARBOUR["outlet"]: (1, 0), "Bay " + HOSTILE: (0, 1), "Sneaky Sheet": (0, 1)}
    for o in listed["items"]:
        m.OutletSummary.model_validate(o)
    bay = client.get("/api/v1/outlets/" + quote("Bay " + HOSTILE, safe="")).json()
    m.OutletOut.model_validate(bay)
    assert (bay["articles"], bay["sighted"]) == (0, 1)
    assert [(s["article_id"], s["url"]) for s in bay["sighted_latest"]] == [(first["id"], "https://other.test/harbour")]
    assert [s["id"] for s in bay["stories"]] == [first["id"]]
    sneaky = client.get("/api/v1/outlets/Sneaky%20Sheet").json()
    assert sneaky["sighted_latest"][0]["source"] == "x.txt"  # no local path in the API
    outlets_page = client.get("/outlets").text
    assert HOSTILE not in outlets_page and "Also ran" in outlets_page
    bay_page = client.get("/outlets/" + quote("Bay " + HOSTILE, safe=""))
    assert bay_page.status_code == 200 and HOSTILE not in bay_page.text
    assert 'data-testid="outlet-sighted"' in bay_page.text and f'href="/articles/{first["id"]}"' in bay_page.text
    assert "also ran 1 stored text word for word" in bay_page.text and "No article of its own." in bay_page.text

    # The briefing's sources say who else ran each text (escaped in HTML, listed in JSON).
    brief = client.get(f"/api/v1/stories/{first['id']}/brief").json()
    [source] = brief["sources"]
    assert source["also_published"] == ["Bay " + HOSTILE, "Sneaky Sheet"]
    html = client.get(f"/api/v1/stories/{first['id']}/brief?format=html").text
    assert "also run by Bay &lt;script&gt;" in html and HOSTILE not in html
    assert "also run by Bay" in client.get(f"/api/v1/stories/{first['id']}/brief?format=md").text


def test_the_story_page_shows_a_sighting_recorded_after_it_was_rendered(client, db):
    first = post(client, HARBOUR).json()["items"][0]
    store = open_store(db)
    try:
        store.put_stories([Story(first["id"], "Harbour wall", first="2026-03-02", last="2026-03-02")],
                          [Membership(first["id"], first["id"], 0)], [], "1", "2026-03-04")
    finally:
        store.close()
    before = client.get(f"/stories/{first['id']}").text
    assert "<dt>Outlets</dt><dd>1</dd>" in before and "member-also" not in before
    assert client.get(f"/api/v1/stories/{first['id']}").json()["articles"][0]["sightings"] == []
    assert client.get(f"/api/v1/stories/{first['id']}/brief").json()["sources"][0]["also_published"] == []
    assert "Late Ledger" not in client.get("/").text + client.get("/articles").text  # outlet filters kept
    assert post(client, HARBOUR | {"url": "https://late.test/wall", "outlet": "Late Ledger"}).json()["sightings"] == 1
    after = client.get(f"/stories/{first['id']}").text
    assert "<dt>Outlets</dt><dd>2</dd>" in after and "Late Ledger" in after
    api = client.get(f"/api/v1/stories/{first['id']}").json()
    assert [s["outlet"] for s in api["articles"][0]["sightings"]] == ["Late Ledger"]
    # The outlet filter lists, kept by the store's counts, list the outlet that only ran a copy.
    assert "Late Ledger" in client.get("/").text and "Late Ledger" in client.get("/articles").text
    # The briefing kept from before the sighting is made again with it. The article's own outlet
    # at another URL (its name in other case) is no other outlet.
    assert post(client, HARBOUR | {"url": "https://late.test/wall-2", "outlet": HARBOUR["outlet"].upper()}
                ).json()["sightings"] == 1
    brief = client.get(f"/api/v1/stories/{first['id']}/brief").json()
    assert brief["sources"][0]["also_published"] == ["Late Ledger"]


def test_an_article_that_started_a_story_merged_in_later_says_how_it_joined(client, db):
    """The story page and /api/v1/stories/{id} read the merge that brought a founder's story in
    (StoryReport.merged, one read for all such founders): the page's reason names the article
    that matched both by its title, escaped."""
    import json

    from storyline.store.records import StoryMerge

    first = post(client, HARBOUR).json()["items"][0]
    second = post(client, HARBOUR | {"url": "https://bay.test/wall", "title": "Wall " + HOSTILE,
                                     "text": HARBOUR["text"] + " Fishermen welcomed the plan."}).json()["items"][0]
    a, b = first["id"], second["id"]
    founded = json.dumps({"kind": "founded", "join_threshold": 1.5, "nearest_story": a, "nearest_score": 1.2})
    merge = StoryMerge(b, a, "2026-03-04T00:00:00+00:00",
                       json.dumps({"absorbed": b, "into": a, "by": b, "rule": "converge", "score": 1.5844}))
    store = open_store(db)
    try:
        store.put_stories([Story(a, "Harbour wall", article_ids=(a, b), first="2026-03-02", last="2026-03-02")],
                          [Membership(a, a, 0, json.dumps({"kind": "founded"})), Membership(b, a, 1, founded)],
                          [b], "1", "2026-03-04", merges=[merge])
    finally:
        store.close()
    answer = client.get(f"/api/v1/stories/{a}").json()
    m.StoryOut.model_validate(answer)
    rows = {x["id"]: x for x in answer["articles"]}
    assert rows[b]["merged"]["rule"] == "converge" and rows[a]["merged"] is None
    page = client.get(f"/stories/{a}").text
    assert "Started this story." in page  # the story's own founder
    assert ("Started a story of its own: the nearest story scored 1.20, below the 1.50 needed to join it; that "
            "story joined this one later, when “Wall &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;” matched both "
            "(score 1.58).") in page
    assert HOSTILE not in page
