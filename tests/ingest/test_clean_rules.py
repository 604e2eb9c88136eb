"""The text-cleaning rules (storyline.ingest.clean), one hand-written dump per rule.

Each case states the metadata the rule must find, what it must cut (and record as a Cut), and
what must stay in the body. Every case also checks that nothing disappears silently: each
word of the input is in the body or in a recorded cut.
"""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.ingest.clean import clean_text

P1 = ("The council voted on Tuesday night to approve the new harbour wall, after a debate that "
      "ran for almost four hours.")
P2 = "Residents on the quayside had asked for better protection for more than a decade, the mayor said."
P3 = "Work is due to start in the autumn and should be finished within two years, officials said."
BODY = [P1, P2, P3]


def dump(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def assert_nothing_lost(text: str, cleaned) -> None:
    kept = cleaned.body + " " + " ".join(c.text for c in cleaned.cuts)
    assert words(text) <= words(kept), words(text) - words(kept)


def paragraphs(cleaned) -> list[str]:
    return cleaned.body.split("\n\n")


# --- header rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expect", "cuts"),
    [
        pytest.param(
            dump("Harbour wall approved after four-hour debate ...Local News", *BODY),
            {"title": "Harbour wall approved after four-hour debate"},
            [("headline-site-suffix", " ...Local News"),
             ("headline", "Harbour wall approved after four-hour debate ...Local News")],
            id="headline-section-junk",
        ),
        pytest.param(
            dump("Harbour wall approved after four-hour debate…Top Stories", *BODY),
            {"title": "Harbour wall approved after four-hour debate"},
            [("headline-site-suffix", "…Top Stories"),
             ("headline", "Harbour wall approved after four-hour debate…Top Stories")],
            id="headline-ellipsis-junk",
        ),
        pytest.param(
            dump("Harbour wall approved", "portbayherald - News", *BODY),
            {"title": "Harbour wall approved", "outlet": "portbayherald"},
            [("headline", "Harbour wall approved"), ("site-line", "portbayherald - News")],
            id="site-news-line",
        ),
        pytest.param(
            dump("Harbour wall approved", "The Portbay Herald | Politics", *BODY),
            {"outlet": "The Portbay Herald"},
            [("headline", "Harbour wall approved"), ("site-line", "The Portbay Herald | Politics")],
            id="site-pipe-section-line",
        ),
        pytest.param(
            dump("Harbour wall approved ...Local News", "portbayherald - News", "Harbour wall approved ...Local News",
                 *BODY),
            {"title": "Harbour wall approved", "outlet": "portbayherald"},
            [("headline-site-suffix", " ...Local News"), ("headline", "Harbour wall approved ...Local News"),
             ("site-line", "portbayherald - News"), ("repeated-headline", "Harbour wall approved ...Local News")],
            id="repeated-headline-with-junk",
        ),
        pytest.param(
            dump("Harbour wall approved after a long ...Local News",
                 "Harbour wall approved after a long night of debate", *BODY),
            {"title": "Harbour wall approved after a long night of debate"},
            [("headline-site-suffix", " ...Local News"),
             ("headline", "Harbour wall approved after a long ...Local News"),
             ("repeated-headline", "Harbour wall approved after a long night of debate")],
            id="repeated-headline-full-copy-wins",
        ),
        pytest.param(
            dump("Harbour wall approved", "2026-03-11 07:42:00", *BODY),
            {"published": "2026-03-11T07:42:00"},
            [("headline", "Harbour wall approved"), ("date-line", "2026-03-11 07:42:00")],
            id="iso-date-line",
        ),
        pytest.param(
            dump("Harbour wall approved", "Published: 11 March 2026", *BODY),
            {"published": "2026-03-11"},
            [("headline", "Harbour wall approved"), ("date-line", "Published: 11 March 2026")],
            id="published-date-line",
        ),
        pytest.param(
            dump("Harbour wall approved", "Wed, 11 Mar 2026 09:15:00 +0000", *BODY),
            {"published": "2026-03-11T09:15:00+00:00"},
            [("headline", "Harbour wall approved"), ("date-line", "Wed, 11 Mar 2026 09:15:00 +0000")],
            id="rfc-date-line",
        ),
        pytest.param(
            dump("Wednesday, March 11, 2026", "Harbour wall approved", *BODY),
            {"title": "Harbour wall approved", "published": "2026-03-11"},
            [("date-line", "Wednesday, March 11, 2026"), ("headline", "Harbour wall approved")],
            id="date-line-above-the-headline",
        ),
        pytest.param(
            dump("Updated: March 11, 2026 20:09", "Harbour wall approved", "By Jane Roe", *BODY),
            {"title": "Harbour wall approved", "published": "2026-03-11T20:09:00", "byline": "Jane Roe"},
            [("date-line", "Updated: March 11, 2026 20:09"), ("headline", "Harbour wall approved"),
             ("byline", "By Jane Roe")],
            id="updated-line-above-the-headline-and-byline",
        ),
        pytest.param(
            dump("Harbour wall approved", "Abstract: Councillors back a £40m wall to protect the quayside.", *BODY),
            {"abstract": "Councillors back a £40m wall to protect the quayside."},
            [("headline", "Harbour wall approved"),
             ("abstract-line", "Abstract: Councillors back a £40m wall to protect the quayside.")],
            id="abstract-line",
        ),
        pytest.param(
            dump("Harbour wall approved", "Source: The Portbay Herald", *BODY),
            {"outlet": "The Portbay Herald"},
            [("headline", "Harbour wall approved"), ("source-line", "Source: The Portbay Herald")],
            id="source-line",
        ),
        pytest.param(
            dump("Harbour wall approved", "By Jane Roe", *BODY),
            {"byline": "Jane Roe"},
            [("headline", "Harbour wall approved"), ("byline", "By Jane Roe")],
            id="byline-under-headline",
        ),
        pytest.param(
            dump("Harbour wall approved", "portbay - News", "2026-03-11 07:42:00", "Source: The Portbay Herald",
                 "Abstract: A wall for the quayside.", "By Jane Roe", *BODY),
            {"title": "Harbour wall approved", "outlet": "The Portbay Herald", "published": "2026-03-11T07:42:00",
             "abstract": "A wall for the quayside.", "byline": "Jane Roe"},
            [("headline", "Harbour wall approved"), ("site-line", "portbay - News"),
             ("date-line", "2026-03-11 07:42:00"),
             ("source-line", "Source: The Portbay Herald"), ("abstract-line", "Abstract: A wall for the quayside."),
             ("byline", "By Jane Roe")],
            id="full-header-source-line-wins-over-site-line",
        ),
    ],
)
def test_header_rules(text, expect, cuts):
    cleaned = clean_text(text)
    for name, value in expect.items():
        assert getattr(cleaned, name) == value, name
        assert cleaned.fields[name].origin == "stated", name
    assert [(c.kind, c.text) for c in cleaned.cuts] == cuts
    assert paragraphs(cleaned) == BODY
    assert_nothing_lost(text, cleaned)


