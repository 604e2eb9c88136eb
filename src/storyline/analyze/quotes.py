"""Quote finding (placeholder until the full extractor lands)."""
from __future__ import annotations
from dataclasses import dataclass
from storyline.analyze.nlp import Doc, Span


@dataclass(slots=True)
class Found:
    start: int
    end: int
    kind: str
    cue: Span | None = None
    source: Span | None = None
    group: int | None = None


def extract(doc: Doc) -> list[Found]:
    return []
