"""What Storyline prints and exports: ``json`` (the JSON shapes shared by the CLI, the API and
exports), ``briefing`` and ``render`` (a short, sourced account of one story), ``export``
(tables and graphs) and ``words`` (word-level diffs).

The briefing names load on first use, so that importing ``storyline.report.json`` (as every
listing command does) does not load the briefing's dependencies.
"""

from __future__ import annotations

__all__ = ["Briefing", "build_briefing", "to_html", "to_json", "to_markdown"]


def __getattr__(name: str):
    if name == "build_briefing":
        from storyline.report.briefing import build_briefing

        return build_briefing
    if name == "Briefing":
        from storyline.report.briefing_records import Briefing

        return Briefing
    if name in ("to_html", "to_json", "to_markdown"):
        from storyline.report import render

        return getattr(render, name)
    raise AttributeError(f"module 'storyline.report' has no attribute {name!r}")
