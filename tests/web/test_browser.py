"""The web app in real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright), over
a real uvicorn server on loopback serving the seeds (read from ../shared/seeds at run time) plus
one article full of markup.

Walks what an editor does: open the story list, search, open the seeds' story, see the timeline
and the quote table (and filter it), open the side-by-side diff of the rewrite, open the hostile
article. Every page must load nothing from another origin and run no script but the app's own.
Screenshots go to test-artifacts/browser/ (kept by CI as artifacts; ignored by git).
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from helpers import copy_store, serving

pytest.importorskip("fastapi")
sync_api = pytest.importorskip("playwright.sync_api")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
CHROMIUM_FLAGS = [  # as root, offline: no sandbox, no background calls to Google's hosts
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
HOSTILE = {
    "title": "Markup test <script>window.pwned=1</script>",
    "outlet": "Evil <img src=x onerror=\"window.pwned=2\">",
    "published": "2025-03-01",
    "text": "This paragraph holds <script>window.pwned=3</script> and <img src=x onerror=\"window.pwned=4\"> "
            "and <b onmouseover=\"window.pwned=5\">bold</b> as plain text, nothing more.",
}


@pytest.fixture(scope="module")
def server(seeds_store, tmp_path_factory):
    """uvicorn serving a copy of the seeds store (plus the hostile article) on a free loopback
    port, in a thread of this process."""
    import storyline
    from storyline.web.api import create_app

    db = copy_store(seeds_store, tmp_path_factory.mktemp("browser") / "seeds.db")
    app = create_app(str(db))
    with serving(app) as (base, _):
        request = urllib.request.Request(base + "/api/v1/articles?analyze=true", data=json.dumps(HOSTILE).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        posted = json.loads(urllib.request.urlopen(request, timeout=120).read())
        hostile = posted["items"][0]["id"]
        assert posted["linking"]  # reuse and stories are brought up to date in the background
        assert app.state.linker.wait(300) and app.state.linker.last_error is None
        with storyline.open(db) as desk:
            story = desk.stories()[0]
            names = {a.source.rsplit("/", 1)[-1][:3]: a.id for a in desk.articles() if "seeds" in (a.source or "")}
        # Build the story report once here (seconds: sentence vectors and alignment), not under a
        # browser timeout.
        urllib.request.urlopen(f"{base}/api/v1/stories/{story.id}", timeout=300).read()
        yield {"base": base, "story": story, "names": names, "hostile": hostile}


@pytest.fixture(scope="module")
def browser(chromium_executable):
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_executable, args=CHROMIUM_FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, server, request):
    """A fresh page that records every request to another origin, every dialog and every
    console error; a screenshot of it is saved when the test ends."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.foreign, tab.dialogs, tab.errors = [], [], []
    base = server["base"]

    def route(r):
        if r.request.url.startswith(base) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            tab.foreign.append(r.request.url)
            r.abort()

    tab.route("**/*", route)
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.set_default_timeout(30_000)
    yield tab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    assert tab.foreign == [], f"requests to another origin: {tab.foreign}"
    assert tab.dialogs == [], f"a dialog opened: {tab.dialogs}"
    assert tab.evaluate("window.pwned") is None, "article markup ran as script"
    context.close()


def test_story_list_search_and_the_seed_story(page, server):
    page.goto(server["base"] + "/")
    rows = page.locator('[data-testid="stories"] tbody tr')
    assert rows.count() >= 2  # the seeds' story and the hostile article's
    assert page.locator(f'[data-testid="stories"] a[href="/stories/{server["story"].id}"]').is_visible()

    page.fill('form.filters input[name="q"]', "backstop peacekeeping")
    page.click('form.filters button[type="submit"]')
    page.wait_for_url("**/?q=backstop*")
    links = page.locator('[data-testid="stories"] tbody a')
    assert links.count() == 1
    page.screenshot(path=str(_artifact("search-results.png")))

    page.fill('form.filters input[name="q"]', "zeppelin airship")
    page.click('form.filters button[type="submit"]')
    assert page.locator('[data-testid="no-stories"]').is_visible()

    page.goto(server["base"] + "/?q=backstop")
    page.locator('[data-testid="stories"] tbody a').first.click()
    page.wait_for_url(f"**/stories/{server['story'].id}")
    assert "Ukraine" in page.locator('[data-testid="story-title"]').inner_text()


