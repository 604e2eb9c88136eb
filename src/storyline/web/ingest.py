"""POSTed articles go through the product's JSONL ingest path (Desk.ingest on a JSONL file).

Each item is written as one JSONL line to a file of its own in a private temporary folder and
ingested on its own, so that its outcome (added, already present, skipped and why) is known
per item. The temporary file's path is what the stored article names as its source.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from storyline.cli import problem_json
from storyline.desk import Desk

MAX_ITEMS = 1000  # articles per request


def ingest_items(desk: Desk, items: list[Any], *, analyze: bool, max_bytes: int) -> list[dict]:
    """Ingest each item (a JSON object as a JSONL line holds one); per item: index, status
    ("added", "present" or "skipped"), id, and the reasons for a skip or a failed analysis.

    Raises :class:`storyline.desk.IngestAborted` when the store fails; items before the
    failing one are kept.
    """
    results = []
    with tempfile.TemporaryDirectory(prefix="storyline-api-") as folder:
        for index, item in enumerate(items):
            path = Path(folder) / f"post-{index + 1}.jsonl"
            path.write_text(json.dumps(item, ensure_ascii=False) + "\n", encoding="utf-8")
            report = desk.ingest([path], analyze=analyze, max_bytes=max_bytes)
            path.unlink()
            result: dict[str, Any] = {"index": index}
            if report.added:
                result |= {"status": "added", "id": report.added[0]}
            elif report.present:
                result |= {"status": "present", "id": report.present[0]}
            else:
                result |= {"status": "skipped", "id": None}
            if report.problems:
                result["reasons"] = [problem_json(p)["reason"] for p in report.problems]
            if report.analysis is not None:
                result["analysed"] = bool(report.analysis.analysed)
                if report.analysis.problems:
                    result["not_analysed"] = [p.reason for p in report.analysis.problems]
            results.append(result)
    return results
