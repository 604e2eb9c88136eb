"""A briefing on one story: a short, sourced account built from a
:class:`storyline.link.stories.report.StoryReport`.

``build_briefing(report)`` is pure (report in, :class:`Briefing` out; no store, no model). The
briefing has five sections, every statement pointing at the articles that support it (article
ids; the renderers turn them into numbered references to ``Briefing.sources``):

1. what happened: an extractive account of at most MAX_SUMMARY_SENTENCES sentences: the lead
   of the representative article, then one sentence for each of the best supported events
   (most articles first), in date order. A sentence cites its own article plus every article
   with a sentence restating it (the other sentences of its event, and the aligned sentences
   of reuse pairs);
2. key developments: the timeline (dated events in date order);
3. who said what: the key people (most quotes, then most articles) with their roles, and
   their main quotes with every article that carried them and how the wording differs;
4. where the sources disagree: role, number and date conflicts and reworded quotes;
5. provenance of copies: each reuse pair and what the copy changed.

Sizes are bounded by the named constants below; long texts are clipped with "…".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from storyline.records import Article, Citation, Event, Finding, Quote, ReusePair

MAX_SUMMARY_SENTENCES = 7
MAX_SENTENCE_CHARS = 400
MAX_TIMELINE = 15
MAX_LABEL_CHARS = 200
MAX_ACTORS = 8
MAX_ROLES = 3
MAX_SPEAKERS = 5
MAX_QUOTES_PER_SPEAKER = 3
MAX_QUOTE_CHARS = 300
MIN_QUOTE_WORDS = 4  # shorter quotes ("Well…") are shown only when a speaker has nothing longer
MAX_DISAGREEMENTS = 15
MAX_SUMMARY_CHARS = 500
MAX_CITATIONS_PER_ITEM = 8
MAX_CITATION_CHARS = 200
CONTEXT_BELOW = 40  # cited spans shorter than this (a title) come with their sentence
MAX_PAIRS = 10
MAX_CHANGES_PER_PAIR = 12
MAX_CHANGE_CHARS = 200
MAX_SOURCES = 60
MAX_TITLE_CHARS = 200

DISAGREEMENT_KINDS = ("role_conflict", "number_conflict", "date_conflict", "quote")
# The changes a fact-checker looks at first.
CHANGE_ORDER = (
    "role_changed", "number_changed", "date_changed", "misquote", "attribution_dropped", "hedge_dropped",
    "entity_replaced", "quote_to_paraphrase", "claim_dropped", "claim_added", "entity_dropped", "entity_added",
)
_QUOTE_KIND_ORDER = {"direct": 0, "partial": 1, "indirect": 2}


@dataclass(slots=True, frozen=True)
class Source:
    """One article the briefing cites; ``number`` is its reference number ([1], [2], ...).
    ``date`` is the stated date, or "inferred: first..last"."""

    number: int
    id: str
    outlet: str | None
    title: str | None
    date: str
    inferred: bool
    url: str | None


@dataclass(slots=True, frozen=True)
class Sentence:
    """A sentence of the account, taken from ``citation.article_id``; ``sources`` are the ids of
    every article that supports it (its own first)."""

    text: str
    citation: Citation
    sources: tuple[str, ...]
    date: str | None = None
    date_inferred: bool = False


@dataclass(slots=True, frozen=True)
class Development:
    date: str
    inferred: bool
    label: str
    sources: tuple[str, ...]


@dataclass(slots=True, frozen=True)
class Actor:
    name: str
    roles: tuple[str, ...]
    articles: int
    quotes: int


@dataclass(slots=True, frozen=True)
class QuoteItem:
    """One quotation and every article that carried it. ``differs`` says the articles word it
    differently; ``diff`` is the word diff ("[-removed-] {+added+}") when they do.
    ``paraphrased_in`` lists copies that turned it into reported speech."""

    text: str
    kind: str
    sources: tuple[str, ...]
    differs: bool = False
    diff: str | None = None
    paraphrased_in: tuple[str, ...] = ()


@dataclass(slots=True, frozen=True)
class Speaker:
    actor: Actor
    quotes: tuple[QuoteItem, ...]


@dataclass(slots=True, frozen=True)
class Cited:
    """A cited span: the article id, the words there (clipped) and, for a short span (a title),
    the sentence around it (clipped)."""

    article_id: str
    text: str
    context: str | None = None


@dataclass(slots=True, frozen=True)
class Disagreement:
    kind: str
    subject: str
    summary: str
    citations: tuple[Cited, ...]
    sources: tuple[str, ...]


@dataclass(slots=True, frozen=True)
class ChangeItem:
    type: str
    subject: str | None
    source_text: str
    derived_text: str


@dataclass(slots=True, frozen=True)
class Provenance:
    source_id: str
    derived_id: str
    kind: str
    coverage: float
    direction_confidence: float
    changes: tuple[ChangeItem, ...]
    more_changes: int = 0  # changes left out (beyond MAX_CHANGES_PER_PAIR)


@dataclass(slots=True)
class Briefing:
    story_id: str
    title: str
    label: str
    first: str | None
    last: str | None
    article_count: int
    representative_id: str | None
    what_happened: list[Sentence] = field(default_factory=list)
    developments: list[Development] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    same_quotes: int = 0  # quotations carried word for word by several articles
    provenance: list[Provenance] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def refs(self, article_ids: Iterable[str]) -> list[int]:
        """The reference numbers of these articles, in order, each once (unknown ids left out)."""
        numbers = {s.id: s.number for s in self.sources}
        return sorted({numbers[a] for a in article_ids if a in numbers})


def clip(text: str | None, width: int) -> str:
    """``text`` on one line, at most ``width`` characters (an ellipsis marks a cut)."""
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def build_briefing(report) -> Briefing:
    """The briefing on ``report`` (a StoryReport)."""
    story = report.story
    articles = {a.id: a for a in report.articles}
    derived = {p.derived_id for p in report.reuse if p.is_reuse}
    rep = _representative(report, articles)
    b = Briefing(
        story_id=story.id, title=story.headline or story.label, label=story.label, first=story.first,
        last=story.last, article_count=len(story.article_ids), representative_id=rep.id if rep else None,
        notes=list(report.notes),
    )
    b.what_happened = _what_happened(report, rep, derived)
    b.developments = _developments(report.timeline)
    b.actors, b.speakers = _people(report)
    b.disagreements, b.same_quotes = _disagreements(report.findings, articles)
    b.provenance = _provenance(report.reuse)
    b.sources = _sources(report, b)
    return b


# --- what happened -------------------------------------------------------------------------------


def _representative(report, articles: dict[str, Article]) -> Article | None:
    """The article whose title is the story's headline; else the one in most events."""
    if not report.articles:
        return None
    headline = (report.story.headline or "").strip()
    for a in report.articles:
        if headline and (a.title or "").strip() == headline:
            return a
    count: dict[str, int] = {}
    for e in report.events:
        for aid in e.article_ids:
            count[aid] = count.get(aid, 0) + 1
    return max(report.articles, key=lambda a: (count.get(a.id, 0), len(a.body)))


