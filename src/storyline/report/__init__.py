"""Briefings: a short, sourced account of one story (``storyline brief``)."""

from storyline.report.briefing import Briefing, build_briefing
from storyline.report.render import to_html, to_json, to_markdown

__all__ = ["Briefing", "build_briefing", "to_html", "to_json", "to_markdown"]
