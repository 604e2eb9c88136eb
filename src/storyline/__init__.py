"""Storyline: make sense of a pile of news.

    >>> import storyline
    >>> with storyline.open("storyline.db") as desk:
    ...     report = desk.ingest(["examples/corpus"])
    ...     titles = [a.title for a in desk.articles()]
"""

from storyline.desk import Desk, IngestAborted, IngestReport, open
from storyline.records import (
    Article,
    Change,
    Cut,
    Entity,
    Event,
    FieldSource,
    Fingerprint,
    Link,
    Mention,
    Problem,
    Quote,
    RawDocument,
    ReusePair,
    Role,
    Story,
    TimePoint,
)

__all__ = [
    "Article", "Change", "Cut", "Desk", "Entity", "Event", "FieldSource", "Fingerprint",
    "IngestAborted", "IngestReport", "Link", "Mention", "Problem", "Quote", "RawDocument",
    "ReusePair", "Role", "Story", "TimePoint", "open",
]
