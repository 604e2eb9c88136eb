"""Big input files read in parts side by side (ingest/parts.py; the Ray reader of
run/ray_exec.py): JSONL plain and gzip-compressed, WARC plain and gzip-compressed. The parts
cover the file once, each starts at a line or record start, and reading them one after another
gives what one reader of the whole file gives, problems and their line or record numbers
included. A file that cannot be read to its end is not cut: one reader reports where it
broke."""

from __future__ import annotations

import gzip
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import archive, warc
from storyline.ingest.files import InputFile
from storyline.ingest.jsonl import gzip_line_parts, line_parts, read_jsonl
from storyline.ingest.parts import Cut, cut, expected_parts, nothing_found
from storyline.ingest.pipeline import documents
from storyline.ingest.warc import record_parts

LINES = st.lists(st.one_of(
    st.builds(lambda t: json.dumps({"title": t, "text": f"Body of {t}. " * 3}), st.text(min_size=1, max_size=30)),
    st.just(""),  # a blank line
    st.just("{not json"),
    st.just('{"byline": "no text"}'),
    st.builds(lambda n: json.dumps({"text": "x" * n}), st.integers(150, 400)),  # over the cap below
), min_size=1, max_size=40)


def in_parts(file: InputFile, found: Cut, max_bytes: int) -> list:
    """The parts read one after another, as the Ray reader hands them on (run/ray_exec.py):
    a file none of whose parts gives anything is reported as one reader reports it."""
    items = [x for part in found.parts for x in documents(file, max_bytes=max_bytes, part=part, index=found.index)]
    return items or [nothing_found(file, found)]


def whole_and_parts(path, part_bytes, chunk):
    whole = list(read_jsonl(path, max_bytes=200))
    parts = line_parts(path, part_bytes, chunk=chunk)
    return whole, parts, in_parts(InputFile(path, "jsonl"), Cut(parts), 200) if parts else []


@settings(max_examples=150, deadline=None)
@given(LINES, st.integers(1, 300), st.integers(1, 64), st.booleans())
def test_parts_read_as_the_whole_file(tmp_path_factory, lines, part_bytes, chunk, final_newline):
    path = tmp_path_factory.mktemp("jsonl") / "dump.jsonl"
    data = "\n".join(lines) + ("\n" if final_newline else "")
    path.write_bytes(data.encode("utf-8"))
    size = path.stat().st_size
    whole, parts, read = whole_and_parts(path, part_bytes, chunk)
    if size <= part_bytes:
        assert parts == []
        return
    raw = path.read_bytes()
    assert parts[0].start == 0 and parts[-1].end == size
    for before, after in zip(parts, parts[1:]):
        assert before.end == after.start and raw[after.start - 1 : after.start] == b"\n"
    for part in parts:
        assert part.start < part.end and part.lines_before == raw[: part.start].count(b"\n")
    assert read == whole  # a file of nothing but blank lines too: "empty input"


