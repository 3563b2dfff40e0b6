"""``kg serve``: the web app's command, joined to ``kg`` by the ``kg.commands`` entry point.

It reads the settings from its options (each declared once, in
:mod:`kg.settings`), prepares what the pages need on disk
(:func:`kg.publish.serving.prepare`: the build if the data changed), starts
writing the downloads in the background (:func:`kg.publish.serving.start_downloads`:
the first page does not wait for them), then runs gunicorn's workers and the
query service (:mod:`web.server`), or Flask's debug server with ``--debug``.
"""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.base import data_option, out_option, setting_option
from kg.errors import UsageError
from kg.publish.serving import prepare, start_downloads
from kg.settings import Settings
from kg.store import connect

from . import create_app
from .server import serve
from .warm import warm_up
from .watch import serve_watching


def say(step: str) -> None:
    """A step of the start, on stderr (a first build of the universe takes a while)."""
    click.echo(f"kg serve: {step}…", err=True)


@click.command("serve")
@data_option
@out_option
@setting_option("--host", "host")
@setting_option("--port", "port", type=click.IntRange(1, 65535))
@setting_option("--workers", "workers", type=click.IntRange(1, 64))
@setting_option("--query-workers", "query_workers", type=click.IntRange(1, 64))
@setting_option("--query-timeout", "query_timeout", type=click.FloatRange(0.1, 3600))
@setting_option("--row-limit", "row_limit", type=click.IntRange(1, 10_000_000))
@setting_option("--client-queries", "client_queries", type=click.IntRange(1, 1000))
@setting_option("--client-budget", "client_budget", type=click.FloatRange(0.1))
@setting_option("--endpoint", "endpoint", metavar="URL")
@setting_option("--user", "user")
@setting_option("--password-file", "password_file", type=click.Path(path_type=Path, dir_okay=False))
@setting_option("--store-timeout", "store_timeout", type=click.FloatRange(0.1, 600))
@setting_option("--proxies", "proxies", type=click.IntRange(0, 8))
@click.option("--debug", is_flag=True, help="Flask's debug server instead of the production one (one process)")
@click.option("--watch", is_flag=True,
              help="a live preview for editing the data: rebuild on every change, reload open pages, show problems")
def serve_command(debug: bool, watch: bool, **options) -> None:
    """Build the universe if its data changed, then serve the fans' browser and /sparql.

    The last build is reused when no data or ontology file is newer.  The
    production server (gunicorn, several worker processes) is the default;
    SPARQL queries run in separate processes that are stopped at the time limit.
    With --endpoint, pages and /sparql read a remote SPARQL server instead
    (docs/remote-stores.md); it must answer when kg serve starts (exit 3 if not).

    \b
    With --watch, one process serves the data folder and builds it again on
    every change to its YAML (or the ontology): open pages reload themselves,
    and while the data has problems every page shows them over the last good
    build.

    \b
    Examples:
      kg serve --port 5000 --query-timeout 10
      kg serve --endpoint http://127.0.0.1:7878/query
      kg serve --watch --data my-data/
    """
    settings = Settings(**options)
    if watch:
        if settings.endpoint:
            raise UsageError("--watch previews the data folder: it cannot be used with --endpoint")
        prepare(settings, say=say, downloads=False)
        click.echo(f"watching {settings.data_dir} and serving it at http://{settings.host}:{settings.port}/ "
                   "(rebuilt on every change; Ctrl+C stops)", err=True)
        serve_watching(settings)
        return
    store = None
    if settings.endpoint:
        store = connect(settings)  # once here: a server that does not answer stops us before any worker starts
        source, what = store, f"{settings.endpoint} ({len(store.graphs)} graphs)"
    else:
        source = what = prepare(settings, say=say, downloads=False)
    say(f"writing the downloads into {settings.dumps_dir} while the site serves (if the build changed)")
    start_downloads(settings, store)
    click.echo(f"serving {what} at http://{settings.host}:{settings.port}/ "
               f"({'debug' if debug else f'{settings.workers} workers'}, {settings.query_workers} query workers, "
               f"{settings.query_timeout:g} s per query)", err=True)
    if debug:
        warm_up(create_app(settings)).run(host=settings.host, port=settings.port, debug=True, use_reloader=False)
    else:
        serve(settings, source)
