"""Every input source, end to end through Desk.ingest into both stores.

Inputs are built by hand in tmp_path (see builders.py); each test checks what a reader of the
stored article would see: title, body, outlet, date, byline, where each field came from, and
what was cut.
"""

from __future__ import annotations

import pytest

from builders import (
    BRIDGE_PARAGRAPHS,
    BRIDGE_TITLE,
    FERRY_PARAGRAPHS,
    FERRY_TITLE,
    FOOTER_TEXT,
    LIBRARY_PARAGRAPHS,
    LIBRARY_TITLE,
    NAV_TEXT,
    SIDEBAR_TEXT,
    atom_feed,
    gz,
    html_fragment,
    html_page,
    jsonl,
    rss_feed,
    text_article,
    warc,
    write,
)


def body_of(paragraphs) -> str:
    return "\n\n".join(paragraphs)


def only_article(desk, report):
    assert report.problems == []
    assert len(report.added) == 1, report
    [article] = desk.articles()
    return desk.article(article.id)  # with its raw input


# --- plain text ------------------------------------------------------------------------------


def test_plain_text_file(desk, tmp_path):
    path = write(tmp_path, "ferry.txt", text_article(FERRY_TITLE, FERRY_PARAGRAPHS, footer=["By Tom Reyes"]))
    report = desk.ingest([path])
    article = only_article(desk, report)

    assert article.title == FERRY_TITLE
    assert article.body == body_of(FERRY_PARAGRAPHS)
    assert article.byline == "Tom Reyes"
    assert article.source == str(path) and article.locator is None and article.url is None
    assert article.fields["title"].origin == "stated"
    assert article.fields["byline"].origin == "stated"
    assert article.fields["outlet"].origin == "missing" and article.outlet is None
    assert article.fields["published"].origin == "missing" and article.published is None
    assert [c.kind for c in article.cuts] == ["byline", "headline"]
    assert article.raw == path.read_bytes() and article.raw_type == "text/plain"


def test_gzipped_text_reads_like_the_plain_file(desk, tmp_path):
    text = text_article(BRIDGE_TITLE, BRIDGE_PARAGRAPHS)
    plain = write(tmp_path, "a/bridge.txt", text)
    packed = write(tmp_path, "b/bridge.txt.gz", gz(text))

    report = desk.ingest([packed])
    article = only_article(desk, report)
    assert article.title == BRIDGE_TITLE and article.body == body_of(BRIDGE_PARAGRAPHS)
    assert article.raw == text.encode("utf-8")  # kept decompressed
    assert article.source == str(packed)

    # The same text from the plain file has the same content identity: already present.
    again = desk.ingest([plain])
    assert again.added == [] and again.present == report.added


