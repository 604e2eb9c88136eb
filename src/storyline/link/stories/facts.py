"""A story's facts as stored: the codec between a StoryReport and a JSON-ready document, and
the state fingerprint that says when stored facts are stale.

Stored: the dates, resolved times, events with their citations, people (Identity records),
quotes by speaker, findings and notes. Not stored, because they are kept elsewhere and read by
id when the facts are read: the story itself (its row and memberships), its articles, and the
reuse pairs among them (the document names them by (source, derived) id pairs).

The state is a hash of what the facts are built from: the story's summary and its members in
order, each member's analysis stamp (analyzer version and time), and the reuse pairs among the
members (kind and version). Facts whose stored state differs from the story's state now are
stale: the story gained or lost a member, a member was analysed again, or a pair was compared.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import types
import typing
from dataclasses import dataclass, field
from functools import cache
from collections.abc import Collection, Iterable
from typing import Any

from storyline.records import (Article, ArticleDate, Event, Finding, Identity, Quote, ReusePair, Sighting, Story,
                               TimePoint)
from storyline.store import Store

# The document's key for the value pairs' entries (link/stories/value_pairs.py, which imports
# this module, says what they are).
FACTS_KEY = "values"

@dataclass(slots=True)
class StoryReport:
    """Everything known about one story (built by link/stories/report.py, stored by this
    module): defined here so that reading stored facts loads none of the builder's libraries."""

    story: Story
    articles: list[Article]
    dates: dict[str, ArticleDate]
    times: dict[str, list[TimePoint]]  # per article, resolved (inferred=True when on an inferred date)
    events: list[Event]
    people: list[Identity]
    quotes: dict[str, list[Quote]]  # by speaker (canonical name when known)
    reuse: list[ReusePair]
    findings: list[Finding]
    notes: list[str] = field(default_factory=list)
    # Why each article is in the story, as the clusterer stored it when the article joined
    # (link/stories/cluster.py ``_evidence``: kind, score and its parts, shared names and words,
    # nearest member); read with the story, not part of its facts.
    why: dict[str, dict] = field(default_factory=dict)
    # For an article that started a story later merged into this one: how that story joined
    # (store ``story_merges`` evidence: the rule, its scores, the article that showed it),
    # read with the story like ``why``.
    merged: dict[str, dict] = field(default_factory=dict)
    # Where else each article's text ran (store ``sightings``: same text, another URL or
    # outlet), read with the story like ``why``, not part of its facts.
    sightings: dict[str, list[Sighting]] = field(default_factory=dict)
    # The value pairs the build compared, kept in the stored document so that the next build
    # of the story compares only new pairs (link/stories/value_pairs.py); empty when read.
    values: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def timeline(self) -> list[Event]:
        """The dated events in date order."""
        return [e for e in self.events if e.date]

    @property
    def outlets(self) -> list[str]:
        """Every outlet that ran one of the story's articles, its sightings' included (the wire
        copy run word for word by five outlets is five outlets), each once (case ignored, as
        first spelled), in article order."""
        return list(distinct_outlets(name for a in self.articles
                                     for name in (a.outlet, *(s.outlet for s in self.sightings.get(a.id, ())))).values())


def distinct_outlets(names: Iterable[str | None]) -> dict[str, str]:
    """Outlet names once each: case-folded name -> its first spelling (stripped); blank or
    missing names left out."""
    out: dict[str, str] = {}
    for name in names:
        if name and name.strip():
            out.setdefault(name.strip().casefold(), name.strip())
    return out


# Bumped whenever the codec or what build_report computes changes: older facts are then due.
# 2: facts rows carry the story's coverage. 3: role_conflict findings (conflicting top titles).
# 4: value pairs aligned by the feature model alone (and changes typed as in REUSE_VERSION 5).
# 5: pieces of one quotation split around its attribution are the same wording (they made a
# story's facts fail). 6: the people under the stored identities' ids and names
# (link/stories/story_people.py): story-made ids led nowhere. 7: no event from a sentence inside
# quotation marks, no dateline in an event's label (link/stories/events.py); a one-word "person" the
# story's articles name as a place or organisation as often is left out (story_people.py).
# 8: a brief's headline is an event of its publication day (events.headline_mention), an
# event says where its date comes from (Event.date_source). 9: a big story's report covers
# articles spread over its days (coverage.py), not its most recent ones. 10: a timestamp line
# is no event (events.MIN_OTHER_WORDS).
FACTS_VERSION = "10"