def test_field_evidence_quotes_the_line_it_was_read_from():
    cleaned = clean_text(dump("Harbour wall approved", "2026-03-11 07:42:00", "Source: The Portbay Herald", *BODY))
    assert cleaned.fields["published"].evidence == "2026-03-11 07:42:00"
    assert cleaned.fields["outlet"].evidence == "Source: The Portbay Herald"
    assert cleaned.fields["title"].evidence == "Harbour wall approved"
    assert cleaned.fields["byline"].origin == "missing" and cleaned.byline is None


# --- footer rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tail", "expect", "cuts"),
    [
        pytest.param(["By Jane Roe"], {"byline": "Jane Roe"}, [("byline", "By Jane Roe")], id="trailing-byline"),
        pytest.param(["By: Jane van der Berg, Political Correspondent"], {"byline": "Jane van der Berg"},
                     [("byline", "By: Jane van der Berg, Political Correspondent")], id="byline-with-role"),
        pytest.param(["The original article: The Portbay Herald ."], {"outlet": "The Portbay Herald"},
                     [("source-credit", "The original article: The Portbay Herald .")], id="original-article-credit"),
        pytest.param(
            ["By Jane Roe", "The original article: The Portbay Herald .", "Jane Roe belongs to"],
            {"byline": "Jane Roe", "outlet": "The Portbay Herald"},
            [("page-furniture", "Jane Roe belongs to"), ("source-credit", "The original article: The Portbay Herald ."),
             ("byline", "By Jane Roe")],
            id="aggregator-trailer",
        ),
        pytest.param(
            ["Comments", "Leave a Comment", "Share this article", "Tags: harbour, council", "© 2026 Portbay Media"],
            {},
            [("page-furniture", "© 2026 Portbay Media"), ("page-furniture", "Tags: harbour, council"),
             ("page-furniture", "Share this article"), ("page-furniture", "Leave a Comment"),
             ("page-furniture", "Comments")],
            id="page-furniture",
        ),
    ],
)
def test_footer_rules(tail, expect, cuts):
    text = dump("Harbour wall approved", *BODY, *tail)
    cleaned = clean_text(text)
    for name, value in expect.items():
        assert getattr(cleaned, name) == value, name
        assert cleaned.fields[name].origin == "stated", name
    assert [(c.kind, c.text) for c in cleaned.cuts if c.kind != "headline"] == cuts
    assert paragraphs(cleaned) == BODY
    assert_nothing_lost(text, cleaned)


