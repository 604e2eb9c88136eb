"""POSTed articles go through the product's JSONL ingest path (Desk.ingest_objects: each item is
read as a JSONL line would be).

Each item is ingested on its own, so that its outcome (added, already present, skipped and
why) is known per item. A stored article names ``SOURCE`` as its source and "item N" (its
place in the request, from 1) as its locator.
"""

from __future__ import annotations

from typing import Any

from storyline.desk import Desk
from storyline.report.json import problem_json

MAX_ITEMS = 1000  # articles per request
SOURCE = "POST /api/articles"


def ingest_items(desk: Desk, items: list[Any], *, analyze: bool, max_bytes: int) -> list[dict]:
    """Ingest each item (a JSON object as a JSONL line holds one); per item: index, status
    ("added", "present" or "skipped"), id, and the reasons for a skip or a failed analysis.

    Raises :class:`storyline.desk.IngestAborted` when the store fails; items before the
    failing one are kept.
    """
    results = []
    for index, item in enumerate(items):
        report = desk.ingest_objects([item], source=SOURCE, analyze=analyze, max_bytes=max_bytes, start=index + 1)
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
            if report.analysis.truncated:
                result["analysed_in_part"] = [p.reason for p in report.analysis.truncated]
        results.append(result)
    return results
