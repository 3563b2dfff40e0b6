"""The ``kg`` command: thin click commands over the library.

Data goes to stdout, messages to stderr.  Errors are translated in one place,
:meth:`KGGroup.invoke`: invalid data exits 1 with every problem listed, a bad
request (option, folder, query) exits 2, a SPARQL server that cannot be reached or
refuses us exits 3; anything else is a bug and is left
to show its traceback.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from kg import __version__
from kg.build import build, ensure_built, load_universe, write_built
from kg.build.compile import compile_universe
from kg.build.stats import compute, count_statements, fact_graphs
from kg.publish import client, push
from kg.publish.dumps import ensure_dumps, ensure_remote_dumps, write_dumps
from kg.sparql.fairuse import Limits
from kg.sparql.query import FORMATS, render, run
from kg.store.remote import RemoteStore, StoreError, read_credentials

from .errors import DataInvalid, UsageError
from .model import model
from .settings import DEFAULTS, Settings

MAX_SHOWN = 200  # problems printed before "... and N more"


class KGGroup(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DataInvalid as exc:
            shown = exc.problems[:MAX_SHOWN]
            for problem in shown:
                click.echo(str(problem), err=True)
            if len(exc.problems) > len(shown):
                click.echo(f"... and {len(exc.problems) - len(shown)} more", err=True)
            click.echo(f"error: {exc.summary()}; nothing was written", err=True)
            ctx.exit(1)
        except UsageError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)
        except StoreError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(3)


def data_option(func):
    return click.option(
        "--data", "data_dir", type=click.Path(path_type=Path, file_okay=False), default=DEFAULTS.data_dir,
        envvar=Settings.env("data_dir"), show_default=True, help=Settings.help("data_dir"),
    )(func)


def build_option(func):
    """--build: the build a command reads (made or remade first, as ensure_built says)."""
    return click.option(
        "--build", "build_dir", type=click.Path(path_type=Path, file_okay=False), default=DEFAULTS.out_dir,
        envvar=Settings.env("out_dir"), show_default=True,
        help="the build folder: built first if any data or ontology file is newer",
    )(func)


@click.group(cls=KGGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """The John Wick universe knowledge graph.

    \b
    Facts are kept by hand in YAML (data/), compiled to RDF with every fact
    tied to its source, and validated with SHACL.

    \b
    Example:
      kg validate && kg build --out build/
    """


@main.command("build")
@data_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=DEFAULTS.out_dir,
              envvar=Settings.env("out_dir"), show_default=True, help=Settings.help("out_dir"))
def build_command(data_dir: Path, out_dir: Path) -> None:
    """Compile and validate the data, then write the dataset.

    Writes universe.nq (N-Quads, one named graph per source), universe.ttl (the
    union as Turtle), build.json (sizes and checksums) and .built-from.json
    (which data folder and files: kg serve, dump and push reuse a build only
    for those).  Nothing is written when the data is invalid; files are
    replaced atomically.

    \b
    Example:
      kg build --data data/ --out build/
    """
    result = build(data_dir)
    paths = write_built(result.dataset, data_dir, out_dir)
    click.echo(f"built {_summary(result)}:", err=True)
    for path in paths:
        click.echo(f"  {path}", err=True)


@main.command("dump")
@data_option
@build_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="folder to write the dumps to  [default: BUILD/downloads, which kg serve serves]")
def dump_command(data_dir: Path, build_dir: Path, out_dir: Path | None) -> None:
    """Write the dataset in every format, for download.

    N-Quads, TriG, Turtle, sorted N-Triples and JSON-LD (each also gzipped),
    the JSON-LD context, the ontology, the SHACL shapes, a VoID/DCAT
    description (void.ttl) and SHA256SUMS.  The same data gives the same
    bytes; files are replaced together, and nothing is written on an error.

    \b
    Example:
      kg dump --data data/ --out dumps/
    """
    nquads = ensure_built(data_dir, build_dir)
    out_dir = out_dir if out_dir is not None else build_dir / "downloads"
    manifest = write_dumps(nquads.parent, out_dir)
    click.echo(f"dumped {manifest.counts.triples} triples ({manifest.counts.quads} quads in "
               f"{manifest.counts.graphs} graphs), version {manifest.version}:", err=True)
    for name, info in manifest.files.items():
        click.echo(f"  {out_dir / name}  {info['bytes']} bytes", err=True)


@main.command("push")
@data_option
@build_option
@click.option("--endpoint", required=True, metavar="URL", help="the server's SPARQL query endpoint")
@click.option("--graph-store", metavar="URL", help="its Graph Store Protocol endpoint: one PUT per graph")
@click.option("--update", metavar="URL",
              help="its SPARQL Update endpoint, used without --graph-store  [default: the --endpoint URL "
                   "with /query replaced by /update, if that URL takes SPARQL Update]")
@click.option("--user", help="user name for HTTP Basic authentication")
@click.option("--password-file", type=click.Path(path_type=Path, dir_okay=False),
              help="file holding the password (one trailing newline is ignored)")
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=client.TIMEOUT, show_default=True,
              help="seconds to wait for the server at each step of a request")
@click.option("--progress/--no-progress", default=None,
              help="show a progress bar on stderr  [default: when stderr is a terminal]")
def push_command(data_dir: Path, build_dir: Path, endpoint: str, graph_store: str | None, update: str | None,
                 user: str | None, password_file: Path | None, timeout: float, progress: bool | None) -> None:
    """Publish the build to a SPARQL 1.1 server, one named graph per source.

    Each graph of the build (every source's graph, the provenance graph and
    the ontology) replaces the graph of the same name on the server, by the
    Graph Store Protocol (--graph-store), or else by SPARQL Update.  Then the
    graphs under https://kg.johnwick.example/ that are no longer in the build
    are removed; graphs with other names (other people's data on the same
    server) are never touched.  Pushing twice leaves the same data.  A push
    that stops half-way says which graphs it wrote; rerun it to complete.

    \b
    Example:
      kg push --endpoint http://localhost:7878/query --graph-store http://localhost:7878/store
      kg push --endpoint https://example.org/sparql --update https://example.org/update \\
              --user kg --password-file ~/.kg-password
    """
    credentials = read_credentials(user, password_file)
    target = client.server(endpoint, graph_store, update, credentials=credentials, timeout=timeout)
    built = push.read_graphs(ensure_built(data_dir, build_dir))
    show = sys.stderr.isatty() if progress is None else progress
    with click.progressbar(length=built.triples, label="pushing", file=sys.stderr, hidden=not show,
                           show_pos=True) as bar:
        pushed = push.push(built, target, bar.update)
    kept = f", kept {len(pushed.kept)} written by the push before" if pushed.kept else ""
    click.echo(f"pushed {len(pushed.written)} graphs ({pushed.triples} triples) to {pushed.url} by "
               f"{pushed.protocol} in {pushed.seconds:.1f} s{kept}; removed {len(pushed.removed)} graphs "
               f"no longer in the build", err=True)
    for note in pushed.notes:
        click.echo(f"note: {note}", err=True)


@main.command("validate")
@data_option
def validate_command(data_dir: Path) -> None:
    """Check the data: YAML, keys, references, sources, then SHACL shapes.

    Exits 0 when valid, 1 when the data has problems (each printed as
    file:line: entity: key: message), 2 on a usage or I/O error.

    \b
    Example:
      kg validate --data data/
    """
    click.echo(f"valid: {_summary(build(data_dir))}", err=True)


@main.command("stats")
@data_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def stats_command(data_dir: Path, fmt: str) -> None:
    """Count entities per class, statements per property and per source.

    Reads and checks the data (SHACL is left to 'kg validate').

    \b
    Example:
      kg stats --format json
    """
    universe = load_universe(data_dir)
    stats = compute(compile_universe(universe, model()).dataset, model())
    if fmt == "json":
        click.echo(json.dumps(stats.as_dict(), indent=2))
        return
    click.echo(f"{stats.statements} statements in {stats.graphs} source graphs\n")
    _print_table("entities per class", ("class", "entities"), stats.classes)
    _print_table("statements per source", ("source", "kind", "statements"), stats.sources)
    _print_table("statements per property", ("property", "statements"), stats.properties)


@main.command("query")
@click.argument("sparql", required=False)
@click.option("--file", "-f", "query_file", type=click.File("r", encoding="utf-8"),
              help="read the query from a file ('-' for standard input)")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="for SELECT and ASK; CONSTRUCT and DESCRIBE print Turtle")
@data_option
def query_command(sparql: str | None, query_file, fmt: str, data_dir: Path) -> None:
    """Run a SPARQL query over the compiled data.

    The default graph is the union of all source graphs; the prefixes jwo:,
    jwr:, jwg:, schema:, skos:, prov: ... are predeclared.

    \b
    Example:
      kg query 'SELECT ?name WHERE { ?c a jwo:Character ; rdfs:label ?name }'
      kg query --file question.rq --format csv
    """
    if (sparql is None) == (query_file is None):
        raise UsageError("give a query as an argument or with --file, not both or neither")
    text = sparql if sparql is not None else query_file.read()
    dataset = compile_universe(load_universe(data_dir), model()).dataset
    sys.stdout.write(render(run(dataset, text), fmt, dataset))


@main.command("serve")
@data_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=DEFAULTS.out_dir,
              envvar=Settings.env("out_dir"), show_default=True, help=Settings.help("out_dir"))
@click.option("--host", default=DEFAULTS.host, envvar=Settings.env("host"), show_default=True,
              help=Settings.help("host"))
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULTS.port, envvar=Settings.env("port"),
              show_default=True, help=Settings.help("port"))
@click.option("--workers", type=click.IntRange(1, 64), default=DEFAULTS.workers, envvar=Settings.env("workers"),
              show_default=True, help=Settings.help("workers"))
@click.option("--query-workers", type=click.IntRange(1, 64), default=DEFAULTS.query_workers,
              envvar=Settings.env("query_workers"), show_default=True, help=Settings.help("query_workers"))
@click.option("--query-timeout", type=click.FloatRange(0.1, 3600), default=DEFAULTS.query_timeout,
              envvar=Settings.env("query_timeout"), show_default=True, help=Settings.help("query_timeout"))
@click.option("--row-limit", type=click.IntRange(1, 10_000_000), default=DEFAULTS.row_limit,
              envvar=Settings.env("row_limit"), show_default=True, help=Settings.help("row_limit"))
@click.option("--client-queries", type=click.IntRange(1, 1000), default=DEFAULTS.client_queries,
              envvar=Settings.env("client_queries"), show_default=True, help=Settings.help("client_queries"))
@click.option("--client-budget", type=click.FloatRange(0.1), default=DEFAULTS.client_budget,
              envvar=Settings.env("client_budget"), show_default=True, help=Settings.help("client_budget"))
@click.option("--endpoint", metavar="URL", envvar="KG_ENDPOINT",
              help="serve from this SPARQL 1.1 server (filled by kg push) instead of a local build")
@click.option("--user", envvar="KG_USER", help="user name for --endpoint, if it needs one")
@click.option("--password-file", type=click.Path(path_type=Path, dir_okay=False),
              help="file holding the password for --user")
@click.option("--store-timeout", type=click.FloatRange(0.1, 600), default=DEFAULTS.store_timeout,
              envvar=Settings.env("store_timeout"), show_default=True, help=Settings.help("store_timeout"))
@click.option("--debug", is_flag=True, help="Flask's debug server instead of the production one (one process)")
def serve_command(data_dir: Path, out_dir: Path, host: str, port: int, workers: int, query_workers: int,
                  query_timeout: float, row_limit: int, client_queries: int, client_budget: float,
                  endpoint: str | None, user: str | None, password_file: Path | None, store_timeout: float,
                  debug: bool) -> None:
    """Build the universe if its data changed, then serve the fans' browser and /sparql.

    The last build is reused when no data or ontology file is newer.  The
    production server (gunicorn, several worker processes) is the default;
    SPARQL queries run in separate processes that are stopped at the time limit.
    With --endpoint, pages and /sparql read a remote SPARQL server instead
    (docs/remote-stores.md); it must answer when kg serve starts (exit 3 if not).

    \b
    Examples:
      kg serve --port 5000 --query-timeout 10
      kg serve --endpoint http://127.0.0.1:7878/query
    """
    config = {"SPARQL_EXECUTORS": query_workers, "SPARQL_TIMEOUT": query_timeout, "SPARQL_ROW_LIMIT": row_limit,
              "SPARQL_LIMITS": Limits(concurrent=client_queries, budget=client_budget)}
    if endpoint:
        store = RemoteStore.connect(endpoint, timeout=store_timeout,
                                    credentials=read_credentials(user, password_file))
        config.update(ENDPOINT=endpoint, ENDPOINT_CREDENTIALS=store.credentials, STORE_TIMEOUT=store_timeout,
                      DUMPS_DIR=str(ensure_remote_dumps(store, out_dir)))  # once, before the workers start
        source, what = store, f"{endpoint} ({len(store.graphs)} graphs)"
    else:
        source = what = ensure_built(data_dir, out_dir)
        ensure_dumps(out_dir, out_dir / "downloads")  # before the workers start, so that none has to
        config.update(DATA_DIR=str(data_dir), OUT_DIR=str(out_dir))
    click.echo(f"serving {what} at http://{host}:{port}/ ({'debug' if debug else f'{workers} workers'}, "
               f"{query_workers} query workers, {query_timeout:g} s per query)", err=True)
    if debug:
        from web import create_app

        create_app(config).run(host=host, port=port, debug=True, use_reloader=False)
    else:
        from web.server import serve

        serve(config, host, port, workers, source)


def script() -> None:
    """The ``kg`` console script: :func:`main`, then leave at once.

    A build holds millions of rdflib objects; freeing them one by one at
    interpreter exit took seconds (docs/benchmarks.md).  Everything the
    command writes is flushed and closed by then, so the process exits with
    ``os._exit`` and the operating system reclaims the memory.
    """
    try:
        main(prog_name="kg")
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        if isinstance(done.code, str):
            print(done.code, file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _summary(result) -> str:
    return (f"{len(result.universe.entities)} entities, {count_statements(result.dataset)} statements "
            f"in {len(fact_graphs(result.dataset))} source graphs, from {len(result.universe.files)} files")


def _print_table(title: str, header: tuple[str, ...], rows) -> None:
    rows = [tuple(str(c) for c in row) for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]
    click.echo(title)
    for row in (header, *rows):
        click.echo("  " + "  ".join(c.rjust(w) if c.isdigit() else c.ljust(w)
                                    for c, w in zip(row, widths, strict=True)).rstrip())
    click.echo()
