"""One-word "people" that are places: the small NER model tags a town it has never seen as a
person in some articles and as a place, or as the first word of an organisation or place, in
others ("Harbourne"; "Harbourne City Council", "Harbourne Post"). Counted over articles, the
place reading wins as often as not.

The people step stores, for each article it does, the words :func:`place_words` finds
(``Store.put_people`` ``places``), and gives each identity its :func:`place_key`; the store then
keeps an identity whose key as many articles name as a place as it has articles of its own out
of the people lists (it stays reachable by its id), unless another person goes by it as a
surname. The counts are kept per word (place_word_counts), so a batch's marks cost the words it
touches, not their articles. The story's own people use the same two functions over the story's
articles (link/stories/story_people.named_as_places).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from storyline.analyze import gender
from storyline.records import Entity


def place_words(entities: Iterable[Entity]) -> set[str]:
    """The folded first words ("harbourne") of the organisation and place names among
    ``entities`` (a one-word name is its own first word; a leading "the" is not one)."""
    out = set()
    for e in entities:
        if e.type not in ("ORG", "PLACE"):
            continue
        words = folded(e.name).split()
        if words and words[0] == "the":
            words = words[1:]
        if words and words[0].isalpha():
            out.add(words[0])
    return out


def place_key(name: str, aliases: Sequence[str], roles: Sequence[str], merges: Sequence[str]) -> str | None:
    """The word an identity would be a place by (its folded one-word name), or None: only a
    one-word name with no title, no alias of more words and no merge behind it can be a place
    the model tagged a person ("Okafor" with "Mayor" given is a person whatever else says so),
    and not a known first name ("Jacob", "Crystal": a person named by first name, whatever a
    "Jacob Javits Center" says). The stores also keep a one-word name that another person goes
    by as a surname ("Bush" beside "George W. Bush", whatever "Bush administration" says). On
    the ECB+ train store (574 articles, 1,105 identities) the rule leaves out 18 identities:
    towns, a district, a prison, teams, companies (Wasilla, Exarchia, Biloxi, Bucs, McAfee,
    SEACOM...) and a few one-article names the model tagged an organisation elsewhere ("Wink",
    "Pinup"); without the first-name and surname tests 38, "Jacob", "Thomas", "Bush" and
    "Page" among them."""
    if roles or merges or any(len(n.split()) != 1 for n in (name, *aliases)):
        return None
    word = folded(name)
    if not word.isalpha() or gender.of_first_name(name.strip()) is not None:
        return None
    return word


def folded(name: str) -> str:
    return " ".join(name.split()).casefold()
