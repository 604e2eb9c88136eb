"""Where the briefing's sources differ: disagreements between articles (roles, numbers, dates,
reworded quotes) and the provenance of copies (each reuse pair and what the copy changed).
"""

from __future__ import annotations

from storyline.records import Article, Citation, Finding, ReusePair
from storyline.report.briefing_records import (
    CONTEXT_BELOW,
    MAX_CHANGE_CHARS,
    MAX_CHANGES_PER_PAIR,
    MAX_CITATION_CHARS,
    MAX_CITATIONS_PER_ITEM,
    MAX_DISAGREEMENTS,
    MAX_PAIRS,
    MAX_SUMMARY_CHARS,
    ChangeItem,
    Cited,
    Disagreement,
    Provenance,
)
from storyline.report.text import clip

DISAGREEMENT_KINDS = ("role_conflict", "number_conflict", "date_conflict", "quote")
# The changes a fact-checker looks at first.
CHANGE_ORDER = (
    "role_changed", "number_changed", "date_changed", "misquote", "attribution_dropped", "hedge_dropped",
    "entity_replaced", "quote_to_paraphrase", "claim_dropped", "claim_added", "entity_dropped", "entity_added",
    "number_added", "date_added", "number_dropped", "date_dropped",
)


def disagreements(findings: list[Finding], articles: dict[str, Article]) -> tuple[list[Disagreement], int]:
    same = sum(1 for f in findings if f.kind == "quote" and not f.differs)
    kept = [f for f in findings if f.kind in DISAGREEMENT_KINDS and f.differs]
    kept.sort(key=lambda f: DISAGREEMENT_KINDS.index(f.kind))
    out = []
    for f in kept[:MAX_DISAGREEMENTS]:
        cited = tuple(dict.fromkeys(Cited(c.article_id, clip(c.text, MAX_CITATION_CHARS), _context(c, articles))
                                    for c in f.citations))
        summary = f.summary
        if summary.startswith(f.subject + ": "):  # the subject is shown beside it
            summary = summary[len(f.subject) + 2:]
        out.append(Disagreement(f.kind, f.subject, clip(summary, MAX_SUMMARY_CHARS), cited[:MAX_CITATIONS_PER_ITEM],
                                tuple(dict.fromkeys(c.article_id for c in f.citations))))
    return out, same


def _context(c: Citation, articles: dict[str, Article]) -> str | None:
    """The sentence around a short cited span (a title), so that a reader sees it in use."""
    from storyline.link.reuse.align import align_spans

    article = articles.get(c.article_id)
    if article is None or len(c.text) >= CONTEXT_BELOW or article.body[c.start:c.end] != c.text:
        return None
    for start, end in align_spans(article.body):
        if start <= c.start and c.end <= end:
            return clip(article.body[start:end], MAX_CITATION_CHARS)
    return None


# --- provenance of copies ------------------------------------------------------------------------


def provenance(pairs: list[ReusePair]) -> list[Provenance]:
    out = []
    for p in [p for p in pairs if p.is_reuse][:MAX_PAIRS]:
        order = {t: i for i, t in enumerate(CHANGE_ORDER)}
        changes = sorted(p.changes, key=lambda c: order.get(c.type, len(order)))
        items = tuple(ChangeItem(c.type, c.subject, clip(c.source_text, MAX_CHANGE_CHARS), clip(c.derived_text, MAX_CHANGE_CHARS))
                      for c in changes[:MAX_CHANGES_PER_PAIR])
        out.append(Provenance(p.source_id, p.derived_id, p.kind, p.coverage, p.direction_confidence, items,
                              more_changes=max(0, len(p.changes) - MAX_CHANGES_PER_PAIR)))
    return out
