"""Small text helpers of the briefing and its views: clipping a text to a width, span overlap."""

from __future__ import annotations


def clip(text: str | None, width: int) -> str:
    """``text`` on one line, at most ``width`` characters (an ellipsis marks a cut)."""
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether the character spans ``a`` and ``b`` (start, end) share a character."""
    return a[0] < b[1] and b[0] < a[1]
