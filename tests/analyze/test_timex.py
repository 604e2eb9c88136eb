"""The temporal expression tagger on self-written news sentences (anchor: Thursday 27 Feb 2025)."""

import datetime as dt

import pytest

from storyline.analyze.timex import Timex, find_timexes, interval, resolve

ANCHOR = dt.date(2025, 2, 27)  # a Thursday


def tag(text, anchor=ANCHOR, doc=None):
    found = find_timexes(text, anchor, doc=doc)
    for t in found:  # offsets always agree with the text
        assert text[t.start:t.end] == t.text
    return found


def one(text, anchor=ANCHOR, doc=None) -> Timex:
    found = tag(text, anchor, doc)
    assert len(found) == 1, found
    return found[0]


@pytest.fixture(scope="module")
def nlp():
    from storyline.analyze.nlp import pipeline

    return pipeline()


# --- relative dates as news uses them -----------------------------------------------------------

@pytest.mark.parametrize("sentence, span, type_, value", [
    ("The minister resigned today.", "today", "DATE", "2025-02-27"),
    ("The minister resigned yesterday.", "yesterday", "DATE", "2025-02-26"),
    ("The vote is tomorrow.", "tomorrow", "DATE", "2025-02-28"),
    ("Talks will continue next week.", "next week", "DATE", "2025-W10"),
    ("Talks collapsed last week.", "last week", "DATE", "2025-W08"),
    ("Talks resumed this week.", "this week", "DATE", "2025-W09"),
    ("Prices rose last month.", "last month", "DATE", "2025-01"),
    ("Prices will rise next month.", "next month", "DATE", "2025-03"),
    ("Sales grew this year.", "this year", "DATE", "2025"),
    ("Sales grew last year.", "last year", "DATE", "2024"),
    ("The plant closed three years ago.", "three years ago", "DATE", "2022"),
    ("Profits fell in the third quarter.", "the third quarter", "DATE", "2024-Q3"),
    ("Profits fell in the fourth quarter of 1997.", "the fourth quarter of 1997", "DATE", "1997-Q4"),
    ("Profits fell in Q3.", "Q3", "DATE", "2024-Q3"),
    ("The deal was signed on February 27.", "February 27", "DATE", "2025-02-27"),
    ("The deal was signed on Feb. 27, 2025.", "Feb. 27, 2025", "DATE", "2025-02-27"),
    ("The deal was signed on 27 February 2025.", "27 February 2025", "DATE", "2025-02-27"),
    ("The deal was signed on 2025-02-27.", "2025-02-27", "DATE", "2025-02-27"),
    ("Crime fell in the 1990s.", "the 1990s", "DATE", "199"),
    ("The bridge opened in spring 2019.", "spring 2019", "DATE", "2019-SP"),
])
def test_dates(sentence, span, type_, value):
    t = one(sentence)
    assert (t.text, t.type, t.value) == (span, type_, value)


@pytest.mark.parametrize("sentence, span, value", [
    ("He is in Paris now.", "now", "PRESENT_REF"),
    ("She recently moved to Leeds.", "recently", "PAST_REF"),
])
def test_reference_words(sentence, span, value):
    t = one(sentence)
    assert (t.text, t.type, t.value, t.anchored) == (span, "DATE", value, False)


@pytest.mark.parametrize("sentence, span, type_, value", [
    ("Inflation doubled over the past two years.", "the past two years", "DURATION", "P2Y"),
    ("The strike lasted two weeks.", "two weeks", "DURATION", "P2W"),
    ("The war lasted a decade.", "a decade", "DURATION", "P10Y"),
    ("Rescuers worked for 24 hours.", "24 hours", "DURATION", "PT24H"),
    ("The talks lasted about five hours.", "about five hours", "DURATION", "PT5H"),
    ("Inspectors visit every week.", "every week", "SET", "P1W"),
    ("The paper is printed daily.", "daily", "SET", "P1D"),
    # vague periods are vague durations in TimeBank (and HeidelTime), not *_REF points
    ("More cuts are expected in the coming weeks.", "the coming weeks", "DURATION", "PXW"),
    ("Exports have slowed in recent years.", "recent years", "DURATION", "PXY"),
    ("Talks may resume within the next few days.", "the next few days", "DURATION", "PXD"),
])
def test_durations_and_sets(sentence, span, type_, value):
    t = one(sentence)
    assert (t.text, t.type, t.value) == (span, type_, value)