def test_header_credit_beats_footer_credit():
    cleaned = clean_text(dump("Harbour wall approved", "Source: Portbay Herald", *BODY,
                              "The original article: Wire Copy Service ."))
    assert cleaned.outlet == "Portbay Herald"
    assert cleaned.fields["outlet"].evidence == "Source: Portbay Herald"
    assert ("source-credit", "The original article: Wire Copy Service .") in [(c.kind, c.text) for c in cleaned.cuts]


# --- glued lines -----------------------------------------------------------------------------


def test_byline_glued_to_the_last_sentence():
    last = "Work starts in the autumn, officials said, and that is the end.By Jane Roe"
    text = dump("Harbour wall approved", P1, P2, last)
    cleaned = clean_text(text)
    assert cleaned.byline == "Jane Roe" and cleaned.fields["byline"].origin == "stated"
    assert paragraphs(cleaned)[-1] == "Work starts in the autumn, officials said, and that is the end."
    assert ("byline", "By Jane Roe") in [(c.kind, c.text) for c in cleaned.cuts]
    assert_nothing_lost(text, cleaned)


@pytest.mark.parametrize(
    ("line", "text", "heading"),
    [
        ("The talks will resume next week in Oslo, she said.Norway",
         "The talks will resume next week in Oslo, she said.", "Norway"),
        ("“We are ready to sign,” the foreign minister told reporters.Next Steps",
         "“We are ready to sign,” the foreign minister told reporters.", "Next Steps"),
        ("Prices rose by 4.5% in the year to March, up from 3.9%.Outlook",
         "Prices rose by 4.5% in the year to March, up from 3.9%.",
         "Outlook"),
        # An abbreviation that ends sentences too ("Inc.", "Jr.") still ends the paragraph.
        ("The deal was announced on Monday by Apple Inc.Analysis",
         "The deal was announced on Monday by Apple Inc.", "Analysis"),
    ],
)
def test_sub_heading_glued_to_a_paragraph_becomes_its_own_paragraph(line, text, heading):
    raw = dump("Harbour wall approved", P1, line, P3)
    cleaned = clean_text(raw)
    assert paragraphs(cleaned) == [P1, text, heading, P3]
    assert cleaned.cuts == [c for c in cleaned.cuts if c.kind == "headline"]  # a split, not a cut
    assert_nothing_lost(raw, cleaned)


