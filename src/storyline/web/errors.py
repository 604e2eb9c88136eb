"""Errors the server answers: one exception for the API and the pages, and the lookup rule.

An :class:`WebError` is answered as JSON under /api/ and as an HTML page elsewhere (the
exception handlers in web/api.py decide by path), so the pages and the API share one mechanism.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException

from storyline.store import AmbiguousIdError


class WebError(HTTPException):
    """An error answered with this status and message."""


def lookup(call, missing: str):
    """``call()``, with a missing id as 404 and an ambiguous prefix as 409."""
    try:
        found = call()
    except AmbiguousIdError as exc:
        raise WebError(409, str(exc)) from None
    except LookupError as exc:
        message = str(exc.args[0]) if exc.args else missing
        if "more than one" in message:  # Store.story's ambiguous prefix is a plain LookupError
            raise WebError(409, message) from None
        raise WebError(404, message) from None
    if found is None:
        raise WebError(404, missing)
    return found