def test_later_and_earlier_count_from_an_event_not_the_anchor():
    # "three days later" is a duration with "later" as its signal (TimeML), not anchor + 3
    t = one("The ferry sank, and three days later the divers gave up.")
    assert (t.text, t.type, t.value) == ("three days", "DURATION", "P3D")
    t = one("The shop reopened; a week earlier it had been flooded.")
    assert (t.text, t.type, t.value) == ("a week", "DURATION", "P1W")
    # "ago" and "from now" still count from the anchor
    assert one("The mill shut two weeks ago.").value == "2025-02-13"


def test_anaphoric_references_use_the_last_mentioned_date():
    found = tag("The mayor took office in June 2019 and resigned later that year.")
    assert [(t.text, t.value) for t in found] == [("June 2019", "2019-06"),
                                                    ("later that year", "2019")]
    found = tag("The dam failed on March 3, 2011. The following month, engineers returned.")
    assert [t.value for t in found] == ["2011-03-03", "2011-04"]
    found = tag("Polls closed on Oct. 4, 2020, and the count ended the next day.")
    assert [t.value for t in found] == ["2020-10-04", "2020-10-05"]
    found = tag("The firm was fined in 2016; the previous year it had been warned.")
    assert [t.value for t in found] == ["2016", "2015"]
    found = tag("The index closed on Friday, Feb. 21, up from the previous Friday.")
    assert [t.value for t in found] == ["2025-02-21", "2025-02-14"]
    # nothing mentioned before: the anchor is the reference
    assert one("The following day, rescuers found the hikers.").value == "2025-02-28"
    # a bare "that day" is left alone ("trades made that day")
    assert tag("Traders who sold that day lost money.") == []


def test_anaphoric_reference_survives_resolve():
    found = tag("Rebels seized the town on Monday. The next morning, troops arrived.")
    assert [t.value for t in found] == ["2025-02-24", "2025-02-25TMO"]
    moved = resolve(found[1], dt.date(2025, 3, 12))  # a Wednesday: that Monday is 10 March
    assert moved.value == "2025-03-11TMO"


def test_fractions_and_rates():
    assert one("He spent two and a half years in prison.").value == "P2Y6M"
    rate = one("The plan costs $5 million a year.")
    assert (rate.text, rate.type, rate.value) == ("a year", "SET", "P1Y")


def test_spans_follow_timeml():
    # an adjectival quarter or duration leaves the determiner to its noun
    assert one("The third-quarter loss widened.").text == "third-quarter"
    assert one("The two-week strike ended.").text == "two-week"
    # "over" before "the past" is a preposition, not a mod
    t = one("Prices rose over the past three years.")
    assert (t.text, t.value, t.mod) == ("the past three years", "P3Y", None)


def test_duration_mod():
    assert one("The talks lasted about five hours.").mod == "APPROX"
    assert one("The siege lasted more than two years.").mod == "MORE_THAN"


def test_mods_on_points():
    late = one("The vote was held late Wednesday.")
    assert (late.text, late.value, late.mod) == ("late Wednesday", "2025-02-26", "END")
    early = one("The deal is expected early next year.")
    assert (early.text, early.value, early.mod) == ("early next year", "2026", "START")
    earlier = one("She met him earlier this week.")
    assert (earlier.text, earlier.value, earlier.mod) == ("earlier this week", "2025-W09", "START")
    by = one("Emissions must halve by 2027.")
    assert (by.text, by.value, by.mod) == ("2027", "2027", "ON_OR_BEFORE")


def test_time_of_day_on_a_weekday():
    t = one("Protesters gathered on Tuesday evening.")
    assert (t.text, t.type, t.value) == ("Tuesday evening", "TIME", "2025-02-25TEV")


def test_year_range_gives_two_dates():
    found = tag("The survey covered 2014-2015.")
    assert [(t.text, t.value) for t in found] == [("2014", "2014"), ("2015", "2015")]


# --- tense decides past or future ---------------------------------------------------------------

def test_weekday_tense_lexical():
    past = tag("On Wednesday, Starmer said the talks had gone well.")[0]
    assert (past.text, past.value, past.tense) == ("Wednesday", "2025-02-26", "PAST")
    future = one("He will fly to Washington on Wednesday.")
    assert future.value == "2025-03-05"


def test_weekday_tense_from_spacy_doc(nlp):
    text = "On Wednesday, Starmer said he will fly to Washington on Friday."
    found = tag(text, doc=nlp(text))
    assert [(t.text, t.value) for t in found] == [("Wednesday", "2025-02-26"), ("Friday", "2025-02-28")]
    text = "The prime minister met the president on Monday."
    assert one(text, doc=nlp(text)).value == "2025-02-24"
    text = "The prime minister is going to meet the president on Monday."
    assert one(text, doc=nlp(text)).value == "2025-03-03"