@pytest.mark.parametrize(
    "line",
    [
        "The vote was 31 to 19.",  # an ordinary sentence
        "He moved to the U.S.Navy base in 2019 and stayed.",  # an abbreviation, not a heading
        "Hackers claim to publish evidence of fraud at Bitcoin exchange Mt.Gox",  # a name after one
        "The ballpark is a short drive from downtown St.Louis",
        "Short one.Word",  # too short to be a paragraph with a lost break
    ],
)
def test_no_false_split(line):
    cleaned = clean_text(dump("Harbour wall approved", P1, line, P3))
    assert line in paragraphs(cleaned)


# --- aggregator boilerplate ------------------------------------------------------------------


def test_aggregator_boilerplate_is_removed_and_recorded():
    junk_anywhere = [
        "Read More Details",
        "Finally We wish PressBee provided you with enough information of ( Harbour wall approved )",
        "Also on site : Ferry strike called off",
        "Advertisement",
    ]
    text = dump("Harbour wall approved", "portbay - News", P1, junk_anywhere[3], P2, junk_anywhere[0], P3,
                junk_anywhere[1], junk_anywhere[2], "Comments", "Leave a Comment", "Harbour wall approved belongs to")
    cleaned = clean_text(text)
    assert paragraphs(cleaned) == BODY
    cut = [(c.kind, c.text) for c in cleaned.cuts]
    for line in junk_anywhere:
        assert ("aggregator-boilerplate", line) in cut
    for line in ("Comments", "Leave a Comment", "Harbour wall approved belongs to"):
        assert ("page-furniture", line) in cut
    assert cleaned.outlet == "portbay"
    assert_nothing_lost(text, cleaned)


def test_furniture_words_mid_article_are_kept():
    # "Comments" and "Related" are furniture only in the trailing run; mid-article they may be
    # sub-headings, and "Source:" deep in the body is text, not a header line.
    text = dump("Harbour wall approved", P1, "Comments", P2, "Related", "Source: council minutes, page 4.", P3)
    cleaned = clean_text(text)
    assert paragraphs(cleaned) == [P1, "Comments", P2, "Related", "Source: council minutes, page 4.", P3]
    assert cleaned.outlet is None


# --- headline inference ----------------------------------------------------------------------


def test_dateline_lede_gives_an_inferred_title_and_stays_in_the_body():
    lede = ("LONDON – The government said on Monday that it would spend £2bn on sea defences along the "
            "east coast over the next ten years, after a winter of record storms. Ministers said the money "
            "would come from the transport budget.")
    text = dump(lede, P2, P3)
    cleaned = clean_text(text)
    # The first sentence, without the dateline, cut to 20 words.
    assert cleaned.title == ("The government said on Monday that it would spend £2bn on sea defences along "
                             "the east coast over the next…")
    assert cleaned.fields["title"].origin == "inferred"
    assert "LONDON" not in cleaned.title
    assert paragraphs(cleaned) == [lede, P2, P3]
    assert cleaned.cuts == []


@pytest.mark.parametrize(
    ("first", "title"),
    [
        ("PORTBAY, ENGLAND — Councillors approved a new harbour wall on Tuesday. The vote was close.",
         "Councillors approved a new harbour wall on Tuesday"),
        ("ST. IVES - Councillors approved a new harbour wall on Tuesday. The vote was close.",
         "Councillors approved a new harbour wall on Tuesday"),
        ("Councillors approved a new harbour wall on Tuesday – but the money is not yet found. The vote was close.",
         "Councillors approved a new harbour wall on Tuesday"),
        # A stop after an abbreviation or an initial ends no sentence (the title was "Dr").
        ("Dr. Ana Lund, the harbour engineer, approved the new wall on Tuesday. The vote was close.",
         "Dr. Ana Lund, the harbour engineer, approved the new wall on Tuesday"),
        ("Gen. Tom Reyes met J. Doe at the U.S. embassy in Port Selby. The visit was brief.",
         "Gen. Tom Reyes met J. Doe at the U.S. embassy in Port Selby"),
        # An acronym before a word that opens sentences ends the sentence.
        ("The mayor spoke in Washington, D.C. He said the wall would be built soon.",
         "The mayor spoke in Washington, D.C"),
        # A dotted acronym, and an initial a tokeniser spaced from its stop (ECB+ text).
        ("According to the L.A. Times, the Angels made an eight-year offer. The deal was big.",
         "According to the L.A. Times, the Angels made an eight-year offer"),
        ("Red Sox owner John W . Henry met the player in Texas on Thursday . The talks were long .",
         "Red Sox owner John W . Henry met the player in Texas on Thursday"),
        ('The mayor said "no." Councillors then approved the wall anyway after a long debate.',
         'The mayor said "no."'),
    ],
)
def test_inferred_title_from_lede(first, title):
    cleaned = clean_text(dump(first, P2))
    assert cleaned.title == title and cleaned.fields["title"].origin == "inferred"
    assert paragraphs(cleaned)[0] == first


