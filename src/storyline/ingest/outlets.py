"""One canonical name per outlet: "inews", "i news" and inews.co.uk are all The i Paper.

Known outlets (their names, aliases and domains) are in ``outlets.json`` beside this module. A
name that is not known is kept as the article states it (after ingest/clean.py has dropped
section labels); an article that names no outlet gets the known outlet of its URL's domain, or
else the domain itself ("example.org"), marked as inferred.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

_NOT_ALNUM = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class OutletIndex:
    by_name: dict[str, str]  # name key -> canonical name
    by_domain: dict[str, str]  # registered domain -> canonical name


def name_key(name: str) -> str:
    """How names are compared: case-folded, a leading "the" and all punctuation and spaces dropped."""
    folded = name.casefold().strip()
    folded = re.sub(r"^the\s+", "", folded)
    return _NOT_ALNUM.sub("", folded)


@cache
def outlet_index() -> OutletIndex:
    """The known outlets, read once (a constant table: caching it holds no run state)."""
    data = json.loads(resources.files("storyline.ingest").joinpath("outlets.json").read_text(encoding="utf-8"))
    by_name: dict[str, str] = {}
    by_domain: dict[str, str] = {}
    for outlet in data["outlets"]:
        for alias in [outlet["name"], *outlet["aliases"], *outlet["domains"]]:
            by_name.setdefault(name_key(alias), outlet["name"])
        for domain in outlet["domains"]:
            by_domain[domain.lower()] = outlet["name"]
    return OutletIndex(by_name, by_domain)


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return None
    return host.removeprefix("www.") or None


def canonical_outlet(name: str | None, url: str | None) -> tuple[str | None, str | None]:
    """(the outlet's canonical name, why it differs from ``name``: None when unchanged). A known
    name or alias gives its canonical name; without a name, the URL's domain gives one."""
    index = outlet_index()
    if name:
        known = index.by_name.get(name_key(name))
        if known and known != name:
            return known, f"{name!r} is a name of {known}"
        return name, None
    host = host_of(url)
    if not host:
        return None, None
    parts = host.split(".")
    for i in range(len(parts) - 1):  # news.bbc.co.uk -> bbc.co.uk -> co.uk
        known = index.by_domain.get(".".join(parts[i:]))
        if known:
            return known, f"URL domain {host}"
    return host, f"URL domain {host} (not a known outlet)"
