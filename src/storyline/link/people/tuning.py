"""The tuned numbers of cross-article merging, in one place so they can be read and tuned together."""

# Calibrated on the cases in tests/link/test_people.py. Full-name similarity is rapidfuzz's
# fuzz.ratio (normalised Indel) on "first surname", folded: typos and transliterations of one
# person score 0.92-0.97 (Zelensky/Zelenksy 0.94, Sergei/Sergey Lavrov 0.92), different first
# names with one surname 0.56-0.80 (Boris/Mike Johnson 0.72, Joe/Jill Biden 0.74). Jaro-Winkler
# on the whole name was tried and rejected: the shared first-name prefix inflates it (Joe/Jill
# Biden 0.80, Keir/Victoria Starmer 0.75), so it separates worse.
NAME_SIMILARITY_MIN = 0.88
# Jaro-Winkler on first names alone, where the prefix bonus is what we want: John/Jon 0.93 and
# the typo Volodymr/Volodymyr 0.98 pass; Mark/Marc 0.88 and John/Joan 0.87 do not.
FIRST_NAME_SIMILARITY_MIN = 0.90
# Co-mention evidence: for each person co-mentioned with a name, how surprising it is to see
# them that often in the name's articles if co-mentions were chance (Poisson tail, in -log10
# units, from their frequency in the whole corpus). Raw counts of shared co-mentions favour
# whoever is in most articles (a president is co-mentioned with everybody); a plain rate ratio
# (three times the corpus rate) still let chance decide for small clusters: on the synthetic
# corpus of the scale test, where co-mentions carry no signal at all, 6.7% of identities mixed
# two people with it, 0.5% with the Poisson tail. Evidence totalling EVIDENCE_MIN (about a
# one-in-10,000 coincidence) is enough; a role that only one candidate holds counts as much.
EVIDENCE_MIN = 4.0
# The best of several candidates for a partial name must have this many times the evidence of
# the next best.
EVIDENCE_MARGIN = 2.0
# A partial name ("Trump") that several people fit and that evidence cannot place goes to the
# one mentioned by far the most: at least PROMINENT_RATIO times the mentions of the next and
# PROMINENT_MIN mentions in all. In news a bare surname left unexplained by its own article
# means the prominent bearer (the 3k incremental benchmark store: Donald Trump 992 mentions
# against Ivanka Trump 29, Bernie Sanders 418 against Jane Sanders 7); before this rule every
# such mention stayed a person of its own. Comparable bearers stay ambiguous (Hillary and Bill
# Clinton, 1,095 and 230; Barack and Michelle Obama, 301 and 38), and so does a mention with a
# courtesy title ("Mrs Trump"), which may well name the less mentioned one. On the synthetic
# scale test of tests/link/test_people.py, where a bare surname is drawn at random among its
# bearers (no news convention of naming in full first), the ratio trades precision for
# recall: members outside their identity's person 24 of 20,000 without the rule; 366 at
# ratio 5, 152 at 8, 126 at 10, 69 at 20; identities 4,780 -> 3,290 / 3,876 / 3,985 / 4,486.
PROMINENT_RATIO = 10.0
PROMINENT_MIN = 20
SURPRISE_CAP = 20.0  # per co-mentioned person, so one famous pairing cannot outweigh the rest
# Two similar spellings are a typo and its correction only when one is rare: seen in at most
# TYPO_MAX_ARTICLES articles, or TYPO_RATIO times less often than the other. Two established
# spellings are two people: David Davis and David Davies were both Conservative MPs.
TYPO_MAX_ARTICLES = 2
TYPO_RATIO = 5
# Articles read per name form to collect co-mentioned people: bounds the cost for a person in
# 100k articles; the first ones in article-id order, so the sample is the same on every run.
COMENTION_SAMPLE = 200
# Blocks larger than this are compared by sorted neighbourhood instead of all pairs.
MAX_BLOCK = 400
NEIGHBOURHOOD = 40
ID_LENGTH = 16  # hex digits of SHA-256, as for article ids
# An identity with this many members is grown, not re-merged: a new mention with its exact full
# name (or, when it is the only person of that surname, its surname) is appended to it, and the
# neighbourhood re-merged around a batch leaves it out (link/people/incremental.py). Re-merging a
# person in a third of the corpus (the synthetic benchmark's "Hillary Clinton": 341 of 1,000
# articles) reads and rewrites every member on every batch that names them, so the cost of a
# new article would grow with the store. One more mention hardly moves the evidence such a
# person already has; below this size the re-merge keeps incremental = batch exactly.
GROWN_MEMBERS = 50
# At most this many members of small identities are re-merged around a batch (link/people/
# incremental.py). A surname shared by hundreds of small identities (the 3k benchmark store:
# 282 "Obama"s, most of them single mentions that evidence could not place) made every batch
# naming it re-read all of them and the people of all their articles: 74,000 entities for 100
# new articles at 3k, a cost growing with the store. Past the bound, the identities a batch
# name reaches by its exact or first-name key come first, then those with a full name (the
# targets partial names join), smaller first; the rest keep their last decision until a batch
# reaches them again. The parity tests (tests/link/test_people_incremental.py) stay below it.
NEIGHBOURHOOD_MEMBERS = 2000
