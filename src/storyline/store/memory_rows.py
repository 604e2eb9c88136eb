"""The memory store's row wrappers, shared by memory.py and its mixins."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


class Refused(Exception):
    """A write broke a rule the SQL schema enforces (unknown article, missing field)."""


@dataclass(slots=True, frozen=True)
class Versioned(Generic[T]):
    """A stored value with the version of the step that produced it (analyzer, fingerprinter,
    comparison, clusterer) and, for analyses, when it was stored."""

    version: str
    value: T
    at: str = ""
