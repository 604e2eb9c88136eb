"""Briefings: a short, sourced account of one story (``storyline brief``)."""

from storyline.report.briefing import build_briefing
from storyline.report.briefing_records import Briefing
from storyline.report.render import to_html, to_json, to_markdown

__all__ = ["Briefing", "build_briefing", "to_html", "to_json", "to_markdown"]
