"""`storyline ingest` with URLs and `--urls FILE`, against a real local HTTP server."""

from __future__ import annotations

import json

import pytest

from helpers import run_cli
from http_site import Route, Site, article_page


@pytest.fixture
def site():
    s = Site().start()
    for name in ("a", "b"):
        s.routes[f"/{name}.html"] = Route(article_page(f"Story {name}"))
    yield s
    s.stop()


def test_urls_file_and_url_arguments(site, tmp_path):
    listed = tmp_path / "urls.txt"
    listed.write_text(f"# morning list\n\n{site.base}/a.html\n  {site.base}/gone.html\nfile:///etc/passwd\n",
                      encoding="utf-8")
    db = str(tmp_path / "s.db")
    done = run_cli("ingest", "--urls", str(listed), f"{site.base}/b.html", "--db", db, "--no-analyze", "--json",
                   "--allow-private", "--delay", "0")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert len(report["added"]) == 2
    reasons = {p["source"].rsplit("/", 1)[-1]: p["reason"] for p in report["skipped"]}
    assert "HTTP 404" in reasons["gone.html"] and "only http(s)" in reasons["passwd"]
    assert "skipped" in done.stderr and "gone.html" in done.stderr
    titles = sorted(a["title"] for a in json.loads(run_cli("articles", "--db", db, "--json").stdout))
    assert titles == ["Story a", "Story b"]


def test_loopback_needs_allow_private_and_failures_are_retried_later(site, tmp_path):
    db = str(tmp_path / "s.db")
    refused = run_cli("ingest", f"{site.base}/a.html", "--db", db, "--no-analyze")
    assert refused.returncode == 1 and "non-public address 127.0.0.1" in refused.stderr
    assert "--allow-private" in refused.stderr and site.hits == []
    # The refusal is recorded; once due, --retry-failed fetches it (here allowed by the env).
    retry = run_cli("ingest", "--retry-failed", "--db", db, "--no-analyze", env={"STORYLINE_ALLOW_PRIVATE": "1"})
    assert retry.returncode == 0 and "0 added" in retry.stdout  # not due yet: a week for a refusal
    nothing = run_cli("ingest", "--db", db)
    assert nothing.returncode == 2 and "nothing to ingest" in nothing.stderr