def test_standfirst_is_the_abstract_and_stays_in_the_body():
    standfirst = "Councillors back a £40m wall after residents spent a decade asking for protection"
    cleaned = clean_text(dump("Harbour wall approved", standfirst, *BODY))
    assert cleaned.abstract == standfirst and cleaned.fields["abstract"].origin == "inferred"
    assert paragraphs(cleaned) == [standfirst, *BODY]


def test_stated_metadata_wins_and_the_repeated_title_is_cut():
    text = dump("Harbour wall approved", "Source: Some Aggregator", *BODY)
    cleaned = clean_text(text, stated={"title": "Harbour wall approved", "outlet": "Portbay Herald - News",
                                       "published": "Wed, 11 Mar 2026 09:15:00 +0000", "byline": "  Jane   Roe "})
    assert cleaned.title == "Harbour wall approved"
    assert cleaned.outlet == "Portbay Herald"  # its section label dropped
    assert cleaned.published == "2026-03-11T09:15:00+00:00"
    assert cleaned.byline == "Jane Roe"
    assert all(cleaned.fields[n].evidence == "structured input" for n in ("title", "outlet", "published", "byline"))
    assert paragraphs(cleaned) == BODY
    assert ("repeated-headline", "Harbour wall approved") in [(c.kind, c.text) for c in cleaned.cuts]


def test_unparseable_stated_date_is_missing_not_invented():
    cleaned = clean_text(dump("Harbour wall approved", *BODY), stated={"published": "sometime last spring"})
    assert cleaned.published is None and cleaned.fields["published"].origin == "missing"


# --- property: plain paragraphs are never lost -----------------------------------------------

_WORDS = ("harbour council wall residents money mayor night vote debate river town road school "
          "ferry crew bridge library week year plan report budget officials engineers traders "
          "said voted asked built opened closed agreed expects will would could new old long short "
          "the a an of to in on for with after before and but near over under").split()
_word = st.sampled_from(_WORDS)
_number = st.integers(min_value=2, max_value=999).map(str)
_sentence = st.builds(
    lambda first, rest, end: " ".join([first.capitalize(), *rest]) + end,
    _word,
    st.lists(st.one_of(_word, _number), min_size=3, max_size=18),
    st.sampled_from([".", ".", ".", "?", "!"]),
)
_paragraph = st.lists(_sentence, min_size=2, max_size=4).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_paragraph, min_size=1, max_size=6), st.sampled_from(["\n", "\n\n", "\r\n", "\n  \n"]))
def test_plain_paragraphs_are_never_lost(paras, sep):
    cleaned = clean_text(sep.join(paras))
    assert paragraphs(cleaned) == paras
    assert cleaned.cuts == []


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=string.ascii_letters + string.digits + " .,;:!?'-\n()", max_size=400))
def test_every_word_is_in_the_body_or_a_cut(text):
    cleaned = clean_text(text)
    kept = cleaned.body + " " + " ".join(c.text for c in cleaned.cuts)
    if cleaned.title and cleaned.fields["title"].origin == "stated":
        kept += " " + cleaned.title
    assert words(text) <= words(kept)


