"""Merging two people and splitting one: stored as constraints (link/people/corrected.py) and
applied now by running the people step over the articles concerned, the code a relink runs."""

from __future__ import annotations

from collections.abc import Sequence

from storyline.link.corrections.common import CorrectionError, record, who_and_why
from storyline.link.people import corrected
from storyline.link.people.incremental import assign_people, keep_ids
from storyline.records import Identity
from storyline.store import Store
from storyline.store.records import Correction


def merge_people(store: Store, keep_id: str, other_id: str, *, author: str | None,
                 reason: str | None) -> Correction:
    """``other_id`` is the same person as ``keep_id``: one identity from now on, shown under
    the name of ``keep_id`` (the other id finds it too)."""
    who_and_why(author, reason)  # a missing reason is said first, before any lookup
    keep, other = _person(store, keep_id), _person(store, other_id)
    if keep.id == other.id:
        raise CorrectionError(f"{keep_id} and {other_id} are one person already ({keep.name}, {keep.id})")
    entities = _named_entities(store, [*keep.members, *other.members])
    payload = {"keep": [entities[m] for m in keep.members], "join": [entities[m] for m in other.members],
               "keep_name": keep.name, "join_name": other.name}
    c = record(store, corrected.MERGE, (keep.id, other.id), payload, _keys(keep.members, other.members),
               author, reason)
    _relink(store, min(keep.members, other.members, key=len))
    keep_ids(store, [(keep.members, keep.id)])  # the person merged into keeps its id
    # A story names its people as the stored persons: those naming the absorbed one are built
    # again (under the kept name; the absorbed id would redirect, its name would stay).
    _stale_stories(store, other.members)
    return c


def split_person(store: Store, person_id: str, *, names: Sequence[str] = (), articles: Sequence[str] = (),
                 name: str | None = None, author: str | None, reason: str | None) -> Correction:
    """Some of a person's mentions are somebody else: those under one of ``names`` (the name
    as the article writes it, case ignored) or in one of ``articles`` (ids or unique prefixes)
    become a person of their own, shown as ``name`` (by default the first of ``names``, or the
    most used name among them)."""
    who_and_why(author, reason)  # a missing reason is said first, before any lookup
    person = _person(store, person_id)
    entities = _named_entities(store, person.members)
    wanted_names = {n.strip().casefold() for n in names if n.strip()}
    wanted_articles = {_article_id(store, a) for a in articles if a.strip()}
    if not wanted_names and not wanted_articles:
        raise CorrectionError("say which mentions to split off: a name (--name-used) or an article (--article)")
    apart = [m for m in person.members
             if m[0] in wanted_articles or entities[m][2].casefold() in wanted_names]
    if not apart:
        raise CorrectionError(f"{person.name} ({person.id}) has no mention "
                              f"{'named ' + ', '.join(sorted(wanted_names)) if wanted_names else ''}"
                              f"{' in ' + ', '.join(sorted(wanted_articles)) if wanted_articles else ''}")
    rest = [m for m in person.members if m not in apart]
    if not rest:
        raise CorrectionError(f"every mention of {person.name} ({person.id}) would be split off: nothing left apart")
    shown = (name or "").strip() or next((n for n in names if n.strip()), "") or _most_used(apart, entities)
    payload = {"apart": [entities[m] for m in apart], "rest": [entities[m] for m in rest], "name": shown.strip(),
               "from_name": person.name}
    c = record(store, corrected.SPLIT, (person.id,), payload, _keys(apart, rest), author, reason)
    _relink(store, apart)
    # The rest keeps the person's id (the people step gives it to the part with the oldest
    # member, which may be the one split off): the stories naming the rest then stay right.
    # Asked of one of its articles first: keep_ids reads every identity of the rest's articles.
    if not any(rest[0] in i.members and i.id == person.id for i in store.people_of([rest[0][0]], whole_below=0)):
        keep_ids(store, [(rest, person.id)])
    return c


def reapply(store: Store, c: Correction) -> None:
    """After an undo: the people step over the articles the correction named, without it."""
    entries = corrected.named(c)
    _relink(store, [(a, e) for a, e, _ in entries])
    if c.kind == corrected.MERGE:  # each person gets its own id back
        groups = [[(str(a), str(e)) for a, e, *_ in c.payload.get(g, ())] for g in ("keep", "join")]
        keep_ids(store, list(zip(groups, c.targets)))


def _relink(store: Store, members: Sequence[tuple[str, str]]) -> None:
    """The people step over the articles of ``members``, and their stories' facts marked stale
    (a story's people honour the corrections)."""
    articles = sorted({a for a, _ in members})
    for start in range(0, len(articles), 50):
        done = assign_people(store, articles[start:start + 50])
        if done.problems:
            raise CorrectionError(f"the correction is stored, but the people of {len(done.problems)} articles could "
                                  f"not be assigned again ({done.problems[0].reason}); `storyline relink` will")
    _stale_stories(store, members)


def _stale_stories(store: Store, members: Sequence[tuple[str, str]]) -> None:
    """Drop the facts of the stories of ``members``' articles: the next link builds them again
    (a story's people honour the corrections)."""
    articles = sorted({a for a, _ in members})
    stories = sorted({m.story_id for m in store.memberships_of(articles)})
    store.put_story_facts([], removed=stories)


def _person(store: Store, person_id: str) -> Identity:
    found = store.person((person_id or "").strip())
    if found is None:
        raise CorrectionError(f"no person {person_id!r} (see `storyline people`)")
    return found


def _article_id(store: Store, id_or_prefix: str) -> str:
    try:
        found = store.article(id_or_prefix)
    except LookupError as exc:
        raise CorrectionError(str(exc)) from None
    if found is None:
        raise CorrectionError(f"no article {id_or_prefix!r}")
    return found.id


def _named_entities(store: Store, members: Sequence[tuple[str, str]]) -> dict[tuple[str, str], list[str]]:
    """Each member as a correction names it: [article id, entity id, name as written]."""
    wanted = set(members)
    names = {(f.article_id, f.entity.id): f.entity.name.strip()
             for f in store.entities_of(sorted({a for a, _ in wanted}), "PERSON") if (f.article_id, f.entity.id) in wanted}
    return {m: [m[0], m[1], names.get(m, "")] for m in members}


def _most_used(members: Sequence[tuple[str, str]], entities: dict[tuple[str, str], list[str]]) -> str:
    counts: dict[str, int] = {}
    for m in members:
        counts[entities[m][2]] = counts.get(entities[m][2], 0) + 1
    return min(counts, key=lambda n: (-counts[n], n)) if counts else ""


def _keys(*groups: Sequence[tuple[str, str]]) -> list[str]:
    return [corrected.people_key(a) for a in sorted({a for g in groups for a, _ in g})]
