"""Builders of the temporal expression rules: a regex match becomes TIMEX3 candidates.

Each ``build_*`` takes a match of its pattern in ``rules`` and the whole text, and returns
:class:`~storyline.analyze.timex.builders.common.Candidate` objects (span, type, value rule, mod)
or None to reject the match (a name, an age, a count). The value rules are described in
``values``. Spans follow TimeML: determiners ("the third quarter") and quantifier modifiers
("about two years") are inside, prepositions ("on", "in", "by") are not.

By family: ``dates`` (calendar dates, quarters and halves), ``relative`` (words relative to the
anchor, weekdays), ``clock`` (times of day), ``durations`` (durations, "... ago", sets);
``common`` holds what they share. ``rules`` imports the family modules directly.
"""
