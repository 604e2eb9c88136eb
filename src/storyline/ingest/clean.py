"""Clean article text: headline, header metadata, bylines and aggregator boilerplate.

Written by hand because no library handles these *text dump* shapes: trafilatura and friends
work on HTML, where markup says what is navigation; in a plain-text dump from an aggregator the
only signals are line shapes ("inews - News", "Source: X", "Read More Details"). Every rule
here records what it removed as a :class:`~storyline.records.Cut`; nothing is dropped silently.

Body format: paragraphs (non-empty input lines, stripped) joined by one blank line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from storyline.ingest.abbreviations import abbreviation_stop, before_a_name
from storyline.ingest.address_line import address_date, address_of
from storyline.ingest.dates import date_line, normalise_date
from storyline.records import Cut, FieldSource

# --- line shapes -----------------------------------------------------------------------------

_NAME = r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|da|van|von|der|al|bin|and|&))*"
BYLINE = re.compile(rf"^By[:\s]\s*(?P<name>{_NAME})\s*(?:[,|–—-]\s*(?P<rest>.{{0,60}}))?$")
# "…opposed.By Leo Cendrowicz": a byline glued to the last sentence by a lost line break.
# Both glued shapes are searched for only in a line's last GLUED_TAIL characters (a name or a
# heading is short): over a whole line, ".By A" repeated makes Python's backtracking regex
# engine take time growing faster than the square of the line's length.
GLUED_BYLINE = re.compile(rf"[.!?][”\"’]?By (?P<name>{_NAME})$")
# "…Spain’s foreign minister, said.Poland": a sub-heading glued to the end of a paragraph.
GLUED_HEADING = re.compile(r"(?<=[a-z0-9%)’”\"])[.!?][”\"’]?(?P<heading>[A-Z][a-z]+(?: [A-Z][a-z]+)?)$")
GLUED_TAIL = 120
SOURCE_LINE = re.compile(r"^(?:Source|Publisher|Outlet|Published by)\s*:\s*(?P<outlet>.+?)\s*$", re.I)
ABSTRACT_LINE = re.compile(r"^(?:Abstract|Summary|Standfirst|Description)\s*:\s*(?P<text>.+)$", re.I)
# "inews - News", "The Herald | Politics": a site name with a section, alone on a line.
SECTION_WORDS = (
    "News|Latest|Home|World|UK|US|Politics|Business|Opinion|Sport|Sports|World News|UK News|"
    "Top Stories|Breaking News|Middle East|Europe|Analysis"
)
SITE_SECTION_LINE = re.compile(
    rf"^(?P<site>[\w][\w .&'’-]{{0,40}}?)\s+[-|–—:]\s+(?:{SECTION_WORDS})$", re.I
)
# "UK locked in talks ... peace ...Middle East": a truncation mark followed by a section name.
HEADLINE_SECTION_SUFFIX = re.compile(r"\s*(?:\.\.\.|…)\s*(?P<junk>[A-Z][\w&'’ -]{0,40})$")
HEADLINE_SITE_SUFFIX = re.compile(r"\s+[|–—-]\s+(?P<site>[^|–—-]{2,40})$")
# "WASHINGTON –", "PORTBAY, England —": a place in capitals, maybe a region after it, a dash.
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’-]+(?:[ ,]+[A-Z][A-Z.'’-]+)*(?:,\s*[A-Z][\w.'’-]+(?:\s[A-Z][\w.'’-]+){0,2})?)"
    r"\s*[–—-]\s+"
)

ORIGINAL_ARTICLE = re.compile(r"^(?:The\s+)?original article\s*:\s*(?P<outlet>.*?)\s*\.?\s*$", re.I)
# Aggregator and page furniture that is never article text, wherever it stands.
BOILERPLATE_ANYWHERE = [
    re.compile(p, re.I)
    for p in (
        r"^Read More Details\.?$",
        r"^Finally,? We wish .{0,80} provided you with enough information\b.*$",
        r"^Also on site\s*:?.*$",
        r"^Advertisement$",
        r"^Skip (?:to|past) (?:main )?(?:content|advertisement)$",
    )
]
# Furniture that ends pages; removed only in the trailing run of lines, since a word like
# "Comments" can be a real sub-heading mid-article.
BOILERPLATE_TRAILING = [
    re.compile(p, re.I)
    for p in (
        r"^Comments?(?:\s*\(\d+\))?$",
        r"^Leave a (?:Comment|Reply)$",
        r"^(?:.{0,60}\s)?belongs to\.?$",
        r"^Read more\s*:?$",
        r"^Share(?: this)?(?: article| story)?(?: on \w+)?:?$",
        r"^Related(?: articles| stories| posts)?\s*:?$",
        r"^Tags?\s*:.{0,200}$",
        r"^(?:Copyright\s*)?©.{0,120}$",
        r"^All rights reserved\.?$",
        r"^Follow us on .{0,60}$",
    )
]

# C0 and C1 controls (ESC and CSI start terminal escape sequences) and lone surrogates.
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_SENTENCE_END = re.compile(r"[.!?][”\"’)]*$")
# Two sentences in a line ("Who pays? The council does."): a lede, never a headline.
_SENTENCE_BREAK = re.compile(r"[.!?][”\"’)]*\s")
# A line that is a date or a time and nothing else, without a year (no date line then).
_DATE_FRAGMENT = re.compile(
    r"^\W*(?:(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+\d{1,2}(?:st|nd|rd|th)?"
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}[:.]\d\d\s*(?i:[ap]\.?m\.?)?)\W*$")
# A line of a page's date and time and nothing else, in a form date_line does not read (a
# tokeniser's "May 2 , 2013 , 1 : 12 PM", "Posted 11 / 27 / 2005 7 : 21 AM", "8 : 24am :"): no
# headline, and cut as a date fragment (_read_header). Its words are all date words; it names a
# month or weekday, or holds a time or a numeric date ("9/11" alone stays a headline).
_DATE_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday "
    "saturday sunday mon tue tues wed thu thur thurs fri sat sun am pm a m p gmt utc est edt cst cdt "
    "mst mdt pst pdt ist bst cet cest aest aedt st nd rd th updated posted published last on at "
    "modified".split())
_NAME = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
# A month or weekday next to a day or year ("November 11", "9 September", "MON 22"), a time or
# a numeric date: "Sun at 50" or "March on 5" (words that are also a name or a verb) are none.
_DATE_NAMES = re.compile(
    rf"(?i)\b{_NAME} ?,? ?\d{{1,4}}\b|\b\d{{1,2}}(?:st|nd|rd|th)? {_NAME}\b"
    r"|\d{1,2} ?: ?\d\d|\d{1,2} ?/ ?\d{1,2} ?/ ?\d{2,4}")
_DATE_ONLY_CHARS = 80
# A numeric date with a four-digit year glued to a headline by a bare hyphen.
_DATE_BEFORE_HEADLINE = re.compile(r"(?P<date>\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d\d)-(?=[^\W\d_])")
_HEADLINE_DATE = "headline-date"
# A sentence's end: a stop (then a closing quote) before a capital or the end of the text.
_FIRST_STOP = re.compile(r"([.!?])[”\"’]?(?=\s+[A-Z“\"‘]|\s*$)")

# A first line longer than this, ending like a sentence, is a lede rather than a headline.
MAX_HEADLINE_WORDS = 25
# A first line ending in a full stop is a headline only if this short.
SHORT_HEADLINE_WORDS = 15
# A standfirst is headline-shaped: no final full stop and between these many words.
STANDFIRST_WORDS = (6, 45)
# How far into the text header metadata may stand (non-empty lines).
HEADER_LINES = 8
# Inferred headlines are cut to this many words.
INFERRED_HEADLINE_WORDS = 20
# A text whose only line was read as its headline keeps it as its body too when it is at least
# this long: a one-paragraph brief (ECB+ holds a 40-word one), not a bare headline. A record's
# text field (JSONL) keeps its one line whatever its length: the record says it is the text
# (ECB+ through the CLI lost two one-line documents of 8 and 13 words).
BRIEF_WORDS = SHORT_HEADLINE_WORDS


@dataclass(slots=True)
class Cleaned:
    """The result of cleaning: body, metadata with where each field came from, and the cuts."""

    body: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    byline: str | None = None
    abstract: str | None = None
    fields: dict[str, FieldSource] = field(default_factory=dict)
    cuts: list[Cut] = field(default_factory=list)
    # The web address the text opens with (address_line): its domain names the outlet when
    # nothing else does (convert._article). Not the article's URL: two texts under one
    # address (an updated copy) would then be one article, and the second one lost.
    address: str | None = None


def clean_text(text: str, *, stated: dict[str, str] | None = None, structured: bool = False) -> Cleaned:
    """Clean a plain-text article (the shapes of aggregator and archive text dumps).

    ``stated`` holds metadata the input already gave in structured form (JSONL keys, feed
    fields, HTML meta): those values win, and the text is not searched for a headline.
    ``structured``: the text is a record's own text field (JSONL), so a text of one line is
    kept as the body whatever its length (a brief, or a headline-only record), not dropped as
    a bare headline as in a plain-text dump.
    """
    stated = {k: " ".join(sanitize(v).split()) for k, v in (stated or {}).items() if v}
    stated = {k: v for k, v in stated.items() if v}
    lines = _split_glued(_lines(text))
    out = Cleaned(body="")
    lines = _strip_boilerplate_anywhere(lines, out)
    # First: the lines under the address are the text's first (a stated title repeated there,
    # the footer's walk, the header), as they are on a page without one.
    lines = _cut_address(lines, out)
    lines = _read_footer(lines, out)
    # The stated title repeated on top goes first, so the header lines under it are still read.
    if "title" in stated:
        lines = _drop_repeated_title(lines, stated["title"], out)
    lines = _read_header(lines, out, has_title="title" in stated)
    if not lines:
        # The only paragraph was read as the headline. A sentence-long one is the article (a
        # one-paragraph brief), so it stays the body too rather than the input being dropped;
        # a headline-length line alone is still no article.
        heads = [c for c in out.cuts if c.kind in ("headline", "repeated-headline")]
        if heads and (structured or heads[-1].kind == "headline" and len(heads[-1].text.split()) >= BRIEF_WORDS):
            out.cuts.remove(heads[-1])
            lines = [heads[-1].text]
    for name, value in stated.items():
        if name == "outlet":
            value = outlet_name(value)
        if name == "published":
            value = normalise_date(value) or None
            if value is None:
                continue
        if name in ("title", "outlet", "published", "byline", "abstract"):
            setattr(out, name, value.strip() if isinstance(value, str) else value)
            out.fields[name] = FieldSource("stated", "structured input")
    if out.published is None:
        _date_from_address(stated.get("url"), out)
    if out.title is None and lines:
        _infer_title(lines[0], out)
    if out.title and out.outlet:
        out.title = _strip_site_suffix(out.title, out.outlet, out)
    out.body = "\n\n".join(lines)
    for name in ("title", "outlet", "published", "byline", "abstract"):
        out.fields.setdefault(name, FieldSource("missing"))
    return out


def outlet_name(text: str) -> str:
    """An outlet's name without a section label: "The Herald - News" -> "The Herald"."""
    m = SITE_SECTION_LINE.match(text.strip())
    return m["site"] if m else text.strip()


