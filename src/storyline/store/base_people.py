"""The Store protocol's methods for people across articles (link/people/: the ``people`` step,
its corrections, the people pages and lists). ``store/base.py``'s
:class:`~storyline.store.base.Store` inherits them (kept apart, as base_steps.py is, so that
neither file grows past a screenful of areas)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from storyline.records import Identity
from storyline.store.records import (
    MentionCounts,
    PersonRedirect,
    PersonSources,
    PersonSummary,
    PersonTallies,
    StoredPerson,
)


class PeopleRecords(Protocol):
    """People identities, their sources and the people step's bookkeeping (see
    :class:`~storyline.store.base.Store` for the rules every store follows)."""

    def people_due(self, version: str, *, limit: int | None = None,
                    among: Sequence[str] | None = None) -> list[str]:
        """Ids of analysed articles the people step has not done by ``version`` against their
        current analysis, in the order the articles were stored."""
        ...

    def put_people(self, persons: Sequence[StoredPerson], redirects: Sequence[PersonRedirect],
                   done: Sequence[str], version: str, updated_at: str,
                   surnames: Mapping[str, Sequence[str]] | None = None,
                   grown: Sequence[StoredPerson] = (), places: Mapping[str, Sequence[str]] | None = None) -> None:
        """In one transaction: replace ``persons`` (rows, members, alias and role sources, name
        keys; a person keeps its creation time), mark each redirect's old identity absorbed by
        its new one (or gone), drop what earlier runs assigned to the entities of ``done``,
        add to each stored person of ``grown`` its members, alias and role sources and keys (the
        ones it gains; its shown name, aliases, roles and merges replaced, its article count made
        anew; nothing else of it read or rewritten), replace the people (surname keys) each done
        article mentions with ``surnames[id]`` (none if absent) and record those articles as
        done by ``version`` against their current analysis. With ``places``, replace each done
        article's place words with ``places[id]`` (link/people/places.py); then mark out of the
        people lists every written identity, and every one under a place word whose count
        moved or a surname a written person goes by, whose ``place_key`` as many articles give
        as a place as it has articles while no other person goes by it as a surname (and clear
        the mark of the others). Re-running the same write changes nothing."""
        ...

    def mention_counts(self, keys: Sequence[str], excluding: Sequence[str] = ()) -> MentionCounts:
        """For each of ``keys``, how many done articles mention that surname key, and how many
        done articles mention anybody; the articles in ``excluding`` left out of both."""
        ...

    def people(self, *, limit: int | None = None, offset: int = 0) -> list[Identity]:
        """Stored identities, most articles first, then by name (then id)."""
        ...

    def person_summaries(self, *, keys: Sequence[str] | None = None, limit: int | None = None,
                         offset: int = 0) -> list[PersonSummary]:
        """Stored identities as lists show them, in the order of :meth:`people`, without reading
        a member: the people pages, the API's list and ``storyline people`` page through these.
        ``keys``: only those under one of these name keys (as :meth:`people_by_keys` finds them)."""
        ...

    def count_people(self) -> int:
        """How many identities :meth:`people` lists."""
        ...

    def place_people(self, *, limit: int | None = None, offset: int = 0) -> list[tuple[PersonSummary, int]]:
        """The identities the people lists leave out as places (link/people/places.py), each
        with the number of articles that name its word as a place, most articles first (then
        by name and id): what ``storyline people --places`` shows, so the rule can be checked."""
        ...

    def count_place_people(self) -> int:
        """How many identities :meth:`place_people` lists (a stored total, as for :meth:`count_people`)."""
        ...

    def people_named(self, part: str, *, limit: int = 20) -> list[PersonSummary]:
        """Up to ``limit`` live identities whose name or an alias contains ``part`` (case ignored;
        on SQLite, case folding covers ASCII letters only), most articles first, then by name:
        the header search's people, read without loading every identity."""
        ...

    def person(self, person_id: str, *, members: bool = True) -> Identity | None:
        """One identity by id; an absorbed id finds the identity that absorbed it. ``members``
        False leaves its members out (``()``): what a page shows of a person needs none."""
        ...

    def person_members(self, person_id: str, *, limit: int | None = None, offset: int = 0) -> list[tuple[str, str]]:
        """The members (article id, entity id) of the identity ``person_id`` (exact live id), in
        that order (as :meth:`person` gives them), a page at a time: a famous name's identity
        holds hundreds of thousands. Empty for an unknown or absorbed id."""
        ...

    def person_article_counts(self, ids: Sequence[str]) -> dict[str, int]:
        """How many articles each live identity of ``ids`` is named in, as the people step
        stored it (what lists show; absent: unknown or absorbed)."""
        ...

    def person_sources(self, person_id: str, *, articles: Sequence[str] | None = None) -> PersonSources | None:
        """Where the identity ``person_id`` (exact live id) got its members, aliases and roles,
        each in article then entity order; None for an unknown or absorbed id. With
        ``articles``, the members and aliases in those articles only (its roles all): a page
        shows a well-known person's latest articles, not their hundreds of thousands."""
        ...

    def person_tallies(self, person_id: str) -> PersonTallies | None:
        """How often the identity ``person_id`` (exact live id) goes by each alias (alias rows)
        and why its members joined it, counted in the store, most first, ties in text order;
        None for an unknown or absorbed id."""
        ...

    def people_of(self, article_ids: Sequence[str], whole_below: int | None = None) -> list[Identity]:
        """The identities with a member in any of ``article_ids``, by id. With ``whole_below``,
        an identity of that many members or more carries only its members in ``article_ids``."""
        ...

    def people_by_keys(self, keys: Sequence[str], whole_below: int | None = None,
                       among: Sequence[str] = ()) -> list[Identity]:
        """The identities indexed under any of the name ``keys``, by id (the blocking lookup).
        With ``whole_below``, an identity of that many members or more carries only its
        members in the articles ``among`` (a famous name's identity may hold hundreds of
        thousands; see :meth:`person_sizes`)."""
        ...

    def person_ids_by_keys(self, keys: Sequence[str]) -> set[str]:
        """The ids of the identities :meth:`people_by_keys` finds, without reading them."""
        ...

    def people_by_ids(self, ids: Sequence[str]) -> list[Identity]:
        """The live identities among ``ids``, whole, by id (an absorbed id is not followed:
        :meth:`person` does that)."""
        ...

    def person_sizes(self, ids: Sequence[str]) -> dict[str, int]:
        """How many members each of ``ids`` holds (absent: none, or no such identity)."""
        ...

    def known_person_ids(self, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` were ever given to an identity (live, absorbed or gone)."""
        ...

    # --- the people step's sharded run (link/people/sharded.py) -------------------------------

    def put_surnames(self, articles: Sequence[str], surnames: Mapping[str, Sequence[str]],
                     places: Mapping[str, Sequence[str]] | None = None) -> None:
        """In one transaction: replace the people (surname keys) each of ``articles`` mentions
        with ``surnames[id]`` (none if absent), as :meth:`put_people` does for its done
        articles, moving the count of articles that mention anybody (:meth:`mention_counts`);
        with ``places``, their place words too, as :meth:`put_people` does."""
        ...

    def people_done_among(self, article_ids: Sequence[str]) -> set[str]:
        """Which of ``article_ids`` the people step has done before, by any version."""
        ...

    def assigned_members(self, members: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which of ``members`` ((article id, entity id)) an identity holds."""
        ...

    def person_ids_by_key(self, keys: Sequence[str]) -> dict[str, set[str]]:
        """For each of the name ``keys`` that has any, the ids of the live identities under it
        (:meth:`person_ids_by_keys`, key by key)."""
        ...

    def mark_people_done(self, article_ids: Sequence[str], version: str) -> None:
        """In one transaction: record ``article_ids`` as done by ``version`` against their
        current analysis (their people written already, shard by shard)."""
        ...