def test_a_stated_weekday_picks_the_year_of_a_month_day(nlp):
    # Anchor Thursday 27 Feb 2025. A headline's present tense reads as the future, which would
    # put a day just past into next year; the weekday says which year it is.
    text = "Council votes to sell the ferry on Wednesday, February 26."
    assert one(text, doc=nlp(text)).value == "2025-02-26"  # a Wednesday in 2025, a Thursday in 2026
    text = "The council will vote on Wednesday, February 26."
    assert one(text, doc=nlp(text)).value == "2025-02-26"
    text = "The council will vote on February 26."  # no weekday: the tense decides, as before
    assert one(text, doc=nlp(text)).value == "2026-02-26"
    text = "The council votes on Thursday, 26 February."  # 2026's February 26 is a Thursday
    assert one(text, doc=nlp(text)).value == "2026-02-26"
    assert one("The vote was on Monday, March 3.").value == "2025-03-03"  # the year picked agrees
    # The past tense does not move a date ahead: a weekday that agrees with no year before is a slip.
    text = "The talks ended on Tuesday, March 3."
    assert one(text, doc=nlp(text)).value == "2025-03-03"


def test_planning_verbs(nlp):
    # a date on a planning verb in the simple past dates the decision
    text = "The council agreed in November to sell the site."
    assert one(text, doc=nlp(text)).value == "2024-11"
    text = "Officials decided on Monday that the bridge would close."
    assert one(text, doc=nlp(text)).value == "2025-02-24"
    # what a plan or schedule governs lies ahead
    text = "Unions planned a march in the capital on Saturday."
    assert one(text, doc=nlp(text)).value == "2025-03-01"
    text = "The board has scheduled a vote on Monday."
    assert one(text, doc=nlp(text)).value == "2025-03-03"


def test_present_tense_schedules_and_deadlines(nlp):
    # news uses the present tense for what is scheduled: the coming weekday
    text = "The country faces elections on Sunday."
    assert one(text, doc=nlp(text)).value == "2025-03-02"
    text = "The ministers meet Monday in Brussels."
    assert one(text, doc=nlp(text)).value == "2025-03-03"
    text = "The envoy is to arrive in Kyiv on Tuesday."
    assert one(text, doc=nlp(text)).value == "2025-03-04"
    # a copula or passive is not a schedule: the nearer day
    text = "The letter is dated Monday."
    assert one(text, doc=nlp(text)).value == "2025-02-24"
    # a document's date has passed, even where the coming Monday is nearer (written on a Friday)
    friday = dt.date(2026, 3, 13)
    text = "The letter is dated Monday, the day before the council meeting."
    assert one(text, anchor=friday, doc=nlp(text)).value == "2026-03-09"
    text = "The report is published Monday."
    assert one(text, anchor=friday, doc=nlp(text)).value == "2026-03-16"
    # a deadline: "until" puts a weekday ahead even in the past tense
    text = "The court extended the deadline until Tuesday."
    assert one(text, doc=nlp(text)).value == "2025-03-04"
    text = "It was not until Tuesday that the minister spoke."
    assert one(text, doc=nlp(text)).value == "2025-02-25"
    # a past form that looks like the base form ("hurt"), after a singular subject
    text = "Weak demand hurt the index on Monday."
    assert one(text, doc=nlp(text)).value == "2025-02-24"


def test_last_month_name_is_not_the_month_just_ended():
    march = dt.date(2025, 3, 2)
    assert one("The helicopters crashed last February.", anchor=march).value == "2024-02"
    assert one("The helicopters crashed last November.", anchor=march).value == "2024-11"
    assert one("The helicopters crashed last January.", anchor=march).value == "2025-01"


def test_possessive_weekday_is_past():
    # "Wednesday's vote" has happened, even in a future-tense sentence
    assert one("Investors will study Wednesday's vote.").value == "2025-02-26"


def test_explicit_relations_override_tense():
    assert one("The talks will resume last Friday, he said.").value == "2025-02-21"
    assert one("He arrived next Monday.").value == "2025-03-03"
    assert one("The crash happened last Oct. 23.").value == "2024-10-23"
    assert one("The law takes effect Jan. 1.").value == "2026-01-01"


def test_month_year_by_tense():
    assert one("The factory closed in November.").value == "2024-11"
    assert one("The factory will reopen in January.").value == "2026-01"
    # a deadline just ahead, reported in the past tense, stays in the anchor's year
    assert one("The offer was extended to March 10.").value == "2025-03-10"


def test_doc_of_another_text_is_ignored(nlp):
    text = "The minister resigned yesterday."
    assert one(text, doc=nlp("Something else entirely.")).value == "2025-02-26"