def test_folder_is_read_recursively_without_hidden_or_unsupported_files(desk, tmp_path):
    root = tmp_path / "inbox"
    write(root, "ferry.txt", text_article(FERRY_TITLE, FERRY_PARAGRAPHS))
    write(root, "2026/03/bridge.txt", text_article(BRIDGE_TITLE, BRIDGE_PARAGRAPHS))
    write(root, "2026/03/07/deep/library.txt.gz", gz(text_article(LIBRARY_TITLE, LIBRARY_PARAGRAPHS)))
    # Passed over: hidden files and folders, and files whose type is not an input type.
    write(root, ".draft.txt", text_article("Hidden draft headline", ["Never ingested, it is hidden. " * 3]))
    write(root, ".git/objects/notes.txt", text_article("Git internals headline", ["Not an article at all. " * 3]))
    write(root, "2026/.cache/x.txt", "Cached copy.\nStill hidden, so never read.\n")
    write(root, "photos/cover.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    write(root, "notes.xlsx", b"PK\x03\x04 a spreadsheet")

    report = desk.ingest([root])
    assert report.problems == []
    assert report.files == 3
    stored = {a.source.removeprefix(str(root) + "/"): a.title for a in desk.articles()}
    assert stored == {
        "2026/03/07/deep/library.txt.gz": LIBRARY_TITLE,
        "2026/03/bridge.txt": BRIDGE_TITLE,
        "ferry.txt": FERRY_TITLE,
    }


def test_txt_that_is_really_an_html_page_is_read_as_html(desk, tmp_path):
    path = write(tmp_path, "saved-page.txt", html_page(LIBRARY_TITLE, LIBRARY_PARAGRAPHS, published="2026-03-07"))
    article = only_article(desk, desk.ingest([path]))
    assert article.raw_type == "text/html"
    assert article.title == LIBRARY_TITLE and article.published == "2026-03-07"
    assert article.body == body_of(LIBRARY_PARAGRAPHS)


# --- HTML pages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page_kwargs", "published"),
    [
        pytest.param({"published": "2026-03-07T09:30:00Z"}, "2026-03-07T09:30:00+00:00", id="meta-published-time"),
        pytest.param({"time_tag": "2026-03-08T10:15:00+01:00"}, "2026-03-08", id="time-element"),
        pytest.param({"url": "https://courier.example/2026/03/09/library-reopens"}, "2026-03-09", id="date-in-url"),
    ],
)
def test_html_page(desk, tmp_path, page_kwargs, published):
    page = html_page(LIBRARY_TITLE, LIBRARY_PARAGRAPHS, author="Hannah Pike", **page_kwargs)
    path = write(tmp_path, "pages/library.html", page)
    article = only_article(desk, desk.ingest([path]))

    assert article.title == LIBRARY_TITLE  # og:title, not "<title> | site"
    assert article.outlet == "Millbrook Courier"  # og:site_name
    assert article.byline == "Hannah Pike"
    assert article.published == published
    for name in ("title", "outlet", "byline", "published"):
        assert article.fields[name].origin == "stated", name
    # trafilatura keeps the article paragraphs, in order, and drops the page furniture.
    assert article.body == body_of(LIBRARY_PARAGRAPHS)
    for furniture in (NAV_TEXT, "Subscribe now", FOOTER_TEXT, "Privacy policy", SIDEBAR_TEXT, "Most read"):
        assert furniture not in article.body
    assert "dataLayer" not in article.body and "font-family" not in article.body
    assert article.raw_type == "text/html"


def test_html_page_without_a_date_has_none(desk, tmp_path):
    # The body mentions a year ("a flood in 2024"): that is not a publication date.
    path = write(tmp_path, "library.htm", html_page(LIBRARY_TITLE, LIBRARY_PARAGRAPHS, site_name=None))
    article = only_article(desk, desk.ingest([path]))
    assert article.published is None and article.fields["published"].origin == "missing"
    assert article.outlet is None and article.fields["outlet"].origin == "missing"
    assert article.title == LIBRARY_TITLE


def test_gzipped_html_page(desk, tmp_path):
    path = write(tmp_path, "library.html.gz", gz(html_page(LIBRARY_TITLE, LIBRARY_PARAGRAPHS, published="2026-03-07")))
    article = only_article(desk, desk.ingest([path]))
    assert article.title == LIBRARY_TITLE and article.body == body_of(LIBRARY_PARAGRAPHS)


# --- feeds -----------------------------------------------------------------------------------

FERRY_URL = "https://courier.example/news/2026/03/05/ferry-strike"
BRIDGE_URL = "https://courier.example/news/2026/03/02/swing-bridge"
LINK_ONLY_URL = "https://courier.example/news/2026/03/06/leader-resigns"


