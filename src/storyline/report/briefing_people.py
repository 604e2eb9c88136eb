"""The briefing's "who said what": the key people with their roles, and each speaker's main
quotations with every article that carried them, how their wording differs, and which copies
turned them into reported speech.
"""

from __future__ import annotations

import re
from dataclasses import replace

from storyline.records import Finding, Quote
from storyline.report.briefing_records import (
    MAX_ACTORS,
    MAX_QUOTE_CHARS,
    MAX_QUOTES_PER_SPEAKER,
    MAX_ROLES,
    MAX_SPEAKERS,
    MAX_SUMMARY_CHARS,
    MIN_QUOTE_WORDS,
    Actor,
    QuoteItem,
    Speaker,
)
from storyline.report.text import clip, overlaps

_QUOTE_KIND_ORDER = {"direct": 0, "partial": 1, "indirect": 2}


def people(report) -> tuple[list[Actor], list[Speaker]]:
    persons = [p for p in report.people if p.type == "PERSON"]
    key = set(report.story.key_entities)

    def actor(p) -> Actor:
        return Actor(p.name, tuple(p.roles[:MAX_ROLES]), len({a for a, _ in p.members}), len(report.quotes.get(p.name, ())))

    # The story's key entities are names as its articles write them; a person is shown under
    # the stored person's name, which may be another of its names ("Zelenskyy", "Zelensky").
    keyed = {p.name for p in persons if p.name in key or any(alias in key for alias in p.aliases)}
    listed = [p for p in persons if p.name in keyed or p.roles or report.quotes.get(p.name)]
    actors = sorted((actor(p) for p in listed), key=lambda a: (a.name not in keyed, -a.articles, -a.quotes, a.name.casefold()))
    speakers_ranked = sorted((actor(p) for p in persons if report.quotes.get(p.name)),
                             key=lambda a: (-a.quotes, -a.articles, a.name.casefold()))
    quote_findings = [f for f in report.findings if f.kind == "quote"]
    paraphrased = [(p.source_id, p.derived_id, c) for p in report.reuse if p.is_reuse for c in p.changes
                   if c.type == "quote_to_paraphrase" and c.source_span]
    speakers = [Speaker(a, _quotes(report.quotes[a.name], quote_findings, paraphrased))
                for a in speakers_ranked[:MAX_SPEAKERS]]
    return actors[:MAX_ACTORS], speakers


def _quotes(quotes: list[Quote], findings: list[Finding], paraphrased) -> tuple[QuoteItem, ...]:
    items: list[QuoteItem] = []
    seen: set[tuple[str, int, int]] = set()
    for q in quotes:
        if (q.article_id, q.start, q.end) in seen:
            continue
        finding = next((f for f in findings if any(
            (c.article_id, c.start, c.end) == (q.article_id, q.start, q.end) for c in f.citations)), None)
        group = [q]
        if finding is not None:
            seen |= {(c.article_id, c.start, c.end) for c in finding.citations}
            # The longest wording of the quotation stands for the others.
            longest = max(finding.citations, key=lambda c: len(c.text))
            group = [Quote(longest.article_id, longest.text, longest.start, longest.end, q.kind)]
        sources = [q.article_id] + ([c.article_id for c in finding.citations] if finding else [])
        para = [d for s, d, c in paraphrased for g in group
                if s == g.article_id and overlaps(c.source_span, (g.start, g.end))]
        diff = None
        if finding is not None and finding.differs:
            diff = clip(finding.summary.split("worded differently: ", 1)[-1], MAX_SUMMARY_CHARS)
        items.append(QuoteItem(clip(group[0].text, MAX_QUOTE_CHARS), q.kind, tuple(dict.fromkeys(sources)),
                               differs=bool(finding and finding.differs), diff=diff,
                               paraphrased_in=tuple(dict.fromkeys(x for x in para if x not in sources))))
    # Reported speech is not matched across articles by the findings: the same words are one item.
    merged: dict[str, QuoteItem] = {}
    for item in items:
        key = " ".join(re.findall(r"\w+", item.text.casefold()))
        if key in merged:
            have = merged[key]
            merged[key] = replace(have, sources=tuple(dict.fromkeys(have.sources + item.sources)),
                                  paraphrased_in=tuple(dict.fromkeys(have.paraphrased_in + item.paraphrased_in)))
        else:
            merged[key] = item
    items = list(merged.values())
    long_enough = [i for i in items if len(i.text.split()) >= MIN_QUOTE_WORDS] or items
    long_enough.sort(key=lambda i: (-(len(i.sources) + len(i.paraphrased_in)), _QUOTE_KIND_ORDER.get(i.kind, 3),
                                    -min(len(i.text), MAX_QUOTE_CHARS)))
    return tuple(long_enough[:MAX_QUOTES_PER_SPEAKER])
