"""``kg query``: a SPARQL question to the compiled data, answered by the same engine as /sparql."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.build import load_universe
from kg.build.compile import compile_universe
from kg.errors import UsageError
from kg.model import model
from kg.sparql.query import FORMATS, run

from .base import data_option, main


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
    sys.stdout.write(run(dataset, text, fmt))
