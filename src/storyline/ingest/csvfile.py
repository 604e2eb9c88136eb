"""CSV and TSV dumps: one article a row, its fields named by a header row.

Headline datasets and newsroom exports come as spreadsheets far more often than as JSONL (the
UCI News Aggregator: ID, TITLE, URL, PUBLISHER, CATEGORY, STORY, HOSTNAME, TIMESTAMP). A row is
read as the JSONL record with the same fields would be (ingest/jsonl.py: our field names and
other tools' aliases, a Unix time in s or ms as a date, a teaser or the headline standing for a
missing text), the header's names matched without regard to case. The file is read as a
stream, a row at a time: a row that cannot be read (a wrong number of fields, a field over the
csv module's limit, bytes that are not UTF-8, no text and no headline) is reported by its
number and skipped, and the rows after it are read. One reader reads a file whole: a quoted
field may hold line breaks, so a CSV file is not cut at line starts into parts for readers side
by side as a big JSONL file is (ingest/parts.py).
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from storyline.ingest.jsonl import FIELD_ALIASES, STAND_INS, document_from_object
from storyline.records import Problem, RawDocument

# A header names its fields with one of these between them; the most frequent one is taken
# (counted, not csv.Sniffer: its regexes backtrack on hostile text).
DELIMITERS = ",\t;|"
# A header's names, matched without regard to case, as the JSONL reader spells them (its aliases
# are case-sensitive: "articleBody", "publishedAt").
_SPELLING = {name.casefold(): name for name in [*FIELD_ALIASES, *(a for v in FIELD_ALIASES.values() for a in v),
                                                  *STAND_INS]}
# Names that can give an article its text: a header with none of them is no article table.
_TEXT_NAMES = frozenset(["text", "html", "title", *FIELD_ALIASES["text"], *FIELD_ALIASES["html"],
                         *FIELD_ALIASES["title"], *STAND_INS])
_SURROGATE = re.compile("[\udc80-\udcff]")  # an undecodable byte (surrogateescape)


def read_csv(path: Path, *, max_bytes: int) -> Iterator[RawDocument | Problem]:
    """Yield one raw document per row of ``path`` (gzip transparently) and a :class:`Problem`
    per row that is not one; ``max_bytes`` bounds a row, not the file."""
    source = str(path)
    try:
        with _open(path) as fh:
            yield from _rows(fh, source, path, max_bytes)
    except EOFError:
        yield Problem(source, "truncated gzip file (compressed stream ends early)")
    except (gzip.BadGzipFile, zlib.error) as exc:
        yield Problem(source, f"corrupt gzip file ({exc})")
    except OSError as exc:
        yield Problem(source, f"cannot read ({exc.strerror or exc})")


def _open(path: Path) -> io.TextIOWrapper:
    raw = gzip.open(path, "rb") if path.suffix.lower() == ".gz" else open(path, "rb")
    # Undecodable bytes become lone surrogates here and the row holding them is reported: one
    # bad byte must not end the file, as a strict decoder would.
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")


def _rows(fh: io.TextIOWrapper, source: str, path: Path, max_bytes: int) -> Iterator[RawDocument | Problem]:
    overlong: list[int] = []
    lines = _lines(fh, max_bytes, overlong)
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        yield Problem(source, "empty input")
        return
    delimiter = "\t" if ".tsv" in [x.lower() for x in path.suffixes] else _delimiter(first)
    reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as exc:
        yield Problem(source, f"unreadable header row ({exc})")
        return
    names = [_SPELLING.get(key := " ".join(n.split()).casefold(), key) for n in header]
    if not any(names) or _undecodable(header):
        yield Problem(source, "no header row naming the fields")
        return
    if not _TEXT_NAMES.intersection(names):
        # A data table, not articles: said once, not once a row.
        shown = ", ".join(repr(n) for n in names[:8]) + (", ..." if len(names) > 8 else "")
        yield Problem(source, f"no article fields in the header row ({shown}): none of 'text', 'title', "
                              "'html' or their other names")
        return
    number = read = 1
    while True:
        try:
            row: list[str] | csv.Error | None = next(reader)
        except StopIteration:
            row = None
        except csv.Error as exc:
            row = exc
        # The lines skipped as too long were passed on the way to this row: rows too.
        number += len(overlong) + 1
        while overlong:
            yield Problem(source, f"line longer than the {max_bytes:,}-byte cap", f"line {overlong.pop(0)}")
        if row is None:
            break
        where = f"row {number}"
        if isinstance(row, csv.Error):
            yield Problem(source, f"unreadable row ({row})", where)
            continue
        if not any(field.strip() for field in row):
            continue  # a blank line
        read += 1
        if len(row) != len(names):
            yield Problem(source, f"{len(row)} fields where the header names {len(names)}", where)
            continue
        if _undecodable(row):
            yield Problem(source, "not valid UTF-8", where)
            continue
        record = {name: value for name, value in zip(names, row) if name and value.strip()}
        yield document_from_object(record, source=source, where=where, max_bytes=max_bytes)
    if read == 1:
        yield Problem(source, "a header row and no rows")


def _lines(fh: io.TextIOWrapper, cap: int, overlong: list[int]) -> Iterator[str]:
    """The stream's lines (newlines kept, as csv wants), each at most ``cap`` characters: a
    longer one is skipped without being held whole, its number put in ``overlong``."""
    number = 0
    while line := fh.readline(cap + 1):
        number += 1
        if len(line) > cap and not line.endswith("\n"):
            while (rest := fh.readline(cap)) and not rest.endswith("\n"):
                pass
            overlong.append(number)
            continue
        yield line


def _delimiter(header: str) -> str:
    """The delimiter most frequent in the header line; a comma when none is there."""
    return max(DELIMITERS, key=header.count) if any(d in header for d in DELIMITERS) else ","


def _undecodable(fields: list[str]) -> bool:
    return any(_SURROGATE.search(field) for field in fields)
