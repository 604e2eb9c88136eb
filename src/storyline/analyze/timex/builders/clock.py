"""Clock times: "3 p.m.", "14:30 GMT", "noon", with a weekday, a date or "yesterday" in front."""
from __future__ import annotations

from storyline.analyze.timex.builders.common import TIME, candidate
from storyline.analyze.timex.builders.relative import DEICTIC_DAYS
from storyline.analyze.timex.lexicon import MONTHS, WEEKDAYS


def _clock(m) -> str | None:
    if m["h24"]:  # "14:30 GMT"
        return f"{int(m['h24']):02d}:{m['mi24']}"
    special = (m["special"] or "").lower()
    if special in ("noon", "midday"):
        return "12:00"
    if special == "midnight":
        return "24:00"
    hour = int(m["h"])
    minute = int(m["mi"] or 0)
    ampm = (m["ap"] or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 24 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def build_clock(m, text):
    clock = _clock(m)
    if clock is None:
        return None
    found = _build_clock(m, clock)
    if m["approx"]:
        found[0].mod = "APPROX"
    return found


def _build_clock(m, clock):
    if m["wd"]:
        wd = WEEKDAYS[m["wd"].lower().rstrip(".")]
        return [candidate(m, 0, TIME, f"wd|{wd}|t|{clock}")]
    if m["mon"]:
        month = MONTHS[m["mon"].lower().rstrip(".")]
        return [candidate(m, 0, TIME, f"md|{month}|{int(m['day'])}|t|{clock}")]
    n = DEICTIC_DAYS.get((m["rel"] or "").lower(), 0)
    return [candidate(m, 0, TIME, f"day|{n}|{clock}")]
