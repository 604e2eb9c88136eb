#!/usr/bin/env python3
"""Regenerate examples/corpus/warc/crawl.warc.gz from examples/warc_src/.

The WARC holds one ``warcinfo`` record followed by one ``response`` record per
page listed in PAGES: an HTTP/1.1 200 response (text/html; charset=utf-8)
wrapping the HTML file from warc_src/. Record IDs and dates are fixed, and the
output is byte-for-byte reproducible.

Usage:  python examples/make_warc.py [output-path]
Needs:  warcio (pip install warcio)
"""
import sys
import uuid
from email.utils import format_datetime
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent
SRC = HERE / "warc_src"
DEFAULT_OUT = HERE / "corpus" / "warc" / "crawl.warc.gz"

# file in warc_src/ -> (target URI, capture time, Last-Modified time)
PAGES = [
    (
        "coastalnews-minister-visit.html",
        "https://coastalnews.example/regional/2026/03/12/minister-confirms-60m-for-harbourne-barrier",
        "2026-03-12T19:31:07Z",
        "2026-03-12T18:05:00Z",
    ),
    (
        "estuarydaily-public-meeting.html",
        "https://www.estuarydaily.example/harbourne/okafor-faces-angry-questions-packed-barrier-meeting",
        "2026-03-18T22:14:52Z",
        "2026-03-18T21:10:00Z",
    ),
]

NS = uuid.UUID("6f1c2a9e-8d7b-4c1e-9a55-0b5d3f2e7c10")


def record_id(name):
    return f"<urn:uuid:{uuid.uuid5(NS, name)}>"


def http_date(iso):
    dt = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ")
    return format_datetime(dt.replace(tzinfo=timezone.utc), usegmt=True)


def main(out_path):
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with open(out_path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)

        info = writer.create_warcinfo_record(
            out_path.name,
            {
                "software": "Storyline examples/make_warc.py (warcio)",
                "format": "WARC File Format 1.1",
                "description": "Fictional demo crawl for Storyline; see examples/corpus/README.md",
                "isPartOf": "storyline-demo-corpus",
            },
        )
        info.rec_headers.replace_header("WARC-Record-ID", record_id("warcinfo"))
        info.rec_headers.replace_header("WARC-Date", "2026-03-18T22:15:00Z")
        writer.write_record(info)

        for filename, uri, captured, modified in PAGES:
            body = (SRC / filename).read_bytes()
            http_headers = StatusAndHeaders(
                "200 OK",
                [
                    ("Date", http_date(captured)),
                    ("Server", "nginx"),
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Length", str(len(body))),
                    ("Last-Modified", http_date(modified)),
                    ("Cache-Control", "max-age=300"),
                ],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                uri,
                "response",
                payload=BytesIO(body),
                length=len(body),
                http_headers=http_headers,
                warc_headers_dict={
                    "WARC-Record-ID": record_id(uri),
                    "WARC-Date": captured,
                },
            )
            writer.write_record(record)
    print(f"wrote {out_path} ({out_path.stat().st_size} bytes, {len(PAGES)} responses)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT)
