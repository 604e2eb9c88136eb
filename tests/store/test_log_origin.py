"""The change log on another PostgreSQL cluster: a store restored from a dump into a new server
(pg_dump / pg_restore, two real throwaway servers) drops its steps' cursors when opened, so the
articles stored there are found whatever the new server's transaction ids (migration 025)."""

from __future__ import annotations

import subprocess

import psycopg
import pytest

from storyline.run.due import due
from storyline.run.story_steps import STORIES
from storyline.store import open_store
from storyline.store.pgserver import ThrowawayPostgres
from storyline.store.records import StepCursor
from test_contract import make_article

pytestmark = pytest.mark.usefixtures("postgres_server")


def _position(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        return int(conn.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text").fetchone()[0])


def _burn_until(url: str, position: int) -> None:
    """Use up transaction ids (each autocommitted call takes one) until the snapshot passes ``position``."""
    with psycopg.connect(url, autocommit=True) as conn:
        while int(conn.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text").fetchone()[0]) <= position:
            for _ in range(200):
                conn.execute("SELECT pg_current_xact_id()")


def _dated(body: str, day: int):
    return make_article(body, published=f"2026-03-{day:02d}T09:00:00+00:00")


def test_a_store_restored_into_another_cluster_finds_the_articles_stored_there(postgres_server, postgres_url, tmp_path):
    # On the first cluster: a store whose story step has read the log up to a position the
    # second cluster's fresh numbering has not reached yet.
    first = open_store(postgres_url)
    first.add_articles([_dated("An earlier report on the harbour barrier vote.", 1)])
    _burn_until(postgres_url, 5_000)
    cursor = StepCursor(STORIES.name, STORIES.version, first.change_position(), ())
    first.put_step_cursor(cursor)
    first.close()
    dump = tmp_path / "store.pgdump"
    bindir = postgres_server.bindir
    subprocess.run([str(bindir / "pg_dump"), "-Fc", "-f", str(dump), postgres_url], check=True, capture_output=True)

    with ThrowawayPostgres() as second:
        url = second.new_database("restored")
        subprocess.run([str(bindir / "pg_restore"), "--no-owner", "-d", url, str(dump)], check=True, capture_output=True)
        assert _position(url) < cursor.position  # the new cluster numbers its transactions lower
        store = open_store(url)
        try:
            new = [_dated("The council approved the harbour barrier.", 2), _dated("Work on the barrier starts.", 3)]
            store.add_articles(new)  # logged under transaction ids below the old cursor
            _burn_until(url, cursor.position)  # ... which the new cluster then passes
            todo = due(store, STORIES)
            assert {a.id for a in new} <= set(todo.keys)
            assert todo.scanned and todo.start is None  # the old cursor was dropped when opened here
        finally:
            store.close()


def test_a_store_opened_again_on_its_cluster_keeps_its_cursors(postgres_url):
    store = open_store(postgres_url)
    store.add_articles([_dated("A report.", 1)])
    cursor = StepCursor(STORIES.name, STORIES.version, store.change_position(), ())
    store.put_step_cursor(cursor)
    origin = store.db.run("SELECT origin FROM log_origin").fetchall()
    store.close()
    again = open_store(postgres_url)
    try:
        assert again.step_cursor(STORIES.name) == cursor
        assert again.db.run("SELECT origin FROM log_origin").fetchall() == origin
        assert origin[0][0] == str(again.db.run("SELECT system_identifier FROM pg_control_system()").fetchone()[0])
    finally:
        again.close()


def test_without_the_clusters_identity_only_cursors_ahead_of_it_are_dropped(postgres_url):
    """A server that revokes pg_control_system() from its users (a managed service may): the
    store, opened by a role that is not a superuser, drops the cursors ahead of the cluster's
    snapshot (only another cluster's can be) and keeps those behind it."""
    assert postgres_url.startswith("postgresql://storyline@")  # conftest's throwaway server
    name = postgres_url.rsplit("/", 1)[1]
    role = "plain_" + name[-8:]
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'x'")
        conn.execute(f"ALTER DATABASE {name} OWNER TO {role}")
        conn.execute("REVOKE EXECUTE ON FUNCTION pg_control_system() FROM PUBLIC")
    url = postgres_url.replace("postgresql://storyline@", f"postgresql://{role}:x@")
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT has_function_privilege('pg_control_system()', 'EXECUTE')").fetchone()[0] is False
    store = open_store(url)
    store.add_articles([_dated("A report.", 1)])
    here = store.change_position()
    behind = StepCursor(STORIES.name, STORIES.version, here, ())
    ahead = StepCursor("people", "x", here + 1_000_000, ())
    store.put_step_cursor(behind)
    store.put_step_cursor(ahead)
    store.close()
    again = open_store(url)
    try:
        assert again.step_cursor(STORIES.name) == behind
        assert again.step_cursor("people") is None
        # The cluster recorded before is forgotten: back on a server that can tell its
        # identity, the cursors written here are all dropped.
        assert again.db.run("SELECT COUNT(*) FROM log_origin").fetchone()[0] == 0
    finally:
        again.close()
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("GRANT EXECUTE ON FUNCTION pg_control_system() TO PUBLIC")
    back = open_store(url)
    try:
        assert back.step_cursor(STORIES.name) is None
        assert back.db.run("SELECT COUNT(*) FROM log_origin").fetchone()[0] == 1
    finally:
        back.close()
