"""Temporal expressions (TIMEX3): ``tagger`` finds and values them, using the ``rules`` (regular
expressions built by ``builders`` from the ``lexicon``) and the value recipes of ``values``."""

from storyline.analyze.timex.tagger import Timex, find_timexes, interval, resolve

__all__ = ["Timex", "find_timexes", "interval", "resolve"]