def test_rss_feed_entries_become_articles_and_links(desk, tmp_path, monkeypatch):
    def no_fetch(*args, **kwargs):
        raise AssertionError("a link-only entry was fetched without --fetch")

    monkeypatch.setattr("storyline.run.ingest.fetch_link", no_fetch)
    feed = rss_feed("Millbrook Courier - News", [
        {"title": FERRY_TITLE, "link": FERRY_URL, "pubDate": "Thu, 05 Mar 2026 18:30:00 +0000",
         "creator": "Tom Reyes", "description": "Crews back three days of action.",
         "content": html_fragment(FERRY_PARAGRAPHS)},
        # Link only: a title and a short teaser, no content. Recorded, never fetched.
        {"title": "Council leader resigns", "link": LINK_ONLY_URL,
         "pubDate": "Fri, 06 Mar 2026 08:00:00 +0000",
         "description": "The leader of Millbrook council has resigned after a vote of no confidence."},
        {"title": BRIDGE_TITLE, "link": BRIDGE_URL, "pubDate": "Mon, 02 Mar 2026 07:05:00 GMT",
         "creator": "Ana Lund", "content": "<h2>Closure</h2>" + html_fragment(BRIDGE_PARAGRAPHS)},
    ])
    path = write(tmp_path, "courier.rss", feed)
    report = desk.ingest([path])

    assert report.problems == []
    assert len(report.added) == 2
    assert report.links_seen == 1 and report.links_new == 1
    by_title = {a.title: a for a in desk.articles()}
    ferry, bridge = by_title[FERRY_TITLE], by_title[BRIDGE_TITLE]

    assert ferry.body == body_of(FERRY_PARAGRAPHS)
    assert ferry.url == FERRY_URL and ferry.locator == "entry 1" and ferry.source == str(path)
    assert ferry.published == "2026-03-05T18:30:00+00:00"
    assert ferry.byline == "Tom Reyes"
    assert ferry.outlet == "Millbrook Courier"  # the channel title, without its section label
    for name in ("title", "published", "byline", "outlet"):
        assert ferry.fields[name].origin == "stated", name
    assert bridge.locator == "entry 3" and bridge.byline == "Ana Lund"
    assert bridge.published == "2026-03-02T07:05:00+00:00"
    assert bridge.body == body_of(["Closure", *BRIDGE_PARAGRAPHS])

    [link] = desk.links()
    assert link.url == LINK_ONLY_URL and link.title == "Council leader resigns"
    assert link.locator == "entry 2" and link.source == str(path)
    assert link.published  # as the feed states it

    # Re-reading the feed adds nothing and records no new link.
    again = desk.ingest([path])
    assert again.added == [] and len(again.present) == 2 and again.links_new == 0


def test_rss_description_long_enough_is_the_article(desk, tmp_path):
    long_text = " ".join(FERRY_PARAGRAPHS + BRIDGE_PARAGRAPHS)
    assert len(long_text.split()) >= 120
    path = write(tmp_path, "feed.xml", rss_feed("Courier", [
        {"title": "Town news roundup for the week", "link": "https://courier.example/roundup",
         "pubDate": "Sat, 07 Mar 2026 12:00:00 +0000", "description": long_text},
    ]))
    report = desk.ingest([path])
    assert report.links_seen == 0
    article = only_article(desk, report)
    assert article.title == "Town news roundup for the week"
    assert article.body == long_text


def test_atom_feed(desk, tmp_path):
    path = write(tmp_path, "riverside.atom", atom_feed("Riverside Weekly", [
        {"title": BRIDGE_TITLE, "link": "https://riverside.example/bridge", "published": "2026-03-02T10:00:00Z",
         "updated": "2026-03-03T09:00:00Z", "author": "Ana Lund", "content": html_fragment(BRIDGE_PARAGRAPHS)},
        {"title": LIBRARY_TITLE, "link": "https://riverside.example/library", "published": "2026-03-07T16:45:00+01:00",
         "content": html_fragment(LIBRARY_PARAGRAPHS)},
    ]))
    report = desk.ingest([path])
    assert report.problems == [] and len(report.added) == 2
    bridge, library = desk.articles()
    assert (bridge.title, bridge.url, bridge.locator) == (BRIDGE_TITLE, "https://riverside.example/bridge", "entry 1")
    assert bridge.published == "2026-03-02T10:00:00+00:00"  # published, not updated
    assert bridge.byline == "Ana Lund" and bridge.outlet == "Riverside Weekly"
    assert bridge.body == body_of(BRIDGE_PARAGRAPHS)
    assert library.published == "2026-03-07T16:45:00+01:00"  # the offset as stated
    assert library.byline is None and library.fields["byline"].origin == "missing"
    assert library.body == body_of(LIBRARY_PARAGRAPHS)


