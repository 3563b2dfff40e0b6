"""``kg build``, ``kg validate`` and ``kg stats``: the data compiled, checked and counted."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kg.build import build, load_universe, write_built
from kg.build.compile import compile_universe
from kg.build.stats import compute, count_statements, fact_graphs
from kg.cli.progress import for_terminal
from kg.model import model

from .base import data_option, main, out_option

ALL_ERRORS = click.option("--all-errors", is_flag=True,
                          help="list every problem, also references to what a file that cannot be read may define")


@main.command("build")
@data_option
@out_option
@ALL_ERRORS
def build_command(data_dir: Path, out_dir: Path, all_errors: bool) -> None:
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
    stages = for_terminal("kg build")
    result = build(data_dir, all_errors=all_errors, stages=stages)
    paths = write_built(result.dataset, data_dir, out_dir, stages)
    click.echo(f"built {_summary(result)}:", err=True)
    for path in paths:
        click.echo(f"  {path}", err=True)


@main.command("validate")
@data_option
@ALL_ERRORS
def validate_command(data_dir: Path, all_errors: bool) -> None:
    """Check the data: YAML, keys, references, sources, then SHACL shapes.

    Exits 0 when valid, 1 when the data has problems (each printed as
    file:line: entity: key: message), 2 on a usage or I/O error.  While a file
    cannot be read, references to what it may define are counted, not listed
    (--all-errors lists them).

    \b
    Example:
      kg validate --data data/
    """
    click.echo(f"valid: {_summary(build(data_dir, all_errors=all_errors, stages=for_terminal('kg validate')))}",
               err=True)


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
