"""The pages of issue 22 with FastAPI's TestClient on every backend (the ``site`` of
test_pages.py: four articles, three stories, one reuse pair, Ana Ortiz quoted): the home page's
boxes, the article list's filters and paging, the people list, the person page, the search
page's people links, and the plain-words reasons (report/why.py)."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")

from test_pages import assert_inert, html_error, parse, site  # noqa: E402,F401 - the fixture is shared

from storyline.records import Change, Mention, Quote, ReusePair, SentencePair  # noqa: E402
from storyline.report.why import (  # noqa: E402
    changes_phrase, join_why, member_why, membership_why, reuse_why, speaker_why,
)
from storyline.web.person_views import title_conflicts  # noqa: E402


def article_links(page: str) -> list[str]:
    page = page[page.index('data-testid="article-list"'):].split("</table>")[0] if "article-list" in page else ""
    return [a["href"] for tag, a in parse(page).tags if tag == "a" and a.get("href", "").startswith("/articles/")]


def text_of(page: str) -> str:
    return " ".join("".join(parse(page).text).split())


def test_the_home_page_shows_what_is_new_beside_the_largest_stories(site):
    site.get("/api/people")  # assigns the people (the people step)
    page = site.get("/").text
    latest = page[page.index('data-testid="home-latest"'):].split("</section>")[0]
    hrefs = [a["href"] for tag, a in parse(latest).tags if tag == "a" and a["href"].startswith("/articles/")]
    assert hrefs[0] == f"/articles/{site.ids['hostile']}" and len(hrefs) == 4  # newest stated day first
    assert f'href="/stories/{site.ids["wall"]}"' in latest  # each with its story
    assert "Ana Ortiz" in page[page.index('data-testid="home-people"'):]
    # Filtering or paging is not the home page: no boxes.
    assert 'data-testid="home-latest"' not in site.get("/", params={"q": "wall"}).text
    assert_inert(page)


def test_the_article_list_filters_and_pages(site):
    ids = site.ids
    site.get("/api/people")
    everything = site.get("/articles").text
    assert article_links(everything) == [f"/articles/{ids[k]}" for k in ("hostile", "tour", "copy", "wall")]
    assert "1–4 of 4 articles" in text_of(everything)
    assert article_links(site.get("/articles", params={"outlet": "Bay News"}).text) == [
        f"/articles/{ids['tour']}", f"/articles/{ids['copy']}"]
    assert article_links(site.get("/articles", params={"since": "2026-03-03", "until": "2026-04-10"}).text) == [
        f"/articles/{ids['tour']}", f"/articles/{ids['copy']}"]
    in_story = site.get("/articles", params={"story": ids["wall"]}).text
    assert article_links(in_story) == [f"/articles/{ids['copy']}", f"/articles/{ids['wall']}"]
    assert "In the story" in text_of(in_story)
    for typed in ("Ortiz", "ana ortiz"):  # a name (or surname) finds the person
        found = site.get("/articles", params={"person": typed}).text
        assert article_links(found) == [f"/articles/{ids['wall']}"] and "Naming Ana Ortiz" in text_of(found)
    nobody = site.get("/articles", params={"person": "Zebedee"}).text
    assert article_links(nobody) == [] and "Nobody named “Zebedee” is known" in text_of(nobody)
    first = site.get("/articles", params={"limit": 3}).text
    assert len(article_links(first)) == 3 and 'rel="next"' in first and "1–3 of 4" in text_of(first)
    assert 'href="/articles?offset=3&amp;limit=3" rel="next"' in first  # the page size is kept
    last = site.get("/articles", params={"limit": 3, "offset": 3}).text
    assert article_links(last) == [f"/articles/{ids['wall']}"] and 'rel="prev"' in last and 'rel="next"' not in last
    assert "no story" in html_error(site.get("/articles", params={"story": "ffff"}), 404)
    assert "since" in html_error(site.get("/articles", params={"since": "soon"}), 422)
    assert "at most" in html_error(site.get("/articles", params={"person": "x" * 201}), 422)
    assert_inert(everything)


def test_the_person_page_gives_roles_with_sources_quotes_and_stories(site):
    people = site.get("/api/people").json()["items"]
    ortiz = next(p for p in people if p["name"] == "Ana Ortiz")
    r = site.get(f"/people/{ortiz['id']}")
    assert r.status_code == 200
    page, text = r.text, text_of(r.text)
    assert_inert(page)
    assert "the work would start in April" in page[page.index('data-testid="person-quotes"'):]
    assert "Given to Ana Ortiz" in text
    assert f'href="/stories/{site.ids["wall"]}"' in page[page.index('data-testid="person-stories"'):]
    assert f'href="/articles?person={ortiz["id"]}"' in page
    why = text_of(page[page.index('data-testid="person-why"'):].split("</ul>")[0])
    assert why.endswith(">1 mention: same name")  # the one member, with the reason it joined
    assert "no person" in html_error(site.get("/people/nobody"), 404)
    article = site.get(f"/articles/{site.ids['wall']}").text  # its names link to their person pages
    assert f'href="/people/{ortiz["id"]}"' in article[article.index('data-testid="article-people"'):]
    listing = site.get("/people").text
    assert f'href="/people/{ortiz["id"]}"' in listing
    search = site.get("/search", params={"q": "Ortiz"}).text
    assert f'href="/people/{ortiz["id"]}"' in search[search.index('data-testid="search-people"'):]


def test_title_conflicts_name_former_and_current_titles_only():
    assert title_conflicts([("President", 3), ("former President", 1)]) == [
        "called “President” in 3 articles but “former President” in 1 article"]
    assert title_conflicts([("Prime Minister", 2), ("UK Prime Minister", 1)]) == []  # the same office
    assert title_conflicts([("Defence Secretary", 2), ("MP", 1)]) == []  # two offices, both may hold
    assert len(title_conflicts([("Chancellor", 1), ("ex-Chancellor", 1)])) == 1


def test_why_an_article_joined_its_story_reads_the_clusterer_s_stored_evidence():
    """The story page says how the clusterer placed each article, from the evidence it stored:
    the score against the bar, the names, numbers and words it shares (stems shown as the
    article writes them), and its nearest article by title."""
    joined = {"kind": "joined", "story": "s", "score": 1.5521, "join_threshold": 1.5, "cosine": 0.6897,
              "shared_entities": ["harriet quill", "#2.6", "Port Selby"], "shared_terms": ["robber", "pari", "zzz"],
              "nearest_article": "n" * 16, "nearest_similarity": 0.6897}
    text = "Robbers hit a Paris store. Harriet Quill said the robbery cost 2.6 million."
    said = join_why(joined, text, {"n" * 16: "Ferry robbers caught"})
    assert said == ("Joined as it arrived (score 1.55, 1.50 needed): alike in meaning 0.69; shares Harriet Quill, "
                    "Port Selby and the number 2.6; the words robbers, paris, zzz; nearest “Ferry robbers caught” (0.69).")
    assert "nearest article nnnnnnnnnn (0.69)" in join_why(joined, "", {})  # no title, no text: ids and stems
    rescued = {**joined, "kind": "rescued", "rescue_threshold": 1.1, "shared_entities": [], "shared_terms": []}
    assert join_why(rescued).startswith("Joined on a second look, once the story had grown (score 1.55, 1.10 needed)")
    founded = {"kind": "founded", "join_threshold": 0.8, "nearest_story": "x", "nearest_score": 0.2912,
               "other_years": {"story": "y", "article_years": ["2013"], "story_years": ["2008"]}}
    assert join_why(founded) == ("Started this story: the nearest story scored 0.29, below the 0.80 needed "
                                 "to join it; story y, which names 2008, was left out, as this article names 2013.")
    split = {"kind": "split", "from": "z", "centroid_cosine": 0.35, "moved": 5, "before": joined}
    assert join_why(split).startswith("Moved here with the 5 articles on its subject") and "Before that: Joined" in join_why(split)
    assert join_why({"kind": "time shard", "score": 1.7, "cosine": 0.8}).startswith(
        "Joined when two stretches of the stream were put together (score 1.70): alike in meaning 0.80")
    assert join_why(None) == join_why({"kind": "pinned"}) == ""
    # A founder of a story merged into this one later says so, and how.
    merge = {"rule": "converge", "score": 1.5844, "by": "b" * 16}
    assert join_why(founded, "", {"b" * 16: "Ferry sold"}, merge).startswith(
        "Started a story of its own: the nearest story scored")
    assert join_why(founded, "", {"b" * 16: "Ferry sold"}, merge).endswith(
        "; that story joined this one later, when “Ferry sold” matched both (score 1.58).")
    assert join_why(founded, "", {}, {"rule": "rescue", "score": 0.99}).endswith("later, on a second look (score 0.99).")
    headlines = {"rule": "converge", "score": 0.95, "bar": 0.9, "by": "b" * 16}  # two stories of headlines
    assert join_why(founded, "", {"b" * 16: "Ferry sold"}, headlines).endswith("matched both (score 0.95, 0.90 needed).")
    assert join_why(founded, "", {}, {"via": "c"}).endswith("; that story joined another, which this one absorbed later.")
    assert join_why(founded, "", {}, {}).endswith("; that story joined this one later.")  # no merge row found
    # On the page: how it was placed, then the copies and people it shares when it has any.
    pair = ReusePair("s", "d", "rewrite", 0.93, 0.82)
    assert member_why("d", joined, text, {}, [pair], [], {"s": "Selby Post"}).endswith(
        "(0.69). In this story because it shares copied passages with Selby Post.")
    assert member_why("d", None, text, {}, [], [], {}).startswith("Placed here by the similarity")
    assert member_why("d", joined, text, {}, [], [], {}).startswith("Joined as it arrived")


def test_evidence_of_another_version_or_shape_leaves_a_part_out_never_raises():
    """The evidence is stored JSON, written by whichever version placed the article: a missing
    part, a None, a string where a number was, a string where a list was, is left out."""
    odd = [None, "x", 3, [], {}, {"kind": "joined"}, {"kind": "joined", "score": None, "join_threshold": "1.5"},
           {"kind": "joined", "score": "0.8", "cosine": None, "nearest_similarity": "0.9", "nearest_article": 7},
           {"kind": "joined", "shared_entities": "obama", "shared_terms": [1, None, "vote"], "not_merged": {"a": 1}},
           {"kind": "joined", "not_merged": ["x", {"score": None, "people": "ab"}]},
           {"kind": "rescued", "score": 1.2, "rescue_threshold": None},
           {"kind": "founded", "nearest_story": "s", "nearest_score": None, "other_years": "2013"},
           {"kind": "founded", "other_years": {"story_years": [2008], "article_years": None}},
           {"kind": "founded", "other_people": {"story": ["a"], "people": ["x"], "story_people": ["y"]}},
           {"kind": "founded", "other_people": {"story": "s", "people": [" "], "story_people": "y", "days": "x"}},
           {"kind": "founded", "other_people": "williams"},
           {"kind": "split", "centroid_cosine": None, "moved": "5", "before": "x"},
           {"kind": "time shard", "score": True}]
    for why in odd:
        said = join_why(why, "some text", {"n": "A title"}, None)
        assert isinstance(said, str)
        for merged in ({"rule": "average link", "link": None}, {"rule": "converge", "by": ["x"]}, {"via": 3},
                       {"rule": "converge", "score": 10**400, "bar": float("nan")}, {"rule": "converge", "score": 1.0, "bar": 10**400}):
            assert isinstance(join_why(why, "", None, merged), str)
    assert join_why({"kind": "joined", "shared_entities": "obama"}) == "Joined as it arrived."  # a string is no list
    for other in ({"story": ["a"], "people": ["x"], "story_people": ["y"]}, {"story": "s", "people": [" "], "story_people": ["y"]}):
        assert join_why({"kind": "founded", "other_people": other}) == "Started this story."  # no part half said
    assert join_why({"kind": "founded", "other_people": {"story": "s", "people": ["x"], "story_people": ["y"], "days": "x"}}) \
        == "Started this story; story s, apart in time and about Y, was left out, as this article leads with X."
    assert join_why({"kind": "joined", "score": "0.8", "join_threshold": 1.5}) == "Joined as it arrived (1.50 needed)."
    # A name another shown name holds is said once, in full.
    assert join_why({"kind": "joined", "shared_entities": ["helen varga", "varga", "calder marsh", "Calder Marsh Ltd"]}) \
        == "Joined as it arrived: shares Helen Varga, Calder Marsh Ltd."


def test_the_reasons_are_plain_words_from_the_stored_numbers():
    aligned = tuple(SentencePair((i, i + 1), (i, i + 1), 0.9, 1.0 if i < 2 else 0.5) for i in range(5))
    pair = ReusePair("s", "d", "rewrite", 0.93, 0.82, changes=(
        Change("role_changed", "President", "former President"), Change("number_changed", "3", "4"),
        Change("quote_to_paraphrase", "“a”", "a"), Change("quote_to_paraphrase", "“b”", "b")),
        evidence=("quotations in the shared passages: 4 vs 14 (-2.50)",), aligned=aligned)
    said = reuse_why(pair)
    assert said.startswith("A rewrite of the source: 82% of the copy restates the source (5 sentences matched, 2 word for word)")
    assert "4 changes of meaning: 2 quotes turned into paraphrase, a number changed, a title changed." in said
    assert "Direction 93% sure, mainly from quotations in the shared passages: 4 vs 14." in said
    assert "Which one copied the other is unknown" in reuse_why(ReusePair("s", "d", "partial", 0.5, 0.4))
    assert reuse_why(ReusePair("s", "d", "independent", 0.5, 0.1, similarity=0.3)).startswith("Judged independent")
    assert changes_phrase([]) == "no changes"
    assert changes_phrase(["a", "b", "c", "d"]).endswith("and more")

    assert membership_why("d", [pair], ["Ana Ortiz"], {"s": "Selby Post"}) == (
        "In this story because it shares copied passages with Selby Post and names Ana Ortiz, "
        "as other articles of the story do.")
    assert membership_why("x", [], [], {}).startswith("Placed here by the similarity")

    def quote(speaker, mention=None, anonymous=False):
        m = Mention("a", 0, len(mention), mention) if mention else None
        return Quote("a", "words", 10, 15, "direct", cue="said", speaker=speaker, speaker_mention=m, anonymous=anonymous)

    assert speaker_why(quote("Keir Starmer", "Starmer")) == "Given to Keir Starmer: named as “Starmer” next to the quote with “said”."
    assert "refers back to the last person named, Keir Starmer" in speaker_why(quote("Keir Starmer", "he"))
    assert "calls the speaker “the Prime Minister”" in speaker_why(quote("Keir Starmer", "the Prime Minister"))
    assert speaker_why(quote("a senior MP", anonymous=True)).startswith("An unnamed source")
    assert speaker_why(quote(None)) == "No speaker found near the quote."