def test_the_story_page_shows_timeline_people_quotes_and_copies(page, server):
    page.goto(f"{server['base']}/stories/{server['story'].id}")
    timeline = page.locator("svg.timeline")
    assert timeline.is_visible()
    box = timeline.bounding_box()
    assert box["width"] > 500 and box["height"] > 60
    assert page.locator("svg.timeline path.event").count() >= 5
    assert page.locator('[data-testid="events"] li').count() >= 5
    timeline.screenshot(path=str(_artifact("timeline.png")))

    people = page.locator('[data-testid="people"]').inner_text()
    assert "Keir Starmer" in people and "Prime Minister" in people

    speakers = page.locator('#quotes-list > details.speaker')
    total = speakers.count()
    assert total > 20
    assert page.locator('#quotes-list > details[open]').count() == 0  # collapsed until asked
    page.locator('#quotes-list').scroll_into_view_if_needed()
    page.fill('input[data-filter="quotes-list"]', "Starmer")  # the app's script filters as you type
    page.wait_for_function("document.querySelectorAll('#quotes-list > details.hidden').length > 0")
    shown = page.locator('#quotes-list > details:not(.hidden)')
    assert 0 < shown.count() < total
    assert all("starmer" in t.lower() for t in shown.all_inner_texts())
    assert page.locator('#quotes-list > details[open]').count() == shown.count()  # matches opened
    page.fill('input[data-filter="quotes-list"]', "")
    first = speakers.first
    first.locator("summary").click()  # without the script too: a <details> opens by itself
    assert first.locator("ul.quotes li").first.is_visible()
    assert "Given to" in first.locator(".why").first.inner_text()

    assert page.locator("svg.provenance").is_visible()
    assert page.locator("svg.provenance rect.node").count() >= 2
    page.locator("svg.provenance").screenshot(path=str(_artifact("provenance.png")))
    assert "former President" in page.locator('[data-testid="findings"]').inner_text()


def test_the_rewrite_diff_side_by_side(page, server):
    names = server["names"]
    page.goto(f"{server['base']}/stories/{server['story'].id}")
    page.locator(f'a.diff-link[href="/diff/{names["001"]}/{names["000"]}"]').click()
    page.wait_for_url(f"**/diff/{names['001']}/{names['000']}")
    table = page.locator('[data-testid="diff"]')
    assert table.is_visible()
    assert table.locator("tbody tr").count() > 10
    assert table.locator("del").count() > 0 and table.locator("ins").count() > 0
    changes = page.locator('[data-testid="changes"]').inner_text()
    assert "role changed" in changes.lower() and "former President" in changes
    # The two columns sit side by side.
    left, right = table.locator("tbody tr").first.locator("td").all()
    assert left.bounding_box()["x"] < right.bounding_box()["x"]


def test_hostile_markup_is_shown_as_text(page, server):
    page.goto(f"{server['base']}/articles/{server['hostile']}")
    body = page.locator('[data-testid="body"]').inner_text()
    assert "<script>window.pwned=3</script>" in body and 'onerror="window.pwned=4"' in body
    assert "<script>" in page.locator('[data-testid="article-title"]').inner_text()
    assert page.locator('[data-testid="body"] img, [data-testid="body"] script, [data-testid="body"] b').count() == 0
    page.goto(server["base"] + "/?q=markup")
    assert "<script>" in page.locator('[data-testid="stories"]').inner_text()


def test_the_briefing_opens_with_no_network(page, server):
    page.goto(f"{server['base']}/api/stories/{server['story'].id}/brief?format=html")
    assert page.locator("h1").is_visible()
    text = page.locator("body").inner_text()
    assert "What happened" in text and "Provenance of copies" in text and "Keir Starmer" in text