@pytest.mark.parametrize(
    "lede",
    [
        "Who will pay for the wall? The council says residents will not.",
        "It is done! The wall was finished on Friday.",
        "The wall is finished. Nobody thought it would be.",
    ],
)
def test_two_sentence_first_line_is_a_lede_not_a_headline(lede):
    cleaned = clean_text(dump(lede, P2))
    assert paragraphs(cleaned) == [lede, P2]
    assert cleaned.fields["title"].origin == "inferred"


@pytest.mark.parametrize("stated", [False, True], ids=["headline-in-text", "title-stated"])
def test_lede_opening_with_the_headline_words_is_kept(stated):
    title = "Council approves new harbour wall"
    lede = "Council approves new harbour wall after a four-hour debate on Tuesday night. The vote was 31 to 19."
    text = dump(title, lede, P2)
    cleaned = clean_text(text, stated={"title": title} if stated else None)
    assert cleaned.title == title
    assert paragraphs(cleaned) == [lede, P2]


_headline = st.lists(_word, min_size=3, max_size=10).map(lambda ws: " ".join(ws).capitalize())


@settings(max_examples=150, deadline=None)
@given(_headline, st.lists(_paragraph, min_size=1, max_size=4), st.booleans(), st.booleans())
def test_headline_then_paragraphs(headline, paras, lede_repeats_headline, stated):
    # The lede may open with the headline's own words: it is still body text.
    if lede_repeats_headline:
        paras = [headline + " " + paras[0][0].lower() + paras[0][1:], *paras[1:]]
    cleaned = clean_text("\n".join([headline, *paras]), stated={"title": headline} if stated else None)
    assert cleaned.title == headline
    assert paragraphs(cleaned) == paras


def test_a_date_line_on_top_of_a_lede_is_the_date_and_the_lede_stays_the_body():
    """A date above the first paragraph is the publication date; with no headline after it the
    title is inferred from the lede, which stays in the body (only the date is cut)."""
    lede = "Councillors approved a new harbour wall on Tuesday. The vote was close."
    cleaned = clean_text(dump("Friday, March 13, 2026", lede, P2))
    assert cleaned.published == "2026-03-13" and cleaned.fields["published"].origin == "stated"
    assert cleaned.title == "Councillors approved a new harbour wall on Tuesday"
    assert cleaned.fields["title"].origin == "inferred"
    assert paragraphs(cleaned) == [lede, P2]


@pytest.mark.parametrize(("line", "published"), [
    ("AUGUST 2, 2013 | 08:06AM PT", "2013-08-02T08:06:00-08:00"),
    ("Posted: Friday, Dec 12, 2008 | 10:15 a.m.", "2008-12-12T10:15:00"),
    ("Port Selby, Jul 13, 2009/02:00 pm (CNA)", "2009-07-13T14:00:00"),
    ("Washington D. C., Jul 13, 2009", "2009-07-13"),
    ("on April 30, 2008 at 4:31 AM, updated April 30, 2008 at 8:33 AM", "2008-04-30T04:31:00"),
    ("First Published: June 13, 2013 4:59 PM EDT", "2013-06-13T16:59:00-04:00"),
    ("TNN Nov 12, 2011, 05.51AM IST MUMBAI:", "2011-11-12T05:51:00+05:30"),
    ("WASHINGTON, DC, April 28, 2009", "2009-04-28"),
    ("Jan 5, 2011 – 4:35 PM", "2011-01-05T16:35:00"),
    ("26 September 2013, 10:00 (GMT+05:00)", "2013-09-26T10:00:00"),
    ("Sat Nov 12 2011, 01:19 hrs", "2011-11-12T01:19:00"),
])
def test_date_lines_as_news_pages_print_them(line, published):
    """A time after a bar or a slash, "a.m.", a US zone's letters, an outlet in brackets after
    the date and a dateline's place before it: the line is the date, cut from the body."""
    lede = "Councillors approved a new harbour wall on Tuesday. The vote was close."
    cleaned = clean_text(dump("Harbour wall approved", line, lede, P2))
    assert cleaned.published == published and cleaned.fields["published"].origin == "stated"
    assert paragraphs(cleaned) == [lede, P2]