# --- JSONL -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["wire.jsonl", "wire.ndjson", "wire.jsonl.gz"])
def test_jsonl_with_text_and_with_html(desk, tmp_path, name):
    lines = jsonl([
        {"url": FERRY_URL, "title": FERRY_TITLE, "text": "\n".join(FERRY_PARAGRAPHS),
         "published": "2026-03-05T18:30:00Z", "outlet": "Meridian Wire", "byline": "Tom Reyes"},
        {"url": "https://courier.example/library", "published": "2026-03-07",
         "html": html_page(LIBRARY_TITLE, LIBRARY_PARAGRAPHS, site_name="Millbrook Courier")},
    ])
    path = write(tmp_path, name, gz(lines) if name.endswith(".gz") else lines)
    report = desk.ingest([path])
    assert report.problems == [] and len(report.added) == 2

    ferry, library = desk.articles()
    assert ferry.locator == "line 1" and library.locator == "line 2"
    assert ferry.title == FERRY_TITLE and ferry.url == FERRY_URL
    assert ferry.body == body_of(FERRY_PARAGRAPHS)
    assert (ferry.outlet, ferry.byline, ferry.published) == ("Meridian Wire", "Tom Reyes", "2026-03-05T18:30:00+00:00")
    assert all(ferry.fields[n].origin == "stated" for n in ("title", "outlet", "byline", "published"))
    # The html line: body and metadata from the page; the JSON's own keys win.
    assert library.title == LIBRARY_TITLE and library.outlet == "Millbrook Courier"
    assert library.published == "2026-03-07" and library.url == "https://courier.example/library"
    assert library.body == body_of(LIBRARY_PARAGRAPHS)
    assert NAV_TEXT not in library.body and FOOTER_TEXT not in library.body


def test_a_jsonl_record_of_one_line_keeps_it_as_its_body(desk, tmp_path):
    """A record's text field of one line (a short brief; a headline-only record whose text
    repeats its title) is its text: kept as the body, not dropped as a bare headline as a
    one-line plain-text file is."""
    lines = jsonl([
        {"url": "https://wire.example/brief", "text": "The harbour election is over in Port Selby."},
        {"url": "https://wire.example/head", "title": "Port Selby shares rise", "text": "Port Selby shares rise"},
    ])
    report = desk.ingest([write(tmp_path, "briefs.jsonl", lines)])
    assert report.problems == [] and len(report.added) == 2
    brief, head = desk.articles()
    assert brief.body == "The harbour election is over in Port Selby." and brief.title == brief.body
    assert head.body == "Port Selby shares rise" and head.title == "Port Selby shares rise"
    one_line = write(tmp_path, "brief.txt", "The harbour election is over in Port Selby.")
    assert desk.ingest([one_line]).added == []


def test_jsonl_dumps_of_other_tools_are_read_with_their_field_names(desk, tmp_path):
    """news-please, Media Cloud and NewsAPI name the same fields otherwise (maintext,
    date_publish, publish_date, publishedAt, source_domain, media_name, a source object, a list
    of authors); a Unix time in milliseconds is a date; HTML kept under "content" is read as a
    page. Our own field names win over an alias in the same record."""
    lines = jsonl([
        {"url": FERRY_URL, "title": FERRY_TITLE, "maintext": "\n".join(FERRY_PARAGRAPHS),
         "date_publish": "2026-03-05 18:30:00", "source_domain": "meridianwire.example", "authors": ["Tom Reyes", "Ana Lund"]},
        {"link": BRIDGE_URL, "headline": BRIDGE_TITLE, "content": "\n".join(BRIDGE_PARAGRAPHS),
         "publishedAt": "2026-03-02T10:00:00Z", "source": {"id": None, "name": "Riverside Weekly"}, "author": "Ana Lund"},
        {"url": "https://courier.example/library", "media_name": "Millbrook Courier", "timestamp": 1772877600000,
         "content": html_page(LIBRARY_TITLE, LIBRARY_PARAGRAPHS)},
        {"url": "https://wire.example/own", "text": "The harbour election is over in Port Selby.",
         "body": "Not this one.", "published": "2026-03-09", "date": "2026-01-01", "title": "Port Selby votes"},
    ])
    report = desk.ingest([write(tmp_path, "other-tools.jsonl", lines)])
    assert report.problems == [] and len(report.added) == 4
    ferry, bridge, library, own = desk.articles()
    assert ferry.body == body_of(FERRY_PARAGRAPHS) and ferry.title == FERRY_TITLE
    assert (ferry.published, ferry.byline) == ("2026-03-05T18:30:00", "Tom Reyes, Ana Lund")
    assert ferry.outlet and "meridianwire" in ferry.outlet.casefold()
    assert all(ferry.fields[n].origin == "stated" for n in ("title", "published", "byline"))
    assert (bridge.url, bridge.title, bridge.outlet, bridge.byline) == (BRIDGE_URL, BRIDGE_TITLE, "Riverside Weekly", "Ana Lund")
    assert bridge.published == "2026-03-02T10:00:00+00:00" and bridge.body == body_of(BRIDGE_PARAGRAPHS)
    assert library.published == "2026-03-07T10:00:00+00:00" and library.outlet == "Millbrook Courier"
    assert library.body == body_of(LIBRARY_PARAGRAPHS) and NAV_TEXT not in library.body
    assert (own.body, own.published, own.title) == ("The harbour election is over in Port Selby.", "2026-03-09", "Port Selby votes")


