"""Per-article analysis: entities, roles, quotes and their speakers (one article at a time).

    >>> from storyline.analyze import Analyzer
    >>> analysis = Analyzer().analyze_text('"We will act," the minister said.')

The analyzer (and with it spaCy, about a second to import) loads on first use, so the modules
here that do not need it (fingerprint, sentences, marks, embed) import fast.
"""

from __future__ import annotations

__all__ = ["MAX_ANALYSED_CHARS", "Analyzer", "analyze_doc"]


def __getattr__(name: str):
    if name == "MAX_ANALYSED_CHARS":
        from storyline.analyze.bounds import MAX_ANALYSED_CHARS

        return MAX_ANALYSED_CHARS
    if name in __all__:
        from storyline.analyze import analyzer

        return getattr(analyzer, name)
    raise AttributeError(f"module 'storyline.analyze' has no attribute {name!r}")
