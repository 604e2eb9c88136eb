"""The web pages (storyline/web/pages.py) with FastAPI's TestClient: the story list's search and
filters, the article page's highlighting and links, error pages, assets, escaping of hostile
article text, and, on the seeds (read from ../shared/seeds at run time), the story and diff pages."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

import storyline  # noqa: E402
from helpers import copy_store, seeds_with_people  # noqa: E402
from storyline.records import Analysis, Entity, Mention, Quote, ReusePair, Change, Story  # noqa: E402
from storyline.store import open_store  # noqa: E402
from storyline.store.records import Membership  # noqa: E402
from storyline.web.api import create_app  # noqa: E402
from storyline.web.views import highlight  # noqa: E402

SCRIPT = "<script>window.pwned=1</script>"
IMG = '<img src=x onerror="window.pwned=1">'

WALL = {"title": "Council backs the harbour wall", "outlet": "Selby Post", "published": "2026-03-02",
        "text": "Port Selby council voted on Monday to build a new harbour wall. "
                "Mayor Ana Ortiz said the work would start in April. "
                "The wall will protect forty fishing boats from winter storms."}
WALL_COPY = {"title": "Harbour wall gets the go-ahead", "outlet": "Bay News", "published": "2026-03-03",
             "text": "Port Selby council voted on Monday to build a new harbour wall. "
                     "Ana Ortiz said work could start in May. "
                     "The wall will protect forty fishing boats from winter storms."}
TOUR = {"title": "Orchestra tours the coast", "outlet": "Bay News", "published": "2026-04-10",
        "text": "The county youth orchestra began a tour of six coastal towns on Friday."}
HOSTILE = {"title": f"Breaking {SCRIPT}", "outlet": f"Evil {IMG}", "published": "2026-04-11",
           "text": f"A paragraph with {SCRIPT} inside it and {IMG} too, plus a link "
                   "<a href=\"javascript:alert(1)\">click</a> and an & ampersand."}


class Tags(HTMLParser):
    """Every start tag and attribute of a page, and its text."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> Tags:
    t = Tags()
    t.feed(page)
    return t


def assert_inert(page: str) -> None:
    """No script but the app's own file, no event handler attribute, no javascript: URL."""
    tags = parse(page)
    for tag, attrs in tags.tags:
        if tag == "script":
            assert attrs.get("src") == "/static/storyline.js", attrs
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        assert not any((v or "").strip().lower().startswith("javascript:") for v in attrs.values()), (tag, attrs)


def html_error(r, status: int) -> str:
    assert r.status_code == status, r.text[:300]
    assert r.headers["content-type"].startswith("text/html")
    return " ".join("".join(parse(r.text).text).split())


@pytest.fixture
def site(store_url):
    """A client over a store (each backend) of four self-written articles with hand-made
    analyses, three stories, and one reuse pair (no model needed)."""
    db = store_url
    with TestClient(create_app(db), base_url="http://127.0.0.1:8000") as client:
        r = client.post("/api/articles", params={"analyze": "false"}, content=json.dumps([WALL, WALL_COPY, TOUR, HOSTILE]),
                        headers={"Content-Type": "application/json"})
        assert r.status_code == 201, r.text
        wall, copy, tour, hostile = (i["id"] for i in r.json()["items"])
        store = open_store(db)
        try:
            body = store.article(wall).body
            m = body.index("Mayor Ana Ortiz")
            q = body.index("the work would start in April")
            ortiz = Entity("p1", "Ana Ortiz", "PERSON", mentions=(Mention(wall, m, m + 15, "Mayor Ana Ortiz"),))
            store.put_analyses([
                Analysis(wall, entities=(ortiz,), quotes=(Quote(wall, "the work would start in April", q, q + 29,
                                                                "indirect", cue="said", speaker="Ana Ortiz",
                                                                speaker_id="p1"),)),
                Analysis(copy), Analysis(tour), Analysis(hostile)], "test")
            store.put_stories([Story(wall, "Ana Ortiz: the harbour wall", (wall, copy), "2026-03-02", "2026-03-03",
                                     headline=WALL["title"], key_entities=("Ana Ortiz",)),
                               Story(tour, "the orchestra tour", (tour,), "2026-04-10", "2026-04-10"),
                               Story(hostile, f"Label {SCRIPT}", (hostile,), "2026-04-11", "2026-04-11",
                                     headline=HOSTILE["title"], key_entities=(IMG,))],
                              [Membership(wall, wall, 0), Membership(copy, wall, 1), Membership(tour, tour, 2),
                               Membership(hostile, hostile, 3)], [], "t",
                              "2026-04-12")
            store.put_reuse([ReusePair(wall, copy, "rewrite", 0.9, 0.8, changes=(
                Change("number_changed", "April", "May", subject="start"),))], "test")
        finally:
            store.close()
        client.ids = {"wall": wall, "copy": copy, "tour": tour, "hostile": hostile}
        yield client