def _lead(article: Article) -> Citation | None:
    from storyline.link.reuse.align import align_spans

    for start, end in align_spans(article.body):
        text = article.body[start:end]
        if len(text.split()) >= 6:  # not a dateline or a byline
            return Citation(article.id, start, end, text)
    return None


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _restated_in(c: Citation, events: list[Event], reuse: list[ReusePair]) -> list[str]:
    """Articles with a sentence restating the span ``c``: the other articles of every event with
    a sentence over it, and the other side of reuse-aligned sentences over it."""
    span = (c.start, c.end)
    out: list[str] = []
    for e in events:
        if any(s.article_id == c.article_id and _overlaps((s.start, s.end), span) for s in e.sentences):
            out += [s.article_id for s in e.sentences]
    for p in reuse:
        if not p.is_reuse:
            continue
        for s in p.aligned:
            if p.source_id == c.article_id and _overlaps(s.source_span, span):
                out.append(p.derived_id)
            elif p.derived_id == c.article_id and _overlaps(s.derived_span, span):
                out.append(p.source_id)
    return out


def _supporters(c: Citation, extra: Iterable[str], events: list[Event], reuse: list[ReusePair]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([c.article_id, *extra, *_restated_in(c, events, reuse)]))


def _event_sentence(e: Event, derived: set[str], stated: set[str]) -> Citation:
    """The sentence that tells the event: from an original (not a copy), a dated article, the
    one the label was made from, of a readable length."""
    label = e.label.rstrip("…").strip()
    return min(e.sentences, key=lambda s: (
        s.article_id in derived, s.article_id not in stated, not s.text.strip().startswith(label[:60]),
        abs(len(s.text) - 200),
    ))


def _what_happened(report, rep: Article | None, derived: set[str]) -> list[Sentence]:
    stated = {aid for aid, d in report.dates.items() if not d.inferred and d.first}
    out: list[Sentence] = []
    used: list[Citation] = []
    lead = _lead(rep) if rep else None
    if lead is not None:
        d = report.dates.get(rep.id)
        out.append(Sentence(clip(lead.text, MAX_SENTENCE_CHARS), lead,
                            _supporters(lead, (), report.events, report.reuse),
                            date=(d.likely or d.first) if d else None, date_inferred=bool(d and d.inferred)))
        used.append(lead)
    # Greedy: most supporting articles first, then events that bring in articles not yet cited.
    candidates = [e for e in report.events if e.sentences]
    covered = {a for s in out for a in s.sources}
    chosen: list[tuple[Event, Citation]] = []
    while candidates and len(out) + len(chosen) < MAX_SUMMARY_SENTENCES:
        best = max(candidates, key=lambda e: (
            len(set(e.article_ids)), len(set(e.article_ids) - covered), e.date is not None, not e.date_inferred,
            -candidates.index(e)))
        candidates.remove(best)
        c = _event_sentence(best, derived, stated)
        if any(u.article_id == c.article_id and _overlaps((u.start, u.end), (c.start, c.end)) for u in used):
            continue  # the lead already says it
        chosen.append((best, c))
        used.append(c)
        covered |= set(best.article_ids)
    chosen.sort(key=lambda ec: (ec[0].date is None, ec[0].date or ""))
    for e, c in chosen:
        sources = _supporters(c, [s.article_id for s in e.sentences], report.events, report.reuse)
        out.append(Sentence(clip(c.text, MAX_SENTENCE_CHARS), c, sources, date=e.date, date_inferred=e.date_inferred))
    return out


