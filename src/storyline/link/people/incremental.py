"""People, kept and grown incrementally: the ``people`` step assigns each new article's PERSON
entities to stored identities, reading only what their names can reach.

For a batch of articles the step
1. computes the name keys of the batch's PERSON entities (:func:`name_keys`: the folded full
   name and the blocking keys of the passes in ``full_names`` and ``partial_names``: surname
   skeleton, surname letters sorted, first name + surname start);
2. fetches, through the store's name-key index, the stored identities under those keys, plus
   those already holding an entity of the batch (a re-analysed article);
3. re-merges that neighbourhood (the identities' members and the batch's entities) with
   :func:`merge_people` itself, the other people of the same articles counting as co-mentions;
   then applies the corrections made by hand that touch it (link/people/corrected.py);
4. gives the resulting identities ids (:func:`_assign_ids`) and writes them, with the batch
   marked done, in one transaction (``Store.put_people``).

Ids. A new identity is "p" + the first 12 hex digits of SHA-256 of "article_id/entity_id" of its
first member (article order), made unique against every id ever given. An identity that grows
keeps its id. When a re-merge joins several stored identities, the result keeps the id of the
oldest (whose first member's article was stored first) and the others are recorded as merged
into it (``Store.person`` follows that). When a re-merge splits one (a surname that has become
ambiguous), the part holding its oldest member keeps the id.

Co-mention evidence needs to know how often each person is mentioned in the whole corpus
(chance is judged against it): the store keeps, per done article, the people (surname keys) it
mentions and a running total of such articles, so those counts are indexed lookups
(``Store.mention_counts``) rather than a pass over the corpus.

Parity with :func:`merge_people` over every entity. The neighbourhood sees every name that
could be compared with the batch's, with the same co-mentions and corpus counts, so equal and
near-equal names and partial names join as in the batch merge whatever order the articles come
in. What can differ: a neighbourhood is re-merged only when a batch touches it, so a decision
that rests on co-mention counts or on names two key hops away stays as it was when the
neighbourhood was last touched, while the corpus has grown since. tests/link/
test_people_incremental.py checks the result is identical on the demo corpus and the seeds, on
the merge cases of tests/link/test_people.py in shuffled orders, and on a synthetic corpus.
The cost per article is the size of its names' neighbourhoods, not of the store: only names not
attached to a big identity reach a neighbourhood, and it is cut at NEIGHBOURHOOD_MEMBERS members
(identities a name reaches by its exact or first-name key first, then those with a full name;
:func:`_bounded`). Below that bound, parity holds as above; past it (a surname shared by hundreds
of one-mention identities), the identities left out keep their last decision. A big identity
(GROWN_MEMBERS or more) is read with its members in the batch's articles only and its size
(``Store.person_sizes``): it is grown, not re-merged, so the rest of it is never needed, and a
famous name's identity no longer costs each batch a read of all its members (at 10k synthetic
articles the biggest held 3,700). So a correction is found through the batch's articles and the
small identities around them, not through a big identity's other articles: one found touching
a big identity re-merges it in full, as before.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from storyline.link.people import corrected
from storyline.link.people.fragments import absorb, fragments_of
from storyline.link.people.given_names import given_pair
from storyline.link.people.identities import merge_people
from storyline.link.people.mentions import CorpusCounts
from storyline.link.people.names import PersonName, best_person_name, opening_pair, parse_person_name, prominent
from storyline.link.people.places import place_key, place_words
from storyline.link.people.roles import grown_roles
from storyline.link.people.tuning import GROWN_MEMBERS, NEIGHBOURHOOD_MEMBERS
from storyline.records import Entity, Identity, Problem
from storyline.store import Store
from storyline.store.base import now
from storyline.store.records import ArticleEntity, PersonAlias, PersonMember, PersonRedirect, PersonRole, StoredPerson

PEOPLE_VERSION = "people-5"  # 5: two given names join the fuller name (given_names.py); 4: place words and place keys (link/people/places.py); 3: names lose swallowed words
PEOPLE_SOURCE = "people"  # the source named by a Problem of this step
ID_HEX = 12


@dataclass(slots=True)
class PeopleBatch:
    """What one batch did: articles done, counters, and the articles it could not do."""

    done: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def people_due(store: Store) -> list[str]:
    """Analysed articles whose PERSON entities are not assigned by PEOPLE_VERSION, in article order."""
    return store.people_due(PEOPLE_VERSION)


class NameCache:
    """Parsed names of one batch: the same names come back many times (the batch's, the
    neighbourhood's, co-mentioned people), and parsing is the step's main cost."""

    def __init__(self) -> None:
        self._parsed: dict[tuple[str, tuple[str, ...]], PersonName | None] = {}
        self._texts: dict[str, PersonName | None] = {}

    def __call__(self, entity: Entity) -> PersonName | None:
        key = (entity.name, entity.aliases)
        if key not in self._parsed:
            self._parsed[key] = best_person_name(entity, self.text)
        return self._parsed[key]

    def size(self) -> int:
        """Names held (a long-lived cache is dropped past a bound by its owner)."""
        return len(self._parsed) + len(self._texts)

    def text(self, text: str) -> PersonName | None:
        """:func:`parse_person_name` of one name or alias (an entity's aliases vary more than
        its names: 37k parses of 16k entities at 10k articles)."""
        if text not in self._texts:
            self._texts[text] = parse_person_name(text)
        return self._texts[text]


def name_keys(entity: Entity, parse: Callable[[Entity], PersonName | None] = best_person_name) -> tuple[str, ...]:
    """The keys a PERSON entity is indexed and looked up by: every key under which one of the
    merge passes could compare it with another name. None for a name that does not parse
    (merge_people leaves those alone)."""
    name = parse(entity)
    if name is None or not name.surname_key:
        return ()
    keys = [f"surname:{name.surname_key}", "letters:" + "".join(sorted(name.surname_key))]
    if name.kind == "full":
        keys += [f"name:{name.key}", f"first:{name.first_key}:{name.surname_key[:3]}"]
    # Two given names alone and the full names opening with them meet here (given_names.py).
    keys += [f"given:{pair[0]}:{pair[1]}" for pair in (given_pair(name), opening_pair(name)) if pair]
    return tuple(keys)


def assign_people(store: Store, article_ids: Sequence[str]) -> PeopleBatch:
    """The people step over one batch of article ids (see the module docstring)."""
    return _assign(store, list(dict.fromkeys(article_ids)), None)


def assign_members(store: Store, members: Sequence[tuple[str, str]], parse: NameCache | None = None) -> PeopleBatch:
    """One batch of a sharded run (link/people/sharded.py): the PERSON entities ``members``
    ((article id, entity id), in the run's order) assigned as :func:`assign_people` assigns an
    article's, except that their articles' other people are company (another shard assigns
    them), the corpus counts are read as stored (the run wrote every article's surnames
    first), and nothing is marked done (the run does that when every shard is). ``done``
    counts the articles of the batch; ``problems`` name the articles that failed. ``parse``: a
    shard's name cache, kept from batch to batch (a shard's batches read the same names)."""
    chosen: dict[str, set[str]] = defaultdict(set)
    for aid, eid in members:
        chosen[aid].add(eid)
    return _assign(store, list(chosen), chosen, parse)


def _assign(store: Store, article_ids: list[str], chosen: dict[str, set[str]] | None,
            parse: NameCache | None = None) -> PeopleBatch:
    out = PeopleBatch()
    parse = parse or NameCache()
    by_article: dict[str, list[ArticleEntity]] = defaultdict(list)
    others: list[ArticleEntity] = []  # the batch articles' people that another batch assigns
    for found in store.entities_of(article_ids, "PERSON", mentions=False):
        if chosen is None or found.entity.id in chosen.get(found.article_id, ()):
            by_article[found.article_id].append(found)
        else:
            others.append(found)
    batch: list[ArticleEntity] = []
    keys: set[str] = set()
    done: list[str] = []
    for aid in article_ids:
        try:
            keys |= {k for found in by_article[aid] for k in name_keys(found.entity, parse)}
        except Exception as exc:  # one bad name must not stop the batch
            out.problems.append(Problem(PEOPLE_SOURCE, f"people of article {aid} not assigned "
                                        f"({type(exc).__name__}: {exc})", aid))
            continue
        batch += by_article[aid]
        done.append(aid)
    if not done:
        return out
    try:
        persons, redirects, grown = _remerge(store, done, batch, keys, parse,
                                             None if chosen is None else [f for f in others if f.article_id in done])
    except Exception as exc:
        if len(done) == 1:
            out.problems.append(Problem(PEOPLE_SOURCE, f"people of article {done[0]} not assigned "
                                        f"({type(exc).__name__}: {exc})", done[0]))
            return out
        # Find the article at fault: each alone, so that the others are still done.
        for aid in done:
            alone = _assign(store, [aid], None if chosen is None else {aid: chosen[aid]}, parse)
            out.done += alone.done
            out.problems += alone.problems
        return out
    if chosen is None:
        store.put_people(persons, redirects, done, PEOPLE_VERSION, now(), surnames=mentioned_surnames(batch, parse),
                         grown=grown, places=places_of(store, done))
    else:
        store.put_people(persons, redirects, [], PEOPLE_VERSION, now(), grown=grown)
    out.done = len(done)
    out.counts = {"people written": len(persons), "people merged away": sum(r.new_id is not None for r in redirects),
                  "people grown": len(grown)}
    return out


def _remerge(store: Store, done: list[str], batch: list[ArticleEntity], keys: set[str], parse: NameCache,
             others: list[ArticleEntity] | None = None) -> tuple[list[StoredPerson], list[PersonRedirect], list[StoredPerson]]:
    # ``others``: for a batch of a sharded run, the batch articles' people it does not assign.
    # They are company only, and the identities holding them are not reached through their
    # articles (they belong to another shard, which may be writing them now).
    sharded = others is not None
    # Every identity the batch's names reach, or holding its articles, first with its members
    # in the batch's articles only: the names and sizes decide which ones are re-merged, and
    # only those are read whole (below). A big one (a famous name's may hold hundreds of
    # thousands of members) is grown, never re-merged, unless a correction touches it.
    reached = {i.id: i for i in store.people_by_keys(sorted(keys), 0, done) + ([] if sharded else store.people_of(done, 0))}
    sizes = store.person_sizes(sorted(reached))
    partial = {pid for pid in reached if sizes.get(pid, 0) >= GROWN_MEMBERS}
    # Corrections made by hand (link/people/corrected.py) reach further and win over the merge.
    corrections = corrected.reach(store, reached, done, partial)
    sizes.update(store.person_sizes(sorted(set(reached) - set(sizes))))
    touched = corrected.touched_ids(store, corrections, reached, partial)
    big = {pid: i for pid, i in reached.items() if pid in partial and pid not in touched}
    in_batch = set(done)
    # Those holding the batch's articles or touched by a correction are always re-merged.
    must = {pid for pid, i in reached.items() if any(a in in_batch for a, _ in i.members) or pid in touched}
    fragments = fragments_of(reached, big, must, sizes, parse.text)
    big = {pid: i for pid, i in big.items() if pid not in fragments}
    attached, rest = _attach_to_big({pid: i for pid, i in reached.items() if pid not in fragments}, big, batch,
                                    parse, sizes)
    # The small identities to re-merge: those the names not attached to a big one reach (a name
    # that joined a big identity compares with nobody), bounded (tuning.NEIGHBOURHOOD_MEMBERS).
    rest_keys = {k for f in rest for k in name_keys(f.entity, parse)}
    if rest_keys != keys:
        by_rest = store.person_ids_by_keys(sorted(rest_keys)) if rest_keys else set()
        by_rest |= must
    else:
        by_rest = set(reached)
    kept = {pid for pid in reached if pid not in big and pid not in fragments and pid in by_rest}
    if sum(sizes.get(pid, 0) for pid in kept) > NEIGHBOURHOOD_MEMBERS:
        exact = {k for k in rest_keys if k.startswith(("name:", "first:"))}
        near = store.person_ids_by_keys(sorted(exact)) if exact else set()
        # Those carrying a batch name's exact full name are never cut: merge_people joins equal
        # full names outright, so one left out stays a piece of that person for good (at the
        # 10k benchmark base "Ben Carson" was 23 identities of 9-49 members). Once joined they
        # are one identity, soon a big one, so the cost is paid once.
        full = {k for k in exact if k.startswith("name:")}
        same = (store.person_ids_by_keys(sorted(full)) & kept) if full else set()
        kept = _bounded({pid: reached[pid] for pid in kept}, sizes, must | same, near, parse)
    small = {i.id: i for i in store.people_by_ids(sorted(kept))}
    # A big identity is written when it gains members (the batch's, or a fragment's), or loses
    # those of re-analysed articles.
    gained, gained_entities, absorbed = absorb(store, fragments, attached)
    grown = [_stored(pid, big[pid], gained_entities, parse, gained=gained.get(pid, []))
             for pid in sorted(big) if pid in gained or any(a in in_batch for a, _ in big[pid].members)]
    held = {member: pid for pid, identity in small.items() for member in identity.members}
    around = sorted({aid for aid, _ in held if aid not in in_batch})
    # In article order: the neighbourhood's entities first, then the batch's (stored later).
    context = [f for f in store.entities_of(around, "PERSON", mentions=False)] + (others or []) + rest
    # Merged: the neighbourhood's members and the batch's mentions not attached to a big one
    # (``others``, the batch articles' mentions another shard assigns, are company only).
    mine = {(f.article_id, f.entity.id) for f in rest}
    merged = [f for f in context if (f.article_id, f.entity.id) in held or (f.article_id, f.entity.id) in mine]
    chosen = {(f.article_id, f.entity.id) for f in merged}
    # Those that joined a big identity still count as people co-mentioned in their articles.
    company = [(f.article_id, f.entity) for f in context if (f.article_id, f.entity.id) not in chosen]
    company += [(f.article_id, f.entity) for found in attached.values() for f in found]
    identities = merge_people([(f.article_id, f.entity) for f in merged], company=company,
                              corpus=_corpus_counts(store, context, done, batch, parse, sharded), parse=parse)
    order = {(f.article_id, f.entity.id): n for n, f in enumerate(merged)}
    entities = {(f.article_id, f.entity.id): f.entity for f in merged}
    identities = corrected.apply(identities, corrections, entities)
    ids, redirects = _assign_ids(store, identities, held, order)
    redirects += absorbed
    # An identity the re-merge left as it was is not written again (most of a neighbourhood).
    persons = [_stored(ids[n], identity, entities, parse) for n, identity in enumerate(identities)
               if not _unchanged(small.get(ids[n]), identity, in_batch)]
    return persons, redirects, grown


def _unchanged(old: Identity | None, new: Identity, in_batch: set[str]) -> bool:
    return (old is not None and not any(a in in_batch for a, _ in new.members)
            and set(old.members) == set(new.members)
            and (old.name, old.type, tuple(old.aliases), tuple(old.roles), tuple(old.merges))
            == (new.name, new.type, tuple(new.aliases), tuple(new.roles), tuple(new.merges)))


def _bounded(small: dict[str, Identity], sizes: dict[str, int], must: set[str], near: set[str],
             parse: NameCache) -> set[str]:
    """The ids of the small identities to re-merge, up to NEIGHBOURHOOD_MEMBERS members in all
    (``sizes``): those in ``must`` (holding the batch's articles or touched by a correction)
    always; then those a batch name reaches by its exact or first-name key (``near``), then
    those with a full name (the targets of partial names), smaller first (each member costs its
    article's people). Decided by names and sizes: no member is read for it."""

    def rank(pid: str) -> tuple[bool, bool, bool, int, str]:
        identity = small[pid]
        full = any((n := parse.text(t)) is not None and n.kind == "full"
                   for t in (identity.name, *identity.aliases))
        return (pid not in must, pid not in near, not full, sizes.get(pid, 0), pid)

    kept, members = set(), 0
    for pid in sorted(small, key=rank):
        if pid not in must and members + sizes.get(pid, 0) > NEIGHBOURHOOD_MEMBERS:
            continue
        kept.add(pid)
        members += sizes.get(pid, 0)
    return kept


def _attach_to_big(reached: dict[str, Identity], big: dict[str, Identity], batch: list[ArticleEntity],
                   parse: NameCache, sizes: dict[str, int]) -> tuple[dict[str, list[ArticleEntity]], list[ArticleEntity]]:
    """The batch's entities that join a big identity outright ({id: entities}), and the rest.

    An entity joins when its full name, folded, is a full name of exactly one reached identity
    and that one is big (pass 1 of merge_people merges equal full names outright), or when it is
    a bare surname, its own article names nobody else of that surname in full, and the reached
    person with a full name of that surname is big and the only one, or by far the most
    mentioned of them (``names.prominent``: the rule pass 4 of merge_people applies when
    evidence cannot pick; here the others' evidence is not weighed, as a big identity is not
    re-merged)."""
    full: dict[str, set[str]] = defaultdict(set)
    surname: dict[str, set[str]] = defaultdict(set)
    for pid, identity in reached.items():
        for text in (identity.name, *identity.aliases):
            name = parse.text(text)
            if name is not None and name.kind == "full":
                full[name.key].add(pid)
                surname[name.surname_key].add(pid)
    named_in_full = {(f.article_id, n.surname_key) for f in batch
                     if (n := parse(f.entity)) is not None and n.kind == "full"}
    attached: dict[str, list[ArticleEntity]] = defaultdict(list)
    rest = []
    for f in batch:
        name = parse(f.entity)
        owners: set[str] = set()
        if name is not None and name.kind == "full":
            owners = full.get(name.key, set())
        elif name is not None and name.kind == "surname" and (f.article_id, name.surname_key) not in named_in_full:
            owners = surname.get(name.surname_key, set())
            if len(owners) > 1 and (top := prominent({pid: sizes.get(pid, 0) for pid in owners},
                                                     f.entity)) is not None:
                owners = {top}
        if len(owners) == 1 and (pid := next(iter(owners))) in big:
            attached[pid].append(f)
        else:
            rest.append(f)
    return attached, rest


def places_of(store: Store, article_ids: Sequence[str]) -> dict[str, set[str]]:
    """The place words (link/people/places.py) of each of ``article_ids``' organisations and places."""
    found: dict[str, list[Entity]] = defaultdict(list)
    for f in store.entities_of(article_ids, mentions=False):  # one read; place_words keeps ORG and PLACE
        found[f.article_id].append(f.entity)
    return {aid: words for aid, entities in found.items() if (words := place_words(entities))}


def mentioned_surnames(found: list[ArticleEntity], parse: NameCache) -> dict[str, set[str]]:
    """The people (surname keys) each article mentions, parsed as merge_people parses them."""
    out: dict[str, set[str]] = defaultdict(set)
    for f in found:
        name = parse(f.entity)
        if name is not None and name.surname_key:
            out[f.article_id].add(name.surname_key)
    return out


def _corpus_counts(store: Store, context: list[ArticleEntity], done: list[str],
                   batch: list[ArticleEntity], parse: NameCache, stored_only: bool = False) -> CorpusCounts:
    """How often each person of the neighbourhood is mentioned across the corpus, the batch
    included (it is not stored yet): the yardstick of co-mention evidence, as in merge_people.
    ``stored_only``: the batch is stored already (a sharded run writes every article's
    surnames before its shards run), so the counts are read as they are."""
    keys = sorted(set().union(*mentioned_surnames(context, parse).values()))
    if stored_only:
        counted = store.mention_counts(keys)
        return CorpusCounts(dict(counted.counts), counted.articles)
    stored = store.mention_counts(keys, excluding=done)
    frequency = Counter(stored.counts)
    mine = mentioned_surnames(batch, parse)
    for found in mine.values():
        frequency.update(found)
    return CorpusCounts(dict(frequency), stored.articles + len(mine))


def _assign_ids(store: Store, identities: list[Identity], held: dict[tuple[str, str], str],
                order: dict[tuple[str, str], int]) -> tuple[list[str], list[PersonRedirect]]:
    """An id per identity (in the order given) and the redirects of stored ids no longer used."""
    first_seen: dict[str, int] = {}  # stored id -> position of its first member still there
    for member, pid in held.items():
        if member in order:
            first_seen[pid] = min(first_seen.get(pid, len(order)), order[member])
    # The identities holding the oldest members choose first.
    ranked = sorted(range(len(identities)), key=lambda n: min(order[m] for m in identities[n].members))
    ids: list[str | None] = [None] * len(identities)
    taken: set[str] = set()
    for n in ranked:
        # The oldest of the stored identities it holds members of keeps its id.
        held_ids = {held[m] for m in identities[n].members if m in held}
        for pid in sorted(held_ids, key=lambda p: (first_seen.get(p, len(order)), p)):
            if pid not in taken:
                ids[n] = pid
                taken.add(pid)
                break
    fresh = [n for n in ranked if ids[n] is None]
    wanted = {n: _new_id(min(identities[n].members, key=order.__getitem__)) for n in fresh}
    known = store.known_person_ids(sorted(set(wanted.values())))
    for n in fresh:
        pid, salt = wanted[n], 0
        while pid in known or pid in taken:  # the first member once started another identity
            salt += 1
            pid = _new_id(min(identities[n].members, key=order.__getitem__), salt)
            known |= store.known_person_ids([pid])
        ids[n] = pid
        taken.add(pid)
    redirects = []
    for pid in sorted(set(held.values()) - taken):
        # Absorbed: into the identity now holding most of its members (the oldest on a tie).
        holders = Counter(ids[n] for n, identity in enumerate(identities)
                          for m in identity.members if held.get(m) == pid)
        target = min(holders, key=lambda p: (-holders[p], p)) if holders else None
        redirects.append(PersonRedirect(pid, target))
    return [pid for pid in ids if pid is not None], redirects


def keep_ids(store: Store, wanted: Sequence[tuple[Sequence[tuple[str, str]], str]]) -> None:
    """For each (members, id): the identity now holding most of those members takes that id,
    and the id it had redirects there (a merge made by hand keeps the id merged into; an undone
    merge gives each person back its own id). An id live on another identity is left alone."""
    chosen: dict[str, tuple[Identity, str]] = {}
    for members, pid in wanted:
        group = set(members)
        holders = [(len(group & set(i.members)), i) for i in store.people_of(sorted({a for a, _ in group}))]
        count, identity = max(holders, key=lambda h: (h[0], h[1].id), default=(0, None))
        if identity is None or not count or identity.id == pid or identity.id in chosen:
            continue
        chosen[identity.id] = (identity, pid)
    new_ids = {pid for _, pid in chosen.values()}
    old_ids = set(chosen)
    # A wanted id live on an identity that is not renamed here would be overwritten: skip it.
    chosen = {old: (i, pid) for old, (i, pid) in chosen.items() if pid in old_ids or not _live(store, pid)}
    if not chosen:
        return
    parse = NameCache()
    articles = sorted({a for i, _ in chosen.values() for a, _ in i.members})
    entities = {(f.article_id, f.entity.id): f.entity for f in store.entities_of(articles, "PERSON", mentions=False)}
    persons = [_stored(pid, identity, entities, parse) for identity, pid in chosen.values()]
    redirects = [PersonRedirect(old, pid) for old, (_, pid) in chosen.items() if old not in new_ids]
    store.put_people(persons, redirects, [], PEOPLE_VERSION, now())


def _live(store: Store, pid: str) -> bool:
    found = store.person(pid, members=False)
    return found is not None and found.id == pid


def _new_id(member: tuple[str, str], salt: int = 0) -> str:
    text = f"{member[0]}/{member[1]}" + (f"#{salt}" if salt else "")
    return "p" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:ID_HEX]


def _stored(pid: str, identity: Identity, entities: dict[tuple[str, str], Entity],
            parse: NameCache, gained: Sequence[tuple[str, str]] | None = None) -> StoredPerson:
    """The identity as put_people writes it; with ``gained``, only those members (the ones a
    big identity gains: its shown aliases and roles grow by theirs)."""
    if gained is not None:
        new = [entities[m] for m in gained]
        shown = tuple(dict.fromkeys([*identity.aliases, *(e.name.strip() for e in new if e.name.strip())]))
        titles, conflicts = grown_roles(identity.roles, [(aid, r.title.strip()) for aid, eid in gained
                                                          for r in entities[aid, eid].roles if r.title.strip()])
        identity = replace(identity, aliases=shown, roles=titles, members=tuple(gained),
                           merges=tuple(dict.fromkeys([*identity.merges, *conflicts])))
    members, aliases, roles, keys = [], [], [], set()
    for aid, eid in identity.members:
        entity = entities[aid, eid]
        members.append(PersonMember(aid, eid, _reason(entity, identity.merges, parse)))
        surfaces = {s.strip() for s in (entity.name, *entity.aliases) if s.strip()}
        aliases += [PersonAlias(s, aid, eid) for s in sorted(surfaces)]
        roles += [PersonRole(r.title.strip(), aid, eid, r.start, r.end) for r in entity.roles if r.title.strip()]
        keys.update(name_keys(entity, parse))
    return StoredPerson(pid, identity.name, identity.type, identity.aliases, identity.roles, identity.merges,
                        tuple(members), tuple(aliases), tuple(roles), tuple(sorted(keys)),
                        place_key(identity.name, identity.aliases, identity.roles, identity.merges))


def _reason(entity: Entity, merges: Sequence[str], parse: NameCache) -> str:
    """Why a member is in its identity: the merge that names it ("Zelenksy ~ Zelensky: ..."),
    or "same name" for a member whose name is the identity's, up to case and accents."""
    name = parse(entity)
    surfaces = {entity.name.strip(), *(a.strip() for a in entity.aliases)} | ({name.display} if name else set())
    return next((m for m in merges if m.split(" ~ ", 1)[0] in surfaces), "same name")
