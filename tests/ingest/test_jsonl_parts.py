"""A big JSONL dump read in parts side by side (ingest/jsonl.py ``line_parts``, the Ray reader
of run/ray_exec.py): the parts cover the file once, each starts at a line start, and reading
them one after another gives what one reader of the whole file gives, problems and their line
numbers included."""

from __future__ import annotations

import gzip
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.ingest.jsonl import line_parts, read_jsonl

LINES = st.lists(st.one_of(
    st.builds(lambda t: json.dumps({"title": t, "text": f"Body of {t}. " * 3}), st.text(min_size=1, max_size=30)),
    st.just(""),  # a blank line
    st.just("{not json"),
    st.just('{"title": "no text"}'),
    st.builds(lambda n: json.dumps({"text": "x" * n}), st.integers(150, 400)),  # over the cap below
), min_size=1, max_size=40)


def whole_and_parts(path, part_bytes, chunk):
    whole = list(read_jsonl(path, max_bytes=200))
    parts = line_parts(path, part_bytes, chunk=chunk)
    return whole, parts, [x for part in parts for x in read_jsonl(path, max_bytes=200, part=part)]


@settings(max_examples=150, deadline=None)
@given(LINES, st.integers(1, 300), st.integers(1, 64), st.booleans())
def test_parts_read_as_the_whole_file(tmp_path_factory, lines, part_bytes, chunk, final_newline):
    path = tmp_path_factory.mktemp("jsonl") / "dump.jsonl"
    data = "\n".join(lines) + ("\n" if final_newline else "")
    path.write_bytes(data.encode("utf-8"))
    size = path.stat().st_size
    whole, parts, in_parts = whole_and_parts(path, part_bytes, chunk)
    if size <= part_bytes:
        assert parts == []
        return
    raw = path.read_bytes()
    assert parts[0].start == 0 and parts[-1].end == size
    for before, after in zip(parts, parts[1:]):
        assert before.end == after.start and raw[after.start - 1 : after.start] == b"\n"
    for part in parts:
        assert part.start < part.end and part.lines_before == raw[: part.start].count(b"\n")
    # A file of nothing but blank lines is "empty input" read whole; its parts report nothing.
    assert in_parts == [x for x in whole if getattr(x, "reason", None) != "empty input"]


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
    assert line_parts(packed, 10) == []  # a gzip stream is read from its start