def paragraphs_to_body(text: str) -> str:
    """Normalise any text to the body format: stripped non-empty lines, one blank line apart."""
    return "\n\n".join(_lines(text))


# --- steps -----------------------------------------------------------------------------------


def sanitize(text: str) -> str:
    """Drop control characters and lone surrogates: they are never article text, and NUL or a
    surrogate would be refused by the stores (PostgreSQL text, UTF-8 encoding) mid-batch."""
    return _UNSAFE.sub("", text)


def _lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = unicodedata.normalize("NFC", sanitize(text))
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def _split_glued(lines: list[str]) -> list[str]:
    """Restore line breaks lost between a paragraph and a following sub-heading or byline."""
    out: list[str] = []
    for line in lines:
        start = max(0, len(line) - GLUED_TAIL)
        glued = GLUED_BYLINE.search(line, start)
        # The text keeps its closing punctuation; "By" starts the byline.
        if glued and len((text := line[: glued.start("name") - 3]).split()) >= 4:
            out += [text, f"By {glued['name']}"]
            continue
        glued = GLUED_HEADING.search(line, start)
        # Not after a word a name follows: "... at BitCoin Exchange Mt.Gox" is a name, not a
        # paragraph and a heading (a UCI headline lost its last word to the split); "... Apple
        # Inc.Analysis" still splits.
        if glued and len((text := line[: glued.start("heading")]).split()) >= 6 \
                and not before_a_name(line, glued.start()):
            out += [text, glued["heading"]]
            continue
        out.append(line)
    return out


