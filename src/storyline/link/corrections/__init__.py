"""Corrections made by hand to the linked results, with who, when and why.

Five kinds (``KINDS``), each applied at once to the stored facts and kept as a constraint that
the linking steps honour, so that a relink (``storyline relink``, a new step version, a
re-analysis) reproduces the corrected result instead of undoing it:

========================  ==========================================  ===================================
kind                      applied now                                 kept by
========================  ==========================================  ===================================
``merge-people A B``      the two identities become one (B -> A)      the people step (people/corrected.py)
``split-person P``        some of P's entities get their own identity  the people step
``quote-speaker``         a quote's speaker is set                    every re-analysis (quotes.py)
``move-article``          an article moves to another story           the story step (stories/pinned.py)
``split-story``           some articles of a story form a new one      the story step
========================  ==========================================  ===================================

People corrections also hold in the people of each story's facts. Applying re-runs the same
step code the relink runs (the people step over the articles concerned, the story pins), so
"corrected now" and "corrected after a relink" cannot drift apart. Undo marks the correction
undone (it stays listed) and puts the affected facts back to what the steps decide without it.

Every correction needs an author and a reason; the stored record is :class:`Correction`.

Modules: ``common`` (who and why, storing), ``people``, ``quotes``, ``stories`` (each kind
applied now, and put back on undo), ``undo``. Nothing is imported here: the analysis loop
imports ``quotes`` alone, without the story clusterer's libraries.
"""
