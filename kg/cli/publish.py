"""``kg dump`` and ``kg push``: what leaves a build, as files and to a SPARQL server."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from kg.build import ensure_built
from kg.cli.progress import for_terminal
from kg.httpclient import read_credentials
from kg.publish import client, push
from kg.publish.dumps import write_dumps
from kg.publish.graphs import read_graphs
from kg.publish.history import previous_history
from kg.publish.releases import check_comparable, read_folder, read_release

from .base import build_option, data_option, main


@main.command("dump")
@data_option
@build_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="folder to write the dumps to  [default: BUILD/downloads, which kg serve serves]")
@click.option("--changes-from", "previous", metavar="OLD",
              help="the previous release (dump folder, build folder or git revision): ship the changes from it")
@click.option("--repo", type=click.Path(path_type=Path, file_okay=False, exists=True), default=Path("."),
              show_default=True, help="the git repository a revision given to --changes-from names")
def dump_command(data_dir: Path, build_dir: Path, out_dir: Path | None, previous: str | None, repo: Path) -> None:
    """Write the dataset in every format, for download.

    N-Quads, TriG, Turtle, sorted N-Triples and JSON-LD (each also gzipped),
    the JSON-LD context, the ontology, the SHACL shapes, a VoID/DCAT
    description (void.ttl) and SHA256SUMS.  The same data gives the same
    bytes; files are replaced together, and nothing is written on an error.
    With --changes-from, also the patch from the previous release
    (changes.ru.gz, SPARQL Update) and the release history (changes.json,
    carried on from the previous release's dumps when OLD is its dump folder).

    \b
    Examples:
      kg dump --data data/ --out dumps/
      kg dump --out dumps/ --changes-from old-dumps/
      kg dump --out dumps/ --changes-from v1.0
    """
    nquads = ensure_built(data_dir, build_dir)
    out_dir = out_dir if out_dir is not None else build_dir / "downloads"
    old, history = None, []
    if previous is not None:
        with tempfile.TemporaryDirectory(prefix="kg-dump-") as work:
            old = read_release(previous, repo, "data", Path(work))
        history = previous_history(Path(previous)) if Path(previous).is_dir() else []
        check_comparable(old, read_folder(nquads.parent, "this build"))
    manifest = write_dumps(nquads.parent, out_dir, old, history, for_terminal("kg dump"))
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
    built = read_graphs(ensure_built(data_dir, build_dir))
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