# --- anchors ------------------------------------------------------------------------------------

def test_no_anchor_gives_no_value_for_relative_expressions():
    found = tag("Sales fell last month but recovered on Feb. 27, 2025, and in the 1990s.", anchor=None)
    by_text = {t.text: t for t in found}
    assert by_text["last month"].value is None and by_text["last month"].anchored
    assert by_text["Feb. 27, 2025"].value == "2025-02-27" and not by_text["Feb. 27, 2025"].anchored
    assert by_text["the 1990s"].value == "199"


def test_resolve_with_another_anchor():
    t = one("Talks collapsed on Wednesday.")
    assert t.value == "2025-02-26"
    moved = resolve(t, dt.date(2025, 3, 10))  # a Monday: the Wednesday before is 5 March
    assert (moved.value, moved.text, moved.start) == ("2025-03-05", t.text, t.start)
    assert resolve(one("Prices rose last month."), dt.date(2024, 1, 15)).value == "2023-12"
    assert resolve(one("Talks resume next week."), dt.date(2025, 12, 29)).value == "2026-W02"
    absolute = one("The deal was signed on 27 February 2025.")
    assert resolve(absolute, dt.date(2001, 1, 1)).value == "2025-02-27"
    # a timex found without an anchor can be valued later
    assert resolve(one("Prices rose last month.", anchor=None), ANCHOR).value == "2025-01"


def test_datetime_anchor_is_accepted():
    assert one("It rained yesterday.", anchor=dt.datetime(2025, 2, 27, 18, 30)).value == "2025-02-26"


# --- intervals ----------------------------------------------------------------------------------

D = dt.date


@pytest.mark.parametrize("value, expected", [
    ("2025-02-26", (D(2025, 2, 26), D(2025, 2, 26))),
    ("2025-W09", (D(2025, 2, 24), D(2025, 3, 2))),
    ("2025-W09-WE", (D(2025, 3, 1), D(2025, 3, 2))),
    ("2025-02", (D(2025, 2, 1), D(2025, 2, 28))),
    ("2024-02", (D(2024, 2, 1), D(2024, 2, 29))),
    ("2025-Q1", (D(2025, 1, 1), D(2025, 3, 31))),
    ("2025-H2", (D(2025, 7, 1), D(2025, 12, 31))),
    ("2025-SU", (D(2025, 6, 1), D(2025, 8, 31))),
    ("2025-WI", (D(2025, 12, 1), D(2026, 2, 28))),
    ("2025", (D(2025, 1, 1), D(2025, 12, 31))),
    ("202", (D(2020, 1, 1), D(2029, 12, 31))),
    ("19", (D(1900, 1, 1), D(1999, 12, 31))),
    ("2025-02-26T14:00", (D(2025, 2, 26), D(2025, 2, 26))),
    ("2025-02-26TEV", (D(2025, 2, 26), D(2025, 2, 26))),
])
def test_interval(value, expected):
    assert interval(value) == expected


@pytest.mark.parametrize("value", ["P1W", "PT24H", "PRESENT_REF", "PAST_REF", "XXXX-WXX-1",
                                   "2025-XX", "", "2025-02-30", "2025-W60", "nonsense"])
def test_interval_none(value):
    assert interval(value) is None


# --- robustness ---------------------------------------------------------------------------------

def test_empty_and_plain_text():
    assert find_timexes("", ANCHOR) == []
    assert find_timexes("No dates in this sentence at all.", ANCHOR) == []


@pytest.mark.parametrize("text", [
    "99999999", "The score was 1990 to 12.", "It cost $2015.", "Call 555-2025-1234.",
    "1/1/1", "Feb. 30, 2025", "2025-13-45", "0000-00-00", "\x00\x01\u200b", "🙂 Wednesday 🙂",
    "May May May", "Q5 2025", "the 99th century",
])
def test_weird_input_does_not_crash(text):
    for t in tag(text):
        assert t.type in ("DATE", "TIME", "DURATION", "SET")


def test_not_dates():
    assert tag("Wednesday Addams is a fictional character.") == []
    assert tag("He read the Sunday Times.") == []
    assert tag("Shops opened early on Black Friday.") == []
    assert tag("The town has 1990 people.") == []
    assert tag("The boy, 6-year-old Elian, was rescued.") == []
    assert tag("Impossible dates like Feb. 30, 2025 are skipped.")[0].text != "Feb. 30, 2025"


def test_huge_input_is_tagged_everywhere():
    sentence = "Markets fell on Wednesday and recovered next week. "
    text = sentence * 5000  # 255,000 characters
    found = tag(text)
    assert len(found) == 10000
    assert found[-1].value == "2025-W10"