def test_a_dump_is_cut_near_the_asked_size_and_a_compressed_one_not_at_all(tmp_path):
    path = tmp_path / "big.jsonl"
    rows = [json.dumps({"title": f"Article {n}", "text": f"Text number {n}. " * (n % 7 + 1)}) for n in range(2000)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    parts = line_parts(path, 10_000, chunk=4096)
    assert len(parts) == pytest.approx(path.stat().st_size / 10_000, abs=1)
    assert all(p.end - p.start < 10_000 + 200 for p in parts)
    assert [d.locator for p in parts for d in read_jsonl(path, max_bytes=1 << 20, part=p)] == [
        f"line {n}" for n in range(1, 2001)]
    packed = tmp_path / "big.jsonl.gz"
    packed.write_bytes(gzip.compress(path.read_bytes()))
    assert line_parts(packed, 10) == []  # a gzip stream is cut by gzip_line_parts


# --- gzip JSONL --------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(LINES, st.integers(1, 300), st.integers(1, 64), st.booleans(), st.integers(1, 3))
def test_gzip_parts_read_as_the_whole_file(tmp_path_factory, lines, part_bytes, chunk, final_newline, members):
    raw = ("\n".join(lines) + ("\n" if final_newline else "")).encode("utf-8")
    path = tmp_path_factory.mktemp("jsonl") / "dump.jsonl.gz"
    # Several gzip members one after another are one stream (what `cat a.gz b.gz` makes).
    bounds = [len(raw) * k // members for k in range(members + 1)]
    path.write_bytes(b"".join(gzip.compress(raw[a:b], mtime=0) for a, b in zip(bounds, bounds[1:])))
    whole = list(read_jsonl(path, max_bytes=200))
    parts, index = gzip_line_parts(path, part_bytes, chunk=chunk)
    if len(raw) <= part_bytes or path.stat().st_size * 16 <= part_bytes:
        assert (parts, index) == ([], None)
        return
    if raw.find(b"\n", part_bytes) in (-1, len(raw) - 1):
        assert (parts, index) == ([], None)  # no line starts after the first part's size
        return
    assert parts[0].start == 0 and parts[-1].end == len(raw) and index
    for before, after in zip(parts, parts[1:]):
        assert before.end == after.start and raw[after.start - 1 : after.start] == b"\n"
    for part in parts:
        assert part.start < part.end and part.lines_before == raw[: part.start].count(b"\n")
    assert in_parts(InputFile(path, "jsonl"), Cut(parts, index), 200) == whole


def big_dump(rows: int = 6000) -> bytes:
    return "".join(json.dumps({"url": f"https://example.test/{n}", "title": f"Article {n}",
                               "text": f"Text number {n} of the dump. " * (n % 5 + 1)}) + "\n"
                   for n in range(rows)).encode("utf-8")


def test_a_gzip_part_seeks_by_its_index_and_a_damaged_file_is_not_cut(tmp_path):
    raw = big_dump()
    path = tmp_path / "big.jsonl.gz"
    path.write_bytes(gzip.compress(raw, mtime=0))
    parts, index = gzip_line_parts(path, 1 << 16)
    assert len(parts) == pytest.approx(len(raw) / (1 << 16), abs=1)
    # An index point about every quarter part (a 32 KiB window each), not one per file read.
    assert 0 < len(index) < 32_768 * (4 * len(parts) + 2)
    last = parts[-1]
    read = [d.locator for d in read_jsonl(path, max_bytes=1 << 20, part=last, index=index)]
    assert read == [f"line {n}" for n in range(last.lines_before + 1, 6001)]
    with pytest.raises(ValueError, match="index"):
        list(read_jsonl(path, max_bytes=1 << 20, part=last))
    # Cut off, or with a flipped byte: read whole by one reader, which says where it broke.
    packed = gzip.compress(raw, mtime=0)
    for name, data in (("cut.jsonl.gz", packed[: len(packed) * 2 // 3]),
                       ("flipped.jsonl.gz", packed[:5000] + bytes([packed[5000] ^ 0xFF]) + packed[5001:])):
        damaged = tmp_path / name
        damaged.write_bytes(data)
        assert gzip_line_parts(damaged, 1 << 16) == ([], None)
        assert cut(InputFile(damaged, "jsonl"), 1 << 16).parts == []
        problems = [x for x in read_jsonl(damaged, max_bytes=1 << 20) if hasattr(x, "reason")]
        assert problems and "gzip" in problems[-1].reason


# --- WARC --------------------------------------------------------------------------------------


@pytest.mark.parametrize("compress", [True, False], ids=["warc.gz", "warc"])
def test_warc_parts_read_as_the_whole_file(tmp_path, compress):
    path = tmp_path / ("crawl.warc.gz" if compress else "crawl.warc")
    path.write_bytes(archive(40, compress=compress))
    size = path.stat().st_size
    file = InputFile(path, "warc")
    whole = list(documents(file, max_bytes=1 << 20))
    for part_bytes in (1, 3000, size // 3):
        parts = record_parts(path, part_bytes)
        assert len(parts) > 2 and parts[0].start == 0 and parts[-1].end == size
        assert all(a.end == b.start and a.records_before < b.records_before for a, b in zip(parts, parts[1:]))
        assert expected_parts(file, part_bytes) >= len(parts) - 1
        assert in_parts(file, Cut(parts), 1 << 20) == whole and len(whole) > 30
    assert record_parts(path, size) == []  # small enough to read whole


def test_a_warc_that_cannot_be_cut_is_read_whole(tmp_path):
    plain = archive(12, compress=False)
    cases = {
        # One gzip stream around every record: its records share one offset (warcio then refuses
        # it, and the one reader reports that: "warcio recompress" makes it one member a record).
        "one-stream.warc.gz": gzip.compress(plain, mtime=0),
        # Cut off inside a record: one reader keeps what came before and says where it broke.
        "cut.warc": plain[: len(plain) * 2 // 3],
        "cut.warc.gz": archive(12, compress=True)[:-100],
        # A record header whose length is not a number: the one reader stops there.
        "bad-length.warc": plain[: len(plain) // 2] + plain[len(plain) // 2 :].replace(
            b"Content-Length: ", b"Content-Length: x", 1),
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        assert record_parts(path, 500) == [], name
        whole = list(documents(InputFile(path, "warc"), max_bytes=1 << 20))
        if name.startswith(("cut", "bad")):
            assert sum(not hasattr(x, "reason") for x in whole) >= 4, name
            assert "truncated" in whole[-1].reason, name
        else:
            assert [x.reason for x in whole if hasattr(x, "reason")] == [whole[0].reason]
            assert "single gzip" in whole[0].reason


def test_an_archive_without_pages_is_reported_as_one_reader_reports_it(tmp_path):
    path = tmp_path / "requests.warc.gz"
    path.write_bytes(warc([{"uri": f"https://courier.example/{n}", "type": "request"} for n in range(60)]))
    file = InputFile(path, "warc")
    found = cut(file, 2000)
    assert len(found.parts) > 3
    whole = list(documents(file, max_bytes=1 << 20))
    assert [x.reason for x in whole] == ["no HTML or text pages found (61 WARC records read)"]
    assert in_parts(file, found, 1 << 20) == whole


@pytest.mark.parametrize("name", ["dump.jsonl", "dump.jsonl.gz", "crawl.warc.gz"])
def test_a_part_of_a_file_changed_since_its_cut_is_reported_not_read(tmp_path, name):
    path = tmp_path / name
    data = archive(30, compress=True) if name.endswith("warc.gz") else big_dump()
    path.write_bytes(gzip.compress(data, mtime=0) if name == "dump.jsonl.gz" else data)
    file = InputFile(path, name.split(".")[1])
    found = cut(file, 1 << 14)
    assert len(found.parts) > 2
    with path.open("ab") as fh:  # a crawler still writing, a dump still being appended to
        fh.write(b"\n")
    for part in found.parts:
        got = list(documents(file, max_bytes=1 << 20, part=part, index=found.index))
        assert [x.locator for x in got] == [f"bytes {part.start}-{part.end}"]
        assert "changed after it was cut" in got[0].reason
