"""atheris (libFuzzer) harness over every reader and the cleaner (fuzz/targets.py).

    python fuzz/fuzz_ingest.py CORPUS_DIR -max_total_time=60 -print_final_stats=1

The first byte of an input picks the target (text, HTML, feed, JSONL, WARC reader, or the
cleaner alone); the rest is the input. A crash is an exception escaping, or an invariant of
fuzz/targets.py broken. benchmarks/fuzz.py runs this for a fixed budget and reports the count.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["storyline"]):
    from targets import FORMATS, clean_one, read_one

TARGETS = (*FORMATS, "clean")
FOLDER = Path(tempfile.mkdtemp(prefix="storyline-atheris-"))


def test_one_input(data: bytes) -> None:
    if not data:
        return
    target = TARGETS[data[0] % len(TARGETS)]
    payload = data[1:]
    if target == "clean":
        clean_one(payload.decode("utf-8", "replace"))
    else:
        read_one(target, payload, FOLDER)


def main() -> None:
    logging.disable(logging.CRITICAL)  # trafilatura logs every page it cannot parse
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
