"""``MemoryStore``: the whole Store protocol over plain dicts, in one process, kept nowhere.

It is the reference implementation: each rule of the contract (store/base.py) is written here as
plainly as Python allows, and tests/store/test_contract.py holds SQLite and PostgreSQL to the
same rules. Open one with ``open_store("memory://")``; everything is gone when the process ends.

Where the SQL stores lean on their schema, this store checks the same things itself: a write
that names an unknown article, or an article without a body, is refused and the whole batch
rolled back (StoreError). Full-text search is simpler than the SQL engines': every query word,
stemmed by :func:`_stem`, must occur in the title or body; matches in the title count double.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from storyline.ingest.urls import url_key
from storyline.records import Analysis, Article, Entity, Link, Quote, ReusePair, Sighting, Story
from storyline.store.base import (MEMORY_URL, AmbiguousIdError, StoreError, check_base, day_after, now, now_precise,
                                   speaker_key, storable)
from storyline.store.memory_changes import ChangesMixin, only_among
from storyline.store.memory_fingerprints import FingerprintsMixin
from storyline.store.memory_rows import Refused as _Refused
from storyline.store.memory_rows import Versioned as _Versioned
from storyline.store.memory_corrections import CorrectionsMixin
from storyline.store.memory_facts import FactsMixin
from storyline.store.memory_fetching import FetchingMixin
from storyline.store.memory_outlets import OutletsMixin
from storyline.store.memory_search import SearchMixin
from storyline.store.memory_sightings import SightingsMixin
from storyline.store.memory_search import stem as _stem
from storyline.store.memory_search import stems as _stems
from storyline.store.memory_reuse import ReuseStepsMixin
from storyline.store.memory_stories import MemoryStoryReads
from storyline.store.memory_people import PeopleMixin, PersonRow
from storyline.store.records import (
    AnalysisState,
    ArticleEntity,
    ArticlePage,
    Bucket,
    CheckpointPart,
    ComparedPair,
    Correction,
    FeedRecord,
    FetchRecord,
    FingerprintBlob,
    Membership,
    OutletCount,
    OutletProfile,
    StepCursor,
    StoryCheckpoint,
    StoryFacts,
    StoryMerge,
    StorySummary,
    ValuePairEntry,
    WriteResult,
)

_HEX = re.compile(r"^[0-9a-f]+$")
_WORD = re.compile(r"\w+")

@dataclass(slots=True, frozen=True)
class _Summary:
    story: Story  # without article ids: those come from the memberships, as in the SQL stores
    size: int  # the story's size when it was last written (what the listing sorts by)
    updated_at: str = ""  # when it was last written (story_facts_due compares it)


@dataclass(slots=True)
class _Tables:
    """Everything the store holds. Values are immutable, so a shallow copy is a snapshot."""

    articles: dict[str, Article] = field(default_factory=dict)  # by id, in the order stored
    by_hash: dict[str, str] = field(default_factory=dict)  # content hash -> article id
    by_url: dict[str, str] = field(default_factory=dict)  # normalised URL -> article id
    links: dict[str, Link] = field(default_factory=dict)  # by normalised URL, in the order seen
    sightings: dict[str, Sighting] = field(default_factory=dict)  # by unique key (store/sighting_rule.py)
    analyses: dict[str, _Versioned[Analysis]] = field(default_factory=dict)
    fingerprints: dict[str, _Versioned[FingerprintBlob]] = field(default_factory=dict)
    buckets: dict[str, frozenset[Bucket]] = field(default_factory=dict)  # by article id
    pairs: dict[ComparedPair, _Versioned[ReusePair]] = field(default_factory=dict)
    # The reuse steps' tables (store/memory_reuse.py).
    sentence_vectors: dict[str, tuple[str, tuple[bytes, bytes]]] = field(default_factory=dict)
    candidates: dict[ComparedPair, str] = field(default_factory=dict)  # pair -> found_by
    candidates_done: dict[str, str] = field(default_factory=dict)  # article id -> version
    members: dict[str, _Versioned[Membership]] = field(default_factory=dict)  # by article id
    stories: dict[str, _Summary] = field(default_factory=dict)
    facts: dict[str, StoryFacts] = field(default_factory=dict)  # by story id (store/memory_facts.py)
    value_pairs: dict[tuple[str, str], ValuePairEntry] = field(default_factory=dict)  # by (first, second)
    checkpoint: dict[int, StoryCheckpoint] = field(default_factory=dict)  # the header row, under key 1
    checkpoint_parts: dict[str, CheckpointPart] = field(default_factory=dict)  # by part key
    merges: dict[str, StoryMerge] = field(default_factory=dict)  # absorbed story id -> its merge
    # People (store/memory_people.py): identities, the entity -> identity map, the name-key
    # index and the people step's progress.
    persons: dict[str, PersonRow] = field(default_factory=dict)
    person_of: dict[tuple[str, str], str] = field(default_factory=dict)
    person_keys: dict[str, frozenset[str]] = field(default_factory=dict)
    people_done: dict[str, tuple[str, str]] = field(default_factory=dict)
    person_surnames: dict[str, frozenset[str]] = field(default_factory=dict)
    place_words: dict[str, frozenset[str]] = field(default_factory=dict)  # article id -> its place words
    # Fetching (store/memory_fetching.py), by normalised URL.
    fetches: dict[str, FetchRecord] = field(default_factory=dict)
    feeds: dict[str, FeedRecord] = field(default_factory=dict)
    # Corrections (store/memory_corrections.py): by id, and the lookup keys -> ids.
    corrections: dict[int, Correction] = field(default_factory=dict)
    correction_keys: dict[str, frozenset[int]] = field(default_factory=dict)
    # The change log and the steps' cursors (store/memory_changes.py).
    changes: dict[int, tuple[str, str]] = field(default_factory=dict)
    cursors: dict[str, StepCursor] = field(default_factory=dict)

    def copy(self) -> _Tables:
        return _Tables(**{f.name: dict(getattr(self, f.name)) for f in dataclasses.fields(self)})


class MemoryStore(SightingsMixin, ChangesMixin, FingerprintsMixin, CorrectionsMixin, ReuseStepsMixin, MemoryStoryReads, PeopleMixin, FactsMixin, FetchingMixin, SearchMixin, OutletsMixin):
    """The Store protocol in memory (see the module docstring)."""

    def __init__(self) -> None:
        self.url = MEMORY_URL
        self._t = _Tables()
        self.warm: dict = {}

    @contextmanager
    def _writing(self, what: str) -> Iterator[None]:
        """One "transaction": on any error the tables go back to how they were."""
        saved = self._t.copy()
        try:
            yield
        except _Refused as exc:
            self._t = saved
            raise StoreError(f"{what} failed and was rolled back: {exc}") from exc
        except BaseException:
            self._t = saved
            raise

    def _require_article(self, article_id: str) -> None:
        if article_id not in self._t.articles:
            raise _Refused(f"no stored article {article_id!r}")

    # --- articles ----------------------------------------------------------------------------
    def add_articles(self, articles: Sequence[Article]) -> list[WriteResult]:
        results: list[WriteResult] = []
        with self._writing(f"writing a batch of {len(articles)} articles"):
            for article in articles:
                key = url_key(article.url)
                existing = self._existing(article.content_hash, key)
                if existing:
                    results.append(WriteResult("present", existing, self._record_sighting(article, key, existing)))
                    continue
                seen = self._url_holder(key)
                if seen:  # its URL was seen carrying a stored text: present, as an article's own URL
                    results.append(WriteResult("present", seen))
                    continue
                if article.id in self._t.articles:  # the same id for other content: kept as first stored
                    results.append(WriteResult("present", article.id))
                    continue
                self._t.articles[article.id] = _storable_article(article)
                self._t.by_hash[article.content_hash] = article.id
                if key:
                    self._t.by_url[key] = article.id
                results.append(WriteResult("added", article.id))
            self._log("article", [r.article_id for r in results if r.status == "added"])
        return results

    def _existing(self, content_hash: str, key: str | None) -> str | None:
        """The first stored article with this content or this normalised URL."""
        same = {self._t.by_hash.get(content_hash), self._t.by_url.get(key) if key else None} - {None}
        if len(same) > 1:
            order = list(self._t.articles)
            return min(same, key=order.index)
        return same.pop() if same else None

    def add_links(self, links: Sequence[Link]) -> int:
        added = 0
        with self._writing(f"writing {len(links)} links"):
            for link in links:
                key = url_key(link.url)
                if key is None or key in self._t.links:
                    continue
                self._t.links[key] = dataclasses.replace(
                    link, **{f.name: storable(getattr(link, f.name)) for f in dataclasses.fields(link)})
                added += 1
        return added

    def article(self, id_or_prefix: str) -> Article | None:
        wanted = id_or_prefix.strip().lower()
        if not _HEX.match(wanted):
            return None
        found = sorted(aid for aid in self._t.articles if aid.startswith(wanted))
        if len(found) > 1 and found[0] != wanted:
            raise AmbiguousIdError(f"article id prefix {id_or_prefix!r} matches more than one article")
        return self._t.articles[found[0]] if found else None

    def articles(self, *, limit: int | None = None, offset: int = 0, ids: Sequence[str] | None = None,
                 outlet: str | None = None, since: str | None = None, until: str | None = None,
                 story_id: str | None = None, person: str | None = None) -> list[Article]:
        if ids is None:
            chosen = [a for a in self._t.articles.values() if self._kept(a, outlet, since, person, story_id, until)]
        else:
            wanted = set(ids)
            chosen = [a for aid, a in self._t.articles.items() if aid in wanted]
        return [_listed(a) for a in _page(chosen, limit, offset)]

    def article_heads(self, ids: Sequence[str]) -> list[Article]:
        return [dataclasses.replace(a, body="") for a in self.articles(ids=ids)]

    def publication_dates(self, article_ids: Sequence[str]) -> dict[str, str | None]:
        wanted = set(article_ids)
        return {aid: a.published for aid, a in self._t.articles.items() if aid in wanted}

    def titled(self, article_ids: Sequence[str], title: str) -> list[str]:
        wanted, title = set(article_ids), title.strip()
        return [aid for aid, a in self._t.articles.items() if aid in wanted and (a.title or "").strip() == title]

    def links(self) -> list[Link]:
        return list(self._t.links.values())

    def count(self, *, outlet: str | None = None, since: str | None = None, until: str | None = None,
              story_id: str | None = None, person: str | None = None) -> int:
        return sum(self._kept(a, outlet, since, person, story_id, until) for a in self._t.articles.values())

    def count_stories(self, *, query: str | None = None, outlet: str | None = None, person: str | None = None,
                      since: str | None = None, until: str | None = None) -> int:
        return len(self.stories(query=query, outlet=outlet, person=person, since=since, until=until))

    def count_quotes(self, speaker: str | None = None, *, people: Sequence[str] = ()) -> int:
        return len(self.quotes(speaker, people=people))

    def list_articles(self, *, outlet: str | None = None, since: str | None = None, until: str | None = None,
                      story_id: str | None = None, person_id: str | None = None, limit: int = 50,
                      offset: int = 0) -> ArticlePage:
        t = self._t
        in_story = {aid for aid, m in t.members.items() if m.value.story_id == story_id} if story_id else None
        naming = {aid for (aid, _), pid in t.person_of.items() if pid == person_id} if person_id else None
        before = day_after(until) if until else None
        found = [(seq, a) for seq, a in enumerate(t.articles.values())
                 if (not outlet or self._from_outlet(a, outlet, str)) and (not since or (a.published is not None and a.published >= since))
                 and (not before or (a.published is not None and a.published < before))
                 and (in_story is None or a.id in in_story) and (naming is None or a.id in naming)]
        # Newest stated publication first, undated last; then latest stored first.
        found.sort(key=lambda sa: (sa[1].published is not None, sa[1].published or "", sa[0]), reverse=True)
        return ArticlePage(len(found), [_listed(a) for _, a in found[offset:offset + limit]])

    def arrived_since(self, since: str, *, limit: int = 20) -> tuple[int, list[Article]]:
        found = [a for a in self._t.articles.values() if (a.ingested_at or "") > since]
        return len(found), [_listed(a) for a in reversed(found[-limit:])] if limit else []

    def outlet_profiles(self, reuse_kinds: Sequence[str]) -> list[OutletProfile]:
        arts = self._t.articles
        copied_from: dict[str, int] = {}
        copied_by: dict[str, int] = {}
        for pair in self.reuse(kinds=list(reuse_kinds)):
            src, der = arts[pair.source_id].outlet, arts[pair.derived_id].outlet
            if src and der and src != der:
                copied_from[der] = copied_from.get(der, 0) + 1
                copied_by[src] = copied_by.get(src, 0) + 1
        days: dict[str, list[str]] = {}
        for o, day in [(a.outlet, a.published) for a in arts.values()] + \
                [(g.outlet, g.published) for g in self._t.sightings.values()]:
            if o and day:
                days.setdefault(o, []).append(day[:10])
        out = []
        for c in self.outlets():
            ds = days.get(c.outlet)
            out.append(OutletProfile(c.outlet, c.articles, min(ds) if ds else None, max(ds) if ds else None,
                                     copied_from.get(c.outlet, 0), copied_by.get(c.outlet, 0), c.sighted))
        return out

    def outlets(self) -> list[OutletCount]:
        counts: dict[str, list[int]] = {}
        for a in self._t.articles.values():
            if a.outlet:
                counts.setdefault(a.outlet, [0, 0])[0] += 1
        for g in self._t.sightings.values():
            if g.outlet:
                counts.setdefault(g.outlet, [0, 0])[1] += 1
        return [OutletCount(o, n, m) for o, (n, m) in sorted(counts.items(), key=lambda x: (-sum(x[1]), x[0]))]

    # --- per-article analysis ----------------------------------------------------------------
    def put_analyses(self, analyses: Sequence[Analysis], version: str) -> None:
        if not analyses:
            return
        stamp = now_precise()
        with self._writing(f"writing the analyses of {len(analyses)} articles"):
            self._log("analysis", [a.article_id for a in analyses])
            for analysis in analyses:
                self._require_article(analysis.article_id)
                self._t.analyses[analysis.article_id] = _Versioned(version, analysis, stamp)

    def analysis(self, article_id: str) -> Analysis | None:
        found = self._t.analyses.get(article_id)
        return found.value if found else None

    def analyses_of(self, article_ids: Sequence[str]) -> dict[str, Analysis]:
        return {aid: found.value for aid in dict.fromkeys(article_ids) if (found := self._t.analyses.get(aid))}

    def title_entities_of(self, article_ids: Sequence[str]) -> dict[str, tuple[Entity, ...]]:
        return {aid: found.value.title_entities for aid in dict.fromkeys(article_ids)
                if (found := self._t.analyses.get(aid)) is not None and found.value.title_entities}

    def unanalysed(self, version: str | None = None, *, limit: int | None = None,
                    among: Sequence[str] | None = None) -> list[str]:
        def done(aid: str) -> bool:
            found = self._t.analyses.get(aid)
            return found is not None and (version is None or found.version == version)

        return only_among([aid for aid in self._t.articles if not done(aid)], among, limit)

    def _analyses_in_order(self) -> list[Analysis]:
        return [self._t.analyses[aid].value for aid in self._t.articles if aid in self._t.analyses]

    def entities(self, type: str | None = None) -> list[ArticleEntity]:  # noqa: A002
        return [ArticleEntity(an.article_id, e) for an in self._analyses_in_order() for e in an.entities
                if type is None or e.type == type]

    def quotes(self, speaker: str | None = None, *, people: Sequence[str] = (), limit: int | None = None,
               offset: int = 0) -> list[Quote]:
        wanted = set(people)
        spoken = {member for member, pid in self._t.person_of.items() if pid in wanted}

        def kept(q: Quote) -> bool:
            if people and (q.article_id, q.speaker_id) in spoken:
                return True
            return (speaker is None and not people) or (speaker is not None
                                                        and speaker_key(q.speaker) == speaker_key(speaker))

        found = []
        for an in self._analyses_in_order():
            # Within an article: by position in the body, then in the analyzer's order.
            in_body = sorted(enumerate(an.quotes), key=lambda pq: (pq[1].start, pq[0]))
            found += [q for _, q in in_body if kept(q)]
        return _page(found, limit, offset)

    def analysis_state(self) -> AnalysisState:
        times = [a.at for a in self._t.analyses.values()]
        return AnalysisState(len(times), max(times) if times else None)

    # --- stories -----------------------------------------------------------------------------
    def put_stories(self, stories: Sequence[Story], members: Sequence[Membership],
                    removed: Sequence[str], version: str, updated_at: str,
                    checkpoint: StoryCheckpoint | None = None, merges: Sequence[StoryMerge] = ()) -> None:
        if not stories and not members and not removed and checkpoint is None and not merges:
            return
        with self._writing(f"writing {len(stories)} stories"):
            self._log("story", [*(s.id for s in stories), *(m.story_id for m in members), *removed])
            if checkpoint is not None:
                if not checkpoint.whole:
                    header = self._t.checkpoint.get(1)
                    check_base(checkpoint, None if header is None else header.token)
                self._t.checkpoint[1] = checkpoint._replace(parts=(), dropped=(), whole=True, base=None)
                parts = self._t.checkpoint_parts
                if checkpoint.whole:
                    parts.clear()
                for key in checkpoint.dropped:
                    parts.pop(key, None)
                parts.update((p.key, p) for p in checkpoint.parts)
            for story_id in removed:
                self._t.stories.pop(story_id, None)
                self._t.facts.pop(story_id, None)
            for m in members:
                self._require_article(m.article_id)
                old = self._t.members.get(m.article_id)
                if m.evidence is None and old is not None and old.value.evidence is not None:
                    m = m._replace(evidence=old.value.evidence)
                self._t.members[m.article_id] = _Versioned(version, m)
            for merge in merges:
                self._t.merges[merge.absorbed_id] = merge
            for story in stories:
                self._t.stories[story.id] = _Summary(dataclasses.replace(story, article_ids=()),
                                                     len(story.article_ids), updated_at)

    def story_members(self, version: str | None = None) -> list[Membership]:
        chosen = [m.value._replace(evidence=None) for m in self._t.members.values()
                  if version is None or m.version == version]
        return sorted(chosen, key=lambda m: m.seq)

    def member_evidence(self, article_ids: Sequence[str]) -> dict[str, str]:
        found = (self._t.members.get(a) for a in article_ids)
        return {m.value.article_id: m.value.evidence for m in found if m is not None and m.value.evidence is not None}

    def story_merge(self, absorbed_id: str) -> StoryMerge | None:
        return self._t.merges.get(absorbed_id)

    def story_merges_of(self, absorbed_ids: Sequence[str]) -> dict[str, StoryMerge]:
        return {a: m for a in absorbed_ids if (m := self._t.merges.get(a)) is not None}

    def clear_stories(self) -> None:
        with self._writing("clearing the stories"):
            self._t.members.clear()
            self._t.merges.clear()
            self._t.stories.clear()
            self._t.checkpoint.clear()
            self._t.checkpoint_parts.clear()
            self._t.facts.clear()

    def stories(self, *, limit: int | None = None, offset: int = 0, query: str | None = None,
                outlet: str | None = None, person: str | None = None, since: str | None = None,
                until: str | None = None) -> list[Story]:
        if query is not None and not _WORD.search(query):
            return []
        matching = {a.id for a in self.search(query)} if query is not None else None
        found = []
        for summary in self._t.stories.values():
            story = self._with_members(summary)
            members = [self._t.articles[a] for a in story.article_ids if a in self._t.articles]
            if since and not (story.last is not None and story.last >= since):
                continue
            # A stated date with a time of day still counts as that day.
            if until and not (story.first is not None and story.first <= until + "\U0010ffff"):
                continue
            if outlet and not any(self._from_outlet(a, outlet.strip().lower(), str.lower) for a in members):
                continue
            if person and not any(self._names_person(a.id, person.strip()) for a in members):
                continue
            if matching is not None and not any(a.id in matching for a in members):
                continue
            found.append((summary.size, story))
        # Largest first, then latest, undated last, then by id: stable sorts, last key first.
        found.sort(key=lambda x: x[1].id)
        found.sort(key=lambda x: x[1].last or "", reverse=True)
        found.sort(key=lambda x: (-x[0], x[1].last is None))
        return _page([story for _, story in found], limit, offset)

    def story_summaries(self, *, limit: int | None = None, offset: int = 0, query: str | None = None,
                        outlet: str | None = None, person: str | None = None, since: str | None = None,
                        until: str | None = None) -> list[StorySummary]:
        return [StorySummary.of(s) for s in self.stories(limit=limit, offset=offset, query=query, outlet=outlet,
                                                           person=person, since=since, until=until)]

    def _names_person(self, article_id: str, part: str) -> bool:
        found = self._t.analyses.get(article_id)
        return found is not None and any(
            e.type == "PERSON" and part.casefold() in e.name.casefold() for e in found.value.entities)

    def _with_members(self, summary: _Summary) -> Story:
        ids = tuple(m.article_id for m in self.story_members() if m.story_id == summary.story.id)
        facts = self._t.facts.get(summary.story.id)
        return dataclasses.replace(summary.story, article_ids=ids,
                                   coverage_first=facts.coverage_first if facts else None,
                                   coverage_last=facts.coverage_last if facts else None)

    def story(self, id_or_prefix: str) -> Story | None:
        wanted = id_or_prefix.strip().lower()
        found = sorted(sid for sid in self._t.stories if sid.startswith(wanted))
        if wanted in found:
            found = [wanted]
        if len(found) > 1:
            raise LookupError(f"story id prefix {id_or_prefix!r} matches more than one story")
        return self._with_members(self._t.stories[found[0]]) if found else None

    def story_of(self, article_id: str) -> str | None:
        found = self._t.members.get(article_id)
        return found.value.story_id if found else None

    # --- search and the store itself ---------------------------------------------------------
    def search(self, query: str, *, limit: int | None = None, offset: int = 0) -> list[Article]:
        words = [_stem(w) for w in _WORD.findall(query)]
        if not words:
            return []
        scored = []
        for seq, a in enumerate(self._t.articles.values()):
            title, body = _stems(a.title or ""), _stems(a.body)
            if all(w in title or w in body for w in words):
                scored.append((-sum(2 * title.count(w) + body.count(w) for w in words), seq, a))
        scored.sort(key=lambda x: x[:2])
        return [_listed(a) for _, _, a in _page(scored, limit, offset)]

    def schema_version(self) -> int:
        """0: a memory store has no schema and applies no migration."""
        return 0

    def close(self) -> None:
        """Nothing to release; the contents stay until the store is dropped."""


def _page(items: list, limit: int | None, offset: int) -> list:
    return items[offset:] if limit is None else items[offset : offset + limit]


def _listed(article: Article) -> Article:
    """An article as listings return it: without its raw input."""
    return dataclasses.replace(article, raw=None, raw_type=None)


def _storable_article(article: Article) -> Article:
    """The article as the SQL stores give it back: text made storable, fields required by their
    schema checked, and the time of storing filled in when the article has none."""
    for name in ("id", "content_hash", "source", "body"):
        if not isinstance(getattr(article, name), str):
            raise _Refused(f"article {article.id!r} has no {name}")
    texts = {f.name: storable(getattr(article, f.name)) for f in dataclasses.fields(article)
             if isinstance(getattr(article, f.name), str)}
    texts["ingested_at"] = texts.get("ingested_at") or now()
    return dataclasses.replace(article, **texts)
