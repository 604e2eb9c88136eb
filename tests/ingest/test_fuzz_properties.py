"""Property tests (hypothesis) for every reader and the cleaner: whatever the bytes, each input
ends as articles, links and problems that keep the invariants of fuzz/targets.py, and nothing
is raised. Inputs are shaped like each format (so the parsers get past their first byte) and
filled with hostile text: control characters, character references, quotation marks, long
runs, odd Unicode. The atheris harness (fuzz/fuzz_ingest.py, benchmarks/fuzz.py) runs the same
targets for millions of inputs; these keep the suite fast (a few hundred examples in all)."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from targets import clean_one, read_one

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text with what breaks cleaners: controls, escapes, marks, bylines, dates, references, breaks.
PIECES = st.sampled_from([
    "\x00", "\x1b[2J", "\x07", "\x9b", "\r\n", "\n\n", "\u2028", "\ufeff", "\ud800", "&#1114112;", "&#0;",
    "&#x1F600;", "&amp;", "“", "”", '"', "’", "By A", ".By A", "Source: X", "Published: 2025-02-27",
    "WASHINGTON — ", "…Middle East", "Read More Details", "<", ">", "]]>", "<p>", "</p>", "<script>",
    "©", " - News", "\t", " ", "é", "\u0301", "ﬁ", "𝔘", "\U0010ffff",
])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=40)), max_size=40).map("".join)


def _read(fmt: str, data: bytes) -> list:
    with tempfile.TemporaryDirectory(prefix="storyline-fuzz-") as folder:
        return read_one(fmt, data, Path(folder))


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


@FAST
@given(TEXT)
def test_cleaner_keeps_its_invariants(text):
    cleaned = clean_one(text)
    assert "\x00" not in cleaned.body and "\x1b" not in cleaned.body


@FAST
@given(st.one_of(TEXT.map(_encode), st.binary(max_size=600)))
def test_text_reader(data):
    _read("text", data)


@FAST
@given(TEXT, TEXT, st.lists(st.tuples(st.from_regex(r"[a-z:-]{1,8}", fullmatch=True), TEXT), max_size=6))
def test_html_reader(title, body, attributes):
    attrs = "".join(f' {k}="{v}"' for k, v in attributes)
    page = (f"<html><head><title>{title}</title><meta property=\"article:published_time\"{attrs} content=\"{title}\">"
            f"</head><body><article{attrs}><p>{body}</p><p>{body} {title}</p></article></body></html>")
    _read("html", _encode(page))


@FAST
@given(st.text(max_size=60), st.lists(st.tuples(TEXT, TEXT, TEXT), min_size=1, max_size=4))
def test_feed_reader(channel, entries):
    items = "".join(f"<item><title>{t}</title><link>{link}</link><description>{d}</description></item>"
                    for t, link, d in entries)
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>{channel}</title>{items}</channel></rss>'
    for item in _read("feed", _encode(feed)):
        assert "\x1b" not in str(getattr(item, "title", "") or "")


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)


@FAST
@given(st.lists(st.one_of(
    st.fixed_dictionaries({"text": TEXT}, optional={"title": TEXT, "url": TEXT, "html": TEXT, "published": TEXT,
                                                     "extra": JSON_VALUES}),
    JSON_VALUES,
), max_size=5), st.sampled_from(["", "[" * 5000, '{"n": ' + "9" * 5000 + "}", "\xff"]))
def test_jsonl_reader(objects, hostile_line):
    lines = [json.dumps(o, ensure_ascii=False) for o in objects] + [hostile_line]
    _read("jsonl", _encode("\n".join(lines)))


@FAST
@given(st.sampled_from(["title,text,published", "TITLE;BODY", "headline\tdescription\turl", "a,b", ""]),
       st.lists(st.lists(TEXT, max_size=4), max_size=5),
       st.sampled_from(["", '"' * 3 + "unclosed", "x" * 5000, "\xff,\xfe"]))
def test_csv_reader(header, rows, hostile_line):
    def field(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',;\t"\n\r') else text
    lines = [header] + [",".join(field(t) for t in row) for row in rows] + [hostile_line]
    _read("csv", _encode("\n".join(lines)))


@FAST
@given(st.lists(st.tuples(TEXT, st.sampled_from(["text/html", "text/plain", "application/pdf"])), max_size=3),
       st.integers(min_value=0, max_value=400))
def test_warc_reader(pages, cut):
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    for number, (body, media_type) in enumerate(pages):
        http = StatusAndHeaders("200 OK", [("Content-Type", media_type)], protocol="HTTP/1.1")
        html = _encode(f"<html><body><article><p>{body}</p><p>{body}</p></article></body></html>")
        writer.write_record(writer.create_warc_record(f"https://x.example/{number}", "response",
                                                      payload=io.BytesIO(html), http_headers=http))
    data = buffer.getvalue()
    _read("warc", data[: len(data) - cut] if cut < len(data) else data)
