"""Exports of what is stored (``storyline export``): tables as CSV, JSON or Parquet, and the
provenance and people-quote graphs as GraphML.

Exports only read the store: they never run find_stories/find_reuse, so they show what the
last ``storyline stories`` / ``storyline reuse`` run left there.

Tables (``articles``, ``quotes``, ``people``, ``reuse``, ``stories``); each can be filtered as
its listing is (:func:`rows`' ``filters``: the keyword arguments of the Desk method that lists
it). An article is exported whole (body included) with the id of its story, if any, and its
sightings (``also_published``: the same text run by other outlets or at other URLs):

- JSON is a list of objects in the shapes the ``--json`` listings already print (nested
  objects and real lists), so a JSON export equals ``storyline quotes --json`` and friends
  over every stored row.
- CSV and Parquet are flat rows with the columns of :data:`COLUMNS`. Lists of names or ids
  (roles, aliases, article ids, change types, key entities) are joined with ``"; "``; lists of
  free text or of objects (merge reasons, reuse evidence, the changes themselves) are JSON
  strings, since their text may itself hold ``"; "``. Missing values are empty cells in CSV
  and nulls in Parquet; booleans are ``true``/``false`` in CSV.

Graphs (GraphML, written with networkx so that Gephi, Cytoscape and networkx read them):
every attribute is a str, int or float, and never None (a missing title is ``""``). See
:func:`provenance_graph` and :func:`network_graph` for the schemas.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import TYPE_CHECKING, Any

from storyline.records import Article, Identity, Quote, ReusePair, Story
from storyline.report.json import (article_json, change_json, correction_json, identity_json, pair_json,
                                     quote_json, story_json)

if TYPE_CHECKING:
    import networkx as nx

    from storyline.desk import Desk

TABLES = ("articles", "quotes", "people", "reuse", "stories", "corrections")
GRAPHS = ("provenance", "network")

# Flat columns per table, with their Parquet type: "str", "int", "float" or "bool".
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "articles": (
        ("id", "str"), ("title", "str"), ("outlet", "str"), ("published", "str"), ("byline", "str"),
        ("abstract", "str"), ("url", "str"), ("source", "str"), ("where", "str"), ("content_hash", "str"),
        ("ingested_at", "str"), ("story_id", "str"), ("also_published_outlets", "str"),
        ("also_published", "str"), ("body", "str"),
    ),
    "quotes": (
        ("article_id", "str"), ("article_title", "str"), ("article_outlet", "str"),
        ("article_published", "str"), ("text", "str"), ("start", "int"), ("end", "int"),
        ("kind", "str"), ("cue", "str"), ("speaker", "str"), ("speaker_id", "str"),
        ("speaker_mention", "str"), ("speaker_mention_start", "int"), ("speaker_mention_end", "int"),
        ("anonymous", "bool"), ("group", "int"),
    ),
    "people": (
        ("id", "str"), ("name", "str"), ("type", "str"), ("aliases", "str"), ("roles", "str"),
        ("articles", "int"), ("article_ids", "str"), ("merges", "str"),
    ),
    "reuse": (
        ("source_id", "str"), ("source_title", "str"), ("source_outlet", "str"), ("source_published", "str"),
        ("derived_id", "str"), ("derived_title", "str"), ("derived_outlet", "str"),
        ("derived_published", "str"), ("kind", "str"), ("direction", "str"),
        ("direction_confidence", "float"), ("coverage", "float"), ("source_coverage", "float"),
        ("verbatim", "float"), ("similarity", "float"), ("change_count", "int"), ("change_types", "str"),
        ("changes", "str"), ("evidence", "str"),
    ),
    "stories": (
        ("id", "str"), ("label", "str"), ("headline", "str"), ("key_entities", "str"),
        ("article_count", "int"), ("article_ids", "str"), ("first", "str"), ("last", "str"),
        ("undated", "int"),
    ),
    "corrections": (
        ("id", "int"), ("kind", "str"), ("targets", "str"), ("author", "str"), ("reason", "str"),
        ("created_at", "str"), ("active", "bool"), ("undone_at", "str"), ("undone_by", "str"),
        ("summary", "str"), ("payload", "str"),
    ),
}

SEP = "; "

# Spreadsheets (Excel, LibreOffice, Google Sheets) run a cell that starts with one of these as a
# formula. Article text is untrusted input, so every CSV text cell that starts with one is
# prefixed with a single quote, which makes the spreadsheet show it as plain text (CSV/formula
# injection; tab and carriage return are included as OWASP advises).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExportError(ValueError):
    """An export that cannot be made as asked (a table in a graph format, and the reverse)."""


# --- reading the store -----------------------------------------------------------------------


def _articles(desk: Desk, ids: Iterable[str]) -> dict[str, Article]:
    """The named articles' titles, outlets and dates (heads: no body), for the rows that cite
    them: an export of a million articles' pairs must not hold every body."""
    return {a.id: a for a in desk.store.article_heads(sorted(set(ids)))}


