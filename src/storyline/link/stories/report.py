"""Everything known about one story, assembled from the store: its articles with their dates
(stated or inferred), events and timeline, people with their roles, quotes by speaker, reuse
pairs and the cross-source findings.

Built by the story_facts step (link/stories/fact_steps.py) when a story changes and stored (facts.py),
never on a read of fresh facts. It reads the span vectors stored for its articles' sentences and
quotations, embedding (and storing) only those not stored yet; a story of more
than MAX_ARTICLES articles is reported on MAX_ARTICLES of them spread over its days for events,
dates and findings (coverage.py; its article list stays whole), which bounds the work of one build.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from storyline.ingest.dates import published_day
from storyline.link.reuse.align import align_spans
from storyline.link.reuse.vectors import matrix_of, span_vectors
from storyline.link.stories.coverage import coverage_note, spread_over_days
from storyline.link.stories.crosscheck import (
    original_order, quote_findings, quoted_spans, role_findings, usable_quotes, value_findings,
)
from storyline.link.stories.dates import DatedSentence, infer_dates, to_timex
from storyline.link.stories.events import anchor_day, group_events, headline_mention, mentions
from storyline.link.stories.facts import StoryReport, report_articles
from storyline.link.people import corrected, merge_people
from storyline.link.stories.scan import SUMMARY_MEMBERS
from storyline.link.stories.story_people import canonical_people, named_as_places
from storyline.link.stories.value_pairs import stamp, stored_pairs, value_pairs
from storyline.records import (
    Analysis, Article, Quote, ReusePair, Story, TimePoint,
)
from storyline.store import Store

MAX_ARTICLES = 60


def build_report(store: Store, story: Story, previous: dict | None = None, *, stored: bool = True,
                 whole: bool = True) -> StoryReport:
    """The report of ``story``; ``previous``: its last stored facts document of this
    FACTS_VERSION, whose compared value pairs are reused for unchanged articles, and then the
    store's value pairs (``stored``; False builds from nothing, as a test's yardstick), see
    link/stories/value_pairs.py. The pairs compared are stored.

    A story of more than MAX_ARTICLES articles is covered by MAX_ARTICLES of them spread over its
    days, chosen by their stated dates (no text read, coverage.spread_over_days), the article
    that carries its headline among them; only their bodies are read. ``whole`` False leaves the
    others out of the report's article list too: the story_facts step stores what the covered
    articles give and never reads the list, so a build reads MAX_ARTICLES bodies however big
    the story grows. With ``whole``, the others are listed without their bodies, as a read of
    the stored facts lists them (facts.report_articles)."""
    ids = list(story.article_ids)
    notes = []
    stated = store.publication_dates(ids) if len(ids) > MAX_ARTICLES else {}  # in store order: ties keep it
    if len(stated) > MAX_ARTICLES:
        # The headline is chosen among the last SUMMARY_MEMBERS members (scan.summarise): their
        # titles only are read, however big the story.
        headline = store.titled(ids[-SUMMARY_MEMBERS:], story.headline)[:1] if story.headline else []
        chosen = spread_over_days(stated, MAX_ARTICLES, keep=headline)
        found = {a.id: a for a in store.articles(ids=chosen.ids)}
        covered = [found[a] for a in chosen.ids if a in found]
        articles = report_articles(store, story, {a.id for a in covered}) if whole else covered
        notes.append(coverage_note(len(covered), len(stated), chosen.days, chosen.days_covered))
    else:
        articles = covered = store.articles(ids=ids)
    read = store.analyses_of([a.id for a in covered])
    analyses = {a.id: read.get(a.id) or Analysis(a.id) for a in covered}
    bodies = {a.id: a for a in covered}
    vectors, quote_vectors = _vectors(store, covered, analyses)
    sentences = _dated_sentences(covered, analyses, vectors)
    stated = {a.id: published_day(a.published) for a in covered}
    dates = infer_dates(stated, sentences)
    anchors = {a.id: anchor_day(dates[a.id], sentences) for a in covered}
    dates = {aid: replace(d, likely=anchors[aid].isoformat() if anchors[aid] else None) for aid, d in dates.items()}

    every_sentence = _all_sentences(covered, vectors)
    own = defaultdict(list)
    for s in every_sentence:
        own[s.article_id].append(s)
    found = []
    for a in covered:
        told = mentions(a, sentences, anchors[a.id], dates[a.id].inferred)
        if not told and (head := headline_mention(a, own[a.id], anchors[a.id], dates[a.id].inferred)) is not None:
            told = [head]  # a brief that names no day reports its publication day's news
        found += told
    events = group_events(story.id, found, every_sentence, bodies)
    times = {a.id: _resolved(analyses[a.id].times, anchors[a.id], dates[a.id].inferred) for a in covered}

    entities = [(aid, e) for aid, an in analyses.items() for e in an.entities]
    people = merge_people([x for x in entities if x[1].type == "PERSON"])
    # The people corrections made by hand hold here too (link/people/corrected.py).
    fixes = [c for c in store.corrections_by_keys([corrected.people_key(a) for a in analyses])
             if c.kind in corrected.KINDS]
    people = corrected.apply(people, fixes, {(aid, e.id): e for aid, e in entities}) if fixes else people
    places = named_as_places(people, entities)  # a town the model took for a person
    people = canonical_people(store, [p for p in people if p.id not in places])  # the ids and names the rest of the product knows
    speaker_of = {m: p.name for p in people for m in p.members}
    quotes: dict[str, list[Quote]] = defaultdict(list)
    for a in covered:
        for q in analyses[a.id].quotes:
            name = speaker_of.get((q.article_id, q.speaker_id)) if q.speaker_id and not q.anonymous else None
            quotes[name or q.speaker or "unattributed"].append(q)

    reuse = _member_reuse(store, story, covered)
    findings = quote_findings([q for qs in quotes.values() for q in qs], speaker_of, quote_vectors,
                              original_order(reuse.values(), covered))
    findings += role_findings(people, entities)
    analysed = {st.article_id: st for st in store.analysis_stamps(list(bodies))}
    stamps = {a.id: stamp(a, analysed.get(a.id)) for a in covered}
    values = value_pairs(covered, analyses, vectors, stamps, previous, stored_pairs(store) if stored else None)
    store.put_value_pairs(values.fresh)
    findings += value_findings(values.pairs, bodies, times)
    people.sort(key=lambda i: (-len({a for a, _ in i.members}), i.name.casefold()))
    return StoryReport(
        story=story, articles=articles, dates=dates, times=times, events=events, people=people,
        quotes=dict(sorted(quotes.items(), key=lambda kv: (-len(kv[1]), kv[0].casefold()))),
        reuse=sorted(reuse.values(), key=lambda p: -p.coverage), findings=findings, notes=notes,
        values=values.document(),
    )


def _member_reuse(store: Store, story: Story, covered: Sequence[Article]) -> dict[tuple[str, str], ReusePair]:
    """The reuse pairs between members with a covered article in them, in the order a read per
    covered article gives (by article, then as Store.reuse orders: coverage, then ids). A story
    covered whole is read in one query (a read per article cost PostgreSQL more than the rows)."""
    members = set(story.article_ids)
    if len(covered) == len(members):
        touching: dict[str, list[ReusePair]] = defaultdict(list)
        for pair in store.reuse_among(sorted(members)):
            touching[pair.source_id].append(pair)
            touching[pair.derived_id].append(pair)
        found = ((a, sorted(touching.get(a.id, ()), key=lambda p: (-p.coverage, *sorted((p.source_id, p.derived_id)))))
                 for a in covered)
    else:
        found = ((a, store.reuse(article_id=a.id)) for a in covered)
    reuse = {}
    for _, pairs in found:
        for pair in pairs:
            if pair.source_id in members and pair.derived_id in members:
                reuse[(pair.source_id, pair.derived_id)] = pair
    return reuse


def _vectors(store: Store, articles: Sequence[Article], analyses: dict[str, Analysis]):
    """Each article's aligned sentences with their vectors ({id: (spans, matrix)}), and the
    vectors of its traceable quotations' fragments ({(id, span): vector}): stored ones read, the
    rest embedded in one call and stored (link/reuse/vectors.py).

    A story of one article compares nothing across articles (no supporting sentences, values or
    quotes elsewhere): only its dated sentences are needed, for its events. Most stories are
    single articles, whose other sentences then never need embedding."""
    sentences = {a.id: align_spans(a.body) for a in articles}
    if len(articles) == 1:
        only = articles[0].id
        times = sorted(t.start for t in analyses[only].times)
        sentences[only] = [(s, e) for s, e in sentences[only] if _any_between(times, s, e)]
        quoted = {only: []}
    else:
        quoted = {a.id: [s for q in usable_quotes(analyses[a.id].quotes) for s in quoted_spans(q)] for a in articles}
    found = span_vectors(store, [(a, sentences[a.id] + quoted[a.id]) for a in articles])
    matrices = {aid: (spans, matrix_of(found[aid], spans)) for aid, spans in sentences.items()}
    return matrices, {(aid, s): found[aid][s] for aid, spans in quoted.items() for s in spans}


def _any_between(sorted_starts: list[int], start: int, end: int) -> bool:
    k = bisect.bisect_left(sorted_starts, start)
    return k < len(sorted_starts) and sorted_starts[k] < end


def _dated_sentences(articles: Sequence[Article], analyses: dict[str, Analysis], vectors) -> list[DatedSentence]:
    out = []
    for a in articles:
        spans, matrix = vectors[a.id]
        times = sorted(analyses[a.id].times, key=lambda t: t.start)
        for (start, end), v in zip(spans, matrix):
            inside = tuple(t for t in times if start <= t.start < end)
            if inside:
                out.append(DatedSentence(a.id, start, end, v, inside))
    return out


def _all_sentences(articles: Sequence[Article], vectors) -> list[DatedSentence]:
    return [DatedSentence(a.id, s, e, v, ()) for a in articles for (s, e), v in zip(*vectors[a.id])]


def _resolved(points: Sequence[TimePoint], anchor: dt.date | None, inferred: bool) -> list[TimePoint]:
    from storyline.analyze.timex import resolve

    out = []
    for p in points:
        if p.anchored and anchor is not None and inferred:
            out.append(replace(p, value=resolve(to_timex(p), anchor).value, inferred=True))
        else:
            out.append(p)
    return out