@pytest.mark.parametrize("width", [1280, 390])
def test_the_outlet_page_has_its_chart_and_fits_the_screen(page, server, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(server["base"] + "/outlets")
    # Columns: outlet, articles, also ran, first day, ...: an outlet with articles of its own
    # (the chart counts those) and a first stated day.
    dated = [r for r in page.locator('[data-testid="outlets"] tbody tr').all()
             if r.locator("td").nth(1).inner_text() != "0" and r.locator("td").nth(3).inner_text()]
    assert dated, "no outlet states a publication day"
    link = dated[0].locator("a").first
    name = link.inner_text()
    link.click()
    page.wait_for_url("**/outlets/*")
    assert page.locator('[data-testid="outlet-name"]').inner_text() == name
    chart = page.locator('[data-testid="outlet-chart"] svg.bars')
    assert chart.is_visible() and chart.locator("rect.bar").count() >= 1
    box = chart.bounding_box()
    assert 0 < box["width"] <= width and box["height"] > 40
    assert page.locator('[data-testid="outlet-stories"] tbody tr').count() >= 1
    assert page.locator('[data-testid="outlet-latest"] li').count() >= 1
    # Nothing wider than the screen: no sideways scrolling on a phone either.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth"
        " && !e.closest('.scroll, figure'))"
        ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 8).concat([document.documentElement.scrollWidth, window.innerWidth])")
    chart.screenshot(path=str(_artifact(f"outlet-chart-{width}.png")))
    page.goto(server["base"] + "/outlets/No%20such%20outlet")
    assert "no outlet named" in page.locator('[data-testid="error"]').inner_text()


def test_the_hostile_outlet_page_shows_its_name_as_text(page, server):
    page.goto(f"{server['base']}/articles/{server['hostile']}")
    page.locator('p.meta a[href^="/outlets/"]').first.click()
    page.wait_for_url("**/outlets/*")
    assert page.locator('[data-testid="outlet-name"]').inner_text() == HOSTILE["outlet"]
    assert page.locator("main img").count() == 0


NO_SIDEWAYS = "document.scrollingElement.scrollWidth <= window.innerWidth"
WIDER = ("[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth"
         " && !e.closest('.scroll, figure')).map(e => e.tagName + '.' + e.getAttribute('class') + ' '"
         " + Math.round(e.getBoundingClientRect().right)).slice(0, 8)")