def rows(desk: Desk, what: str, *, all_pairs: bool = False, public: bool = False,
         filters: dict[str, Any] | None = None) -> tuple[list[dict], list[dict]]:
    """(JSON objects, flat rows) of one table; ``all_pairs`` keeps reuse pairs judged independent;
    ``filters`` are passed to the Desk method that lists the table (``articles``: outlet, since,
    until, story, person; ``stories``: query, outlet, person, since, until; ``quotes``: speaker;
    ``reuse``: article); with ``public`` an article's source is its URL or file name only
    (as the API shows it), never a path on this machine."""
    filters = {k: v for k, v in (filters or {}).items() if v is not None}
    if what == "articles":
        found = desk.articles(**filters)
        story_of = {mb.article_id: mb.story_id for mb in desk.store.story_members()}
        seen = desk.sightings_of([a.id for a in found])
        objects = [article_json(a, public=public, sightings=seen.get(a.id, [])) | {"story_id": story_of.get(a.id)}
                   for a in found]
        return objects, [article_row(o) for o in objects]
    if what == "quotes":
        quotes = desk.quotes(filters.get("speaker"))
        articles = _articles(desk, (q.article_id for q in quotes))
        return [quote_json(q, article=True) for q in quotes], [quote_row(q, articles) for q in quotes]
    if what == "people":
        people = desk.people()
        return [identity_json(i) for i in people], [person_row(i) for i in people]
    if what == "reuse":
        pairs = desk.reuse(all=all_pairs, article=filters.get("article"))
        articles = _articles(desk, (i for p in pairs for i in (p.source_id, p.derived_id)))
        return [pair_json(p, articles) for p in pairs], [pair_row(p, articles) for p in pairs]
    if what == "stories":
        stories = desk.stories(**filters)
        return [story_json(s) for s in stories], [story_row(s) for s in stories]
    if what == "corrections":
        made = desk.corrections()
        return [correction_json(c) for c in made], [correction_row(c) for c in made]
    raise ExportError(f"{what} is not a table (tables: {', '.join(TABLES)})")


def article_row(obj: dict) -> dict:
    """An article's JSON object as one flat row: its sightings (the same text run elsewhere) as
    the outlets that ran it, joined with "; ", and the sightings themselves as JSON text (empty
    when there are none)."""
    row = {k: v for k, v in obj.items() if k not in ("fields", "cuts", "also_published")}
    seen = obj.get("also_published") or []
    row["also_published_outlets"] = "; ".join(dict.fromkeys(s["outlet"] for s in seen if s["outlet"])) or None
    row["also_published"] = json.dumps(seen, ensure_ascii=False) if seen else None
    return row


def correction_row(c) -> dict:
    """A correction as one flat row (its details as JSON text)."""
    data = correction_json(c)
    return {**{k: v for k, v in data.items() if k not in ("targets", "payload")},
            "targets": SEP.join(c.targets), "payload": json.dumps(c.payload, ensure_ascii=False, sort_keys=True)}


def quote_row(q: Quote, articles: dict[str, Article]) -> dict:
    art = articles.get(q.article_id)
    m = q.speaker_mention
    return {
        "article_id": q.article_id, "article_title": art.title if art else None,
        "article_outlet": art.outlet if art else None, "article_published": art.published if art else None,
        "text": q.text, "start": q.start, "end": q.end, "kind": q.kind, "cue": q.cue,
        "speaker": q.speaker, "speaker_id": q.speaker_id, "speaker_mention": m.text if m else None,
        "speaker_mention_start": m.start if m else None, "speaker_mention_end": m.end if m else None,
        "anonymous": q.anonymous, "group": q.group,
    }


def person_row(i: Identity) -> dict:
    article_ids = list(dict.fromkeys(a for a, _ in i.members))
    return {
        "id": i.id, "name": i.name, "type": i.type, "aliases": SEP.join(i.aliases), "roles": SEP.join(i.roles),
        "articles": len(article_ids), "article_ids": SEP.join(article_ids),
        "merges": json.dumps(list(i.merges), ensure_ascii=False),
    }


