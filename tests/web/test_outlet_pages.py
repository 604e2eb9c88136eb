"""The outlet page (``/outlets/{name}``) and ``/api/outlets/{name}`` over a real SQLite store:
the chart of articles over time, who copies whom, first coverage per story, latest articles,
escaping of a hostile outlet name, links from the other pages, and 404 for an unknown outlet."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

import storyline  # noqa: E402
from storyline.records import ReusePair, Story  # noqa: E402
from storyline.store.records import Membership  # noqa: E402
from storyline.web.api import create_app  # noqa: E402
from storyline.web.bars import MAX_BARS, bin_days  # noqa: E402

BASE = "http://127.0.0.1:8000"
EVIL = 'Evil <img src=x onerror="alert(1)">/Wire'
ARTICLES = [
    {"title": "Harbour plan <b>announced</b>", "outlet": EVIL, "published": "2025-02-17",
     "text": "The harbour authority announced a plan on Monday to rebuild the old pier before the summer."},
    {"title": "Harbour plan rewritten", "outlet": "inews", "published": "2025-02-19",
     "text": "A plan to rebuild the old pier before the summer was announced by the harbour authority."},
    {"title": "Pier follow-up", "outlet": "inews", "published": "2025-03-20",
     "text": "Work on the old pier began this week, the harbour authority said in a statement."},
]


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "web.db"
    with storyline.open(path) as desk:
        wire, paper, later = desk.ingest_objects(ARTICLES, source="test", analyze=False).added
        desk.store.put_reuse([ReusePair(wire, paper, "rewrite", 0.9, 0.8)], "1")
        desk.store.put_stories([Story(wire, "Harbour <i>plan</i>")],
                               [Membership(wire, wire, 1), Membership(paper, wire, 2), Membership(later, wire, 3)],
                               [], "1", "2026-01-01T00:00:00+00:00")
    return str(path), wire, paper, later


def test_the_outlet_page_shows_chart_reuse_stories_and_latest(db):
    path, wire, paper, later = db
    with TestClient(create_app(path), base_url=BASE) as client:
        html = client.get("/outlets/The%20i%20Paper").text
        listing = client.get("/outlets").text
        story = client.get(f"/stories/{wire}").text
        article = client.get(f"/articles/{paper}").text
    chart = html.split('data-testid="outlet-chart"', 1)[1].split("</figure>", 1)[0]
    assert chart.count('<rect class="bar"') == 5  # weeks of 17 Feb .. 17 Mar, empty ones drawn
    assert "2 articles" not in chart and "1 article</title>" in chart and "Articles per week" in html
    reuse = html.split('data-testid="outlet-reuse"', 1)[1].split("</table>", 1)[0]
    assert "Evil &lt;img" in reuse and "<img" not in html  # escaped everywhere
    assert 'href="/outlets/Evil%20%3Cimg%20src%3Dx%20onerror%3D%22alert%281%29%22%3E%2FWire"' in reuse
    assert '<td class="num">1</td><td class="num">0</td>' in reuse  # it copies the wire once
    stories = html.split('data-testid="outlet-stories"', 1)[1].split("</table>", 1)[0]
    assert "Harbour &lt;i&gt;plan&lt;/i&gt;" in stories and "2nd of 2 outlets" in stories
    assert "<td>2025-02-19</td><td>2025-02-17</td>" in stories
    latest = html.split('data-testid="outlet-latest"', 1)[1].split("</ul>", 1)[0]
    assert latest.index(later) < latest.index(paper) and wire not in latest
    assert 'href="/outlets/The%20i%20Paper"' in listing
    assert 'href="/outlets/The%20i%20Paper"' in story and 'href="/outlets/The%20i%20Paper"' in article


def test_a_hostile_outlet_name_with_a_slash_has_its_page(db):
    path, wire, _, _ = db
    with TestClient(create_app(path), base_url=BASE) as client:
        page = client.get('/outlets/Evil%20%3Cimg%20src%3Dx%20onerror%3D%22alert%281%29%22%3E%2FWire')
        data = client.get('/api/outlets/Evil%20%3Cimg%20src%3Dx%20onerror%3D%22alert%281%29%22%3E%2FWire').json()
    assert page.status_code == 200 and "<img" not in page.text and "first" in page.text
    assert 'aria-label="Evil &lt;img' in page.text
    assert data["outlet"] == EVIL and data["stories"][0]["first"] is True
    assert data["reuse"] == [{"outlet": "The i Paper", "copied_from": 0, "copied_by": 1}]


def test_the_outlet_api_gives_the_same_data(db):
    path, wire, paper, later = db
    with TestClient(create_app(path), base_url=BASE) as client:
        data = client.get("/api/outlets/The i Paper").json()
        assert "/api/v1/outlets/{name:path}" in client.get("/api").json()["endpoints"]
    assert data["articles"] == 2 and data["undated"] == 0
    assert (data["first_published"], data["last_published"]) == ("2025-02-19", "2025-03-20")
    assert data["per_day"] == [{"day": "2025-02-19", "articles": 1}, {"day": "2025-03-20", "articles": 1}]
    assert data["reuse"] == [{"outlet": EVIL, "copied_from": 1, "copied_by": 0}]
    assert data["stories"] == [{"id": wire, "label": "Harbour <i>plan</i>", "articles": 2, "first_day": "2025-02-19",
                                "story_first_day": "2025-02-17", "rank": 2, "first": False, "outlets": 2}]
    assert [a["id"] for a in data["latest"]] == [later, paper] and "body" not in data["latest"][0]


def test_an_unknown_outlet_is_a_404_page_and_json(db):
    path, *_ = db
    with TestClient(create_app(path), base_url=BASE) as client:
        page = client.get("/outlets/Nobody%20%3Cb%3E", headers={"Accept": "text/html"})
        api = client.get("/api/outlets/Nobody")
    assert page.status_code == 404 and "no outlet named" in page.text and "<b>" not in page.text
    assert page.headers["content-type"].startswith("text/html")
    assert api.status_code == 404 and "no outlet named" in api.json()["error"]["message"]


def test_bins_are_weeks_months_or_years_and_bounded():
    weeks = bin_days([("2025-02-17", 2), ("2025-03-02", 1)])
    assert weeks.unit == "week" and [b.articles for b in weeks.bars] == [2, 1] and weeks.bars[0].label == "17 Feb 2025"
    months = bin_days([("2024-01-05", 1), ("2025-02-17", 3), ("2025-02-28", 1), ("not a day", 9)])
    assert months.unit == "month" and len(months.bars) == 14 and months.bars[-1].articles == 4
    years = bin_days([("0001-01-01", 1), ("2025-02-17", 1)])
    assert years.unit == "year" and len(years.bars) == MAX_BARS and years.dropped == 1
    assert bin_days([]).bars == []


def test_the_outlet_command_prints_and_gives_json(db):
    from helpers import run_cli

    path, wire, paper, later = db
    text = run_cli("outlet", "The i Paper", "--db", path)
    assert text.returncode == 0 and "2 articles" in text.stdout and "2 of 2" in text.stdout
    assert "Evil <img" in text.stdout and later[:10] in text.stdout
    data = run_cli("outlet", "The i Paper", "--db", path, "--json")
    assert json.loads(data.stdout)["stories"][0]["rank"] == 2
    missing = run_cli("outlet", "Nobody", "--db", path)
    assert missing.returncode == 2 and "no outlet named 'Nobody'" in missing.stderr
