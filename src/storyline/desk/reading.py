"""The Desk's reads: articles, search, people, quotes, reuse, stories and outlets, from what
the store holds (a story's facts are built first only when missing or stale)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from storyline.records import Analysis, Article, Identity, Link, Quote, ReusePair, Sighting, Story
from storyline.store.records import ArticleEntity, OutletCount, OutletDetail, OutletProfile, PersonSummary, SearchHit, StorySummary

# The kinds of compared pair that are reuse (the others are independent reports).
REUSE_KINDS = ("duplicate", "syndicated", "rewrite", "partial")
# Merged-away story ids followed at most this far (a chain longer than this is a broken store).
MAX_MERGE_CHAIN = 100


class Reading:
    """Desk methods that read (mixed into :class:`storyline.desk.Desk`)."""

    # --- queries ---------------------------------------------------------------------------
    def articles(self, *, limit: int | None = None, offset: int = 0, outlet: str | None = None,
                 since: str | None = None, until: str | None = None, story: str | None = None,
                 person: str | None = None) -> list[Article]:
        """Stored articles in the order first ingested (bodies included, raw input not); the
        filters keep those from ``outlet`` (case ignored), stated as published within
        ``since``..``until`` (ISO days), in ``story`` (id or unique prefix; LookupError when
        there is none) and naming a person whose name contains ``person``."""
        return self.store.articles(limit=limit, offset=offset, outlet=outlet, since=since, until=until,
                                   story_id=self._story_id(story), person=person)

    def article_count(self, *, outlet: str | None = None, since: str | None = None, until: str | None = None,
                      story: str | None = None, person: str | None = None) -> int:
        """How many articles :meth:`articles` lists with these filters."""
        return self.store.count(outlet=outlet, since=since, until=until, story_id=self._story_id(story),
                                person=person)

    def _story_id(self, story: str | None) -> str | None:
        if not story:
            return None
        found = self.store.story(story)
        if found is None:
            raise LookupError(f"no story {story!r}")
        return found.id

    def article(self, id_or_prefix: str) -> Article | None:
        """One article with its raw input, by id or unique id prefix."""
        return self.store.article(id_or_prefix)

    def sightings(self, article_id: str) -> list[Sighting]:
        """The other places an article's text was seen (the same text from another URL or,
        without URL, another outlet), first seen first; by exact id."""
        return self.store.sightings([article_id]).get(article_id, [])

    def sightings_of(self, article_ids: Sequence[str]) -> dict[str, list[Sighting]]:
        """:meth:`sightings` of many articles in one read (ids without any left out)."""
        return self.store.sightings(list(article_ids))

    def search(self, query: str, *, limit: int | None = None, offset: int = 0) -> list[Article]:
        """Stored articles whose title or body holds every word of ``query`` (full text, case
        ignored, words stemmed), best match first (bodies included, raw input not)."""
        return self.store.search(query, limit=limit, offset=offset)

    def search_hits(self, query: str, *, outlet: str | None = None, since: str | None = None,
                    person: str | None = None, story: str | None = None, limit: int = 20,
                    offset: int = 0) -> list[SearchHit]:
        """Ranked articles holding every word of ``query``, each with a snippet whose matched
        words are marked (see :meth:`Store.search_hits`); ``story`` is a story id or unique
        prefix (LookupError when there is no such story)."""
        return self.store.search_hits(query, outlet=outlet, since=since, person=person,
                                      story_id=self._story_id(story), limit=limit, offset=offset)

    def search_count(self, query: str, *, outlet: str | None = None, since: str | None = None,
                     person: str | None = None, story: str | None = None) -> int:
        """How many articles :meth:`search_hits` finds with these filters (its pages' total)."""
        return self.store.count_hits(query, outlet=outlet, since=since, person=person,
                                     story_id=self._story_id(story))

    def links(self) -> list[Link]:
        """Link-only feed entries recorded so far."""
        return self.store.links()

    def analysis(self, id_or_prefix: str) -> Analysis | None:
        """The stored analysis of one article (id or unique id prefix), None if not analysed."""
        article = self.store.article(id_or_prefix)
        return self.store.analysis(article.id) if article else None

    def entities(self, type: str | None = None) -> list[ArticleEntity]:  # noqa: A002
        """Every stored entity with its article id, of one type ("PERSON", "ORG", "PLACE") if given."""
        return self.store.entities(type)

    def people(self, *, limit: int | None = None, offset: int = 0) -> list[Identity]:
        """The people named across the stored articles: each stored PERSON entity merged with
        the others that mean the same person (approximate: see
        :func:`storyline.link.people.merge_people`), with every member. Those in most articles
        come first (then by name and id), ``limit`` of them from ``offset``. Reads the stored
        identities, after assigning the people of articles not done yet
        (link/people/incremental.py)."""
        self.link(["people"])
        return self.store.people(limit=limit, offset=offset)

    def person_summaries(self, *, limit: int | None = None, offset: int = 0) -> list[PersonSummary]:
        """:meth:`people` as lists show them (no members: a page of stored rows), after the same
        assignment; :meth:`count_people` says how many there are in all."""
        self.link(["people"])
        return self.store.person_summaries(limit=limit, offset=offset)

    def count_people(self) -> int:
        """How many people :meth:`people` lists (stored identities; nothing is assigned)."""
        return self.store.count_people()

    def place_people(self, *, limit: int | None = None, offset: int = 0) -> list[tuple[PersonSummary, int]]:
        """The identities :meth:`people` leaves out as places the model tagged people, each with
        the number of articles naming its word as a place (link/people/places.py), after the
        same assignment."""
        self.link(["people"])
        return self.store.place_people(limit=limit, offset=offset)

    def count_place_people(self) -> int:
        """How many names :meth:`place_people` lists (stored; nothing is assigned)."""
        return self.store.count_place_people()

    def quotes(self, speaker: str | None = None, *, limit: int | None = None, offset: int = 0) -> list[Quote]:
        """Stored quotes in article order (then by position in the body); ``speaker`` keeps
        those of the person it names (full name, surname, alias or person id: see
        :mod:`storyline.link.people.lookup`) and those whose speaker is written exactly so (case
        ignored)."""
        if speaker is None:
            return self.store.quotes(None, limit=limit, offset=offset)
        return self.store.quotes(speaker, people=self._speakers(speaker), limit=limit, offset=offset)

    def quote_count(self, speaker: str | None = None) -> int:
        """How many quotes :meth:`quotes` lists for ``speaker`` (all with None)."""
        if speaker is None:
            return self.store.count_quotes()
        return self.store.count_quotes(speaker, people=self._speakers(speaker))

    def quote_page(self, speaker: str | None = None, *, limit: int, offset: int = 0) -> tuple[list[Quote], int]:
        """:meth:`quotes` and :meth:`quote_count` together, the speaker looked up once."""
        people = self._speakers(speaker) if speaker is not None else ()
        return (self.store.quotes(speaker, people=people, limit=limit, offset=offset),
                self.store.count_quotes(speaker, people=people))

    def _speakers(self, speaker: str) -> list[str]:
        """The ids of the people ``speaker`` names, after assigning the people of new articles.
        Their quotes are then a page of stored rows (through the identities' members), not a
        read of every analysis a famous speaker is in."""
        from storyline.link.people.lookup import find_people

        self.link(["people"])
        return [p.id for p in find_people(self.store, speaker)]

    def reuse(self, *, all: bool = False, article: str | None = None,  # noqa: A002
              limit: int | None = None, offset: int = 0) -> list[ReusePair]:
        """Compared pairs judged reuse (every compared pair with ``all``), most covered first;
        ``article`` (id or prefix) keeps the pairs involving it; ``limit``/``offset`` page
        them (read and decoded a page at a time)."""
        kinds, aid = self._reuse_filter(all, article)
        return self.store.reuse(kinds=kinds, article_id=aid, limit=limit, offset=offset)

    def reuse_count(self, *, all: bool = False, article: str | None = None) -> int:  # noqa: A002
        """How many pairs :meth:`reuse` lists with these filters."""
        kinds, aid = self._reuse_filter(all, article)
        return self.store.count_reuse(kinds=kinds, article_id=aid)

    def _reuse_filter(self, all_: bool, article: str | None) -> tuple[list[str] | None, str | None]:
        aid = None
        if article is not None:
            found = self.store.article(article)
            if found is None:
                raise LookupError(f"no article {article!r}")
            aid = found.id
        return (None if all_ else list(REUSE_KINDS)), aid

    def stories(self, *, limit: int | None = None, offset: int = 0, query: str | None = None,
                outlet: str | None = None, person: str | None = None, since: str | None = None,
                until: str | None = None) -> list[Story]:
        """Stored stories, largest first: id, label, article ids and date span. Filters: a
        member article holds every word of ``query`` (full text) or comes from ``outlet``
        (exact name, case ignored), a member names a person whose name contains ``person``,
        and the story's stated dates reach ``since``/``until`` (ISO dates)."""
        return self.store.stories(limit=limit, offset=offset, query=query, outlet=outlet, person=person,
                                  since=since, until=until)

    def story_summaries(self, *, limit: int | None = None, offset: int = 0, query: str | None = None,
                        outlet: str | None = None, person: str | None = None, since: str | None = None,
                        until: str | None = None) -> list[StorySummary]:
        """:meth:`stories` with each story's article count instead of its article ids: what lists
        show (a big story's ids are thousands of rows)."""
        return self.store.story_summaries(limit=limit, offset=offset, query=query, outlet=outlet, person=person,
                                          since=since, until=until)

    def story_count(self, *, query: str | None = None, outlet: str | None = None, person: str | None = None,
                    since: str | None = None, until: str | None = None) -> int:
        """How many stories :meth:`stories` lists with these filters."""
        return self.store.count_stories(query=query, outlet=outlet, person=person, since=since, until=until)

    def outlets(self) -> list[OutletCount]:
        """Every named outlet with its article count and sightings (stored texts it also ran),
        most of both first."""
        return self.store.outlets()

    def outlet_profiles(self) -> list[OutletProfile]:
        """Every named outlet with its article count, sightings, first and last stated
        publication day, and reuse across outlets (its articles copying others', others'
        copying its own)."""
        return self.store.outlet_profiles(REUSE_KINDS)

    def outlet(self, name: str, *, stories: int = 50, latest: int = 20) -> OutletDetail | None:
        """One outlet by its canonical name (exact), None when neither an article nor a
        sighting names it: articles
        per stated publication day, reuse with each other outlet in both directions (who it
        copies, who copies it), the stories it covered (latest first, at most ``stories``) with
        its first day there and its rank among the story's outlets, its ``latest`` articles and
        its latest sightings (``sighted_latest``). Aggregated by the store from stored facts."""
        return self.store.outlet_detail(name, REUSE_KINDS, stories=stories, latest=latest)

    def story(self, id_or_prefix: str):
        """Everything about one story (id or unique prefix): its articles with stated or
        inferred dates, events and timeline, people with roles, quotes by speaker, reuse pairs
        and cross-source findings (a :class:`storyline.link.stories.facts.StoryReport`).
        Read from the stored facts; facts missing or stale (linking interrupted) are built and
        stored first. Raises LookupError when there is no such story."""
        from storyline.link.stories.fact_steps import story_report

        story = self.store.story(id_or_prefix)
        absorbed = []
        wanted = id_or_prefix.strip().lower()
        while story is None and len(absorbed) < MAX_MERGE_CHAIN:  # a merged-away id resolves
            merge = self.store.story_merge(wanted)
            if merge is None:
                break
            absorbed.append(merge)
            wanted = merge.story_id
            story = self.store.story(wanted)
        if story is None:
            raise LookupError(f"no story {id_or_prefix!r}")
        report = story_report(self.store, story)
        report.why = {aid: why for aid, e in self.store.member_evidence(list(story.article_ids)).items()
                      if isinstance(why := _json_object(e), dict)}
        # A founder other than the story's own started a story merged into it later (a story's
        # key is its founder's id): how that story joined, in one read; "via" when it joined
        # another that this one absorbed in turn.
        founders = [aid for aid, why in report.why.items() if why.get("kind") == "founded" and aid != story.id]
        merges = self.store.story_merges_of(founders) if founders else {}
        for aid in founders:
            merge = merges.get(aid)
            evidence = _json_object(merge.evidence) if merge is not None else None
            report.merged[aid] = {**(evidence if isinstance(evidence, dict) else {}),
                                  **({"via": merge.story_id} if merge is not None and merge.story_id != story.id else {})}
        report.sightings = self.store.sightings(list(story.article_ids))
        for merge in absorbed:
            report.notes.insert(0, f"story {merge.absorbed_id} was merged into {merge.story_id} on {merge.merged_at[:10]}")
        return report

    def diff(self, a: str, b: str) -> tuple[Article, Article, ReusePair]:
        """Compare any two stored articles now (ids or prefixes): (source, derived, pair) with
        the aligned sentences and the changes, whatever the kind. Articles not yet analysed are
        analysed for the comparison (not stored)."""
        from storyline.link.reuse.compare import compare

        found = []
        for ref in (a, b):
            article = self.store.article(ref)
            if article is None:
                raise LookupError(f"no article {ref!r}")
            found.append(article)
        analyses = [self.store.analysis(x.id) for x in found]
        missing = [x for x, an in zip(found, analyses) if an is None]
        if missing:
            fresh = self.analysing.fresh(missing)
            analyses = [an or fresh.get(x.id) for x, an in zip(found, analyses)]
        pair = compare(found[0], found[1], analyses[0], analyses[1], always=True)
        by_id = {x.id: x for x in found}
        return by_id[pair.source_id], by_id[pair.derived_id], pair


def _json_object(text: str | None):
    """Stored JSON evidence, or None when it does not parse (written by another version)."""
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None