# --- story list ----------------------------------------------------------------------------------


def story_links(page: str) -> list[str]:
    """The story list's links (the table only: the home page's side boxes link stories too)."""
    if 'data-testid="stories"' in page:
        page = page[page.index('data-testid="stories"'):].split("</table>")[0]
    return [a["href"] for tag, a in parse(page).tags if tag == "a" and a.get("href", "").startswith("/stories/")]


def test_the_story_list_searches_and_filters(site):
    wall, tour, hostile = (f"/stories/{site.ids[k]}" for k in ("wall", "tour", "hostile"))
    assert story_links(site.get("/").text) == [wall, hostile, tour]  # largest, then latest first
    assert story_links(site.get("/", params={"q": "fishing boats"}).text) == [wall]
    assert story_links(site.get("/", params={"q": "orchestra"}).text) == [tour]
    assert story_links(site.get("/", params={"outlet": "Bay News"}).text) == [wall, tour]
    assert story_links(site.get("/", params={"person": "ortiz"}).text) == [wall]
    assert story_links(site.get("/", params={"since": "2026-04-01"}).text) == [hostile, tour]
    assert story_links(site.get("/", params={"until": "2026-03-31", "outlet": "Selby Post"}).text) == [wall]
    empty = site.get("/", params={"q": "zeppelin"})
    assert empty.status_code == 200 and story_links(empty.text) == [] and 'data-testid="no-stories"' in empty.text
    # The outlet filter offers the stored outlets, the chosen one selected.
    page = site.get("/", params={"outlet": "Bay News"}).text
    assert '<option value="Bay News" selected>' in page and '<option value="Selby Post">' in page


def test_the_story_list_pages(site):
    first = site.get("/", params={"limit": 1}).text
    assert len(story_links(first)) == 1 and 'rel="next"' in first and 'rel="prev"' not in first
    assert 'href="/?offset=1&amp;limit=1" rel="next"' in first  # the next page keeps the page size
    second = site.get("/", params={"limit": 1, "offset": 1}).text
    assert story_links(second) == [f"/stories/{site.ids['hostile']}"] and 'rel="prev"' in second
    last = site.get("/", params={"limit": 1, "offset": 2}).text
    assert 'rel="next"' not in last


@pytest.mark.parametrize("params, words", [
    ({"since": "yesterday"}, "since"), ({"until": "2026-13-45"}, "until"), ({"limit": 0}, "limit"),
    ({"offset": -1}, "offset"), ({"limit": "many"}, "limit"), ({"q": "x" * 201}, "at most"),
])
def test_bad_filters_get_an_html_422(site, params, words):
    assert words in html_error(site.get("/", params=params), 422)


# --- article page --------------------------------------------------------------------------------


def test_the_article_page_highlights_quotes_and_people_and_links_copies(site):
    ids = site.ids
    r = site.get(f"/articles/{ids['wall'][:8]}")
    assert r.status_code == 200
    spans = {(a.get("class"), a.get("title")) for tag, a in parse(r.text).tags if tag == "span"}
    assert ("ent-person", "Ana Ortiz") in spans
    assert ("quote", "indirect quote, Ana Ortiz") in spans
    assert re.search(r'<span class="quote"[^>]*>the work would start in April</span>', r.text)
    assert f'href="/diff/{ids["wall"]}/{ids["copy"]}"' in r.text and f'href="/stories/{ids["wall"]}"' in r.text
    copy = site.get(f"/articles/{ids['copy']}").text
    assert "source:" in copy and f'href="/articles/{ids["wall"]}"' in copy


