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