def _strip_boilerplate_anywhere(lines: list[str], out: Cleaned) -> list[str]:
    kept = []
    for line in lines:
        if any(p.match(line) for p in BOILERPLATE_ANYWHERE):
            out.cuts.append(Cut("aggregator-boilerplate", line))
        else:
            kept.append(line)
    return kept


def _read_footer(lines: list[str], out: Cleaned) -> list[str]:
    """Walk back from the end over bylines, source credits and page furniture."""
    end = len(lines)
    while end > 1:
        line = lines[end - 1]
        credit = ORIGINAL_ARTICLE.match(line)
        byline = BYLINE.match(line)
        if credit:
            if credit["outlet"] and "outlet" not in out.fields:
                _set(out, "outlet", credit["outlet"], "stated", line)
            out.cuts.append(Cut("source-credit", line))
        elif byline and "byline" not in out.fields:
            _set(out, "byline", byline["name"], "stated", line)
            out.cuts.append(Cut("byline", line))
        elif any(p.match(line) for p in BOILERPLATE_TRAILING):
            out.cuts.append(Cut("page-furniture", line))
        else:
            break
        end -= 1
    return lines[:end]


def _read_header(lines: list[str], out: Cleaned, *, has_title: bool) -> list[str]:
    """Read headline, site line, date, source, abstract and byline lines from the top."""
    i = 0
    if not has_title and lines and _is_headline(lines[0]) and not date_line(lines[0]):
        _set_headline(lines[0], out)
        i = 1
    while i < min(len(lines), HEADER_LINES):
        line = lines[i]
        if _consume_header_line(line, out):
            i += 1
            continue
        # A page's date or time without a year, or in a form date_line does not read (spaced
        # by a tokeniser): furniture. (Reading the spaced forms as dates was tried in session
        # 41: ECB+ through the CLI lost 0.04 of pair F1, its undated first-crawl reports
        # ordered among more dated second-crawl ones; benchmarks/README.md.)
        if _DATE_FRAGMENT.match(line) or _date_only(line):
            out.cuts.append(Cut("date-fragment", line))
            i += 1
            continue
        # A date on top ("Friday, November 11, 2011", then the headline) is the publication
        # date, not the headline: the headline is the first line after the date lines, read as
        # it would be on top. (Taken as the headline, the date was lost: ECB+ dev through the
        # CLI had 45 documents dated before, 51 after.)
        if out.title is None and not has_title and i < len(lines) - 1 and _is_headline(line):
            _set_headline(line, out)
            i += 1
            continue
        break
    # A headline-shaped line right after the header is a standfirst: recorded as the abstract
    # but kept in the body, since it is the article's own summary and may carry facts.
    glued = next((c.text for c in out.cuts if c.kind == _HEADLINE_DATE), None)
    if glued is not None and "published" not in out.fields and (iso := date_line(glued)):
        _set(out, "published", iso, "stated", glued)
    if (
        i < len(lines) - 1
        and out.title is not None
        and "abstract" not in out.fields
        and _is_standfirst(lines[i])
    ):
        _set(out, "abstract", lines[i], "inferred", "standfirst line under the headline")
    return lines[i:]


