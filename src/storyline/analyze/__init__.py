"""Per-article analysis: entities, roles, quotes and their speakers (one article at a time).

    >>> from storyline.analyze import Analyzer
    >>> analysis = Analyzer().analyze_text('"We will act," the minister said.')
"""

from storyline.analyze.analyzer import MAX_ANALYSED_CHARS, Analyzer, analyze_doc

__all__ = ["MAX_ANALYSED_CHARS", "Analyzer", "analyze_doc"]
