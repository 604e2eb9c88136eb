"""Attacks a web page can make on a loopback server, made by real headless Chromium: a page on
another origin POSTs to the API (CSRF: a no-cors text/plain fetch and a plain HTML form), and
a page on a domain resolved to 127.0.0.1 (DNS rebinding, by Chromium's host-resolver-rules)
reads and writes. Both servers are real (uvicorn for Storyline, http.server for the attacker);
the store must stay empty and the rebound page must read nothing."""

from __future__ import annotations

import http.server
import threading
import urllib.request
from functools import partial

import pytest

pytest.importorskip("fastapi")
sync_api = pytest.importorskip("playwright.sync_api")

from helpers import serving  # noqa: E402
from test_browser import CHROMIUM_FLAGS  # noqa: E402

import storyline  # noqa: E402

ARTICLE = '{"title": "Planted by another site", "text": "This article was planted by a page on another origin."}'


@pytest.fixture
def target(tmp_path):
    """Storyline's server on loopback over an empty store; yields (base URL, port, db)."""
    from storyline.web.api import create_app

    db = str(tmp_path / "target.db")
    with serving(create_app(db)) as (base, port):
        yield base, port, db


@pytest.fixture
def attacker(tmp_path, target):
    """A page on another origin (localhost, another port) that attacks the target on load."""
    base, _, _ = target
    site = tmp_path / "evil"
    site.mkdir()
    (site / "index.html").write_text(f"""<!doctype html><body>
<form id=f method=post enctype=text/plain action="{base}/api/articles?analyze=false"><input name='{ARTICLE[:-1]}, "x": "' value='"}}'></form>
<script>
fetch("{base}/api/articles?analyze=false", {{method: "POST", mode: "no-cors", headers: {{"Content-Type": "text/plain"}},
      body: {ARTICLE!r}}}).then(() => {{ document.title = "fetched"; document.getElementById("f").submit(); }},
                                 () => {{ document.title = "fetched"; document.getElementById("f").submit(); }});
</script></body>""")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(http.server.SimpleHTTPRequestHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://localhost:{server.server_address[1]}/index.html"
    server.shutdown()


def _launch(playwright, chromium_executable, *extra):
    return playwright.chromium.launch(executable_path=chromium_executable, args=[*CHROMIUM_FLAGS, *extra], headless=True)


def _stored(db) -> int:
    with storyline.open(db) as desk:
        return desk.store.count()


def test_a_page_on_another_origin_cannot_write(chromium_executable, target, attacker):
    base, _, db = target
    with sync_api.sync_playwright() as p:
        browser = _launch(p, chromium_executable)
        page = browser.new_page()
        with page.expect_navigation(url=f"{base}/api/articles?analyze=false", timeout=30_000) as nav:
            page.goto(attacker)  # the fetch runs, then the form posts and navigates to the API
        response = nav.value
        assert response.status == 403 and "own pages" in page.content()
        browser.close()
    assert _stored(db) == 0
    # The same request from the server's own origin is accepted (the guard is not a wall).
    request = urllib.request.Request(f"{base}/api/v1/articles?analyze=false", data=ARTICLE.encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Origin": base})
    assert urllib.request.urlopen(request, timeout=60).status == 201


def test_a_rebound_domain_reads_and_writes_nothing(chromium_executable, target):
    base, port, db = target
    with sync_api.sync_playwright() as p:
        # Chromium's own guard (Private/Local Network Access) is turned off: the server's guard
        # must hold on its own, as it must for browsers without one.
        browser = _launch(p, chromium_executable, "--host-resolver-rules=MAP rebind.test 127.0.0.1",
                          "--disable-features=PrivateNetworkAccessSendPreflights,"
                          "PrivateNetworkAccessRespectPreflightResults,BlockInsecurePrivateNetworkRequests,"
                          "LocalNetworkAccessChecks")
        page = browser.new_page()
        response = page.goto(f"http://rebind.test:{port}/")
        assert response.status == 403 and "listens on loopback" in page.content()
        # The attacker's page, as its own server sent it before the name was re-pointed at
        # 127.0.0.1: same origin as the API as far as the browser knows, so it may read the
        # answers, which must therefore say nothing.
        page.route("**/evil.html", lambda route: route.fulfill(body="<!doctype html><p>hi", content_type="text/html"))
        page.goto(f"http://rebind.test:{port}/evil.html")
        answers = page.evaluate("""async () => {
            const read = await fetch("/api/articles");
            const write = await fetch("/api/articles?analyze=false", {method: "POST",
                headers: {"Content-Type": "application/json"}, body: JSON.stringify({text: "Planted by a rebound page."})});
            return [read.status, await read.text(), write.status];
        }""")
        browser.close()
    assert answers[0] == 403 and "items" not in answers[1] and answers[2] == 403
    assert _stored(db) == 0
    assert urllib.request.urlopen(f"{base}/api/articles", timeout=30).status == 200
