"""Speaker resolution (placeholder until the full resolver lands)."""
from __future__ import annotations


def attribute(doc, article_id, found, people):
    return []
