"""Who is who across articles: merge in-article entities into cross-article identities.

The analyze stage groups one article's mentions of one person into an :class:`Entity`
("Keir Starmer", aliases "Sir Keir Starmer", "Mr Starmer"). :func:`merge_people` merges those
entities across articles into :class:`Identity` records.

    >>> identities = merge_people([("a1", keir_starmer), ("a2", starmer), ("a3", zelenskyy)])

It is approximate and leans towards precision: two entities with different names merge only on
evidence, and every merge beyond plain name equality is explained in ``Identity.merges``.

People, in four passes (each pass decides against the clusters as they were when it began, and
applies its merges in sorted order, so the result does not depend on the input order):

1. Full names ("Keir Starmer", "José Manuel Albares") that are equal after folding case, accents,
   titles and punctuation merge outright.
2. Distinct full names are compared only inside blocks (same surname skeleton, same surname
   letters in any order, or same first name and surname start), never all against all. A pair
   merges when the first names are compatible and either the names are the same up to spelling
   (Zelensky/Zelenskyy, Sergei/Sergey, a middle name more or less) or the names are similar,
   one spelling is rare next to the other, and a shared role or people co-mentioned with both
   more often than chance back it up (a typo such as "Zelenksy").
   Then a name of two given names alone ("Juan Pablo") joins the one cluster whose full names
   open with them ("Juan Pablo Galavis"), unless its second word is another person's surname
   here (``given_names``).
3. Partial names: an initial and surname ("J. Healey"), then a surname alone ("Starmer"), join
   the one cluster with a compatible full name; when there are several ("Keir Starmer",
   "Victoria Starmer"), role and co-mention evidence must pick one, or the entity stays its own
   identity. A partial name joins one cluster at most, so it can never chain two people.
4. Partial names with no full name to join merge with the same partial name elsewhere.

Throughout, two clusters never merge when that would put two incompatible first names ("Boris",
"Mike") or generational suffixes ("Donald Trump", "Donald Trump Jr") together, or two entities
of the same article together: the analyze stage saw both in context and kept them apart.

Organisations and places merge when a normalised name or alias is shared ("Nato", "NATO",
"the US", "U.S.") or when a short form is the initials of exactly one full name ("US" and
"United States", "NATO" and "North Atlantic Treaty Organization").

Known limits: names written surname first ("Xi Jinping" then "Xi") are read as first name plus
surname, so "Xi" alone does not find "Xi Jinping"; transliterations that change a surname's first
letters ("Selenskyj") fall outside every block; exonyms ("Kiev"/"Kyiv", "Britain"/"UK") are not
linked.

The package follows that flow: ``names`` (parsing and comparing names), ``roles`` (role titles),
``mentions`` (entities per article, co-mentions), ``clusters`` (union-find with its guard),
``full_names``, ``given_names`` and ``partial_names`` (the people passes), ``orgs`` (organisations and places),
``identities`` (the entry point and the Identity records); ``tuning`` holds the tuned numbers.
"""

from storyline.link.people.identities import merge_people
from storyline.link.people.names import first_name_relation, parse_person_name, skeleton
from storyline.link.people.orgs import acronyms, is_short_form, org_key

__all__ = ["acronyms", "first_name_relation", "is_short_form", "merge_people", "org_key",
           "parse_person_name", "skeleton"]

