"""The JSON shapes of every record, in one place: the CLI's ``--json``, the REST API and the
exports all print these, so a field means the same wherever it appears.

Plain functions from records to dicts of JSON types; nothing here reads a store or computes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from storyline.records import (
    Analysis,
    Article,
    ArticleDate,
    Change,
    Citation,
    Entity,
    Event,
    Finding,
    Identity,
    Link,
    Problem,
    Quote,
    ReusePair,
    Sighting,
    Story,
    TimePoint,
)

if TYPE_CHECKING:
    from storyline.store.records import Correction, OutletDetail, OutletProfile, PersonSummary, SearchHit, StorySummary
    from storyline.link.stories.report import StoryReport
    from storyline.run.common import AnalyzeReport, IngestReport
    from storyline.run.local import PipelineReport, StepReport


def public_source(source: str | None) -> str | None:
    """Where an article came from, fit to show to others: an http(s) URL, or the label of an
    API request ("POST /api/articles"), as it is; any other source (a path on the machine that
    ingested it) by its file name only."""
    if not source or source.lower().startswith(("http://", "https://", "post ")):
        return source
    return source.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or None


def article_summary_json(article: Article) -> dict:
    """An article as lists show it (the API's lists, an outlet's latest articles): its metadata
    without the body, and its source by URL or file name only (:func:`public_source`)."""
    return {
        "id": article.id, "title": article.title, "outlet": article.outlet, "published": article.published,
        "byline": article.byline, "abstract": article.abstract, "url": article.url,
        "source": public_source(article.source), "where": article.locator,
        "content_hash": article.content_hash, "ingested_at": article.ingested_at,
    }


def sighting_json(s: Sighting, *, public: bool = False) -> dict:
    """Another place an article's text was seen (the same text from another URL or outlet);
    with ``public`` its source by URL or file name only."""
    return {"url": s.url, "outlet": s.outlet, "title": s.title, "published": s.published,
            "source": public_source(s.source) if public else s.source, "where": s.locator, "seen_at": s.seen_at}


def article_json(article: Article, *, raw: bool = False, public: bool = False,
                 sightings: Sequence[Sighting] | None = None) -> dict:
    """An article with where each metadata field came from and what cleaning cut; with
    ``public`` (the API) its source by URL or file name only, never a local path. With
    ``sightings`` (one article's view), ``also_published``: the other places its text was
    seen, first seen first."""
    data = {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "published": article.published,
        "byline": article.byline,
        "abstract": article.abstract,
        "url": article.url,
        "source": public_source(article.source) if public else article.source,
        "where": article.locator,
        "body": article.body,
        "fields": {k: {"origin": v.origin, "evidence": v.evidence} for k, v in article.fields.items()},
        "cuts": [{"kind": c.kind, "text": c.text} for c in article.cuts],
        "content_hash": article.content_hash,
        "ingested_at": article.ingested_at,
    }
    if sightings is not None:
        data["also_published"] = [sighting_json(x, public=public) for x in sightings]
    if raw and article.raw is not None:
        data["raw_type"] = article.raw_type
        data["raw"] = article.raw.decode("utf-8", "replace")
    return data


def link_json(link: Link) -> dict:
    """A link-only feed entry."""
    return {"url": link.url, "title": link.title, "published": link.published, "source": link.source,
            "where": link.locator}


def problem_json(problem: Problem) -> dict:
    """An input or article that was skipped, and why."""
    return {"source": problem.source, "where": problem.locator, "reason": problem.reason}


def ingest_report_json(report: IngestReport) -> dict:
    """What an ingest run did (``storyline ingest --json``, ``POST /api/articles``)."""
    return {
        "files": report.files,
        "added": report.added,
        "present": report.present,
        # The present ones kept as new sightings (same text from a new URL or outlet).
        "sighted": [{"id": x.article_id} | sighting_json(x) for x in report.sighted],
        "links_seen": report.links_seen,
        "links_new": report.links_new,
        "skipped": [problem_json(p) for p in report.problems],
        "analysed": report.analysis.analysed if report.analysis else None,
        "not_analysed": [problem_json(p) for p in report.analysis.problems] if report.analysis else [],
        "not_english": [problem_json(p) for p in report.analysis.skipped] if report.analysis else [],
        "analysed_in_part": [problem_json(p) for p in report.analysis.truncated] if report.analysis else [],
    }


def step_report_json(step: StepReport) -> dict:
    """What one step did in a run (``storyline relink --json``, ``storyline run --json``)."""
    return {"step": step.step, "version": step.version, "due": step.due, "done": step.done, "counts": step.counts,
            "failed": len(step.problems), "seconds": round(step.seconds, 3), "cpu_seconds": round(step.cpu_seconds, 3)}


def pipeline_report_json(report: PipelineReport) -> dict:
    """What ``storyline run`` did: the ingest (with the inputs skipped and why), each step,
    and the keys that failed (they stay due for the next run)."""
    return {"engine": report.engine, "ingest": ingest_report_json(report.ingest),
            "steps": [step_report_json(s) for s in report.steps.steps],
            "failed": [problem_json(p) for p in report.steps.problems]}


def analyze_report_json(report: AnalyzeReport) -> dict:
    """What an analysis run did (``storyline analyze --json``)."""
    return {
        "due": report.due,
        "analysed": report.analysed,
        "entities": report.entities,
        "quotes": report.quotes,
        "not_analysed": [problem_json(p) for p in report.problems],
        "not_english": [problem_json(p) for p in report.skipped],
        "analysed_in_part": [problem_json(p) for p in report.truncated],
    }


def entity_json(entity: Entity) -> dict:
    """An in-article entity; offsets index the article body."""
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": list(entity.aliases),
        "roles": [{"title": r.title, "start": r.start, "end": r.end, "sentence_start": r.sentence_start,
                   "sentence_end": r.sentence_end} for r in entity.roles],
        "mentions": [{"start": m.start, "end": m.end, "text": m.text} for m in entity.mentions],
    }


def quote_json(quote: Quote, *, article: bool = False) -> dict:
    """A quote; ``speaker`` is null when nobody is named or described."""
    mention = quote.speaker_mention
    speaker = None
    if quote.speaker is not None or mention is not None or quote.anonymous:
        speaker = {
            "name": quote.speaker,
            "id": quote.speaker_id,
            "mention": mention.text if mention else None,
            "mention_start": mention.start if mention else None,
            "mention_end": mention.end if mention else None,
            "anonymous": quote.anonymous,
        }
    data = {"article_id": quote.article_id} if article else {}
    return data | {
        "text": quote.text, "start": quote.start, "end": quote.end, "kind": quote.kind, "cue": quote.cue,
        "speaker": speaker, "group": quote.group,
    }


def analysis_json(analysis: Analysis) -> dict:
    """One article's entities, quotes and time expressions."""
    return {"entities": [entity_json(e) for e in analysis.entities],
            "quotes": [quote_json(q) for q in analysis.quotes],
            "times": [{"text": t.text, "start": t.start, "end": t.end, "type": t.type, "value": t.value,
                       "mod": t.mod, "anchored": t.anchored} for t in analysis.times]}


def article_count(identity: Identity) -> int:
    """In how many articles a person is named."""
    return len({article_id for article_id, _ in identity.members})


def identity_json(identity: Identity) -> dict:
    """A person merged across articles, with the entities merged and why."""
    return {
        "id": identity.id,
        "name": identity.name,
        "type": identity.type,
        "aliases": list(identity.aliases),
        "roles": list(identity.roles),
        "articles": article_count(identity),
        "members": [{"article_id": a, "entity_id": e} for a, e in identity.members],
        "merges": list(identity.merges),
    }


def person_summary_json(person: PersonSummary) -> dict:
    """A person as lists show them: :func:`identity_json` without members and merge reasons."""
    return {"id": person.id, "name": person.name, "type": person.type, "aliases": list(person.aliases),
            "roles": list(person.roles), "articles": person.articles}


def change_json(c: Change) -> dict:
    """One thing a copy changed: its type, what it does to the meaning (``kind``; ``meaning`` is
    false for wording-only changes) and how much it matters (``severity``)."""
    return {"type": c.type, "kind": c.meaning_kind, "severity": c.severity or "low", "meaning": c.meaning,
            "subject": c.subject, "source_text": c.source_text, "derived_text": c.derived_text,
            "source_span": list(c.source_span) if c.source_span else None,
            "derived_span": list(c.derived_span) if c.derived_span else None}


def pair_json(p: ReusePair, articles: dict[str, Article]) -> dict:
    """A compared pair: both sides (titled from ``articles`` where known), kind, direction and
    changes."""
    def side(aid: str) -> dict:
        art = articles.get(aid)
        return {"id": aid, "title": art.title if art else None, "outlet": art.outlet if art else None,
                "published": art.published if art else None}

    return {
        "source": side(p.source_id), "derived": side(p.derived_id), "kind": p.kind,
        "direction": "known" if p.direction_known else "unknown",
        "direction_confidence": p.direction_confidence, "coverage": p.coverage,
        "source_coverage": p.source_coverage, "verbatim": p.verbatim, "similarity": p.similarity,
        "evidence": list(p.evidence), "changes": [change_json(c) for c in p.changes],
    }


def diff_json(source: Article, derived: Article, pair: ReusePair) -> dict:
    """The pair with its aligned sentences, as `storyline diff --json` and the API give it;
    ``moved`` marks a restatement out of the source's order."""
    from storyline.link.reuse.align import in_order  # numpy: loaded only when a diff is shown

    data = pair_json(pair, {source.id: source, derived.id: derived})
    kept = in_order([(s.source_span[0], s.derived_span[0]) for s in pair.aligned])
    data["aligned"] = [
        {"source_span": list(s.source_span), "derived_span": list(s.derived_span),
         "source_text": source.body[slice(*s.source_span)], "derived_text": derived.body[slice(*s.derived_span)],
         "score": s.score, "verbatim": s.verbatim, "moved": (s.source_span[0], s.derived_span[0]) not in kept}
        for s in pair.aligned
    ]
    return data


def story_json(s: Story) -> dict:
    """A story as listed: id, label, members, stated date span (``first``/``last``) and the days
    of coverage with inferred dates too (``coverage_first``/``coverage_last``)."""
    return {"id": s.id, "label": s.label, "headline": s.headline, "key_entities": list(s.key_entities),
            "article_ids": list(s.article_ids), "first": s.first, "last": s.last, "undated": s.undated,
            "coverage_first": s.coverage_first or s.first, "coverage_last": s.coverage_last or s.last}


def story_summary_json(s: StorySummary) -> dict:
    """A story as lists show it: :func:`story_json` with the number of its articles instead of
    their ids (a big story has thousands)."""
    return {"id": s.id, "label": s.label, "headline": s.headline, "key_entities": list(s.key_entities),
            "first": s.first, "last": s.last, "undated": s.undated,
            "coverage_first": s.coverage_first or s.first, "coverage_last": s.coverage_last or s.last,
            "articles": s.articles}


def citation_json(c: Citation) -> dict:
    return {"article_id": c.article_id, "start": c.start, "end": c.end, "text": c.text}


def event_json(e: Event) -> dict:
    return {"id": e.id, "date": e.date, "date_inferred": e.date_inferred, "label": e.label,
            "article_ids": list(e.article_ids), "sentences": [citation_json(c) for c in e.sentences],
            "date_evidence": [citation_json(c) for c in e.date_evidence], "date_source": e.date_source}


def finding_json(f: Finding) -> dict:
    return {"kind": f.kind, "subject": f.subject, "summary": f.summary, "differs": f.differs,
            "citations": [citation_json(c) for c in f.citations]}


def date_json(d: ArticleDate) -> dict:
    return {"first": d.first, "last": d.last, "likely": d.likely, "inferred": d.inferred, "evidence": list(d.evidence)}


def time_json(t: TimePoint) -> dict:
    return {"text": t.text, "start": t.start, "end": t.end, "type": t.type, "value": t.value, "mod": t.mod,
            "inferred": t.inferred}


def member_sighting_json(s: Sighting) -> dict:
    """A story member's sighting, as the story lists it: where else its text ran."""
    return {"url": s.url, "outlet": s.outlet, "title": s.title, "published": s.published}


def report_json(report: StoryReport, *, offset: int = 0, limit: int | None = None) -> dict:
    """Everything about one story (``storyline story --json``, ``/api/stories/{id}``); each
    article with its ``sightings`` (the same text run elsewhere), and ``outlets``: every
    outlet that ran one of its articles, sightings included. ``offset``/``limit``: only that
    window of ``articles`` (in store order; the API pages a story of thousands), with
    ``articles_total`` and ``articles_offset`` beside it; everything else is whole."""
    articles = {a.id: a for a in report.articles}
    seen = report.sightings
    shown = report.articles[offset:] if limit is None else report.articles[offset: offset + limit]
    return {
        **story_json(report.story),
        "outlets": report.outlets,
        "articles": [
            {"id": a.id, "title": a.title, "outlet": a.outlet, "url": a.url, "published": a.published,
             "date": date_json(report.dates[a.id]) if a.id in report.dates else None,
             "why": report.why.get(a.id),
             "merged": report.merged.get(a.id),
             "times": [time_json(t) for t in report.times.get(a.id, [])],
             "sightings": [member_sighting_json(x) for x in seen.get(a.id, ())]}
            for a in shown
        ],
        "articles_total": len(report.articles),
        "articles_offset": offset,
        "events": [event_json(e) for e in report.events],
        "timeline": [{"date": e.date, "date_inferred": e.date_inferred, "date_source": e.date_source,
                      "event": e.id, "label": e.label,
                      "article_ids": list(e.article_ids)} for e in report.timeline],
        "people": [identity_json(p) for p in report.people],
        "quotes": {speaker: [quote_json(q) for q in qs] for speaker, qs in report.quotes.items()},
        "reuse": [pair_json(p, articles) for p in report.reuse],
        "findings": [finding_json(f) for f in report.findings],
        "notes": list(report.notes),
    }


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """A search snippet as (text, matched) runs, the markers (records.HIT_START/HIT_END) removed."""
    from storyline.store.records import HIT_END, HIT_START

    parts: list[tuple[str, bool]] = []
    for i, chunk in enumerate(snippet.split(HIT_START)):
        if i == 0:
            parts.append((chunk.replace(HIT_END, ""), False))
            continue
        matched, _, rest = chunk.partition(HIT_END)
        parts += [(matched, True), (rest, False)]
    return [(text, hit) for text, hit in parts if text]


def search_hit_json(hit: SearchHit) -> dict:
    """One search result (``storyline search --json``, ``/api/search``): the article's listing
    fields, its rank, the snippet as plain text and the [start, end) offsets of the matched
    words in it."""
    text, highlights = "", []
    for part, matched in snippet_parts(hit.snippet):
        if matched:
            highlights.append([len(text), len(text) + len(part)])
        text += part
    a = hit.article
    return {"id": a.id, "title": a.title, "outlet": a.outlet, "published": a.published, "url": a.url,
            "rank": round(hit.rank, 6), "snippet": text, "highlights": highlights}


def outlet_profile_json(p: OutletProfile) -> dict:
    """An outlet as the outlet list shows it (``/api/v1/outlets``)."""
    return {"outlet": p.outlet, "articles": p.articles, "sighted": p.sighted, "first_published": p.first_published,
            "last_published": p.last_published, "copied_from": p.copied_from_others,
            "copied_by": p.copied_by_others}


def outlet_json(detail: OutletDetail, *, public: bool = False) -> dict:
    """One outlet's page as data (``/api/outlets/{name}``): articles per stated day, reuse with
    each other outlet (``copied_from``: its articles reusing theirs; ``copied_by``: theirs
    reusing its own), the stories it covered with its first day and rank there (``first``: no
    named outlet had the story earlier; a story it ran a sighted copy in counts), its latest
    articles (without body), and ``sighted``/``sighted_latest``: the stored texts it also ran word
    for word (its sightings), the latest first (with ``public`` their sources by URL or file
    name only, as the API shows them)."""
    first, last = detail.span
    return {
        "outlet": detail.outlet, "articles": detail.articles, "undated": detail.undated,
        "first_published": first, "last_published": last,
        "per_day": [{"day": d, "articles": n} for d, n in detail.days],
        "reuse": [{"outlet": r.other, "copied_from": r.copied_from, "copied_by": r.copied_by}
                  for r in detail.reuse],
        "stories": [{"id": s.story_id, "label": s.label, "articles": s.articles, "first_day": s.first_day,
                     "story_first_day": s.story_first_day, "rank": s.rank, "first": s.rank == 1,
                     "outlets": s.outlets} for s in detail.stories],
        "latest": [article_summary_json(a) for a in detail.latest],
        "sighted": detail.sighted,
        "sighted_latest": [{"article_id": s.article_id, **sighting_json(s, public=public)}
                           for s in detail.sighted_latest],
    }


def correction_json(c: Correction) -> dict:
    """A correction made by hand: what (``kind``, the ids it names in ``targets``, the details
    in ``payload``), who (``author``), when (``created_at``, UTC) and why (``reason``); an undone
    one has ``undone_at`` and ``undone_by`` and is ``active`` no longer."""
    return {"id": c.id, "kind": c.kind, "targets": list(c.targets), "author": c.author, "reason": c.reason,
            "created_at": c.created_at, "active": c.undone_at is None, "undone_at": c.undone_at,
            "undone_by": c.undone_by, "summary": correction_summary(c), "payload": c.payload}


def correction_summary(c: Correction) -> str:
    """One line saying what a correction does, in words (listings and the web page)."""
    p = c.payload
    if c.kind == "merge-people":
        return f"{p.get('join_name')} ({c.targets[1]}) is {p.get('keep_name')} ({c.targets[0]})"
    if c.kind == "split-person":
        return (f"{len(p.get('apart', ()))} mentions of {p.get('from_name')} ({c.targets[0]}) are "
                f"{p.get('name')}, somebody else")
    if c.kind == "quote-speaker":
        text = str(p.get("text", ""))
        shown = text if len(text) <= 60 else text[:60] + "\u2026"
        return (f"\u201c{shown}\u201d (article {p.get('article')}) was said by {p.get('speaker')}, "
                f"not {p.get('was') or 'nobody named'}")
    if c.kind == "move-article":
        return f"article {p.get('article')} belongs to story {p.get('story')}, not {p.get('from')}"
    if c.kind == "split-story":
        return f"{len(p.get('articles', ()))} articles of story {p.get('from')} are story {p.get('story')}"
    return c.kind

