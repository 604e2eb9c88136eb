"""The Store interface: everything Storyline keeps goes through these few methods."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol

from storyline.records import Article, Link

WriteStatus = Literal["added", "present"]


class StoreError(RuntimeError):
    """The store could not complete an operation (disk full, server gone, schema too new).

    The batch that was being written is rolled back; everything committed before it stays.
    """


class AmbiguousIdError(LookupError):
    """An id prefix matches more than one article."""


class Store(Protocol):
    """A durable home for articles. Implementations: SQLite (default) and PostgreSQL.

    Writes are idempotent: an article whose content hash or normalised URL is already stored
    is reported as "present" and not written again. Each call that writes is one transaction.
    """

    url: str

    def add_articles(self, articles: Sequence[Article]) -> list[tuple[WriteStatus, str]]:
        """Store a batch in one transaction; per article, ("added" | "present", stored id)."""
        ...

    def add_links(self, links: Sequence[Link]) -> int:
        """Record link-only feed entries (one transaction); returns how many were new."""
        ...

    def article(self, id_or_prefix: str) -> Article | None:
        """One article with its raw input, by id or unique id prefix (AmbiguousIdError if not)."""
        ...

    def articles(self, *, limit: int | None = None, offset: int = 0) -> list[Article]:
        """Articles in the order they were first stored, without their raw input."""
        ...

    def links(self) -> list[Link]:
        """Link-only entries recorded from feeds, in the order first seen."""
        ...

    def count(self) -> int:
        """How many articles are stored."""
        ...

    def schema_version(self) -> int:
        """The newest migration applied to this store."""
        ...

    def close(self) -> None:
        ...