def encode_facts(report: StoryReport) -> dict:
    """The JSON-ready document of a StoryReport (link/stories/report.py), without what is
    stored elsewhere (the story, its articles, the reuse pairs' contents)."""
    return {
        "dates": {aid: _plain(d) for aid, d in report.dates.items()},
        "times": {aid: [_plain(t) for t in ts] for aid, ts in report.times.items()},
        "events": [_plain(e) for e in report.events],
        "people": [_plain(p) for p in report.people],
        # A list, not an object: the speakers' order (most quoted first) is part of the report.
        "quotes": [[speaker, [_plain(q) for q in qs]] for speaker, qs in report.quotes.items()],
        "reuse": [[p.source_id, p.derived_id] for p in report.reuse],
        "findings": [_plain(f) for f in report.findings],
        "notes": list(report.notes),
        **({FACTS_KEY: report.values} if report.values else {}),
    }


def decode_facts(store: Store, story: Story, facts: dict, pairs: list[ReusePair] | None = None) -> StoryReport:
    """The StoryReport of ``story`` from its stored document, with its articles read from
    ``store`` by id and its reuse pairs taken from ``pairs`` (member_pairs; read when not
    given). A pair no longer stored is left out."""
    by_key = {(p.source_id, p.derived_id): p for p in (member_pairs(store, story) if pairs is None else pairs)}
    return StoryReport(
        story=story,
        articles=report_articles(store, story, facts["dates"]),
        dates={aid: _load(ArticleDate, d) for aid, d in facts["dates"].items()},
        times={aid: [_load(TimePoint, t) for t in ts] for aid, ts in facts["times"].items()},
        events=[_load(Event, e) for e in facts["events"]],
        people=[_load(Identity, p) for p in facts["people"]],
        quotes={speaker: [_load(Quote, q) for q in qs] for speaker, qs in facts["quotes"]},
        reuse=[by_key[k] for k in map(tuple, facts["reuse"]) if k in by_key],
        findings=[_load(Finding, f) for f in facts["findings"]],
        notes=list(facts["notes"]),
    )


def report_articles(store: Store, story: Story, covered: Collection[str]) -> list[Article]:
    """A report's article list: every member, in store order, with its body when the report
    covers it (its events, dates and findings cite it) or its title is the story's headline (the
    briefing leads with that article), and without otherwise. A story of more than
    report.MAX_ARTICLES articles is covered by that many spread over its days (coverage.py); a
    view of it reads those bodies, not thousands. (The briefing's representative article, when no title is the
    headline, is the one in most events, then the longest: among the covered ones.)"""
    ids = list(story.article_ids)
    if all(a in covered for a in ids):
        return store.articles(ids=ids)
    heads = store.article_heads(ids)
    headline = (story.headline or "").strip()
    wanted = {a.id for a in heads if a.id in covered or (headline and (a.title or "").strip() == headline)}
    whole = {a.id: a for a in store.articles(ids=sorted(wanted))}
    return [whole.get(a.id, a) for a in heads]


def member_pairs(store: Store, story: Story) -> list[ReusePair]:
    """The compared pairs between two members of ``story`` (an indexed lookup by first id;
    pairs leaving the story are not decoded)."""
    return store.reuse_among(story.article_ids)


def fact_state(store: Store, story: Story, pairs: list[ReusePair] | None = None) -> str:
    """The fingerprint of what the facts of ``story`` are built from (see the module docstring):
    a few indexed lookups for the story's members, no article bodies. ``pairs``: member_pairs,
    when already read."""
    members = list(story.article_ids)
    stamps = sorted((s.article_id, s.version, s.analysed_at) for s in store.analysis_stamps(members))
    kinds = sorted((p.source_id, p.derived_id, p.kind) for p in (member_pairs(store, story) if pairs is None else pairs))
    summary = [story.id, story.label, story.headline, story.first, story.last, story.undated, list(story.key_entities)]
    text = json.dumps([FACTS_VERSION, summary, members, stamps, kinds], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


# --- a generic codec for the slotted, frozen record dataclasses -------------------------------


def plain(value: Any) -> Any:
    """A record as JSON-ready data (dataclasses as objects by field name, tuples as lists)."""
    return _plain(value)


def load_pair(data: Any) -> ReusePair:
    """A ReusePair back from :func:`plain`."""
    return _load(ReusePair, data)


def _plain(value: Any) -> Any:
    """A record as JSON-ready data: dataclasses as objects by field name, tuples as lists."""
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _load(kind: Any, data: Any) -> Any:
    """``data`` (from :func:`_plain`) back as a value of the annotated type ``kind``."""
    if data is None:
        return None
    if dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        return kind(**{name: _load(hints[name], v) for name, v in data.items() if name in hints})
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(kind) if a is not type(None)]
        return _load(inner[0], data) if len(inner) == 1 else data
    if origin is tuple:
        args = typing.get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_load(args[0], v) for v in data)
        return tuple(_load(a, v) for a, v in zip(args, data))
    return data