def test_odd_jsonl_values_of_other_tools_fields_never_stop_the_file(desk, tmp_path):
    """A 400-digit number or other scripts' digits as a date leave the article undated; our own
    text wins over another tool's copy of the page; a schema.org author object is a byline."""
    lines = "".join([
        '{"text": "The harbour election is over in Port Selby.", "published": 1' + "0" * 400 + "}\n",
        jsonl([{"text": "Port Selby shares rose on Monday after the vote.", "date": "²²²²²²²²²²"},
               {"text": "Ferry crews voted to strike over the new rota.", "raw_html": "<html><body>Cookie banner</body></html>",
                "author": {"@type": "Person", "name": "Jane Roe"}}]),
    ])
    report = desk.ingest([write(tmp_path, "odd.jsonl", lines)])
    assert report.problems == [] and len(report.added) == 3
    first, second, third = desk.articles()
    assert first.published is None and second.published is None
    assert third.body == "Ferry crews voted to strike over the new rota." and third.byline == "Jane Roe"


def test_a_jsonl_record_without_any_text_field_names_the_names_it_looked_for(desk, tmp_path):
    report = desk.ingest([write(tmp_path, "no-text.jsonl", jsonl([{"url": FERRY_URL, "summary": "  ", "title": ""}]))])
    assert report.added == [] and len(report.problems) == 1
    reason = report.problems[0].reason
    assert all(f"'{name}'" in reason for name in ("text", "title", "maintext", "content", "summary", "description"))


def test_a_jsonl_record_with_only_a_headline_or_a_teaser_is_kept_as_a_brief(desk, tmp_path):
    """Headline dumps (GDELT, the UCI News Aggregator, NewsAPI without its content) give a
    title, a teaser or both and no text: each record is kept, its teaser (else its headline)
    as the body, and the article says the body stands in for a text it never had."""
    lines = jsonl([
        {"url": "https://wire.example/h", "title": "Port Selby shares rise", "publisher": "Meridian Wire",
         "timestamp": 1772877600000},
        {"url": "https://wire.example/t", "title": "Ferry crews vote to strike",
         "description": "Crews on the Port Selby ferry voted on Monday to strike over the new rota.", "content": None},
        {"link": "https://wire.example/s", "headline": "Harbour vote", "summary": "The harbour election is over."},
        {"url": "https://wire.example/full", "title": "Port Selby votes", "text": "The harbour election is over in Port Selby.",
         "description": "Not this one."},
    ])
    report = desk.ingest([write(tmp_path, "headlines.jsonl", lines)])
    assert report.problems == [] and len(report.added) == 4
    head, teaser, summary, full = desk.articles()
    assert (head.title, head.body, head.outlet) == ("Port Selby shares rise", "Port Selby shares rise", "Meridian Wire")
    assert head.published == "2026-03-07T10:00:00+00:00" and head.cuts == ()
    assert head.fields["body"].origin == "inferred" and "'title'" in head.fields["body"].evidence
    assert (teaser.title, teaser.body) == ("Ferry crews vote to strike",
                                           "Crews on the Port Selby ferry voted on Monday to strike over the new rota.")
    assert "'description'" in teaser.fields["body"].evidence
    assert (summary.title, summary.body) == ("Harbour vote", "The harbour election is over.")
    assert "'summary'" in summary.fields["body"].evidence
    # A record with its own text is read as before: the teaser is not its body, nothing stands in.
    assert full.body == "The harbour election is over in Port Selby." and "body" not in full.fields


