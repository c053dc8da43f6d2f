"""`insightmap serve`: build the site, serve it on localhost and rebuild when a record changes."""

from __future__ import annotations

import click

from insightmap.commands._common import checked_project
from insightmap.commands.options import public_option


@click.command("serve")
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port on 127.0.0.1."
)
@public_option
@click.pass_context
def command(ctx: click.Context, port: int, public: bool) -> None:
    """Serve the site on http://127.0.0.1:PORT/ and rebuild it when records change.

    Runs `check` first and stops (exit 1) on problems. Pages are regenerated into
    build/serve/docs/ and `properdocs serve` rebuilds and reloads the browser. A problem
    introduced while serving is printed and the last good pages stay up. A busy
    port stops with exit 1 before anything starts; Ctrl-C or SIGTERM stops the server.
    """
    from insightmap import pipeline
    from insightmap.site.serve import PortInUse, port_free, serve

    if not port_free(port):
        raise PortInUse(port)  # before the records are read: the answer comes at once
    checked = checked_project(ctx, public=public, strict=True)
    results = pipeline.analyse(checked)
    site = pipeline.site_pages(checked, results)
    serve(checked.project, site, port=port, public=public, echo=click.echo, results=results, checked=checked)