@pytest.mark.parametrize("line", ["The council met on Jul 13, 2009", "By Ana Lund | May 3, 2013 and more",
                                  "Posted 1 year, 160 days ago [downloaded on 2 October 2013]",
                                  "The price rose 2.50 in 2013 after talks", "Police said the 2013 attack killed 5",
                                  "Gunman Kills Four Dec 12, 2008", "Obama Elected President | Nov 4, 2008"])
def test_a_line_that_mentions_a_date_is_no_date_line(line):
    from storyline.ingest.dates import date_line

    assert date_line(line) is None


@pytest.mark.parametrize("headline", ["Maroon 5", "Mayor 5", "9/11", "24/7"])
def test_a_short_headline_with_a_number_is_no_date_fragment(headline):
    cleaned = clean_text(dump(headline, "Harbour wall approved after a decade of asking", P2, P3))
    assert cleaned.title == headline


@pytest.mark.parametrize("fragment", ["APR 28", "11/28/05", "8:24am:"])
def test_a_date_or_time_without_a_year_is_no_headline(fragment):
    """A page's date or time above the headline is not the headline (titles read "APR 28")."""
    cleaned = clean_text(dump(fragment, "Harbour wall approved after a decade of asking", P2, P3))
    assert cleaned.title == "Harbour wall approved after a decade of asking"


@pytest.mark.parametrize(("line", "published"), [("8/2/13 at 1:30 PM", "2013-08-02T13:30:00"),
                                                 ("11/28/05", "2005-11-28"), ("Posted 3-4-13", "2013-03-04")])
def test_a_numeric_date_with_a_two_digit_year_is_the_date_not_the_headline(line, published):
    """"8/2/13 at 1:30 PM" above the headline was taken for the headline (an ECB+ page): a
    numeric date with a two-digit year is a date line, read month first as "8/2/2013" is."""
    cleaned = clean_text(dump(line, "Harbour wall approved after a decade of asking", P2, P3))
    assert cleaned.title == "Harbour wall approved after a decade of asking"
    assert cleaned.published == published and cleaned.fields["published"].evidence == line


@pytest.mark.parametrize(("line", "published"), [
    ("updated 8:41 p. m. EST, Tue March 3, 2009", "2009-03-03T20:41:00-05:00"),
    ("PUBLISHED FRIDAY, MARCH 8, 2013 AT 12:46 PM / UPDATED AT 12:48 PM", "2013-03-08T12:46:00"),
])
def test_more_date_lines_pages_print(line, published):
    """Two ECB+ pages' date lines the CLI left in the body (their headline came after)."""
    cleaned = clean_text(dump("Harbour wall approved after a decade of asking", line, P2, P3))
    assert cleaned.title == "Harbour wall approved after a decade of asking"
    assert cleaned.published == published and line not in cleaned.body


def test_a_date_glued_to_the_headline_is_the_date():
    cleaned = clean_text(dump("27/09/2013-Harbour wall approved after a decade of asking", P2, P3))
    assert cleaned.title == "Harbour wall approved after a decade of asking"
    assert cleaned.published == "2013-09-27"
    assert clean_text(dump("2013-09-27 harbour report", P2, P3)).title == "2013-09-27 harbour report"
    # A date line under it states the publication date better.
    later = clean_text(dump("27/09/2013-Harbour wall approved", "September 28, 2013", P2, P3))
    assert (later.title, later.published) == ("Harbour wall approved", "2013-09-28")


@pytest.mark.parametrize("headline", ["7/7/2005: London bombings ten years on",
                                      "9/11/2001 - The day that changed America"])
