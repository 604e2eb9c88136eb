"""The Desk's corrections (link/corrections does the work)."""

from __future__ import annotations

from collections.abc import Sequence

from storyline.store.records import Correction


class Correcting:
    """Desk methods that record human corrections (mixed into :class:`storyline.desk.Desk`)."""

    # --- corrections (link/corrections) --------------------------------------------------------
    # Each is stored with who, when and why, applied now, and kept by every later linking run;
    # a bad request is a CorrectionError (a ValueError) naming the input and the reason.
    def merge_people(self, keep: str, other: str, *, author: str, reason: str) -> Correction:
        """Person ``other`` is the same as person ``keep`` (ids): one person from now on."""
        from storyline.link.corrections.people import merge_people

        self.link(["people"])
        return merge_people(self.store, keep, other, author=author, reason=reason)

    def split_person(self, person: str, *, names: Sequence[str] = (), articles: Sequence[str] = (),
                     name: str | None = None, author: str, reason: str) -> Correction:
        """The person's mentions under ``names`` or in ``articles`` are somebody else (``name``)."""
        from storyline.link.corrections.people import split_person

        self.link(["people"])
        return split_person(self.store, person, names=names, articles=articles, name=name, author=author,
                            reason=reason)

    def fix_quote_speaker(self, article: str, quote: int, speaker: str, *, author: str,
                          reason: str) -> Correction:
        """Quote number ``quote`` (1-based, as the article lists them) was said by ``speaker``."""
        from storyline.link.corrections.quotes import quote_speaker

        return quote_speaker(self.store, article, quote, speaker, author=author, reason=reason)

    def move_article(self, article: str, story: str, *, author: str, reason: str) -> Correction:
        """The article belongs to ``story`` (ids or unique prefixes)."""
        from storyline.link.corrections.stories import move_article

        return move_article(self.store, article, story, author=author, reason=reason)

    def split_story(self, story: str, articles: Sequence[str], *, author: str, reason: str) -> Correction:
        """These articles of ``story`` form a new story of their own."""
        from storyline.link.corrections.stories import split_story

        return split_story(self.store, story, articles, author=author, reason=reason)

    def undo_correction(self, correction_id: int, *, author: str) -> Correction:
        """Undo a correction (it stays listed, stamped undone by ``author``)."""
        from storyline.link.corrections.undo import undo

        return undo(self.store, correction_id, author=author)

    def corrections(self, *, limit: int | None = None, offset: int = 0,
                    active: bool | None = None) -> list[Correction]:
        """The corrections made, newest first (``active``: only those in force, or only undone)."""
        return self.store.corrections(limit=limit, offset=offset, active=active)
