"""Storyline: make sense of a pile of news.

    >>> import storyline
    >>> with storyline.open("storyline.db") as desk:
    ...     report = desk.ingest(["examples/corpus"])
    ...     titles = [a.title for a in desk.articles()]
"""

from storyline.desk import (
    ANALYZER_VERSION,
    AnalysisUnavailable,
    AnalyzeAborted,
    AnalyzeReport,
    Desk,
    IngestAborted,
    IngestReport,
    open,
)
from storyline.records import (
    Analysis,
    Article,
    Change,
    Cut,
    Entity,
    Event,
    FieldSource,
    Fingerprint,
    Identity,
    Link,
    Mention,
    Problem,
    Quote,
    RawDocument,
    ReusePair,
    Role,
    Sighting,
    Story,
    TimePoint,
)

__all__ = [
    "ANALYZER_VERSION", "Analysis", "AnalysisUnavailable", "AnalyzeAborted", "AnalyzeReport",
    "Article", "Change", "Cut", "Desk", "Entity", "Event", "FieldSource", "Fingerprint",
    "Identity", "IngestAborted", "IngestReport", "Link", "Mention", "Problem", "Quote",
    "RawDocument", "ReusePair", "Role", "Sighting", "Story", "TimePoint", "open",
]