OVERLAPS = """() => {
  const boxes = [...document.querySelectorAll('svg.timeline text')].map(t => t.getBoundingClientRect())
    .filter(b => b.width > 0);
  const out = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) out.push([i, j]);
  }
  return [boxes.length, out];
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_the_story_page_is_short_fits_the_screen_and_its_labels_never_overlap(page, server, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{server['base']}/stories/{server['story'].id}")
    height = page.evaluate("document.scrollingElement.scrollHeight")
    if width == 1280:
        assert height < 5000, f"the seeds' story page is {height} px tall"
    assert page.evaluate(NO_SIDEWAYS), page.evaluate(WIDER)
    band = page.locator('[data-testid="summary-band"]').inner_text()
    assert "ARTICLES" in band.upper() and "OUTLETS" in band.upper()
    chart = page.locator('[data-testid="coverage"] svg.coverage')
    assert chart.is_visible() and chart.locator("rect.bar").count() >= 3
    assert 0 < chart.bounding_box()["width"] <= width
    labels, overlapping = page.evaluate(OVERLAPS)
    assert labels >= 10 and overlapping == [], f"{len(overlapping)} overlapping timeline labels"
    assert "% of the copy restates the source" in page.locator('[data-testid="pair-why"]').first.inner_text()
    assert page.locator("abbr[title]").count() >= 3  # the jargon explained
    page.screenshot(path=str(_artifact(f"story-{width}.png")), full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_fits_the_screen(page, server, width):
    """No page scrolls sideways, on a laptop or a phone; each is screenshotted."""
    page.set_viewport_size({"width": width, "height": 900})
    base = server["base"]
    page.goto(base + "/people")
    person = page.locator('[data-testid="people-list"] a').first.get_attribute("href")
    paths = {"home": "/", "articles": "/articles", "articles-person": "/articles?person=Starmer",
             "people": "/people", "person": person, "search": "/search?q=Starmer", "outlets": "/outlets",
             "article": f"/articles/{server['names']['000']}",
             "diff": f"/diff/{server['names']['001']}/{server['names']['000']}"}
    for name, path in paths.items():
        page.goto(base + path)
        assert page.evaluate(NO_SIDEWAYS), (path, page.evaluate(WIDER))
        page.screenshot(path=str(_artifact(f"{name}-{width}.png")), full_page=True)
    page.goto(base + person)
    assert page.locator('[data-testid="person-roles"] li').count() >= 1
    assert page.locator('[data-testid="person-stories"] a').count() >= 1


def _artifact(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name


def test_the_pages_work_without_javascript(browser, server):
    """Script off: the story page's speakers still open, the home page's filters still submit,
    the article list still pages (all plain HTML: forms, links and <details>)."""
    context = browser.new_context(viewport={"width": 390, "height": 800}, java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(f"{server['base']}/stories/{server['story'].id}")
        speaker = tab.locator("#quotes-list > details.speaker").first
        speaker.locator("summary").click()
        assert speaker.locator("ul.quotes li").first.is_visible()
        tab.goto(server["base"] + "/articles?limit=2")
        tab.locator('a[rel="next"]').click()
        tab.wait_for_url("**/articles?*offset=2*")
        assert tab.locator('[data-testid="article-list"] tbody tr').count() == 2
        tab.fill('form.filters input[name="person"]', "Starmer")
        tab.click('form.filters button[type="submit"]')
        tab.wait_for_url("**/articles?*person=Starmer*")
        assert "Keir Starmer" in tab.locator("main").inner_text()
        tab.screenshot(path=str(_artifact("no-script-articles-390.png")), full_page=True)
    finally:
        context.close()


def test_a_long_source_list_folds_past_five_and_opens_in_place(browser):
    """A sentence run by eight outlets shows five reference links and a "+3" that opens, in
    place and with no script (a checkbox in a label, opened by CSS), onto the other three (the app's own template and stylesheet)."""
    from storyline.web.pages import HERE, _templates

    macro = _templates().env.from_string('{% from "_cites.html" import cites %}<p>Said. {{ cites(items) }} Next.</p>')
    items = [{"id": f"{k:016x}", "number": k, "outlet": f"Outlet {k}", "title": None} for k in range(1, 9)]
    css = (HERE / "static" / "storyline.css").read_text()
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.set_content(f"<!DOCTYPE html><html><head><style>{css}</style></head><body>{macro.render(items=items)}</body></html>")
        refs = tab.locator("a.ref")
        assert refs.count() == 8
        assert [refs.nth(k).is_visible() for k in range(8)] == [True] * 5 + [False] * 3
        summary = tab.locator(".more-cites label")
        assert summary.inner_text() == "+3"
        # The fold sits inside the sentence's paragraph, on its line, not on a line of its own.
        assert tab.locator("p a.ref").count() == 8 and tab.locator("p .more-cites label").count() == 1
        fold, last = summary.bounding_box(), refs.nth(4).bounding_box()
        assert fold["y"] < last["y"] + last["height"] and last["y"] < fold["y"] + fold["height"]
        summary.click()
        assert all(refs.nth(k).is_visible() for k in range(8)) and summary.inner_text() == "−"
        summary.click()  # and folds again
        assert [refs.nth(k).is_visible() for k in range(8)] == [True] * 5 + [False] * 3
        # From the keyboard: the fold is the next stop after the fifth link, and Space opens it.
        refs.nth(4).focus()
        tab.keyboard.press("Tab")
        assert tab.evaluate("document.activeElement.type") == "checkbox"
        tab.keyboard.press("Space")
        assert refs.nth(7).is_visible()
    finally:
        context.close()