def _cut_address(lines: list[str], out: Cleaned) -> list[str]:
    """Cut the web address a text opens with (address_line.address_of), so that the headline
    and the date line under it are read as if on top; kept as ``out.address``. An address that
    is the whole text stays: a record whose text is a link is kept as it was, not emptied."""
    if lines and (address := address_of(lines[0])):
        out.address = address
        if len(lines) > 1:
            out.cuts.append(Cut("address-line", lines[0]))
            return lines[1:]
    return lines


def _date_from_address(url: str | None, out: Cleaned) -> None:
    """When nothing states a publication date, the day the article's address holds (the
    record's URL, else the address line on top): inferred, as a page's URL date is."""
    for address in (url, out.address):
        if iso := address_date(address):
            _set(out, "published", iso, "inferred", f"the date in the address {address}")
            return


def _consume_header_line(line: str, out: Cleaned) -> bool:
    """Recognise one header line; its text is cut, its value kept unless already known."""
    if m := SOURCE_LINE.match(line):
        kind, name, value, origin = "source-line", "outlet", m["outlet"], "stated"
    elif m := ABSTRACT_LINE.match(line):
        kind, name, value, origin = "abstract-line", "abstract", m["text"], "stated"
    elif iso := date_line(line):
        kind, name, value, origin = "date-line", "published", iso, "stated"
    elif m := BYLINE.match(line):
        kind, name, value, origin = "byline", "byline", m["name"], "stated"
    elif m := SITE_SECTION_LINE.match(line):
        kind, name, value, origin = "site-line", "outlet", m["site"], "stated"
    elif out.title and _is_repeat(full := HEADLINE_SECTION_SUFFIX.sub("", line), out.title):
        # Compared and kept without the "...Section" junk that the aggregator may have put on
        # this copy too. The first copy was truncated: keep the full one.
        if len(full) > len(out.title):
            out.title = full
        out.cuts.append(Cut("repeated-headline", line))
        return True
    else:
        return False
    # A header line states the field more directly than a footer credit, so it wins.
    if name not in out.fields or kind == "source-line":
        _set(out, name, value, origin, line)
    out.cuts.append(Cut(kind, line))
    return True