def test_a_feed_entry_with_only_a_headline_or_a_teaser_is_kept_as_a_brief(desk, tmp_path):
    """A wire ticker, or a feed exported without its pages: entries with no content and no
    link. Each is a brief, as a JSONL record with no text is; an entry with nothing is reported."""
    feed = rss_feed("Meridian Wire", [
        {"title": "Port Selby shares rise", "pubDate": "Sat, 07 Mar 2026 10:00:00 GMT", "creator": "Desk"},
        {"title": "Ferry crews vote to strike",
         "description": "<p>Crews on the Port Selby ferry <b>voted</b> on Monday to strike over the new rota.</p>"},
        {"description": "The harbour election is over."},
        {"pubDate": "Sat, 07 Mar 2026 11:00:00 GMT"},
        {"title": "A linked story", "link": "https://wire.example/linked", "description": "Only a teaser."},
    ])
    report = desk.ingest([write(tmp_path, "ticker.rss", feed)])
    assert [(p.locator, p.reason) for p in report.problems] == [("entry 4", "entry has no content, link, headline or teaser")]
    head, teaser, untitled = desk.articles()
    assert (head.title, head.body, head.outlet, head.byline) == ("Port Selby shares rise", "Port Selby shares rise",
                                                                 "Meridian Wire", "Desk")
    assert head.published == "2026-03-07T10:00:00+00:00" and head.locator == "entry 1"
    assert head.fields["body"].origin == "inferred" and "'title'" in head.fields["body"].evidence
    assert teaser.title == "Ferry crews vote to strike"
    assert teaser.body == "Crews on the Port Selby ferry voted on Monday to strike over the new rota."
    assert "'summary'" in teaser.fields["body"].evidence
    assert untitled.body == "The harbour election is over."
    # The entry with a link is a link to fetch, as before, not a brief of its teaser.
    assert [link.url for link in desk.store.links()] == ["https://wire.example/linked"]


def test_briefs_of_a_feed_not_well_formed_but_its_possibly_cut_last_entry_are_kept(desk, tmp_path):
    whole = rss_feed("Meridian Wire", [{"title": "Port Selby shares rise"}, {"title": "Ferry crews vote to strike"},
                                       {"title": "Harbour election called for May"}])
    # Cut inside the last entry's headline: the entries before it are whole.
    cut = whole[: whole.index("Harbour election") + len("Harbour elec")]
    report = desk.ingest([write(tmp_path, "cut.rss", cut)])
    assert [a.body for a in desk.articles()] == ["Port Selby shares rise", "Ferry crews vote to strike"]
    assert report.problems[-1].locator == "entry 3" and "may be cut" in report.problems[-1].reason
    # A wrong encoding declaration breaks nothing inside: every entry is kept.
    mislabelled = whole.replace('encoding="UTF-8"', 'encoding="us-ascii"').replace(
        "Harbour election called for May", "Harbour élection called for May")
    report = desk.ingest([write(tmp_path, "mislabelled.rss", mislabelled.encode("utf-8"))])
    assert "Harbour élection called for May" in [a.body for a in desk.articles()]


# --- CSV and TSV -----------------------------------------------------------------------------


