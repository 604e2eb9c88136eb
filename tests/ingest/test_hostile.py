"""Hostile inputs, generated here at test time: each one is read, cleaned or reported in
bounded time, and none stops the run (a good file beside it is still added).

The time guards (``within``) are hang detectors, not speed measurements: each input below ran
for minutes or hours before the fix, and the guard sits far above what it takes now.
"""

from __future__ import annotations

import json
import os
import signal
from contextlib import contextmanager

import pytest
from typer.testing import CliRunner

import storyline
from builders import FERRY_PARAGRAPHS, FERRY_TITLE, html_fragment, html_page, rss_feed, text_article, write
from storyline.cli import app
from storyline.ingest import clean, html
from storyline.ingest.convert import to_article
from storyline.ingest.files import discover
from storyline.records import Link, RawDocument

GOOD = text_article(FERRY_TITLE, FERRY_PARAGRAPHS)


@contextmanager
def within(seconds: int):
    """Fail (instead of hanging the suite) when the block runs longer than ``seconds``."""
    def expired(*_):
        raise TimeoutError(f"still running after {seconds} s: super-linear time on hostile input")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def ingest(tmp_path, *paths):
    with storyline.open(str(tmp_path / "s.db")) as desk:
        report = desk.ingest([str(p) for p in paths], analyze=False)
        return report, desk.articles(), desk.links()


# --- one bad record never aborts a run -------------------------------------------------------


def test_deeply_nested_jsonl_line_is_skipped_and_the_rest_read(tmp_path):
    lines = "[" * 100_000 + "\n" + json.dumps({"title": FERRY_TITLE, "text": GOOD}) + "\n"
    bad = write(tmp_path, "nested.jsonl", lines)
    good = write(tmp_path, "z-good.txt", text_article("Another story here for the test", FERRY_PARAGRAPHS[::-1]))
    report, stored, _ = ingest(tmp_path, bad, good)
    assert [(p.source, p.locator, p.reason) for p in report.problems] == [
        (str(bad), "line 1", "JSON nested too deeply")]
    assert len(report.added) == 2  # line 2 of the same file, and the next file
    assert {a.title for a in stored} == {FERRY_TITLE, "Another story here for the test"}


def test_huge_integer_in_jsonl_is_a_problem_not_a_crash(tmp_path):
    line = '{"text": "x", "n": ' + "9" * 5000 + "}\n" + json.dumps({"title": FERRY_TITLE, "text": GOOD}) + "\n"
    report, stored, _ = ingest(tmp_path, write(tmp_path, "big.jsonl", line))
    assert len(report.problems) == 1 and report.problems[0].locator == "line 1"
    assert "invalid JSON" in report.problems[0].reason
    assert [a.title for a in stored] == [FERRY_TITLE]


def test_feed_with_out_of_range_character_reference_keeps_its_entries(tmp_path):
    feed = rss_feed("Courier", [
        {"title": "Ferry &#1114112; strike", "link": "https://courier.example/ferry",
         "content": html_fragment(FERRY_PARAGRAPHS) + "&#1114112;&#xD800;&#99999999999999999999;"},
        {"title": "Only a link", "link": "https://courier.example/other"},
    ]).replace("Ferry &amp;#1114112; strike", "Ferry &#1114112; strike")
    report, stored, links = ingest(tmp_path, write(tmp_path, "feed.rss", feed))
    assert len(report.added) == 1, report.problems
    assert stored[0].title == "Ferry \ufffd strike"
    assert FERRY_PARAGRAPHS[0] in stored[0].body
    assert [link.url for link in links] == ["https://courier.example/other"]


def test_feed_entries_with_control_characters_are_cleaned_not_dropped(tmp_path):
    feed = rss_feed("Courier", [
        {"title": "Ferry\x01 crews\x1b[2J vote", "link": "https://courier.example/ferry\x07",
         "content": html_fragment([p[:40] + "\x00\x08\x1b" + p[40:] for p in FERRY_PARAGRAPHS])},
        {"title": "Link\x1b]0;pwned\x07 title", "link": "https://courier.example/\x1blink"},
    ])
    report, stored, links = ingest(tmp_path, write(tmp_path, "feed.rss", feed))
    assert len(report.added) == 1, report.problems
    assert stored[0].title == "Ferry crews[2J vote"
    assert stored[0].url == "https://courier.example/ferry"
    assert FERRY_PARAGRAPHS[1] in stored[0].body
    assert links[0].title == "Link]0;pwned title" and links[0].url == "https://courier.example/link"
    assert not any(c in stored[0].body for c in "\x00\x08\x1b")


def test_broken_symlinks_and_fifos_are_reported_never_opened(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder, "good.txt", GOOD)
    os.symlink(tmp_path / "gone.txt", folder / "broken.txt")
    os.mkfifo(folder / "pipe.txt")  # opening it would block the run for ever
    with within(60):
        report, stored, _ = ingest(tmp_path, folder, folder / "pipe.txt")
    reasons = {(os.path.basename(p.source), p.reason) for p in report.problems}
    assert reasons == {
        ("broken.txt", "broken symbolic link (its target does not exist); not read"),
        ("pipe.txt", "not a regular file (a FIFO, socket or device); not read"),
    }
    assert len(report.problems) == 3  # the FIFO twice: found in the folder and named
    assert [a.title for a in stored] == [FERRY_TITLE]


# --- linear time on inputs within the size caps ----------------------------------------------


@pytest.mark.parametrize("tail", ["", " x", "!", "."])
def test_glued_byline_regex_on_a_200_kb_line(tail):
    line = ".By A" * 40_000 + tail
    with within(20):
        out = clean.clean_text("A headline for the test\n\n" + line)
    assert out.body.replace("\n", "").replace(" ", "").startswith(".ByA.ByA")


