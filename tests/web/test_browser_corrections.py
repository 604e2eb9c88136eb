"""Corrections through the web app in real headless Chromium over a real uvicorn server on a
copy of the seeds store: split the story, move an article into the new story, fix a quote's
speaker, merge two people and undo it, split a person, each from its form; then the store is checked, and checked again after
a relink that re-clusters the whole corpus (a new clusterer version) and re-assigns the people."""

from __future__ import annotations


import pytest
from helpers import seeds_with_people, serving

pytest.importorskip("fastapi")
sync_api = pytest.importorskip("playwright.sync_api")

from test_browser import ARTIFACTS, CHROMIUM_FLAGS  # noqa: E402

import storyline  # noqa: E402
from storyline.link.stories import scan  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(seeds_store, tmp_path_factory):
    from storyline.web.api import create_app

    db = seeds_with_people(seeds_store, tmp_path_factory.mktemp("corrections") / "seeds.db")
    with serving(create_app(db)) as (base, _):
        yield {"base": base, "db": db}


@pytest.fixture(scope="module")
def browser(chromium_executable):
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_executable, args=CHROMIUM_FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, served, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.errors = []
    tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.set_default_timeout(120_000)  # a correction re-links its people: seconds on a busy machine
    yield tab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True, timeout=30_000)
    context.close()
    # The one refused correction is logged by Chromium as a failed load (422); nothing else may be.
    unexpected = [e for e in tab.errors if "status of 422" not in e]
    assert unexpected == [], f"console errors: {unexpected}"


def test_each_correction_through_the_ui_lands_in_the_store_and_survives_a_relink(page, served, monkeypatch):
    base, db = served["base"], served["db"]
    with storyline.open(db) as desk:
        (story,) = desk.stories()
        people = [p for p in desk.store.people() if p.type == "PERSON"][:2]
    first, second, third = story.article_ids[:3]

    # Split the story: tick two articles on the story page.
    page.goto(f"{base}/stories/{story.id}")
    page.click('[data-testid="correct-story"] summary')
    form = page.locator('[data-testid="split-story"]')
    form.locator(f'input[type=checkbox][value="{first}"]').check()
    form.locator(f'input[type=checkbox][value="{second}"]').check()
    form.locator('input[name="reason"]').fill("the first two report the summit, not the talks")
    form.locator('input[name="author"]').fill("ana")
    form.locator('button[type="submit"]').click()
    page.wait_for_url(lambda url: "/stories/" in url and not url.endswith(story.id))
    new_story = page.url.rsplit("/", 1)[-1]
    assert new_story != story.id
    assert page.locator('[data-testid="articles"] tbody tr').count() == 2

    # Move a third article into the new story, from its own page.
    page.goto(f"{base}/articles/{third}")
    page.click('[data-testid="correct-article"] summary')
    move = page.locator('[data-testid="move-article"]')
    move.locator('input[name="story"]').fill(new_story[:10])
    move.locator('input[name="reason"]').fill("it is about the summit too")
    with page.expect_navigation():
        move.locator('button[type="submit"]').click()

    # Fix the speaker of its first quote.
    page.click('[data-testid="correct-article"] summary')
    fix = page.locator('[data-testid="quote-speaker"]')
    fix.locator('select[name="quote"]').select_option("1")
    fix.locator('input[name="speaker"]').fill("Jane Testperson")
    fix.locator('input[name="reason"]').fill("the paragraph before names her")
    with page.expect_navigation():
        fix.locator('button[type="submit"]').click()
    assert page.locator('[data-testid="article-quotes"] li').first.inner_text().find("Jane Testperson") >= 0

    # Merge two people on the corrections page, then undo it there.
    page.goto(f"{base}/corrections")
    merge = page.locator('[data-testid="merge-people"]')
    merge.locator('input[name="keep"]').fill(people[0].id)
    merge.locator('input[name="other"]').fill(people[1].id)
    merge.locator('input[name="reason"]').fill("test merge")
    with page.expect_navigation():
        merge.locator('button[type="submit"]').click()
    rows = page.locator('[data-testid="corrections"] tbody tr')
    assert rows.count() == 4
    assert "test merge" in rows.first.inner_text()
    # A refused correction says why, on the page.
    merge.locator('input[name="keep"]').fill("nobody")
    merge.locator('input[name="other"]').fill(people[1].id)
    merge.locator('input[name="reason"]').fill("typo")
    merge.locator('button[type="submit"]').click()
    sync_api.expect(merge.locator("output.result")).to_contain_text("Not saved: no person 'nobody'")
    with page.expect_navigation():
        page.locator('[data-testid="corrections"] tbody tr').first.locator('button').click()
    assert "undone" in page.locator('[data-testid="corrections"] tbody tr').first.inner_text()
    # Split one article's mentions off the first person, on the same page.
    split = page.locator('[data-testid="split-person"]')
    split.locator('input[name="person"]').fill(people[0].id)
    split.locator('input[name="articles"]').fill(f"{third}, ")
    split.locator('input[name="name"]').fill("Someone Else")
    split.locator('input[name="reason"]').fill("a namesake in that article")
    with page.expect_navigation():
        split.locator('button[type="submit"]').click()
    assert "Someone Else" in page.locator('[data-testid="corrections"] tbody tr').first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "corrections-page.png"), full_page=True)

    def check(desk) -> None:
        assert set(desk.store.story(new_story).article_ids) == {first, second, third}
        assert desk.store.analysis(third).quotes[0].speaker == "Jane Testperson"
        assert desk.store.person(people[1].id).id == people[1].id  # the merge was undone
        kept = desk.store.person(people[0].id)
        assert all(a != third for a, _ in kept.members)
        (other,) = [p for p in desk.store.people() if p.name == "Someone Else"]
        assert {a for a, _ in other.members} == {third}
        made = desk.corrections()
        assert [c.kind for c in made] == ["split-person", "merge-people", "quote-speaker", "move-article",
                                          "split-story"]
        assert [c.author for c in made] == ["web", "web", "web", "web", "ana"]
        assert made[1].undone_at is not None and all(c.undone_at is None for c in made[:1] + made[2:])

    with storyline.open(db) as desk:
        check(desk)
        monkeypatch.setattr(scan, "CLUSTER_VERSION", "browser-corrections")
        desk.link()  # the stories are clustered again from scratch, the people re-assigned
        check(desk)