def test_a_headline_spreadsheet_is_read_row_by_row_as_briefs(desk, tmp_path):
    """A headline dump in the UCI News Aggregator's shape (upper-case names, a Unix time in
    milliseconds, no text) needs no conversion: each row is a brief with its outlet and date."""
    rows = ("ID,TITLE,URL,PUBLISHER,CATEGORY,STORY,HOSTNAME,TIMESTAMP\r\n"
            '1,"Port Selby shares rise, then fall",https://wire.example/1,Meridian Wire,b,s1,wire.example,1772877600000\r\n'
            "2,Ferry crews vote to strike,https://courier.example/2,Millbrook Courier,b,s2,courier.example,1772881200000\r\n")
    report = desk.ingest([write(tmp_path, "headlines.csv", rows)])
    assert report.problems == [] and len(report.added) == 2
    shares, ferry = desk.articles()
    assert (shares.title, shares.body, shares.outlet) == (
        "Port Selby shares rise, then fall", "Port Selby shares rise, then fall", "Meridian Wire")
    assert shares.published == "2026-03-07T10:00:00+00:00" and shares.url == "https://wire.example/1"
    # the row's own ID is kept where the row is named: results join back to the spreadsheet
    assert shares.locator == "row 2, id 1" and shares.fields["body"].origin == "inferred"
    assert (ferry.title, ferry.outlet, ferry.locator) == ("Ferry crews vote to strike", "Millbrook Courier", "row 3, id 2")


@pytest.mark.parametrize("name,sep", [("wire.tsv", "\t"), ("wire.csv", ";"), ("wire.csv.gz", ",")])
def test_article_rows_with_text_across_lines(desk, tmp_path, name, sep):
    """A text field quoted over several lines is one article; a tab (.tsv) or the header's own
    delimiter (here a semicolon) separates the fields; a gzip file is read through."""
    text = "\n".join(FERRY_PARAGRAPHS).replace('"', '""')
    data = (sep.join(["Title", "Body", "Published", "Source"]) + "\n"
            + sep.join([FERRY_TITLE, f'"{text}"', "2026-03-05", "Meridian Wire"]) + "\n")
    report = desk.ingest([write(tmp_path, name, gz(data) if name.endswith(".gz") else data)])
    assert report.problems == [] and len(report.added) == 1
    [ferry] = desk.articles()
    assert ferry.title == FERRY_TITLE and ferry.body == body_of(FERRY_PARAGRAPHS)
    assert (ferry.published, ferry.outlet) == ("2026-03-05", "Meridian Wire")


def test_bad_csv_rows_are_skipped_and_reported_and_the_rest_kept(desk, tmp_path):
    cap = 2_000
    data = ("title,text,outlet\n"
            "Harbour vote,The harbour election is over in Port Selby.,Selby Post\n"  # row 2
            "Too,many,fields,here\n"                                                 # row 3
            "\n"                                                                     # row 4: blank
            f"Long one,{'word ' * 1_000},Selby Post\n"                               # line 5: over the cap
            ",,Selby Post\n").encode() + b"Bad bytes,caf\xe9 au lait,\n" + (          # row 6, row 7
            "Ferry strike,Ferry crews voted to strike over the new rota.,\n").encode()  # row 8
    report = desk.ingest([write(tmp_path, "mixed.csv", data)], max_bytes=cap)
    assert [(a.title, a.locator) for a in desk.articles()] == [("Harbour vote", "row 2"), ("Ferry strike", "row 8")]
    got = [(p.locator, p.reason) for p in report.problems]
    assert got[:3] == [("row 3", "4 fields where the header names 3"), ("line 5", "line longer than the 2,000-byte cap"),
                       ("row 6", got[2][1])]
    assert got[2][1].startswith("no 'text', 'html' or 'title' field")
    assert got[3:] == [("row 7", "not valid UTF-8")]


@pytest.mark.parametrize("data,reason", [
    (b"", "empty input"),
    (b"\n\n", "empty input"),
    (b"title,text\n", "a header row and no rows"),
    (b",,\nA,B,C\n", "no header row naming the fields"),
    (b"name,votes\nOkafor,31\nLund,12\n", "no article fields in the header row ('name', 'votes'): none of "
                                           "'text', 'title', 'html' or their other names"),
])
def test_a_csv_with_nothing_to_read_says_why(desk, tmp_path, data, reason):
    report = desk.ingest([write(tmp_path, "nothing.csv", data)])
    assert report.added == [] and [p.reason for p in report.problems] == [reason]


