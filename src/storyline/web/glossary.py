"""The words of the trade the pages use, explained in plain words: each shown as
``<abbr title="…">`` where it appears (``term``) and listed in a short glossary at the foot of
the story page. One list, so a word means the same everywhere."""

from __future__ import annotations

import html

from markupsafe import Markup

GLOSSARY: dict[str, str] = {
    "coverage": "How much of the copy restates the source: the share of its sentences matched to the source's.",
    "verbatim": "Word for word: the share of the copy's wording found unchanged in the source.",
    "restated": "Said again in other words: a sentence of the copy that matches one of the source's.",
    "similarity": "How close two articles are in meaning overall (0: unrelated, 1: the same).",
    "duplicate": "The same text published twice, at most a few words changed.",
    "syndicated": "The same wire or agency text, lightly edited by the outlet that ran it.",
    "rewrite": "The source's facts and quotes retold in new words.",
    "partial": "Only part of the copy comes from the source; the rest is its own.",
    "direct": "A quotation of the speaker's own words, as a whole sentence.",
    "indirect": "Reported speech: what the speaker said, in the writer's words (“she said that …”).",
    "direction": "Which article copied which, and how sure the evidence is.",
    "date inferred": "The article states no date; it was worked out from the dates the text gives (“last Thursday”).",
    "headlines": "No sentence names the day: the headlines that tell it were published that day.",
    "log-odds": "How strongly the evidence points one way: positive for, negative against; 0 is a coin toss.",
}


def term(word: str) -> Markup:
    """``word`` with its explanation as a tooltip (``<abbr>``), or just ``word`` (escaped)."""
    meaning = GLOSSARY.get(word.casefold())
    if meaning is None:
        return Markup(html.escape(word))  # noqa: S704 - escaped
    return Markup(f'<abbr title="{html.escape(meaning, quote=True)}">{html.escape(word)}</abbr>')  # noqa: S704 - escaped