def test_glued_byline_and_heading_still_split():
    out = clean.clean_text("Headline of a test story here\n\n"
                           "The council voted for the plan on Monday night, after a long debate.Ferry Strike\n\n"
                           "The plan was opposed by many of the people who live nearby.By Leo Cendrowicz")
    assert out.body.split("\n\n") == [
        "The council voted for the plan on Monday night, after a long debate.", "Ferry Strike",
        "The plan was opposed by many of the people who live nearby."]
    assert out.byline == "Leo Cendrowicz"


def test_61_kb_meta_time_attribute():
    page = (b'<html><head><meta name="pubdate" content="2025-' + b"1" * 61_000 + b'">'
            b'<meta property="article:published_time" ' + b'x="1" ' * 10_000 + b"></head>"
            + html_page(FERRY_TITLE, FERRY_PARAGRAPHS).encode().split(b"<body>", 1)[1])
    with within(30):
        assert html._stated_timestamp(page) is None
        cleaned = html.extract_html(page)
    assert FERRY_PARAGRAPHS[0] in cleaned.body


def test_meta_time_is_still_read_in_either_attribute_order():
    for meta in ('<meta property="article:published_time" content="2025-02-27T05:14:00Z">',
                 '<meta content="2025-02-27T05:14:00Z" name="pubdate">'):
        assert html._stated_timestamp(f"<html><head>{meta}</head><body></body></html>".encode()) \
            == "2025-02-27T05:14:00+00:00"


def test_tag_with_300_000_attributes_loses_them_and_keeps_its_text():
    attributes = b"".join(b" a%d" % i for i in range(300_000))
    page = html_page(FERRY_TITLE, FERRY_PARAGRAPHS).encode().replace(b"<body>", b"<body><div" + attributes + b">")
    with within(60):
        cleaned = html.extract_html(page)
    assert FERRY_PARAGRAPHS[-1] in cleaned.body
    fragment = "<div" + " b" * 10 + "".join(f" a{i}" for i in range(100_000)) + "><p>Kept words.</p></div>"
    with within(60):
        article = to_article(RawDocument("feed", "text/html+fragment", fragment.encode(), "entry 1",
                                         {"title": "A title"}))
    assert article.body == "Kept words."


def test_a_1_mb_single_line_is_cleaned_quickly():
    with within(30):
        out = clean.clean_text("Title of the piece\n\n" + "word " * 200_000)
    assert len(out.body) == len("word " * 200_000) - 1


# --- terminal escapes never reach the terminal -----------------------------------------------


def test_show_and_links_strip_terminal_escapes_from_stored_text(tmp_path):
    db = str(tmp_path / "s.db")
    with storyline.open(db) as desk:
        desk.ingest_objects([{"title": FERRY_TITLE, "text": GOOD, "url": "https://x.example/\x1b]0;owned\x07a"}],
                            source="test", analyze=False)
        # As an older version stored it, before links were cleaned on ingest.
        desk.store.add_links([Link("https://x.example/b\x1b[2J", "feed.rss", "Title \x1b[31mred\x9b1m", None, "entry 1")])
        article_id = desk.articles()[0].id
    runner = CliRunner()
    shown = runner.invoke(app, ["show", article_id, "--db", db])
    listed = runner.invoke(app, ["links", "--db", db])
    assert shown.exit_code == 0 and listed.exit_code == 0
    assert "https://x.example/]0;owneda" in shown.stdout
    assert "Title [31mred1m" in listed.stdout and "https://x.example/b[2J" in listed.stdout
    for output in (shown.stdout, listed.stdout):
        assert not any(c in output for c in "\x1b\x07\x9b")


def test_discover_reports_a_named_fifo(tmp_path):
    os.mkfifo(tmp_path / "named")
    assert list(discover([tmp_path / "named"])) == [
        (str(tmp_path / "named"), "not a regular file (a FIFO, socket or device); not read")]


def test_fetch_never_reads_file_links_found_in_a_feed(tmp_path):
    secret = write(tmp_path, "secret.html", html_page("Local secret page title", FERRY_PARAGRAPHS))
    urls = [f"file://localhost{secret}", f"file:{secret}", f"file://127.0.0.1{secret}", f"FILE://{secret}"]
    feed = write(tmp_path, "feed.rss", rss_feed("Courier", [{"title": f"Entry {i}", "link": u} for i, u in enumerate(urls)]))
    with storyline.open(str(tmp_path / "s.db")) as desk:
        report = desk.ingest([str(feed)], analyze=False, fetch=True)
        assert desk.articles() == []
    assert len(report.problems) == 4
    assert all(p.reason.startswith("fetch failed: only http(s) URLs are fetched") for p in report.problems)
    assert [p.source for p in report.problems][:3] == urls[:3]  # the last one as feedparser spells it


def test_a_date_with_an_impossible_utc_offset_is_no_date(tmp_path):
    # Found by the atheris harness: dateutil reads "05:112-27" as a 112-hour UTC offset, and
    # datetime raised when the stamp was written out, losing the article.
    from storyline.ingest.dates import date_line

    assert date_line("2025-12-27 05:112-27 05:14:00") is None
    page = write(tmp_path, "a.txt", "Ferry crews vote to strike over rota\n\n2025-12-27 05:112-27 05:14:00\n\n"
                 + "\n\n".join(FERRY_PARAGRAPHS))
    report, stored, _ = ingest(tmp_path, page)
    assert report.problems == [] and len(stored) == 1 and stored[0].published is None
