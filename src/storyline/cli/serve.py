"""``storyline serve``: the REST API (storyline/web/api.py) over one store, run with uvicorn.
 The web framework is
imported only when the command runs."""

from __future__ import annotations

from typing import Annotated

import typer

from storyline.cli.common import DbOption, app, fail
from storyline.store import StoreError
from storyline.web.rules import DEFAULT_HOST, DEFAULT_PORT, TOKEN_ENV, ServeConfigError, check_serve_config


@app.command("serve")
def serve_cli(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on; beyond loopback a --token is required.")] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(help="Port to listen on.", min=0, max=65535)] = DEFAULT_PORT,
    token: Annotated[str | None, typer.Option(
        envvar=TOKEN_ENV, show_default=False,
        help="Require 'Authorization: Bearer TOKEN' to add articles (POST).")] = None,
    warm: Annotated[int, typer.Option(
        min=0, help="Build the reports of this many largest stories in the background at start, "
                    "so that their pages open at once (0: build each on its first view).")] = 5,
) -> None:
    """Serve the REST API (JSON under /api/, schema at /openapi.json) over the store.

    On loopback (the default, 127.0.0.1) a token is optional; listening on any other address
    (such as 0.0.0.0) without a token is refused, since anyone reaching it could add articles.
    """
    try:
        check_serve_config(host, token)
    except ServeConfigError as exc:
        fail(str(exc), code=2)
    from storyline.web.api import serve

    try:
        serve(db, host=host, port=port, token=token, warm=warm)
    except StoreError as exc:
        fail(str(exc), code=2)
