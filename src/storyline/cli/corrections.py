"""``storyline correct ...`` (merge-people, split-person, quote-speaker, move-article,
split-story, undo) and ``storyline corrections``: corrections made by hand, with who and why,
applied at once and kept by every later relink (see storyline/link/corrections)."""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from storyline.cli.common import DbOption, JsonOption, LimitOption, OffsetOption, app, clip, fail, open_desk, out
from storyline.report.json import correction_json, correction_summary
from storyline.report.words import counted
from storyline.store import StoreError

if TYPE_CHECKING:
    from storyline.desk import Desk
    from storyline.store.records import Correction

correct = typer.Typer(help="Correct the linked results by hand: people, quote speakers, stories. Each correction "
                           "is stored with who, when and why, kept by every later relink, and can be undone.",
                      no_args_is_help=True)
app.add_typer(correct, name="correct")

WhyOption = Annotated[str, typer.Option("--why", help="Why this is right (required; kept with the correction).")]
AuthorOption = Annotated[str | None, typer.Option(
    "--author", envvar="STORYLINE_AUTHOR", help="Who makes it (by default, your user name).", show_default=False)]


def _author(given: str | None) -> str:
    if given and given.strip():
        return given
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in this environment
        fail("cannot tell who you are: give --author", code=2)


def _made(db: str | None, as_json: bool, make: Callable[[Desk], Correction]) -> None:
    """Run one correction and print it (JSON with ``--json``); a bad one exits 2 with the reason."""
    from storyline.link.corrections.common import CorrectionError

    with open_desk(db) as desk:
        try:
            made = make(desk)
        except CorrectionError as exc:
            fail(str(exc), code=2)
        except StoreError as exc:
            fail(str(exc), code=2)
    if as_json:
        print(json.dumps(correction_json(made), ensure_ascii=False, indent=1))
        return
    verb = "undone" if made.undone_at else "made"
    out.print(f"correction {made.id} {verb} ({made.kind}): {correction_summary(made)}", markup=False)


@correct.command("merge-people")
def merge_people_cli(
    keep: Annotated[str, typer.Argument(metavar="PERSON", help="The person id to keep (see `storyline people`).")],
    other: Annotated[str, typer.Argument(metavar="SAME_AS", help="A person id that is the same person.")],
    why: WhyOption, author: AuthorOption = None, db: DbOption = None, as_json: JsonOption = False,
) -> None:
    """Two people are one: SAME_AS joins PERSON, which keeps its id and name (SAME_AS's id finds it too)."""
    _made(db, as_json, lambda d: d.merge_people(keep, other, author=_author(author), reason=why))


@correct.command("split-person")
def split_person_cli(
    person: Annotated[str, typer.Argument(metavar="PERSON", help="The person id to split.")],
    why: WhyOption,
    name_used: Annotated[list[str] | None, typer.Option(
        "--name-used", help="Split off the mentions under this name, as the articles write it (repeatable).")] = None,
    article: Annotated[list[str] | None, typer.Option(
        "--article", help="Split off the mentions in this article (id or prefix; repeatable).")] = None,
    as_name: Annotated[str | None, typer.Option(
        "--as", help="The name to show for the person split off (by default, the first --name-used).")] = None,
    author: AuthorOption = None, db: DbOption = None, as_json: JsonOption = False,
) -> None:
    """Some mentions of a person are somebody else: they become a person of their own."""
    _made(db, as_json, lambda d: d.split_person(person, names=name_used or [], articles=article or [], name=as_name,
                                                author=_author(author), reason=why))


@correct.command("quote-speaker")
def quote_speaker_cli(
    article: Annotated[str, typer.Argument(metavar="ARTICLE", help="An article id or unique prefix.")],
    number: Annotated[int, typer.Argument(metavar="N", min=1, help="The quote's number in the article "
                                                                  "(as `storyline analysis ARTICLE` and the article page list them, from 1).")],
    speaker: Annotated[str, typer.Argument(metavar="SPEAKER", help="Who said it (a name).")],
    why: WhyOption, author: AuthorOption = None, db: DbOption = None, as_json: JsonOption = False,
) -> None:
    """A quote was said by somebody else: set its speaker (kept when the article is analysed again)."""
    _made(db, as_json, lambda d: d.fix_quote_speaker(article, number, speaker, author=_author(author), reason=why))


@correct.command("move-article")
def move_article_cli(
    article: Annotated[str, typer.Argument(metavar="ARTICLE", help="An article id or unique prefix.")],
    story: Annotated[str, typer.Argument(metavar="STORY", help="The story it belongs to (id or unique prefix).")],
    why: WhyOption, author: AuthorOption = None, db: DbOption = None, as_json: JsonOption = False,
) -> None:
    """An article belongs to another story: it moves there and stays (the clusterer is overruled)."""
    _made(db, as_json, lambda d: d.move_article(article, story, author=_author(author), reason=why))


@correct.command("split-story")
def split_story_cli(
    story: Annotated[str, typer.Argument(metavar="STORY", help="The story to split (id or unique prefix).")],
    article: Annotated[list[str], typer.Option("--article", help="An article of the new story (repeatable).")],
    why: WhyOption, author: AuthorOption = None, db: DbOption = None, as_json: JsonOption = False,
) -> None:
    """Some articles of a story are another story: they become a new story of their own."""
    _made(db, as_json, lambda d: d.split_story(story, article, author=_author(author), reason=why))


@correct.command("undo")
def undo_cli(
    correction_id: Annotated[int, typer.Argument(metavar="ID", help="The correction's id (see `storyline corrections`).")],
    author: AuthorOption = None, db: DbOption = None, as_json: JsonOption = False,
) -> None:
    """Undo a correction: it stays listed, marked undone, and the results go back to what the
    linking decides without it."""
    _made(db, as_json, lambda d: d.undo_correction(correction_id, author=_author(author)))


@app.command("corrections")
def corrections_cli(
    db: DbOption = None,
    active: Annotated[bool | None, typer.Option(
        "--active/--undone", help="Only those in force, or only those undone (by default, all).", show_default=False)] = None,
    limit: LimitOption = None, offset: OffsetOption = 0, as_json: JsonOption = False,
) -> None:
    """List the corrections made by hand, newest first: what, who, when, why, and whether undone."""
    with open_desk(db) as desk:
        try:
            made = desk.corrections(limit=limit, offset=offset, active=active)
        except StoreError as exc:
            fail(str(exc), code=2)
    if as_json:
        print(json.dumps([correction_json(c) for c in made], ensure_ascii=False, indent=1))
        return
    table = Table("id", "kind", "when", "who", "what", "why", "undone", box=None, pad_edge=False)
    for c in made:
        undone = f"{c.undone_at[:16]} by {c.undone_by}" if c.undone_at else ""
        table.add_row(str(c.id), c.kind, c.created_at[:16], escape(c.author), escape(clip(correction_summary(c), 80)),
                      escape(clip(c.reason, 60)), escape(undone))
    out.print(table)
    out.print(counted(len(made), "correction"), markup=False)