def pair_row(p: ReusePair, articles: dict[str, Article]) -> dict:
    row: dict[str, Any] = {}
    for side, aid in (("source", p.source_id), ("derived", p.derived_id)):
        art = articles.get(aid)
        row |= {f"{side}_id": aid, f"{side}_title": art.title if art else None,
                f"{side}_outlet": art.outlet if art else None, f"{side}_published": art.published if art else None}
    return row | {
        "kind": p.kind, "direction": _direction(p), "direction_confidence": p.direction_confidence,
        "coverage": p.coverage, "source_coverage": p.source_coverage, "verbatim": p.verbatim,
        "similarity": p.similarity, "change_count": len(p.changes), "change_types": _change_types(p),
        "changes": json.dumps([change_json(c) for c in p.changes], ensure_ascii=False),
        "evidence": json.dumps(list(p.evidence), ensure_ascii=False),
    }


def story_row(s: Story) -> dict:
    return {
        "id": s.id, "label": s.label, "headline": s.headline, "key_entities": SEP.join(s.key_entities),
        "article_count": len(s.article_ids), "article_ids": SEP.join(s.article_ids), "first": s.first,
        "last": s.last, "undated": s.undated,
    }


def _direction(p: ReusePair) -> str:
    return "known" if p.direction_known else "unknown"


def _change_types(p: ReusePair) -> str:
    """The distinct change types of a pair, in the order they first occur."""
    return SEP.join(dict.fromkeys(c.type for c in p.changes))


# --- writing tables --------------------------------------------------------------------------


def neutralise(value: str) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (see FORMULA_STARTS)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return neutralise(value)
    return value


def to_csv(what: str, flat: Iterable[dict]) -> str:
    """CSV text (RFC 4180: comma, double quotes, CRLF line ends) with a header row."""
    names = [name for name, _ in COLUMNS[what]]
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow(names)
    for row in flat:
        writer.writerow([_csv_cell(row.get(name)) for name in names])
    return buf.getvalue()


def to_json(objects: Sequence[dict]) -> str:
    return json.dumps(list(objects), ensure_ascii=False, indent=1) + "\n"


def parquet_table(what: str, flat: Sequence[dict]):
    """A pyarrow Table of the flat rows, with the typed schema of :data:`COLUMNS` (also when empty)."""
    import pyarrow as pa

    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
    schema = pa.schema([pa.field(name, types[kind], nullable=True) for name, kind in COLUMNS[what]])
    return pa.Table.from_pylist([{n: r.get(n) for n in schema.names} for r in flat], schema=schema)


