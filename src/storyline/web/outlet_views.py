"""What the outlet page (``/outlets/{name}``) shows, decided in plain Python from the store's
``OutletDetail``: the chart of articles over time, reuse with each other outlet, the stories it
covered (first among outlets or how many were earlier), its latest articles and the latest stored
texts it also ran word for word (sightings)."""

from __future__ import annotations

from urllib.parse import quote

from markupsafe import Markup

from storyline.store.records import OutletDetail
from storyline.web.bars import bars_svg, bin_days


def outlet_href(name: str) -> str:
    """The outlet page's address (the name percent-encoded, "/" included)."""
    return "/outlets/" + quote(name, safe="")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _standing(rank: int | None, outlets: int) -> str:
    if rank is None:
        return "undated"
    if rank == 1:
        return "first" if outlets > 1 else "only outlet"
    return f"{_ordinal(rank)} of {outlets} outlets"


def outlet_page(detail: OutletDetail) -> dict:
    binned = bin_days(detail.days)
    first, last = detail.span
    return {
        "outlet": detail.outlet, "articles": detail.articles, "undated": detail.undated, "first": first,
        "last": last, "unit": binned.unit, "dropped": binned.dropped,
        "chart": Markup(bars_svg(binned, detail.outlet)),  # noqa: S704 - built escaped in web/bars.py
        "reuse": [{"outlet": r.other, "href": outlet_href(r.other), "copied_from": r.copied_from,
                   "copied_by": r.copied_by} for r in detail.reuse],
        "stories": [{"id": s.story_id, "label": s.label, "articles": s.articles,
                     "first_day": s.first_day, "story_first_day": s.story_first_day, "first": s.rank == 1,
                     "standing": _standing(s.rank, s.outlets)} for s in detail.stories],
        "latest": detail.latest, "sighted": detail.sighted, "sighted_latest": detail.sighted_latest,
    }