def test_a_headline_about_a_date_keeps_it(headline):
    """Set off by a colon or spaces, the date is what the headline is about (the review found
    "7/7/2005: ..." read as published 2005 over the page's own date line)."""
    cleaned = clean_text(dump(headline, "July 7, 2015", P2, P3))
    assert (cleaned.title, cleaned.published) == (headline, "2015-07-07")


def test_a_two_digit_year_is_read_on_a_page_only():
    """A structured field's "13-03-02" may be year first: two-digit years are read in a page's
    date lines (month first), never in a stated field."""
    from storyline.ingest.dates import date_line, normalise_date

    assert [normalise_date(v) for v in ("13-03-02", "24.05.26", "05/03/13")] == [None, None, None]
    assert clean_text(dump(P2, P3), stated={"published": "05/03/13"}).published is None
    assert date_line("8/2/13 at 1:30 PM / Updated at 2:00 PM") == "2013-08-02T13:30:00"
    assert date_line("Posted 8/2/13 | updated 8/3/13") == "2013-08-02"


def test_dateline_with_a_mixed_case_country():
    lede = "PORTBAY, England — Councillors approved a new harbour wall on Tuesday. The vote was close."
    cleaned = clean_text(dump(lede, P2))
    assert cleaned.title == "Councillors approved a new harbour wall on Tuesday"


def test_a_one_paragraph_brief_is_kept_as_its_body_and_a_bare_headline_is_not():
    """A text of one sentence-long line is read as a headline and was dropped (no body): a
    brief of one paragraph keeps it as its body too; a headline-length line alone is no article."""
    brief = ("Reports that the mayor had approached the harbour engineer to lead the sea wall project "
             "inspired a parlour game among people with too much free time:")
    cleaned = clean_text(brief)
    assert cleaned.title and paragraphs(cleaned) == [brief] and cleaned.cuts == []
    assert clean_text("Port Selby to build a sea wall").body == ""


def test_a_stored_time_whose_utc_day_leaves_the_calendar_reads_as_undated():
    """A stored date at the edge of the calendar ("0001-01-01T00:00+05:00" is 31 December of
    year 0 in UTC) is no time: every day computed from it (a story's span, a report's days)
    would raise."""
    from storyline.ingest.dates import published_time
    from storyline.link.stories.coverage import spread_over_days
    from storyline.link.stories.scan import published_epoch

    for edge in ("0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00"):
        assert published_time(edge) is None and published_epoch(edge) is None
        assert spread_over_days({"a": edge, "b": "2025-01-01"}, 1).ids == ["b"]
    assert published_time("0001-01-01T00:00:00+00:00").year == 1  # the edge itself is in the calendar
    assert published_time("2025-03-01T12:00:00-05:00").isoformat() == "2025-03-01T12:00:00-05:00"


@pytest.mark.parametrize("date", [
    "May 2 , 2013 , 1 : 12 PM",  # a tokeniser's spacing, which date_line does not read
    "Posted 11 / 27 / 2005 7 : 21 AM",
    "Updated : November 11 , 2011 20 : 09 IST",
    "8 : 24am :",
    "updated 8 : 41 p . m . EST , Tue March 3 , 2009",
])
def test_a_line_of_date_words_and_numbers_is_no_headline(date):
    """A page's date or time in a form the date reader does not take is cut as a date fragment,
    and the headline under it is read; its date is not guessed from it."""
    headline = "Council approves new harbour wall after long debate"
    cleaned = clean_text(dump(date, headline, P2))
    assert cleaned.title == headline and cleaned.fields["title"].origin == "stated"
    assert [(c.kind, c.text) for c in cleaned.cuts] == [("date-fragment", date), ("headline", headline)]
    assert cleaned.published is None
    assert paragraphs(cleaned) == [P2]


@pytest.mark.parametrize("headline", ["9/11", "May Day 2014: marchers fill the square", "Apollo 11 at 50",
                                      "Sun at 50", "March on 5"])
def test_a_headline_of_numbers_or_a_date_word_stays_a_headline(headline):
    cleaned = clean_text(dump(headline, P2))
    assert cleaned.title == headline