# --- key developments ----------------------------------------------------------------------------


def _developments(timeline: list[Event]) -> list[Development]:
    kept = timeline
    if len(kept) > MAX_TIMELINE:  # keep the best supported, in date order
        best = sorted(range(len(kept)), key=lambda i: (-len(set(kept[i].article_ids)), i))[:MAX_TIMELINE]
        kept = [kept[i] for i in sorted(best)]
    return [Development(e.date, e.date_inferred, clip(e.label, MAX_LABEL_CHARS), tuple(dict.fromkeys(e.article_ids)))
            for e in kept]


# --- who said what -------------------------------------------------------------------------------


def _people(report) -> tuple[list[Actor], list[Speaker]]:
    persons = [p for p in report.people if p.type == "PERSON"]
    key = set(report.story.key_entities)

    def actor(p) -> Actor:
        return Actor(p.name, tuple(p.roles[:MAX_ROLES]), len({a for a, _ in p.members}), len(report.quotes.get(p.name, ())))

    listed = [p for p in persons if p.name in key or p.roles or report.quotes.get(p.name)]
    actors = sorted((actor(p) for p in listed), key=lambda a: (a.name not in key, -a.articles, -a.quotes, a.name.casefold()))
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
                if s == g.article_id and _overlaps(c.source_span, (g.start, g.end))]
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


# --- where the sources disagree ------------------------------------------------------------------


def _disagreements(findings: list[Finding], articles: dict[str, Article]) -> tuple[list[Disagreement], int]:
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


def _provenance(pairs: list[ReusePair]) -> list[Provenance]:
    out = []
    for p in [p for p in pairs if p.is_reuse][:MAX_PAIRS]:
        order = {t: i for i, t in enumerate(CHANGE_ORDER)}
        changes = sorted(p.changes, key=lambda c: order.get(c.type, len(order)))
        items = tuple(ChangeItem(c.type, c.subject, clip(c.source_text, MAX_CHANGE_CHARS), clip(c.derived_text, MAX_CHANGE_CHARS))
                      for c in changes[:MAX_CHANGES_PER_PAIR])
        out.append(Provenance(p.source_id, p.derived_id, p.kind, p.coverage, p.direction_confidence, items,
                              more_changes=max(0, len(p.changes) - MAX_CHANGES_PER_PAIR)))
    return out


# --- sources -------------------------------------------------------------------------------------


def _cited(b: Briefing) -> list[str]:
    ids: list[str] = []
    ids += [a for s in b.what_happened for a in s.sources]
    ids += [a for d in b.developments for a in d.sources]
    ids += [a for s in b.speakers for q in s.quotes for a in (*q.sources, *q.paraphrased_in)]
    ids += [a for d in b.disagreements for a in d.sources]
    ids += [a for p in b.provenance for a in (p.source_id, p.derived_id)]
    return list(dict.fromkeys(ids))


def _sources(report, b: Briefing) -> list[Source]:
    """Every cited article, then the story's other articles up to MAX_SOURCES, numbered in date
    order."""
    articles = {a.id: a for a in report.articles}
    cited = [a for a in _cited(b) if a in articles]
    rest = [a.id for a in report.articles if a.id not in set(cited)]
    chosen = cited + rest[: max(0, MAX_SOURCES - len(cited))]
    if len(chosen) < len(report.articles):
        b.notes.append(f"sources list {len(chosen)} of {len(report.articles)} articles (all the cited ones)")

    def when(aid: str) -> tuple[str, bool]:
        d = report.dates.get(aid)
        if d is None:
            published = articles[aid].published
            return (published[:10] if published else "undated"), False
        if not d.first:
            return "undated", False
        if not d.inferred:
            return d.first, False
        return f"inferred: {d.first}..{d.last}" if d.last and d.last != d.first else f"inferred: {d.first}", True

    def key(aid: str):
        d = report.dates.get(aid)
        day = (d.likely or d.first) if d else (articles[aid].published or "")[:10]
        return (not day, day or "", aid)

    out = []
    for n, aid in enumerate(sorted(chosen, key=key), 1):
        a = articles[aid]
        date, inferred = when(aid)
        out.append(Source(n, aid, clip(a.outlet, MAX_TITLE_CHARS) or None, clip(a.title, MAX_TITLE_CHARS) or None,
                          date, inferred, a.url))
    return out
