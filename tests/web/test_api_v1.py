"""The API's conventions (storyline/web/api_reads.py, web/paging.py, web/api_exports.py): the
/api/v1 prefix with the old paths redirecting, one list envelope with totals and next/prev
links, filters on articles and stories, summaries in lists, no local paths, ETags, and the
exports of every list. A real SQLite store under FastAPI's TestClient."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

pytest.importorskip("fastapi")

from storyline.ingest.convert import content_hash  # noqa: E402
from storyline.records import Analysis, Article, Entity, Quote, ReusePair, Story  # noqa: E402
from storyline.store import open_store  # noqa: E402
from storyline.store.records import Membership  # noqa: E402
from test_api import client, db, error_of, note, post  # noqa: E402,F401 - fixtures used by name


@pytest.fixture
def site(client, db):
    """Five posted notes, two outlets, dates, a story of three, a person and a reuse pair."""
    items = [note(i, "regatta") | {"outlet": "Quay Times" if i % 2 else "Harbour Post",
                                   "published": f"2026-04-0{i + 1}"} for i in range(5)]
    ids = [i["id"] for i in post(client, items).json()["items"]]
    store = open_store(db)
    try:
        store.put_analyses([Analysis(ids[0], entities=(Entity("e1", "Ana Ortiz", "PERSON"),),
                                     quotes=(Quote(ids[0], "crews had entered", 0, 10, "indirect",
                                                   speaker="Ana Ortiz", speaker_id="e1"),))], "test")
        store.put_stories([Story(ids[0], "Regatta", first="2026-04-01", last="2026-04-03")],
                          [Membership(a, ids[0], n) for n, a in enumerate(ids[:3])], [], "1", "2026-04-09")
        store.put_reuse([ReusePair(ids[0], ids[1], "rewrite", 0.9, 0.8)], "test")
        # An article ingested from a file on this machine: its path must not leak.
        body = "A file from the desk's own disk."
        store.add_articles([Article(id=content_hash(body)[:16], content_hash=content_hash(body), body=body,
                                    source="/home/desk/private/a.txt", title="Local")])
    finally:
        store.close()
    client.ids = ids
    return client


def test_a_persons_members_come_a_page_at_a_time(site, db):
    """/api/v1/people/{id} answers with a page of the person's members (members_limit,
    members_offset: in the store's order) and their total; an absorbed id answers for the
    identity that absorbed it, with its members."""
    from storyline.store.records import PersonMember, PersonRedirect, StoredPerson

    store = open_store(db)
    try:
        members = tuple(PersonMember(site.ids[k % 5], f"m{k}", "same name") for k in range(7))
        lund = StoredPerson("pbig", "Ana Lund", "PERSON", (), (), (), members, (), (), ("surname:lund",))
        other = (PersonMember(site.ids[0], "x0", "same name"),)
        store.put_people([lund, lund._replace(id="pold", members=other)], [], [], "test", "2026-04-09")
        store.put_people([lund], [PersonRedirect("pold", "pbig")], [], "test", "2026-04-09")
    finally:
        store.close()
    whole = site.get("/api/v1/people/pbig").json()
    assert whole["members_total"] == 7 and len(whole["members"]) == 7 and whole["articles"] == 5
    assert whole["members"] == sorted(whole["members"], key=lambda mb: (mb["article_id"], mb["entity_id"]))
    pages = [site.get("/api/v1/people/pbig", params={"members_limit": 3, "members_offset": k}).json()
             for k in (0, 3, 6)]
    assert [mb for p in pages for mb in p["members"]] == whole["members"]
    assert all(p["members_total"] == 7 and p["articles"] == 5 for p in pages) and pages[2]["members_offset"] == 6
    assert site.get("/api/v1/people/pbig", params={"members_limit": 0}).json()["members"] == []
    assert site.get("/api/v1/people/pold").json()["id"] == "pbig"
    assert site.get("/api/v1/people/pbig", params={"members_limit": 10001}).status_code == 422


def test_the_reuse_list_pages_in_the_store(site, db):
    """/api/v1/reuse reads its page from the store (the whole list's order, its total counted
    there); ?all=true counts the independent pairs too; an unknown article is a 404."""
    ids = site.ids
    store = open_store(db)
    try:
        store.put_reuse([ReusePair(ids[a], ids[b], kind, 0.8, cov) for a, b, kind, cov in
                         [(1, 2, "partial", 0.5), (2, 3, "syndicated", 0.95), (3, 4, "independent", 0.1),
                          (0, 4, "rewrite", 0.5)]], "test")
    finally:
        store.close()
    whole = site.get("/api/v1/reuse").json()
    assert whole["total"] == 4 and [p["coverage"] for p in whole["items"]] == sorted(
        (p["coverage"] for p in whole["items"]), reverse=True)
    walk, seen = site.get("/api/v1/reuse", params={"limit": 3}).json(), []
    while True:
        assert walk["total"] == 4
        seen += walk["items"]
        if not walk["next"]:
            break
        walk = site.get(walk["next"]).json()
    assert seen == whole["items"]
    assert site.get("/api/v1/reuse", params={"all": "true"}).json()["total"] == 5
    one = site.get("/api/v1/reuse", params={"article": ids[4], "limit": 1}).json()
    assert one["total"] == 1 and len(one["items"]) == 1
    assert site.get("/api/v1/reuse", params={"article": "ffffffffffff"}).status_code == 404


def test_old_paths_redirect_permanently_with_their_query(site):
    r = site.get("/api/articles?limit=2&outlet=Quay%20Times", follow_redirects=False)
    assert r.status_code == 308 and r.headers["location"] == "/api/v1/articles?limit=2&outlet=Quay%20Times"
    assert site.get("/api", follow_redirects=False).headers["location"] == "/api/v1"
    # Followed: the same answer as the new path; a POST keeps its method and body.
    assert site.get("/api/articles?limit=2").json() == site.get("/api/v1/articles?limit=2").json()
    assert post(site, note(9, "fair")).status_code == 201
    moved = site.post("/api/articles", params={"analyze": "false"}, content=json.dumps(note(10, "fair")),
                      follow_redirects=False)
    assert moved.status_code == 308 and moved.headers["location"].startswith("/api/v1/articles?")
    assert "no such endpoint" in error_of(site.get("/api/v1/nothing"), 404)  # no redirect loop
    spec = site.get("/openapi.json").json()
    assert all(p.startswith("/api/v1") for p in spec["paths"])


def test_every_list_has_one_envelope_with_totals_and_links(site):
    for path in ("/api/v1/articles", "/api/v1/stories", "/api/v1/quotes", "/api/v1/people", "/api/v1/reuse",
                 "/api/v1/outlets", "/api/v1/search?q=regatta"):
        data = site.get(path).json()
        assert set(data) == {"items", "total", "limit", "offset", "next", "prev"}, path
        assert data["total"] == len(data["items"]) and data["next"] is None and data["prev"] is None, path
    first = site.get("/api/v1/articles", params={"limit": 2, "outlet": "quay times"}).json()
    assert first["total"] == 2 and len(first["items"]) == 2 and first["next"] is None
    walk = site.get("/api/v1/search", params={"q": "regatta", "limit": 2}).json()
    assert walk["total"] == 5 and walk["prev"] is None
    seen = [a["id"] for a in walk["items"]]
    while walk["next"]:
        assert "q=regatta" in walk["next"] and "limit=2" in walk["next"]
        walk = site.get(walk["next"]).json()
        seen += [a["id"] for a in walk["items"]]
    assert sorted(seen) == sorted(site.ids) and walk["prev"].endswith("offset=2")


def test_article_and_story_filters(site):
    ids = site.ids

    def listed(**params) -> list[str]:
        data = site.get("/api/v1/articles", params=params).json()
        assert data["total"] == len(data["items"])
        return [a["id"] for a in data["items"]]

    assert listed(outlet="Harbour Post") == [ids[0], ids[2], ids[4]]
    assert listed(since="2026-04-02", until="2026-04-03") == ids[1:3]
    assert listed(story=ids[0][:8]) == ids[:3]
    assert listed(person="ortiz") == ids[:1]
    assert listed(story=ids[0], outlet="quay times") == [ids[1]]
    assert "no story" in error_of(site.get("/api/v1/articles", params={"story": "ffffff"}), 404)
    assert "since" in error_of(site.get("/api/v1/articles", params={"since": "April"}), 422)
    stories = site.get("/api/v1/stories", params={"outlet": "Quay Times"}).json()
    assert stories["total"] == 1 and stories["items"][0]["articles"] == 3
    assert site.get("/api/v1/stories", params={"since": "2026-05-01"}).json()["total"] == 0
    assert site.get("/api/v1/stories", params={"q": "regatta", "person": "ortiz"}).json()["total"] == 1


def test_lists_give_summaries_and_no_local_paths(site):
    articles = site.get("/api/v1/articles").json()["items"]
    assert all("body" not in a and "fields" not in a for a in articles)
    local = next(a for a in articles if a["title"] == "Local")
    assert local["source"] == "a.txt"  # stored as /home/desk/private/a.txt: the file name only
    assert site.get(f"/api/v1/articles/{local['id']}").json()["source"] == "a.txt"
    assert {a["source"] for a in articles} == {"a.txt", "POST /api/articles"}
    person = site.get("/api/v1/people").json()["items"][0]
    assert set(person) == {"id", "name", "type", "aliases", "roles", "articles"}
    full = site.get(f"/api/v1/people/{person['id']}").json()
    assert full["members"] == [{"article_id": site.ids[0], "entity_id": "e1"}]
    assert (full["members_total"], full["members_offset"]) == (1, 0)
    assert "no person" in error_of(site.get("/api/v1/people/nobody"), 404)
    story = site.get("/api/v1/stories").json()["items"][0]
    assert "article_ids" not in story and story["articles"] == 3


def test_reads_carry_an_etag_and_answer_304(site):
    r = site.get("/api/v1/articles")
    tag = r.headers["etag"]
    assert tag.startswith('W/"') and r.headers["cache-control"] == "no-cache"
    again = site.get("/api/v1/articles", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    assert site.get("/api/v1/articles", headers={"If-None-Match": tag.removeprefix("W/")}).status_code == 304
    post(site, note(20, "fair"))  # the list changed: a new tag, a full answer
    changed = site.get("/api/v1/articles", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag
    one = site.get(f"/api/v1/articles/{site.ids[0]}")
    assert site.get(f"/api/v1/articles/{site.ids[0]}", headers={"If-None-Match": one.headers["etag"]}).status_code == 304


def test_exports_of_every_list_with_its_filters(site):
    r = site.get("/api/v1/export/articles.csv", params={"outlet": "Quay Times"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="storyline-articles.csv"' in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["id"] for row in rows] == [site.ids[1], site.ids[3]]
    assert rows[0]["story_id"] == site.ids[0] and "crews" in rows[0]["body"] and rows[1]["story_id"] == ""
    objects = site.get("/api/v1/export/articles.json", params={"story": site.ids[0]}).json()
    assert [o["id"] for o in objects] == site.ids[:3] and objects[0]["body"]
    assert {o["source"] for o in site.get("/api/v1/export/articles.json").json()} == {"a.txt", "POST /api/articles"}
    for kind in ("quotes", "people", "reuse", "stories"):
        for fmt in ("csv", "json", "parquet"):
            got = site.get(f"/api/v1/export/{kind}.{fmt}")
            assert got.status_code == 200 and got.content, (kind, fmt)
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(site.get("/api/v1/export/reuse.parquet").content))
    assert table.num_rows == 1 and table.column("kind").to_pylist() == ["rewrite"]
    assert len(site.get("/api/v1/export/quotes.json", params={"speaker": "Ana Ortiz"}).json()) == 1
    assert site.get("/api/v1/export/stories.json", params={"outlet": "Nobody"}).json() == []
    graph = ET.fromstring(site.get("/api/v1/export/provenance.graphml").content)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(graph.findall(".//g:edge", ns)) == 1 and len(graph.findall(".//g:node", ns)) == 6
    assert site.get("/api/v1/export/network.graphml").headers["content-type"].startswith("application/graphml")
    error_of(site.get("/api/v1/export/articles.graphml"), 422)  # a table is not a graph
    error_of(site.get("/api/v1/export/articles.xlsx"), 422)


def test_list_pages_link_their_exports_with_their_filters(site):
    import html

    page = site.get("/", params={"outlet": "Quay Times", "since": "2026-04-01"}).text
    links = [html.unescape(h) for h in re_hrefs(page) if "/export/" in h]
    assert "/api/v1/export/stories.csv?outlet=Quay+Times&since=2026-04-01" in links
    for link in links:  # every link answers a file with the page's filters applied
        assert site.get(link).status_code == 200, link
    outlet = site.get("/outlets/Quay Times").text
    (csv_link,) = [html.unescape(h) for h in re_hrefs(outlet) if h.endswith("articles.csv?outlet=Quay+Times")]
    assert len(list(csv.DictReader(io.StringIO(site.get(csv_link).text)))) == 2
    graphs = [h for h in re_hrefs(site.get("/outlets").text) if h.endswith(".graphml")]
    assert graphs == ["/api/v1/export/provenance.graphml", "/api/v1/export/network.graphml"]
    assert all(site.get(g).status_code == 200 for g in graphs)


def re_hrefs(page: str) -> list[str]:
    import re

    return re.findall(r'href="([^"]+)"', page)