def test_a_headline_only_record_is_a_brief_and_its_page_says_so(site):
    r = site.post("/api/articles", params={"analyze": "false"}, headers={"Content-Type": "application/json"},
                  content=json.dumps([{"title": f"Harbour wall vote {SCRIPT}", "outlet": "Selby Post"}]))
    assert r.status_code == 201, r.text
    [brief] = r.json()["items"]
    page = site.get(f"/articles/{brief['id']}").text
    assert_inert(page)
    assert any(tag == "p" and a.get("data-testid") == "brief-note" for tag, a in parse(page).tags)
    assert "the record gives no text: its &#39;title&#39; stands for it" in page
    body = page[page.index('data-testid="body"'):].split("</div>")[0]
    assert "Harbour wall vote &lt;script&gt;" in body
    assert 'data-testid="brief-note"' not in site.get(f"/articles/{site.ids['wall']}").text


def test_the_compare_form_leads_to_the_diff_page(site):
    a, b = site.ids["wall"], site.ids["copy"]
    r = site.get("/diff", params={"a": a, "b": b[:8].upper()}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/diff/{a}/{b[:8].lower()}"
    page = site.get(f"/articles/{a}").text
    assert 'action="/diff"' in page
    # Its story's other articles are offered by name: no hex id to know.
    assert f'<option value="{b}">Bay News: Harbour wall gets the go-ahead</option>' in page
    assert f'href="/diff/{a}/{b}"' in page[page.index('class="compare-list"'):]
    for bad in ({"a": a, "b": "//evil.example"}, {"a": a, "b": ""}, {"a": "x y", "b": b}):
        assert "two article ids" in html_error(site.get("/diff", params=bad, follow_redirects=False), 422)


def test_highlight_cuts_text_at_every_mark_and_combines_overlaps():
    segments = highlight("Mayor Ana said yes.", [(0, 9, "ent-person", "Ana"), (6, 19, "quote", "q"), (50, 60, "x", "out")])
    assert "".join(s["text"] for s in segments) == "Mayor Ana said yes."
    assert [(s["text"], s["classes"]) for s in segments] == [
        ("Mayor ", "ent-person"), ("Ana", "ent-person quote"), (" said yes.", "quote")]


@pytest.mark.parametrize("path", ["/articles/ffffffffffff", "/stories/ffffffffffff", "/nowhere"])
def test_unknown_pages_are_html_404(site, path):
    assert "Error 404" in html_error(site.get(path), 404)


def test_an_ambiguous_prefix_is_409(site):
    # Articles ids are hex: the empty-ish prefix "" is not routable, so take a one-digit prefix
    # shared by two ids if there is one; else make one by adding articles.
    ids = list(site.ids.values())
    for _ in range(30):
        firsts = [i[0] for i in ids]
        shared = next((c for c in firsts if firsts.count(c) > 1), None)
        if shared:
            break
        extra = site.post("/api/articles", params={"analyze": "false"}, headers={"Content-Type": "application/json"},
                          content=json.dumps({"text": f"Filler article number {len(ids)} about the weather."}))
        ids.append(extra.json()["items"][0]["id"])
    assert "more than one" in html_error(site.get(f"/articles/{shared}"), 409)


def test_api_errors_stay_json(site):
    r = site.get("/api/articles/ffffffffffff")
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/json")


# --- assets and headers ----------------------------------------------------------------------------


def test_assets_are_served_and_nothing_else(site):
    css = site.get("/static/storyline.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert site.get("/static/storyline.js").status_code == 200
    for path in ("/static/%2e%2e/api.py", "/static/..%2fapi.py", "/static/%2e%2e%2f%2e%2e%2fdesk.py",
                 "/static/templates/base.html", "/static/", "/static/nothing.css"):
        assert site.get(path).status_code == 404, path


def test_every_page_forbids_inline_and_foreign_script(site):
    for path in ("/", f"/articles/{site.ids['wall']}", "/nowhere", "/api/stories"):
        csp = site.get(path).headers["content-security-policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe-inline" not in csp


def test_pages_load_nothing_from_another_origin(site):
    for path in ("/", f"/articles/{site.ids['wall']}"):
        for tag, attrs in parse(site.get(path).text).tags:
            for key in ("src", "href"):
                value = attrs.get(key) or ""
                if tag in ("script", "link", "img") and value:
                    assert value.startswith("/static/"), (tag, attrs)


# --- hostile text ------------------------------------------------------------------------------------


def test_hostile_article_text_is_shown_escaped(site):
    hostile = site.ids["hostile"]
    for path in ("/", "/?q=paragraph", f"/articles/{hostile}", f"/diff/{hostile}/{site.ids['wall']}"):
        r = site.get(path)
        if r.status_code == 503:  # the diff needs the analyzer for nothing here, but be explicit
            pytest.skip("no analyzer installed")
        assert r.status_code == 200, (path, r.text[:300])
        assert_inert(r.text)
        assert "<script>window" not in r.text and "<img src=x" not in r.text
    article = site.get(f"/articles/{hostile}").text
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in article
    assert "onerror" in "".join(parse(article).text)  # shown as text, not an attribute


# --- the seeds -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_site(seeds_store, tmp_path_factory):
    db = copy_store(seeds_store, tmp_path_factory.mktemp("pages") / "seeds.db")
    app = create_app(str(db))
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        with storyline.open(db) as desk:
            client.story = desk.stories()[0]
            client.names = {a.source.rsplit("/", 1)[-1][:3]: a.id for a in desk.articles()}
        client.reports = app.state.reports
        yield client


def test_the_seed_story_page(seeds_site):
    story = seeds_site.story
    r = seeds_site.get(f"/stories/{story.id[:8]}")
    assert r.status_code == 200
    page = r.text
    tags = parse(page)
    assert_inert(page)
    assert '<svg class="timeline"' in page and '<svg class="provenance"' in page
    text = " ".join("".join(tags.text).split())
    for name in ("Keir Starmer", "Donald Trump", "John Healey"):
        assert name in text
    assert "Prime Minister" in text and "former President" in text
    quotes = page[page.index('id="quotes-list"'):].split("</section>")[0]
    assert quotes.count('<details class="speaker">') > 20  # the seeds carry dozens of speakers,
    assert quotes.count("<li>") > 60  # and quotes: all there, collapsed under each speaker
    assert "<details class=\"speaker\" open" not in quotes
    band = page[page.index('data-testid="summary-band"'):].split("</dl>")[0]
    assert "<dt>Articles</dt><dd>5" in band and "<dt>Dates</dt><dd>2025-02-17 – 2025-03-09" in band
    assert '<svg class="coverage"' in page and "rect class=\"bar s0\"" in page
    # The plain-words reasons: the rewrite pair, each speaker decision, each member article.
    assert "94% of the copy restates the source" in text and "9 quotes turned into paraphrase" in text
    assert "Given to Keir Starmer: named as “Starmer”" in text
    assert page.count('data-testid="member-why"') == len(story.article_ids)
    # How the clusterer placed each one: the founder, then joins with their nearest article by title.
    whys = re.findall(r'data-testid="member-why">(.*?)</div>', page)
    assert sum(w.startswith("Started this story") for w in whys) == 1
    assert all(w.startswith(("Started this story", "Joined ")) for w in whys), whys
    assert sum("; nearest “" in w for w in whys) == len(whys) - 1, whys
    assert '<abbr title="How much of the copy restates the source' in page
    names = seeds_site.names
    assert f'href="/diff/{names["001"]}/{names["000"]}"' in page  # the rewrite, source first
    assert "role changed" in text
    # Every article of the story is listed and linked.
    for aid in story.article_ids:
        assert f'href="/articles/{aid}"' in page


def test_a_story_names_the_people_the_store_knows(seeds_store, tmp_path):
    """The story page's people and /api/stories/{id}'s are the people step's identities: each
    links to a person page that answers, under the stored name (story-made ids led nowhere)."""
    db = seeds_with_people(seeds_store, tmp_path / "people.db")
    with storyline.open(db) as desk:
        story = desk.stories()[0]
        live = {p.id: p for p in desk.store.people_of(list(story.article_ids))}
    with TestClient(create_app(db), base_url="http://127.0.0.1:8000") as client:
        page = client.get(f"/stories/{story.id}").text
        section = page[page.index('data-testid="people"'):].split("</ul>")[0]
        linked = re.findall(r'href="/people/([^"]+)">([^<]+)</a>', section)
        assert len(linked) == section.count("<li>") > 10  # every person shown is linked
        for person_id, name in linked:
            assert person_id in live and live[person_id].name == name
            assert client.get(f"/people/{person_id}").status_code == 200
        people = client.get(f"/api/stories/{story.id}").json()["people"]
        assert people and all(p["id"] in live for p in people)
        assert len({p["id"] for p in people}) == len(people)
        starmer = next(p for p in people if p["name"] == "Keir Starmer")
        assert client.get(f"/api/people/{starmer['id']}").json()["name"] == "Keir Starmer"
    with storyline.open(db) as desk:  # quotes are told under the same names
        assert "Keir Starmer" in desk.story(story.id).quotes


def test_a_story_built_before_its_people_links_no_person(seeds_store, tmp_path):
    """Facts built where the people step has not run hold ids of the story alone: the page
    shows those people unlinked instead of linking to a 404."""
    import sqlite3

    db = copy_store(seeds_store, tmp_path / "no-people.db")
    with sqlite3.connect(db) as con:  # a store whose people step never ran
        for table in ("person_members", "person_aliases", "person_roles", "person_keys", "person_surnames", "persons"):
            con.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
        con.execute("DELETE FROM story_facts")
    with storyline.open(db) as desk:
        story = desk.stories()[0]
    with TestClient(create_app(str(db)), base_url="http://127.0.0.1:8000") as client:
        page = client.get(f"/stories/{story.id}").text
    section = page[page.index('data-testid="people"'):].split("</ul>")[0]
    assert section.count("<li>") > 10 and "Keir Starmer" in section
    assert 'href="/people/' not in section


def test_the_story_report_is_built_once_per_story_state(seeds_site):
    story = seeds_site.story
    seeds_site.get(f"/stories/{story.id}")
    built = seeds_site.reports.builds
    assert seeds_site.get(f"/stories/{story.id}").status_code == 200
    assert seeds_site.get(f"/api/stories/{story.id}").status_code == 200
    assert seeds_site.get(f"/api/stories/{story.id}/brief").status_code == 200
    assert seeds_site.reports.builds == built


def test_the_seed_rewrite_diff_page(seeds_site):
    names = seeds_site.names
    r = seeds_site.get(f"/diff/{names['000']}/{names['001']}")  # asked copy first: shown source first
    assert r.status_code == 200
    page = r.text
    assert "the second article you named is the source" in page
    head = page[page.index('<table class="diff"'):]
    assert head.index(f'/articles/{names["001"]}') < head.index(f'/articles/{names["000"]}')
    assert "<del>" in page and "<ins>" in page and "role changed" in page
    assert page.count("<tr class=") > 10
    # Changes of meaning carry their kind and severity, the most severe first; the evidence for
    # the direction is shown; only differing sentences by default, all on request.
    changes = page[page.index('data-testid="changes"'):]
    assert "role, high" in changes and changes.index("role, high") < changes.index("medium")
    assert 'data-testid="evidence"' in page and "quotations in the shared passages" in page
    assert 'href="?all=1"' in page
    full = seeds_site.get(f"/diff/{names['000']}/{names['001']}", params={"all": 1}).text
    assert full.count("<tr class=") >= page.count("<tr class=") and "Only what differs" in full


def test_the_largest_stories_are_built_when_the_server_starts(seeds_store, tmp_path):
    import time

    app = create_app(str(copy_store(seeds_store, tmp_path / "warm.db")), warm=1)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        deadline = time.monotonic() + 300
        while app.state.people.computed < 1 and time.monotonic() < deadline:  # reports, then people
            time.sleep(0.2)
        assert app.state.reports.builds == 1 and app.state.people.computed == 1
        assert "Keir Starmer" in {p["name"] for p in client.get("/api/people").json()["items"]}
        assert app.state.people.computed == 1
        story = client.get("/api/stories").json()["items"][0]
        assert client.get(f"/stories/{story['id']}").status_code == 200
        assert app.state.reports.builds == 1


ONCE = ["Ilse Varga", "Tomas Kreuz", "Petra Lindqvist", "Omar Haddad", "Greta Solberg", "Yusuf Demir",
        "Lena Moravec", "Karim Bouzid", "Hanne Eikeland", "Marek Zielinski", "Saskia Brandt", "Diego Ferreyra"]


def test_in_a_big_story_the_people_one_article_names_fold_below_the_rest(tmp_path):
    """Twelve reports of one story: the mayor, named in three, stays in the people list; the
    twelve people one report each names (a headline dump's misread words look like this) fold
    into "12 more, each named in one article"."""
    db = str(tmp_path / "big.db")
    bodies = [{"title": f"Harbour wall report {k}", "outlet": f"Outlet {k}", "published": "2026-03-02",
               "text": f"Mayor Ana Ortiz backed the harbour wall, and {name} said so too. Report {k}."}
              for k, name in enumerate(ONCE)]
    with TestClient(create_app(db), base_url="http://127.0.0.1:8000") as client:
        r = client.post("/api/articles", params={"analyze": "false"}, content=json.dumps(bodies),
                        headers={"Content-Type": "application/json"})
        assert r.status_code == 201, r.text
        ids = [i["id"] for i in r.json()["items"]]
        store = open_store(db)
        try:
            analyses = []
            for k, (aid, name) in enumerate(zip(ids, ONCE)):
                body = store.article(aid).body
                at = body.index(name)
                people = [Entity(f"v{k}", name, "PERSON", mentions=(Mention(aid, at, at + len(name), name),))]
                if k < 3:
                    m = body.index("Ana Ortiz")
                    people.append(Entity("p1", "Ana Ortiz", "PERSON", mentions=(Mention(aid, m, m + 9, "Ana Ortiz"),)))
                analyses.append(Analysis(aid, entities=tuple(people)))
            store.put_analyses(analyses, "test")
            store.put_stories([Story(ids[0], "the harbour wall", tuple(ids), "2026-03-02", "2026-03-02")],
                              [Membership(aid, ids[0], k) for k, aid in enumerate(ids)], [], "t", "2026-03-03")
        finally:
            store.close()
        page = client.get(f"/stories/{ids[0]}").text
    assert_inert(page)
    shown = page[page.index('data-testid="people"'):].split("</ul>")[0]
    folded = page[page.index('data-testid="people-once"'):].split("</details>")[0]
    assert "Ana Ortiz" in shown and not any(name in shown for name in ONCE)
    assert "12 more, each named in one article" in folded
    assert all(name in folded for name in ONCE) and "Ana Ortiz" not in folded


def test_a_story_told_by_headlines_shows_their_events_on_the_page_and_in_the_api(tmp_path):
    """Briefs (a title and a time, no text): their story's timeline is their headlines, each day's
    marked as dated by the headlines' publication (no sentence names it)."""
    rows = [("Harbourne council approves Wend tidal barrier", "2026-03-02T09:00:00Z", "Estuary Post"),
            ("Harbourne council approves the Wend tidal barrier plan", "2026-03-02T10:30:00Z", "Coast Courier"),
            ("Wend tidal barrier costs double to 2 billion, Harbourne council says", "2026-03-03T08:00:00Z", "Estuary Post"),
            ("Harbourne council says Wend tidal barrier costs doubled to 2 billion", "2026-03-03T09:15:00Z", "Coast Courier")]
    db = tmp_path / "heads.db"
    with storyline.open(db) as desk:
        desk.ingest_objects([{"url": f"https://example.org/h{k}", "title": t, "published": when, "outlet": o}
                             for k, (t, when, o) in enumerate(rows)], source="test")
        desk.find_stories()
        [story] = [s for s in desk.stories() if len(s.article_ids) > 1]
    with TestClient(create_app(db), base_url="http://127.0.0.1:8000") as client:
        page = client.get(f"/stories/{story.id}").text
        data = client.get(f"/api/v1/stories/{story.id}").json()
    timeline = page[page.index('id="timeline"'):page.index('id="people"')]
    assert timeline.count('data-testid="event-headlines"') == 2
    assert "2026-03-02" in timeline and "2026-03-03" in timeline
    assert [e["date_source"] for e in data["events"]] == ["published", "published"]
    assert all(e["date_evidence"] == [] for e in data["events"])
