"""Linking across articles, through the Store and its indexes.

- ``reuse/``: who copied or rewrote whom and what changed (candidates, alignment, direction, drift).
- ``stories/``: which articles tell the same story, their dates, events and cross-source checks.
- ``people``: who is who across articles (mentions merged into identities).
"""
