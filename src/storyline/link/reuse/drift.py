"""What changed between a source article and a text derived from it.

Works on an alignment (link/reuse/align.py) and on both articles' analyses (entities with roles,
quotes with speakers). Changes are compared per aligned component (the source and derived
sentences linked to each other), so a fact is compared with its own restatement, not with the
whole other article. Every change keeps character offsets into both bodies.

Kinds, and the evidence each needs:
- role_changed: a person's title in the copy differs from the title the source gives them in the
  restated passage (or anywhere in the source when the passage has none), or from an unattached
  title with the same head word ("The US president" -> "former President Donald Trump").
- misquote: words inside quotation marks differ from the source's quotation they restate.
- quote_to_paraphrase: a source quotation (direct or partial speech, not scare quotes) whose
  passage is restated without it.
- number_changed / date_changed: numbers, amounts and date expressions present on one side of
  a component only (replaced, or dropped when the copy has none); number_added / date_added: a
  number, or a date naming its day, month or year, that the copy states and the source nowhere does.
- hedge_dropped: "it is understood", "reportedly", "reports suggest"... in the source passage,
  absent from its restatement. attribution_dropped: a source passage says who said it, its
  restatement names no speaker.
- entity_added / entity_dropped / entity_replaced: people, organisations and places present in
  one article only (replaced when the restated passage swaps one for another of the same type).
- negation_changed: a restated passage negated on one side only.
- claim_dropped / claim_added: sentences with no counterpart ("reworded" when the other side
  says the same words nearby).
- split / merged / moved (wording): a source sentence restated over several derived sentences,
  several restated in one, or a restatement out of the source's order.
Each change carries a meaning ``kind`` and a ``severity`` (see :class:`storyline.records.Change`);
"wording" changes never count as changes of meaning.
Each kind is detected in its own module: drift_roles, drift_speech (quotes, hedges, attribution),
drift_values (numbers, dates), drift_entities (entities, claims); drift_sides reads each article
once. This module runs them over the aligned components and orders the result.
"""

from __future__ import annotations

from collections.abc import Iterable

from storyline.link.reuse.align import Alignment, in_order
from storyline.link.reuse.drift_entities import claim_changes, entity_changes
from storyline.link.reuse.drift_negation import negation_changes
from storyline.link.reuse.drift_roles import role_changes
from storyline.link.reuse.drift_sides import Side, build_side, span_of
from storyline.link.reuse.drift_speech import hedge_changes, quote_changes
from storyline.link.reuse.drift_values import value_changes
from storyline.records import Analysis, Article, Change


def changes(source: Article, derived: Article, alignment: Alignment,
            source_analysis: Analysis | None, derived_analysis: Analysis | None) -> list[Change]:
    """All changes from ``source`` to ``derived``, in the order of the derived body."""
    s = build_side(source, source_analysis, alignment.source_sentences)
    d = build_side(derived, derived_analysis, alignment.derived_sentences)
    links = _sentence_links(alignment)
    out: list[Change] = []
    for s_ids, d_ids in _components(links):
        out += role_changes(s, d, s_ids, d_ids)
        out += quote_changes(s, d, s_ids, d_ids)
        out += value_changes(s, d, s_ids, d_ids)
        out += hedge_changes(s, d, s_ids, d_ids)
        out += negation_changes(s, d, s_ids, d_ids)
        out += _regrouped(s, d, s_ids, d_ids)
    out += _moved(s, d, links)
    out += entity_changes(s, d, links)
    out += claim_changes(s, d, links)
    return _dedupe(out)


def value_only_changes(source: Article, derived: Article, alignment: Alignment) -> list[Change]:
    """The number and date changes of :func:`changes`, the same ones in the same order, without
    the other kinds: a story's value pairs (link/stories/value_pairs.py) keep nothing else, and
    entities, claims, roles and quotes were most of their drift CPU. Values read only the
    bodies and the aligned sentences, so the sides skip the analysis."""
    s = Side(source, None, alignment.source_sentences)
    d = Side(derived, None, alignment.derived_sentences)
    out: list[Change] = []
    for s_ids, d_ids in _components(_sentence_links(alignment)):
        out += value_changes(s, d, s_ids, d_ids)
    return _dedupe(out)


def _sentence_links(alignment: Alignment) -> list[tuple[int, int]]:
    """The aligned pairs as (source sentence index, derived sentence index)."""
    s_index = {span: k for k, span in enumerate(alignment.source_sentences)}
    d_index = {span: k for k, span in enumerate(alignment.derived_sentences)}
    return [(s_index[p.source_span], d_index[p.derived_span]) for p in alignment.pairs]


def _regrouped(s: Side, d: Side, s_ids: set[int], d_ids: set[int]) -> list[Change]:
    """One source sentence restated as several (split), or several as one (merged): wording."""
    if len(s_ids) == len(d_ids) or min(len(s_ids), len(d_ids)) != 1:
        return []
    (sa, sb), (da, db) = span_of(s, s_ids), span_of(d, d_ids)
    kind = "split" if len(s_ids) == 1 else "merged"
    return [Change(kind, s.article.body[sa:sb], d.article.body[da:db], (sa, sb), (da, db), kind="wording", severity="low")]


def _moved(s: Side, d: Side, links: list[tuple[int, int]]) -> list[Change]:
    """Restatements out of the source's order (a moved paragraph): wording, not a claim dropped
    in one place and added in another."""
    kept = in_order(links)
    out = []
    for i, j in links:
        if (i, j) not in kept:
            (sa, sb), (da, db) = s.sentences[i], d.sentences[j]
            out.append(Change("moved", s.article.body[sa:sb], d.article.body[da:db], (sa, sb), (da, db),
                              kind="wording", severity="low"))
    return out


def _components(links: Iterable[tuple[int, int]]) -> list[tuple[set[int], set[int]]]:
    """Connected groups of linked sentences (a merge or split keeps its sentences together)."""
    groups: list[tuple[set[int], set[int]]] = []
    for i, j in links:
        hit = [g for g in groups if i in g[0] or j in g[1]]
        merged = ({i}, {j})
        for g in hit:
            merged[0].update(g[0])
            merged[1].update(g[1])
            groups.remove(g)
        groups.append(merged)
    return sorted(groups, key=lambda g: min(g[1]))


def _dedupe(changes: list[Change]) -> list[Change]:
    seen = set()
    out = []
    for c in changes:
        key = (c.type, c.source_span, c.derived_span)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return sorted(out, key=lambda c: (c.derived_span or c.source_span or (0, 0))[0])
