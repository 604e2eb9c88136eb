"""Copying a whole store into another (``storyline copy``): a laptop's SQLite file into
PostgreSQL when the corpus outgrows it, or a server's store into a file to take away.

Every table is copied row for row with its keys (article, story and person ids stay what they
were, so links, bookmarks and corrections still point at the same things), in the order the
migrations create the tables, so that a row's references are stored before it. The source is
read in one snapshot (a store being written meanwhile is copied as of one moment) and the
target written in one transaction: a copy that fails or is killed leaves the target as empty
as it was, and running it again starts over. The target must be an empty store: copying into
one that holds anything would mix two corpora's ids.

Two tables are left out on purpose: the change log and the steps' cursors. Their positions
mean different things on the two backends (a SQLite cursor is a log sequence number, a
PostgreSQL one a transaction id: migration 016), so the target's steps start without cursors,
and the first linking run on it scans each step's due work in full, once, with the same
queries a cursor narrows: work the source had done is found done, work it had due is due.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from storyline.store.base import StoreError
from storyline.store.sql.connection import Connection
from storyline.store.sql.migrate import for_dialect, migrations

# Their rows are positions in one backend's change log (see the module docstring), or say which
# cluster those come from (the target's own, recorded when it is next opened).
NOT_COPIED = ("changes", "step_cursors", "log_origin")
# Rows the migrations themselves write into a new store (the people list's counters): replaced
# by the source's.
SEEDED = ("people_stats",)
ROWS_PER_BATCH = 1000
# Tables of big rows (raw pages of ~100 KB, article bodies, sentence vectors) go in smaller
# batches, so a batch stays a few MB whatever the table.
BATCH_OF = {"raw_documents": 50, "articles": 200, "sentence_vectors": 200, "analyses": 200, "story_facts": 50,
            "story_checkpoint_parts": 200}
_CREATE = re.compile(r"^\s*CREATE TABLE (?:IF NOT EXISTS )?(\w+)", re.MULTILINE | re.IGNORECASE)


@dataclass
class CopyReport:
    source: str
    target: str
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows copied, in copy order
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def tables(dialect: str) -> list[str]:
    """The store's tables in the order the migrations create them (references first)."""
    names: list[str] = []
    for _version, _name, template in migrations():
        for name in _CREATE.findall(for_dialect(template, dialect)):
            if name not in names:
                names.append(name)
    return names


def shown(url: str) -> str:
    """``url`` as messages and reports show it: its password, if any, as ``***``. A store URL
    (``postgresql://user:pw@host/db``, the password also as a ``?password=`` parameter), or a
    libpq keyword string (``host=db password=pw``); a SQLite path is shown as it is. Cut by
    hand, not by urlsplit: a malformed URL (an unclosed ``[`` host) must still be shown, and a
    URL without a host keeps its ``//``."""
    if not _URL.match(url):
        return _shown_keywords(url) if "password" in url else url
    scheme, _, rest = url.partition("://")
    cut = min((i for i in (rest.find("/"), rest.find("?"), rest.find("#")) if i >= 0), default=len(rest))
    netloc, tail = rest[:cut], rest[cut:]
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        if ":" in userinfo:
            netloc = userinfo.split(":", 1)[0] + ":***@" + host
    path, mark, query = tail.partition("?")
    if mark and "password" in query:
        query, hash_, fragment = query.partition("#")
        query = urlencode([(k, "***" if k == "password" else v) for k, v in parse_qsl(query, keep_blank_values=True)])
        query += hash_ + fragment
    return f"{scheme}://{netloc}{path}{mark}{query}"


_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def _shown_keywords(conninfo: str) -> str:
    import psycopg  # only for a keyword string, which only PostgreSQL takes

    try:
        info = psycopg.conninfo.conninfo_to_dict(conninfo)
    except psycopg.Error:  # not a keyword string after all (a file path), unless it names a password
        return "the given connection string" if "password=" in conninfo else conninfo
    if "password" in info:
        info["password"] = "***"
    return psycopg.conninfo.make_conninfo(**info)


def copy_store(source: Connection, target: Connection, *,
               progress: Callable[[int, int, str], None] | None = None) -> CopyReport:
    """Copy every stored fact of ``source`` into ``target``, an empty store of the same schema
    version (both migrated already: the stores open so). ``progress(done, total, table)`` is
    called after each batch with the rows written so far and the rows to copy in all."""
    src, dst = shown(source.url), shown(target.url)
    if source.url == target.url:
        raise StoreError(f"{dst}: cannot copy a store into itself")
    if source.schema_version() != target.schema_version():
        raise StoreError(f"{src} (schema v{source.schema_version()}) and {dst} "
                         f"(v{target.schema_version()}) differ: open both with this Storyline to migrate them")
    names = [t for t in tables(target.dialect) if t not in NOT_COPIED]
    report = CopyReport(src, dst)
    t0 = time.perf_counter()
    try:
        with source.snapshot(), target.writing(f"copy of {src}"):
            # Checked inside the write: on SQLite the transaction holds the lock from here on.
            held = [t for t in names if t not in SEEDED and target.run(f"SELECT 1 FROM {t} LIMIT 1").fetchone()]
            if held:
                raise StoreError(f"{dst}: not an empty store ({', '.join(held[:5])} hold rows); "
                                 "copy into a new database or file")
            # A new store that was linked once (empty) holds cursors: left in place, they would
            # hide the copied work from the steps, which then read a log that has none of it.
            for table in (*NOT_COPIED, *SEEDED):
                target.run(f"DELETE FROM {table}")
            total = sum(source.run(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in names)
            done = 0
            for table in names:
                columns = target.columns(table)
                missing = set(columns) - set(source.columns(table))
                if missing:
                    raise StoreError(f"{src}: table {table} lacks {', '.join(sorted(missing))}")
                report.rows[table] = 0
                for rows in source.stream(f"SELECT {', '.join(columns)} FROM {table}",
                                          BATCH_OF.get(table, ROWS_PER_BATCH)):
                    target.insert_all(table, columns, rows, bulk=True)
                    report.rows[table] += len(rows)
                    done += len(rows)
                    if progress:
                        progress(done, total, table)
            target.after_bulk_load(names)
    except source.errors() as exc:  # the target's own errors are StoreError already (writing)
        raise StoreError(f"{src}: reading the store to copy failed: {exc}") from exc
    report.seconds = round(time.perf_counter() - t0, 1)
    return report