# --- WARC ------------------------------------------------------------------------------------


@pytest.mark.parametrize("compress", [True, False], ids=["warc.gz", "warc"])
def test_warc_response_records(desk, tmp_path, compress):
    data = warc([
        {"uri": "https://courier.example/missing-page", "status": "404 Not Found",
         "body": html_page("Page not found", ["Sorry, we could not find the page you asked for. " * 5])},
        {"uri": "https://courier.example/library", "type": "request"},
        {"uri": "https://courier.example/library",
         "body": html_page(LIBRARY_TITLE, LIBRARY_PARAGRAPHS, published="2026-03-07T09:30:00Z")},
        {"uri": "https://courier.example/logo.png", "ctype": "image/png", "body": b"\x89PNG\r\n\x1a\n\x00\x00"},
        {"uri": "https://courier.example/moved", "status": "301 Moved Permanently", "body": ""},
        {"uri": "https://courier.example/ferry.txt", "ctype": "text/plain; charset=utf-8",
         "body": text_article(FERRY_TITLE, FERRY_PARAGRAPHS)},
    ], compress=compress)
    path = write(tmp_path, "crawl.warc.gz" if compress else "crawl.warc", data)
    report = desk.ingest([path])

    # warcinfo (record 1), the 404, the request, the image and the redirect are not articles.
    assert report.problems == []
    assert len(report.added) == 2
    library, ferry = desk.articles()
    assert library.url == "https://courier.example/library"  # WARC-Target-URI
    assert library.locator == "record 4" and library.source == str(path)
    assert library.title == LIBRARY_TITLE and library.outlet == "Millbrook Courier"
    assert library.published == "2026-03-07T09:30:00+00:00"
    assert library.body == body_of(LIBRARY_PARAGRAPHS)
    assert ferry.locator == "record 7" and ferry.url == "https://courier.example/ferry.txt"
    assert ferry.title == FERRY_TITLE and ferry.body == body_of(FERRY_PARAGRAPHS)


def test_one_run_over_every_source(desk, tmp_path):
    """All shapes side by side in one folder: each read by its own reader, nothing skipped."""
    root = tmp_path / "mixed"
    write(root, "a.txt", text_article(FERRY_TITLE, FERRY_PARAGRAPHS))
    write(root, "b.html", html_page(LIBRARY_TITLE, LIBRARY_PARAGRAPHS, published="2026-03-07"))
    write(root, "c.atom", atom_feed("Riverside Weekly", [
        {"title": BRIDGE_TITLE, "link": BRIDGE_URL, "published": "2026-03-02T10:00:00Z",
         "content": html_fragment(BRIDGE_PARAGRAPHS)}]))
    write(root, "d.jsonl", jsonl([{"title": "Harbour wall repaired", "text": "Workers finished repairing the "
                                   "harbour wall on Friday, two weeks ahead of schedule, the council said."}]))
    write(root, "e.warc.gz", warc([{"uri": "https://x.example/p", "body": html_page(
        "Market hall gets new roof", ["The market hall will get a new slate roof this summer, traders were told "
                                      "at a meeting on Wednesday night in the hall itself."] * 3)}]))
    report = desk.ingest([root])
    assert report.problems == [] and report.files == 5 and len(report.added) == 5
    raw_types = {a.source.rsplit("/", 1)[-1]: desk.article(a.id).raw_type for a in desk.articles()}
    assert raw_types == {"a.txt": "text/plain", "b.html": "text/html", "c.atom": "text/html+fragment",
                         "d.jsonl": "application/json", "e.warc.gz": "text/html"}


def test_html_publication_time_is_kept(tmp_path):
    from storyline.ingest.html import extract_html

    cleaned = extract_html(html_page(LIBRARY_TITLE, LIBRARY_PARAGRAPHS, published="2026-03-07T09:30:00Z").encode())
    assert cleaned.published == "2026-03-07T09:30:00+00:00"