def _date_only(line: str) -> bool:
    """Whether ``line`` is a page's date or time and nothing else (see _DATE_WORDS)."""
    if len(line) > _DATE_ONLY_CHARS or not any(c.isdigit() for c in line) or not _DATE_NAMES.search(line):
        return False
    return all(w.lower() in _DATE_WORDS for w in re.findall(r"[^\W\d_]+", line))


def _is_headline(line: str) -> bool:
    if _DATE_FRAGMENT.match(line) or _date_only(line):
        return False  # "APR 28", "11/28/05", "8:24am:": a page's date or time, no headline
    words = len(line.split())
    if words > 2 * MAX_HEADLINE_WORDS or (DATELINE.match(line) and words > 12):
        return False
    if not _SENTENCE_END.search(line):
        return True
    # Ends like a sentence: a headline only when short and a single sentence.
    if _SENTENCE_BREAK.search(line) or words > MAX_HEADLINE_WORDS:
        return False
    return not line.rstrip("”\"’)").endswith(".") or words <= SHORT_HEADLINE_WORDS


def _is_standfirst(line: str) -> bool:
    lo, hi = STANDFIRST_WORDS
    return lo <= len(line.split()) <= hi and not _SENTENCE_END.search(line)


def _set_headline(line: str, out: Cleaned) -> None:
    title = line
    if m := HEADLINE_SECTION_SUFFIX.search(title):
        out.cuts.append(Cut("headline-site-suffix", title[m.start() :]))
        title = title[: m.start()].rstrip()
    # "27/09/2013-Turkmenistan to hold first-ever...": a numeric date glued to the headline by
    # a bare hyphen is the page's date, not the title's first word; it is the publication date
    # only when no date line follows (_read_header). A date set off by spaces or a colon ("7/7/2005:
    # London bombings ten years on") is the headline's own.
    if (m := _DATE_BEFORE_HEADLINE.match(title)) and date_line(m["date"]):
        out.cuts.append(Cut(_HEADLINE_DATE, m["date"]))
        title = title[m.end() :]
    out.title = title
    out.fields["title"] = FieldSource("stated", line)
    out.cuts.append(Cut("headline", line))


