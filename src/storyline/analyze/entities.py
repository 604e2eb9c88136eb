"""Entities (placeholder until the full clusterer lands)."""
from __future__ import annotations


class People:
    def __init__(self):
        self.clusters = []

    def records(self):
        return ()


def extract(doc, article_id):
    return People()
