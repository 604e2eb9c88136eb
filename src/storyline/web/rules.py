"""Who may write through the API: the token rule, checked before a server starts."""

from __future__ import annotations

import hmac
import ipaddress

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
TOKEN_ENV = "STORYLINE_TOKEN"


class ServeConfigError(ValueError):
    """The server must not start with these settings."""


def is_loopback(host: str) -> bool:
    """True when ``host`` is reachable from this machine only (127.0.0.0/8, ::1, localhost).

    Anything else, including 0.0.0.0, :: and any other name, counts as listening beyond
    loopback.
    """
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_serve_config(host: str, token: str | None) -> None:
    """Raise :class:`ServeConfigError` when a server on ``host`` would accept writes from other
    machines without a token: beyond loopback a token is required."""
    if token is not None and not token.strip():
        raise ServeConfigError("the API token is empty; give a non-empty --token or "
                               f"${TOKEN_ENV}, or none at all on a loopback host")
    if not is_loopback(host) and not token:
        raise ServeConfigError(
            f"refusing to listen on {host}, beyond loopback, without an API token: anyone who can "
            f"reach it could add articles. Give --token or set ${TOKEN_ENV}, or listen on "
            f"{DEFAULT_HOST}."
        )


def bearer_ok(authorization: str | None, token: str) -> bool:
    """True when an ``Authorization`` header carries ``Bearer <token>`` (compared in constant time)."""
    if not authorization:
        return False
    scheme, _, given = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8"))