def _strip_site_suffix(title: str, outlet: str, out: Cleaned) -> str:
    """Drop " - Outlet" or " | Outlet" when the suffix is the outlet's own name."""
    m = HEADLINE_SITE_SUFFIX.search(title)
    if m and _norm(m["site"]) in (_norm(outlet), _norm(outlet) + "news"):
        out.cuts.append(Cut("headline-site-suffix", title[m.start() :]))
        return title[: m.start()].rstrip()
    return title


def _drop_repeated_title(lines: list[str], title: str, out: Cleaned) -> list[str]:
    if lines and _is_repeat(lines[0], title):
        out.cuts.append(Cut("repeated-headline", lines[0]))
        return lines[1:]
    return lines


def _infer_title(first_paragraph: str, out: Cleaned) -> None:
    """No headline stated: make one from the lede's first sentence (dateline and tail cut)."""
    text = DATELINE.sub("", first_paragraph)
    sentence = _first_sentence(text)
    # "X has done Y – but Z": the clause before a spaced dash is the news.
    head = re.split(r"\s[–—]\s|\s-\s", sentence, maxsplit=1)[0]
    if len(head.split()) >= 5:
        sentence = head
    sentence = sentence.rstrip(" .")
    words = sentence.split()
    if len(words) > INFERRED_HEADLINE_WORDS:
        sentence = " ".join(words[:INFERRED_HEADLINE_WORDS]) + "…"
    if sentence:
        out.title = sentence
        out.fields["title"] = FieldSource("inferred", "first sentence of the body")


def _first_sentence(text: str) -> str:
    """The first sentence of ``text``: up to the first . ! ? (closing quote kept) followed by a
    capital or the end, unless the word before the stop is an abbreviation or an initial
    ("Dr. Sanjay Gupta, ..." is not the sentence "Dr.")."""
    for m in _FIRST_STOP.finditer(text):
        if m.group(0) == "." and m.end() < len(text) and _no_sentence_end(text, m.end()):
            continue
        return text[: m.end()].rstrip()
    return text


# Two more stops that end no headline, checked by the cleaner only: a dotted acronym ("the
# L.A. Times", "N.Y. police") and an initial a tokeniser spaced from its stop ("John W . Henry",
# as corpora such as ECB+ give text). The sentence splitter (analyze/sentences.py) keeps its own
# rule: changing it would move the sentence spans that stored analyses were made with.
_DOTTED_ACRONYM = re.compile(r"(?<![\w.])[A-Z](?:\.[A-Z])+\.$")
_SPACED_INITIAL = re.compile(r"(?<![\w.])[A-Z] \.$")


def _no_sentence_end(text: str, end: int) -> bool:
    """Whether the full stop ending ``text[:end]`` ends no sentence (see abbreviation_stop)."""
    if abbreviation_stop(text, 0, end):
        return True
    start = max(0, end - 16)  # bounded: the longest acronym read is seven letters
    if not (_DOTTED_ACRONYM.search(text, start, end) or _SPACED_INITIAL.search(text, start, end)):
        return False
    # "... in Washington, D.C. He said": a word that opens sentences after it ends the sentence.
    following = _NEXT_WORD.match(text, end)
    return not (following and following.group(1) in _SENTENCE_OPENERS)


_NEXT_WORD = re.compile(r"\s+([A-Z][a-z]{0,9})\b")
_SENTENCE_OPENERS = frozenset(
    "The A An He She It They We I You This That These Those There But And So Yet In On At "
    "After Before When While His Her Its Their Our".split())


def _is_repeat(line: str, title: str) -> bool:
    """``line`` repeats the headline: the same words, and headline-shaped itself, since a lede
    often opens with the headline's words ("Council approves wall after a long debate. ...")."""
    return _same_headline(line, title) and (_norm(line) == _norm(title) or _is_headline(line))


def _same_headline(a: str, b: str) -> bool:
    na, nb = _norm(a), _norm(b)
    if not na or not nb:
        return False
    return na == nb or (min(len(na), len(nb)) >= 20 and (na.startswith(nb) or nb.startswith(na)))


def _norm(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


def _set(out: Cleaned, name: str, value: str, origin: str, evidence: str) -> None:
    value = value.strip()
    if not value:
        return
    setattr(out, name, value)
    out.fields[name] = FieldSource(origin, evidence)  # type: ignore[arg-type]
