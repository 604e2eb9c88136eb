"""The header's search (articles with highlighted snippets, people, stories, each a section) and
the story list's "since your last visit" note, over a real SQLite store."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

import storyline  # noqa: E402
from storyline.records import Story  # noqa: E402
from storyline.store.records import Membership  # noqa: E402
from storyline.web.api import create_app  # noqa: E402

ARTICLES = [
    {"title": "Backstop <script>alert(1)</script> talks", "outlet": "inews", "published": "2025-02-17",
     "text": "Britain is pressing the United States over its plans for a backstop to protect a peacekeeping "
             "force in Ukraine, officials said on Monday after the meeting in Paris."},
    {"title": "Ferry cancelled", "outlet": "BBC", "text": "The ferry crossing to the island was cancelled on "
     "Sunday because of strong winds, the operator said, and services resume on Monday."},
]


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "web.db"
    with storyline.open(path) as desk:
        report = desk.ingest_objects(ARTICLES, source="test", analyze=False)
        first = report.added[0]
        desk.store.put_stories([Story(first, "Backstop story", headline="UK presses US on backstop")],
                               [Membership(first, first, 1)], [], "1", "2026-01-01T00:00:00+00:00")
    return str(path)


def test_search_has_three_sections_with_marked_escaped_snippets(db):
    with TestClient(create_app(db), base_url="http://127.0.0.1:8000") as client:
        page = client.get("/search", params={"q": "backstop"})
    assert page.status_code == 200
    html = page.text
    articles = html.split('data-testid="search-articles"', 1)[1].split("</section>", 1)[0]
    assert "<mark>backstop</mark>" in articles and "Ferry" not in articles
    assert "&lt;script&gt;" in articles and "<script>alert" not in html
    stories = html.split('data-testid="search-stories"', 1)[1].split("</section>", 1)[0]
    assert "UK presses US on backstop" in stories
    assert 'data-testid="search-people"' in html
    assert 'action="/search"' in html


def test_the_story_list_says_what_arrived_since_the_last_visit(db):
    with TestClient(create_app(db), base_url="http://127.0.0.1:8000") as client:
        first = client.get("/")
        assert first.status_code == 200 and 'data-testid="arrived"' not in first.text  # a first visit
        assert "storyline_seen" in first.cookies
        client.cookies.clear()
        client.cookies.set("storyline_seen", "2000-01-01T00:00:00+00:00")
        again = client.get("/")
        note = again.text.split('data-testid="arrived"', 1)[1].split("</aside>", 1)[0]
        assert "2 new articles" in note and "Ferry cancelled" in note
        # The visit was stamped: nothing new since.
        third = client.get("/")
        assert "Nothing new since your last visit" in third.text
        client.cookies.clear()
        client.cookies.set("storyline_seen", "<bad>")
        assert 'data-testid="arrived"' not in client.get("/").text  # a forged stamp is ignored


def test_the_outlets_page_lists_canonical_outlets(db):
    with TestClient(create_app(db), base_url="http://127.0.0.1:8000") as client:
        page = client.get("/outlets")
    assert page.status_code == 200
    table = page.text.split('data-testid="outlets"', 1)[1]
    # "inews" was stored as The i Paper, "BBC" as BBC News.
    assert "The i Paper" in table and "BBC News" in table and ">inews<" not in table
    assert 'href="/outlets/The%20i%20Paper"' in table
