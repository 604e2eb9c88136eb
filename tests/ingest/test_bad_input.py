"""Bad inputs: each is skipped with a reason that names the file (and the line, entry or record),
and none stops the run: a good file ingested beside it is still added.

The table runs on SQLite only (reading inputs does not depend on the store); the mixed-batch
test at the end runs every bad input in one run on both stores.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import pytest

import storyline
from builders import (
    BRIDGE_PARAGRAPHS,
    BRIDGE_TITLE,
    FERRY_PARAGRAPHS,
    FERRY_TITLE,
    LIBRARY_PARAGRAPHS,
    LIBRARY_TITLE,
    gz,
    html_fragment,
    html_page,
    jsonl,
    rss_feed,
    text_article,
    warc,
    write,
)

CAP = 4_000  # the max_bytes every test here runs with: the good file is well under it

GOOD_TEXT = text_article(FERRY_TITLE, FERRY_PARAGRAPHS)
assert len(GOOD_TEXT.encode()) < CAP

# Random bytes without NULs: not UTF-8, and mojibake in every single-byte encoding.
NOISE = bytes(b or 1 for b in random.Random(7).randbytes(3000))
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00" + bytes(200)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nstream\n\x00\x00\x10\x00x\x9c"
FULL_FEED = rss_feed("Millbrook Courier", [
    {"title": FERRY_TITLE, "link": "https://courier.example/ferry", "content": html_fragment(FERRY_PARAGRAPHS)},
    {"title": BRIDGE_TITLE, "link": "https://courier.example/bridge", "content": html_fragment(BRIDGE_PARAGRAPHS)},
])
SHORT_PAGE = html_page("Short page", ["One short paragraph about the weather on the coast this week."])


def _two_page_warc(compress: bool = True) -> bytes:
    return warc([
        {"uri": "https://courier.example/library", "body": html_page(LIBRARY_TITLE, LIBRARY_PARAGRAPHS[:3])},
        {"uri": "https://courier.example/bridge", "body": html_page(BRIDGE_TITLE, BRIDGE_PARAGRAPHS)},
    ], compress=compress)


@dataclass(frozen=True)
class Bad:
    name: str  # file name; None data means: do not create it
    data: bytes | str | None
    reason: str  # a fragment the reason must hold
    locator: str | None = None
    kept: tuple[str, ...] = ()  # titles still read from the file, before the damage


CASES = [
    Bad("missing.txt", None, "no such file or folder"),
    Bad("missing-folder", None, "no such file or folder"),
    Bad("empty.txt", b"", "empty input"),
    Bad("blank.txt", " \n\t\r\n   \n", "empty input"),
    Bad("image-named.txt", PNG, "binary content (NUL bytes)"),
    Bad("noise.txt", NOISE, "not valid UTF-8 (first bad byte at offset 1) and no plausible encoding"),
    Bad("oversized.txt", text_article(LIBRARY_TITLE, LIBRARY_PARAGRAPHS * 5), "larger than the 4,000-byte cap"),
    Bad("oversized.txt.gz", gz(text_article(LIBRARY_TITLE, LIBRARY_PARAGRAPHS * 5)), "larger than the 4,000-byte cap"),
    Bad("truncated.txt.gz", gz(text_article(LIBRARY_TITLE, LIBRARY_PARAGRAPHS))[:-20], "truncated gzip file"),
    Bad("corrupt.txt.gz", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"not deflate data at all" * 5,
        "corrupt gzip file"),
    Bad("not-gzip.txt.gz", "A plain text file with a .gz name.\n", "corrupt gzip file"),
    Bad("empty.html", b"", "empty input"),
    Bad("binary.html", PNG, "binary content (NUL bytes), not HTML"),
    Bad("unclosed.html", "<html><body><div><p>unclosed", "no article text"),
    Bad("soup.htm", "<div><span><<>><b></i></p>&&&<table><tr><td></td><td>", "no article text"),
    Bad("scripts-only.html", "<html><head><script>var a = 1;</script></head><body><nav><a href='/'>Home</a></nav>"
        "<script>track();</script></body></html>", "no article text"),
    Bad("empty.rss", b"", "empty input"),
    Bad("not-xml.xml", "This is not XML at all, just a sentence in a file named like a feed.\n", "broken feed"),
    Bad("truncated.rss", FULL_FEED[: FULL_FEED.index("<item>") - 5], "broken feed"),
    Bad("no-entries.atom", '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title></feed>',
        "feed has no entries"),
    Bad("entry-without-content.rss", rss_feed("Courier", [{"pubDate": "Sat, 07 Mar 2026 10:00:00 GMT"}]),
        "entry has no content, link, headline or teaser", "entry 1"),
    Bad("empty.jsonl", b"", "empty input"),
    Bad("blank-lines.jsonl", "\n\n   \n", "empty input"),
    Bad("truncated.jsonl.gz", gz(jsonl([{"title": LIBRARY_TITLE, "text": LIBRARY_PARAGRAPHS[0]},
                                         {"title": BRIDGE_TITLE, "text": "\n".join(BRIDGE_PARAGRAPHS)}]))[:-30],
        "truncated gzip file", "after line 1", kept=(LIBRARY_TITLE,)),
    Bad("empty.warc", b"", "no HTML or text pages found (0 WARC records read)"),
    Bad("not-a-warc.warc", "Not an archive.\n", "not a readable WARC file (Unknown archive format", "record 1"),
    Bad("truncated.warc.gz", _two_page_warc()[:-60], "truncated WARC file", "record 3", kept=(LIBRARY_TITLE,)),
    Bad("truncated.warc", _two_page_warc(compress=False)[:-100], "truncated WARC file", "record 3",
        kept=(LIBRARY_TITLE,)),
    Bad("header-cut.warc.gz", _two_page_warc()[:300], "damaged or truncated WARC file", "after record 1"),
    Bad("big-record.warc.gz",
        warc([{"uri": "https://x.example/long", "body": html_page(LIBRARY_TITLE, LIBRARY_PARAGRAPHS * 4)}]),
        "record larger than the 4,000-byte cap", "record 2"),
    Bad("oversized.html", html_page(LIBRARY_TITLE, LIBRARY_PARAGRAPHS * 4), "larger than the 4,000-byte cap"),
    Bad("oversized.rss", rss_feed("Courier", [{"title": f"Item {i}", "link": f"https://x.example/{i}",
                                               "content": html_fragment(LIBRARY_PARAGRAPHS)} for i in range(5)]),
        "larger than the 4,000-byte cap"),
    Bad("only-errors.warc.gz", warc([{"uri": "https://x.example/gone", "status": "404 Not Found", "body": SHORT_PAGE},
                                     {"uri": "https://x.example/a.png", "ctype": "image/png", "body": PNG}]),
        "no HTML or text pages found (3 WARC records read)"),
    # Named explicitly, a file with a suffix we do not read is refused by its type, unread.
    Bad("photo.png", PNG, "unsupported file type"),
    Bad("report.pdf", PDF, "unsupported file type"),
    Bad("table.pdf", b"%PDF-1.7 not read", "unsupported file type"),
    Bad("table.csv", b"name,votes\nOkafor,31\n", "no article fields in the header row"),
]


@pytest.fixture
def sqlite_desk(tmp_path):
    with storyline.open(tmp_path / "store.db") as desk:
        yield desk


def _make(folder: Path, bad: Bad) -> Path:
    if bad.data is None:
        return folder / bad.name
    return write(folder, bad.name, bad.data)


@pytest.mark.parametrize("bad", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_skipped_with_its_reason(sqlite_desk, tmp_path, bad):
    inputs = tmp_path / "in"
    path = _make(inputs, bad)
    good = write(inputs, "good.txt", GOOD_TEXT)
    later = write(inputs, "later.txt", text_article(BRIDGE_TITLE, BRIDGE_PARAGRAPHS))

    report = sqlite_desk.ingest([good, path, later], max_bytes=CAP)

    # The files before and after the bad one are read, and what the bad one held before the damage.
    assert sorted(a.title for a in sqlite_desk.articles()) == sorted([FERRY_TITLE, BRIDGE_TITLE, *bad.kept])
    assert len(report.added) == 2 + len(bad.kept)
    for article in sqlite_desk.articles():
        if article.source == str(path):  # kept from the bad file: whole, never cut short
            assert article.title in bad.kept and article.body.rstrip("”’\"").endswith(".")
    # The bad one is reported once, by name, with the reason and where in it.
    problems = [p for p in report.problems if p.source == str(path)]
    assert problems == report.problems, report.problems
    [problem] = problems
    assert bad.reason in problem.reason
    assert problem.locator == bad.locator
    assert str(path) in str(problem) and bad.reason in str(problem)


def test_jsonl_bad_lines_are_skipped_and_good_lines_kept(sqlite_desk, tmp_path):
    good_line = {"title": FERRY_TITLE, "text": "\n".join(FERRY_PARAGRAPHS), "outlet": "Meridian Wire"}
    lines = (
        "{not json at all\n"                                   # 1
        "[1, 2, 3]\n"                                          # 2
        '{"url": "https://example.org/x", "summary": " "}\n'   # 3: nothing to read
        "\n"                                                   # 4: blank, passed over quietly
        + jsonl([good_line])                                   # 5
        + '{"text": ' + '"' + "x" * (CAP + 50) + '"}\n'        # 6: longer than the cap
        + '{"text": 42, "html": "   "}\n'                      # 7
        + "null\n"                                             # 8
    ).encode() + b'{"text": "caf\xe9 au lait in the station buffet"}\n' + jsonl([  # 9: not UTF-8
        {"title": BRIDGE_TITLE, "text": "\n".join(BRIDGE_PARAGRAPHS)},  # 10
    ]).encode()
    path = write(tmp_path, "wire.jsonl", lines)

    report = sqlite_desk.ingest([path], max_bytes=CAP)

    stored = [(a.locator, a.title) for a in sqlite_desk.articles()]
    assert stored == [("line 5", FERRY_TITLE), ("line 10", BRIDGE_TITLE)]
    got = [(p.locator, p.reason) for p in report.problems]
    assert all(p.source == str(path) for p in report.problems)
    assert [where for where, _ in got] == ["line 1", "line 2", "line 3", "line 6", "line 7", "line 8", "line 9"]
    reasons = dict(got)
    assert reasons["line 1"].startswith("invalid JSON (")
    assert reasons["line 2"] == "expected a JSON object, got list"
    assert reasons["line 3"].startswith("no 'text', 'html' or 'title' field with content (nor 'maintext'")
    assert reasons["line 6"] == "line longer than the 4,000-byte cap"
    assert reasons["line 7"].startswith("no 'text', 'html' or 'title' field with content")
    assert reasons["line 8"] == "expected a JSON object, got NoneType"
    assert reasons["line 9"] == "not valid UTF-8"


def test_overlong_jsonl_line_is_skipped_without_losing_the_next(sqlite_desk, tmp_path):
    # The overlong line is many times the cap: its rest is skipped in pieces, not read whole.
    overlong = '{"text": "' + "word " * (5 * CAP) + '"}\n'
    path = write(tmp_path, "long.jsonl", overlong + jsonl([{"text": text_article(BRIDGE_TITLE, BRIDGE_PARAGRAPHS)}]))
    report = sqlite_desk.ingest([path], max_bytes=CAP)
    assert [(p.locator, p.reason) for p in report.problems] == [("line 1", "line longer than the 4,000-byte cap")]
    [article] = sqlite_desk.articles()
    assert article.locator == "line 2" and article.title == BRIDGE_TITLE


def test_truncated_feed_keeps_the_entries_before_the_cut(sqlite_desk, tmp_path):
    cut = FULL_FEED.index("</item>") + len("</item>") + 40  # inside the second item
    path = write(tmp_path, "cut.rss", FULL_FEED[:cut])
    report = sqlite_desk.ingest([path], max_bytes=CAP)
    [article] = sqlite_desk.articles()
    assert article.title == FERRY_TITLE and article.locator == "entry 1"
    assert report.problems[0].reason.startswith("feed is not well-formed; read 2 entries anyway")
    assert report.problems[0].locator is None
    assert [(p.locator, p.reason) for p in report.problems[1:]] == [("entry 2", "entry has no content or link, and may be cut: it ends a feed that is not well-formed")]


@pytest.mark.parametrize("compress", [True, False], ids=["warc.gz", "warc"])
def test_truncated_warc_keeps_the_records_before_the_cut(sqlite_desk, tmp_path, compress):
    data = _two_page_warc(compress)
    # Cut at every few hundred bytes: whatever is cut off, the run goes on, a whole page before
    # the cut is kept, and a page cut short is never stored as if it were whole.
    cuts = range(150, len(data), 250)
    reported = 0
    for cut in cuts:
        path = write(tmp_path, f"cut-{cut}.warc" + (".gz" if compress else ""), data[:cut])
        report = sqlite_desk.ingest([path], max_bytes=1_000_000)
        # A cut that falls exactly between two records leaves a shorter whole archive, with
        # nothing to report; anywhere else the damage is reported once.
        assert len(report.problems) <= 1, (cut, report.problems)
        for problem in report.problems:
            reported += 1
            assert problem.source == str(path)
            assert "truncated" in problem.reason or "not a readable WARC" in problem.reason, problem
        for article_id in report.added:
            article = sqlite_desk.article(article_id)
            assert article.title == LIBRARY_TITLE and article.locator == "record 2"
            assert article.body == "\n\n".join(LIBRARY_PARAGRAPHS[:3])
    assert reported >= len(cuts) - 1


def test_every_bad_input_in_one_run(desk, tmp_path):
    """One run over all the bad inputs and two good files, on both stores: nothing aborts."""
    inputs = tmp_path / "in"
    paths = [_make(inputs, bad) for bad in CASES]
    good = [write(inputs, "good.txt", GOOD_TEXT),
            write(inputs, "good.html", html_page(LIBRARY_TITLE, LIBRARY_PARAGRAPHS[:2]))]

    report = desk.ingest([good[0], *paths, good[1]], max_bytes=CAP)

    kept = [title for bad in CASES for title in bad.kept]
    assert {a.title for a in desk.articles()} == {FERRY_TITLE, LIBRARY_TITLE, *kept}
    # The .warc and .warc.gz cases hold the same page: the second copy is already present.
    assert len(report.added) + len(report.present) == 2 + len(kept)
    assert report.read_anything
    assert [(p.source, p.locator) for p in report.problems] == [(str(p), c.locator) for p, c in zip(paths, CASES)]
    for problem, bad in zip(report.problems, CASES):
        assert bad.reason in problem.reason, (bad.name, problem)


def test_only_bad_inputs_read_nothing(desk, tmp_path):
    paths = [_make(tmp_path, bad) for bad in CASES[:6]]
    report = desk.ingest(paths, max_bytes=CAP)
    assert not report.read_anything
    assert report.added == [] and len(report.problems) == 6
    assert desk.articles() == []


def test_a_folder_with_no_supported_files_is_reported(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.md").write_text("nothing to ingest here\n")
    with storyline.open(tmp_path / "s.db") as desk:
        report = desk.ingest([tmp_path / "notes"])
    assert not report.read_anything
    [problem] = report.problems
    assert problem.source == str(tmp_path / "notes") and "no supported files" in problem.reason
