"""A web address on top of an article's text (storyline.ingest.address_line and the cleaner's
use of it): cut and kept, the headline and the date line under it read, the outlet and an
inferred publication date taken from it only when nothing states them."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from storyline.ingest.address_line import MAX_ADDRESS, address_date, address_of
from storyline.ingest.clean import clean_text
from storyline.ingest.convert import to_article
from storyline.ingest.jsonl import document_from_object

LEDE = ("The council voted on Tuesday night to approve the new harbour wall, after a debate that "
        "ran for almost four hours.")
MORE = "Residents on the quayside had asked for better protection for more than a decade, the mayor said."


def dump(*lines: str) -> str:
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("line, address", [
    ("https://www.portbayherald.co.uk/news/harbour-wall-approved", "https://www.portbayherald.co.uk/news/harbour-wall-approved"),
    # a corpus's tokeniser puts spaces around every "/", ":", "." and "-"
    ("http : / / articles . portbayherald . com / 2026 / mar / 11 / local / harbour - wall - 20260311",
     "http://articles.portbayherald.com/2026/mar/11/local/harbour-wall-20260311"),
    ("www.portbayherald.co.uk/news?id=42#top", "http://www.portbayherald.co.uk/news?id=42#top"),
    ("portbayherald.co.uk", None),  # no scheme, no "www.": a name, not an address line
    ("Read it at https://www.portbayherald.co.uk/news", None),  # a sentence with an address in it
    ("https://localhost/x", None),  # no dotted host
    ("ftp://files.portbayherald.co.uk/a.txt", None),
    ("Harbour wall approved", None),
    # words after or around an address: a sentence or a headline, never cut (review, session 41)
    ("https://t.co/x1 The council voted on Tuesday night.", None),
    ("Www.Facebook.com is down for millions?", None),
    ("www.example.com | Contact us", None),
    ("https://user:pw@www.portbayherald.co.uk:8080/a/b", "https://user:pw@www.portbayherald.co.uk:8080/a/b"),
])
def test_address_of(line, address):
    assert address_of(line) == address


@pytest.mark.parametrize("url, day", [
    ("http://nypost.example/2026/03/11/harbour-wall/", "2026-03-11"),
    ("http://articles.example.com/2026/mar/11/local/x", "2026-03-11"),
    ("http://www.example.com/news/westcountry/story/2026-03-11/harbour-wall/", "2026-03-11"),
    ("http://www.example.com/2026/March/9/x", "2026-03-09"),
    ("http://www.example.com/2026/03/harbour-wall", None),  # a month's archive, not a day
    ("http://www.example.com/2026/02/30/x", None),  # no such day
    ("http://www.example.com/2099/01/01/x", None),  # in the future
    ("http://2026-03-11.example.com/x", None),  # a host is no path
    ("http://www.example.com/x?from=2026/03/11", None),  # nor a query
    ("http://www.example.com/2026/marathon/15/results", None),  # words that start like months
    ("http://www.example.com/2026/decision/12/x", None),
    ("http://www.example.com/2026/sept/12/x", "2026-09-12"),
    ("http://www.example.com/1913/mar/03/x", None),  # htmldate's years only
    ("file:///crawl/2019/01/31/page.html", None),  # a crawl's path: the day it was stored
    ("s3://bucket/2020/02/29/obj", None),
    ("/var/dumps/2019/01/31/a.txt", None),
    (None, None),
])
def test_address_date(url, day):
    assert address_date(url) == day


def test_an_address_on_top_is_cut_and_the_headline_and_date_line_under_it_are_read():
    text = dump("http : / / www . portbayherald . co . uk / news / harbour - wall - approved - 1 . 4242",
                "Harbour wall approved after four hours of debate", "March 11 , 2026", LEDE, MORE)
    cleaned = clean_text(text, structured=True)
    assert cleaned.title == "Harbour wall approved after four hours of debate"
    assert cleaned.published == "2026-03-11" and cleaned.fields["published"].origin == "stated"
    assert cleaned.address == "http://www.portbayherald.co.uk/news/harbour-wall-approved-1.4242"
    assert ("address-line", text.splitlines()[0]) in [(c.kind, c.text) for c in cleaned.cuts]
    assert cleaned.body.split("\n\n") == [LEDE, MORE]  # the address is nowhere in the body


def test_the_address_dates_an_article_only_when_nothing_states_a_date():
    undated = dump("http://nypost.example/2026/03/10/harbour-wall/", "Harbour wall approved", LEDE, MORE)
    cleaned = clean_text(undated)
    assert cleaned.published == "2026-03-10"
    assert cleaned.fields["published"].origin == "inferred"
    assert "2026/03/10" in cleaned.fields["published"].evidence
    dated = dump("http://nypost.example/2026/03/10/harbour-wall/", "Harbour wall approved", "March 11, 2026", LEDE)
    assert clean_text(dated).published == "2026-03-11"  # the page's own date line wins
    stated = clean_text(undated, stated={"published": "2026-03-12T08:00:00"})
    assert stated.published == "2026-03-12T08:00:00" and stated.fields["published"].origin == "stated"


def test_a_records_url_dates_it_when_nothing_else_does():
    cleaned = clean_text(dump(LEDE, MORE), stated={"url": "https://www.portbayherald.co.uk/2026/03/11/wall"},
                         structured=True)
    assert cleaned.published == "2026-03-11" and cleaned.fields["published"].origin == "inferred"
    # the record's URL is the article's own: it wins over an address line's
    both = clean_text(dump("http://mirror.example/2026/01/02/copy", LEDE), structured=True,
                      stated={"url": "https://www.portbayherald.co.uk/2026/03/11/wall"})
    assert both.published == "2026-03-11"


def test_a_jsonl_record_gets_its_outlet_from_the_address_but_not_its_url():
    row = {"text": dump("https://www.bbc.co.uk/news/uk-42", "Harbour wall approved", LEDE, MORE)}
    article = to_article(document_from_object(row, source="dump.jsonl", where="line 1", max_bytes=1 << 20))
    assert article.outlet == "BBC News"
    assert article.url is None  # two texts under one address would otherwise be one article
    assert article.title == "Harbour wall approved"
    assert "bbc.co.uk" not in article.body


def test_a_headline_that_merely_names_an_address_stays_the_headline():
    text = dump("Portbayherald.co.uk relaunches its harbour pages", LEDE, MORE)
    cleaned = clean_text(text)
    assert cleaned.title == "Portbayherald.co.uk relaunches its harbour pages" and cleaned.address is None


def test_long_lines_are_no_addresses():
    assert address_of("http://" + "a." * (MAX_ADDRESS * 50) + "com") is None  # never scanned
    assert address_date("http://x.com/" + "2026/" * 100_000) is None
    line = "http://" + "a" * (MAX_ADDRESS - 20) + ".com/"
    assert address_of(line) == line
    assert address_of("http://" + "a-" * 1000 + "." * 20) is None  # empty labels


def test_today_is_not_the_future():
    today = dt.date.today()
    assert address_date(f"http://x.example/{today:%Y/%m/%d}/a") == today.isoformat()


def test_a_records_own_id_is_kept_in_its_locator_and_in_a_sightings(tmp_path):
    """jsonl.record_id: a dataset's ids (ECB+'s doc_id) stay with the articles and with the
    sighting of a record whose text was stored once already, so results join back to the rows."""
    import storyline

    text = dump(LEDE, MORE)
    rows = [{"doc_id": "36_1ecb", "url": "https://a.example/1", "text": text},
            {"doc_id": "36_2ecb\x1b[31m", "url": "https://b.example/2", "text": text},  # a copy; escapes dropped
            {"id": True, "doc_id": 7, "text": dump(MORE, LEDE)},  # a flag is no id; a number is
            {"id": "x" * 500, "text": dump("Other news entirely, told at some length for the test.", MORE)},
            {"_id": {"$oid": "5f1a"}, "text": dump("A fifth record, with a MongoDB id, told at some length.", LEDE)},
            {"id": 12.0, "text": dump(LEDE, "A sixth record's own paragraph: its id was written by a table tool.")},
            {"id": 1.5, "text": dump(LEDE, "A seventh record's own paragraph: a fractional number is no id at all.")}]
    path = tmp_path / "ids.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    with storyline.open(str(tmp_path / "s.db")) as desk:
        desk.ingest([path])
        by_locator = {a.locator: a for a in desk.articles()}
        assert set(by_locator) == {"line 1, id 36_1ecb", "line 3, id 7", "line 4", "line 5, id 5f1a",
                                   "line 6, id 12", "line 7"}
        first = by_locator["line 1, id 36_1ecb"]
        assert [s.locator for s in desk.store.sightings([first.id])[first.id]] == ["line 2, id 36_2ecb[31m"]


def test_an_address_alone_stays_the_text_it_is():
    """A record whose whole text is a link keeps it (the one-line text of a record is its body),
    and the address still names the outlet."""
    row = {"title": "Lohan is missing", "text": "http : / / nypost . com / 2013 / 05 / 02 / lohan /"}
    article = to_article(document_from_object(row, source="dump.jsonl", where="line 1", max_bytes=1 << 20))
    assert article.body == row["text"] and article.title == "Lohan is missing"
    assert article.outlet == "nypost.com" and article.published == "2013-05-02"


def test_a_line_that_starts_with_a_link_stays_in_the_body():
    text = dump("https://t.co/x1 " + LEDE, MORE)
    cleaned = clean_text(text, structured=True)
    assert cleaned.address is None and "address-line" not in [c.kind for c in cleaned.cuts]
    assert cleaned.body.split("\n\n") == ["https://t.co/x1 " + LEDE, MORE]


def test_a_stated_title_repeated_under_the_address_is_cut_as_without_one():
    lines = ("Harbour wall approved", LEDE, MORE)
    plain = clean_text(dump(*lines), stated={"title": "Harbour wall approved"})
    under = clean_text(dump("https://www.portbayherald.co.uk/news/wall", *lines), stated={"title": "Harbour wall approved"})
    assert under.body == plain.body == "\n\n".join([LEDE, MORE])


def test_the_address_names_the_outlet_when_the_records_url_is_no_web_address():
    row = {"url": "doc-36_1ecb", "text": dump("https://nypost.com/2026/03/10/harbour-wall/", "Harbour wall approved", LEDE)}
    article = to_article(document_from_object(row, source="dump.jsonl", where="line 1", max_bytes=1 << 20))
    assert article.outlet == "nypost.com" and article.published == "2026-03-10"
