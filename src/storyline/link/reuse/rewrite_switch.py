"""The switch of the rewrite cross-encoder: ``STORYLINE_REWRITE_MODEL=off`` lets the feature model
decide sentence rewrites alone (link/reuse/rewrites.py says what the cross-encoder does).

An environment variable, read whenever a run starts (not at import), so that one installation
can run either way and a Ray cluster's workers get the driver's setting (run/ray_exec.py passes
it on). Imports nothing heavy: the CLI catches :class:`SwitchError` by importing this module.
"""

from __future__ import annotations

import os

SWITCH = "STORYLINE_REWRITE_MODEL"
ON = ("on", "1", "true", "yes")
OFF = ("off", "0", "false", "no")


class SwitchError(ValueError):
    """STORYLINE_REWRITE_MODEL holds something other than on or off."""


def enabled() -> bool:
    """Whether the cross-encoder re-scores: unset, empty or one of :data:`ON` for yes, one of
    :data:`OFF` for no, in any case. Anything else is a :class:`SwitchError` naming the
    variable: a typo must not silently pick a side."""
    raw = os.environ.get(SWITCH, "")
    value = raw.strip().lower()
    if value in ("", *ON):
        return True
    if value in OFF:
        return False
    raise SwitchError(f"{SWITCH}={raw!r}: expected on or off")