def parquet_bytes(what: str, flat: Sequence[dict]) -> bytes:
    """The Parquet file of the flat rows, in memory (the API's download)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(parquet_table(what, flat), sink)
    return sink.getvalue().to_pybytes()


def write_parquet(what: str, flat: Sequence[dict], path) -> None:
    import pyarrow.parquet as pq

    pq.write_table(parquet_table(what, flat), path)


# --- graphs ----------------------------------------------------------------------------------


def provenance_graph(desk: Desk, *, all_pairs: bool = False) -> nx.DiGraph:
    """Who copied or rewrote whom, as a directed graph.

    Nodes: every stored article, keyed by article id, with ``label`` (title, else the id),
    ``title``, ``outlet``, ``published`` (ISO date, ``""`` when unknown) and ``type`` =
    ``"article"``. Edges: one per stored reuse pair (independent ones only with ``all_pairs``),
    source -> derived, with ``kind``, ``direction`` ("known"/"unknown": below DIRECTION_MIN the
    source/derived order is a guess), ``direction_confidence``, ``coverage``, ``source_coverage``,
    ``verbatim``, ``similarity``, ``weight`` (= coverage), ``changes`` (number of changes) and
    ``change_types`` (distinct types joined with "; ").
    """
    import networkx as nx

    graph = nx.DiGraph()
    for art in desk.articles():
        graph.add_node(art.id, **_article_attrs(art))
    for p in desk.reuse(all=all_pairs):
        for aid in (p.source_id, p.derived_id):
            if aid not in graph:  # cannot happen with a consistent store; keep the graph whole anyway
                graph.add_node(aid, type="article", label=aid, title="", outlet="", published="")
        graph.add_edge(
            p.source_id, p.derived_id, kind=p.kind, direction=_direction(p),
            direction_confidence=float(p.direction_confidence), coverage=float(p.coverage),
            source_coverage=float(p.source_coverage), verbatim=float(p.verbatim),
            similarity=float(p.similarity), weight=float(p.coverage), changes=len(p.changes),
            change_types=_change_types(p),
        )
    return graph


def _article_attrs(art: Article) -> dict:
    return {"type": "article", "label": art.title or art.id, "title": art.title or "",
            "outlet": art.outlet or "", "published": art.published or ""}


def network_graph(desk: Desk) -> nx.DiGraph:
    """The people-quote network.

    Nodes are keyed ``person:<identity id>`` and ``article:<article id>`` and carry ``type``
    ("person"/"article") and ``label``. People (every PERSON identity of ``desk.people()``)
    have ``name``, ``roles`` and ``aliases`` (joined with "; "), ``articles`` (articles naming
    them) and ``quotes`` (quotes attributed to them); articles (those quoting at least one
    person) have ``title``, ``outlet`` and ``published``.

    Edges: person -> article, ``kind`` = "quoted in", ``quotes`` and ``weight`` = the number of
    the person's quotes in that article; and person -- person, ``kind`` = "co-quoted",
    ``weight`` = the number of articles quoting both, ``articles`` = their ids joined with
    "; ". A co-quoted edge is stored once (from the lower node id to the higher): read it as
    undirected.

    A quote counts for a person when its in-article speaker entity is one of the identity's
    members, or, failing a speaker entity, when its speaker name is the identity's name or an
    alias and the identity is named in that article. Anonymous quotes, quotes without a
    speaker and quotes by organisations are left out.
    """
    import networkx as nx

    people = [i for i in desk.people() if i.type == "PERSON"]
    by_member: dict[tuple[str, str], Identity] = {}
    by_name: dict[tuple[str, str], Identity] = {}
    for ident in people:
        for article_id, entity_id in ident.members:
            by_member[(article_id, entity_id)] = ident
            for name in (ident.name, *ident.aliases):
                by_name.setdefault((article_id, name.casefold()), ident)

    counts: Counter[tuple[str, str]] = Counter()  # (person node, article id) -> quotes
    for q in desk.quotes():
        ident = _speaker_identity(q, by_member, by_name)
        if ident is not None:
            counts[(_person_node(ident), q.article_id)] += 1

    graph = nx.DiGraph()
    quoted: Counter[str] = Counter()
    for (person, _), n in counts.items():
        quoted[person] += n
    for ident in people:
        node = _person_node(ident)
        graph.add_node(node, type="person", label=ident.name, name=ident.name, roles=SEP.join(ident.roles),
                       aliases=SEP.join(ident.aliases), articles=len({a for a, _ in ident.members}),
                       quotes=quoted[node])

    articles = _articles(desk, (article_id for _, article_id in counts))
    in_article: dict[str, list[str]] = defaultdict(list)
    for (person, article_id), n in sorted(counts.items()):
        node = "article:" + article_id
        if node not in graph:
            art = articles.get(article_id)
            attrs = _article_attrs(art) if art else {"type": "article", "label": article_id, "title": "",
                                                     "outlet": "", "published": ""}
            graph.add_node(node, **attrs)
        graph.add_edge(person, node, kind="quoted in", quotes=n, weight=n)
        in_article[article_id].append(person)

    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for article_id, persons in sorted(in_article.items()):
        for a, b in combinations(sorted(set(persons)), 2):
            shared[(a, b)].append(article_id)
    for (a, b), ids in shared.items():
        graph.add_edge(a, b, kind="co-quoted", weight=len(ids), articles=SEP.join(ids))
    return graph


def _person_node(ident: Identity) -> str:
    return "person:" + ident.id


def _speaker_identity(q: Quote, by_member: dict, by_name: dict) -> Identity | None:
    if q.anonymous:
        return None
    if q.speaker_id is not None:
        found = by_member.get((q.article_id, q.speaker_id))
        if found is not None:
            return found
    if q.speaker:
        return by_name.get((q.article_id, q.speaker.casefold()))
    return None


def write_graphml(graph: nx.DiGraph, out) -> None:
    """GraphML (UTF-8) to a path or a binary file. Attributes must be str/int/float, not None."""
    import networkx as nx

    for _, data in [*graph.nodes(data=True), *((None, d) for *_, d in graph.edges(data=True))]:
        for key, value in list(data.items()):
            if value is None:  # Gephi cannot read an empty typed value: drop it
                del data[key]
    nx.write_graphml(graph, out, encoding="utf-8")


def graph(desk: Desk, what: str, *, all_pairs: bool = False) -> nx.DiGraph:
    if what == "provenance":
        return provenance_graph(desk, all_pairs=all_pairs)
    if what == "network":
        return network_graph(desk)
    raise ExportError(f"{what} is not a graph (graphs: {', '.join(GRAPHS)})")
