"""``kg diff``: what changed between two releases, for readers, for programs, and as a patch for a SPARQL store."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import click

from kg.publish.changes import as_json, compare, sparql_update_lines, text_lines
from kg.publish.releases import check_comparable, read_release

from .base import main

FORMS = ("text", "json", "sparql-update")


@main.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(FORMS), default="text", show_default=True,
              help="text for reading; json for programs; sparql-update to turn a store holding OLD into NEW")
@click.option("--repo", type=click.Path(path_type=Path, file_okay=False, exists=True), default=Path("."),
              show_default=True, help="the git repository whose revisions OLD and NEW may name")
@click.option("--data-path", "data_path", default="data", show_default=True,
              help="the data folder inside a revision's tree")
def diff_command(old: str, new: str, fmt: str, repo: Path, data_path: str) -> None:
    """Show the statements added and removed from OLD to NEW, by entity and by source graph.

    OLD and NEW are each a build folder, a dump folder, or a git revision of
    the repository (a tag, a branch, HEAD~1), built in a temporary folder.
    Changes of a fact's qualifiers (its source note, confirmation mark) count
    as changes of that fact.

    \b
    Examples:
      kg diff v1.0 HEAD
      kg diff old-build/ build/ --format json
      kg diff v1.0 v1.1 --format sparql-update | curl --data-binary @- \\
          -H 'Content-Type: application/sparql-update' http://localhost:7878/update
    """
    with tempfile.TemporaryDirectory(prefix="kg-diff-") as work:
        before = read_release(old, repo, data_path, Path(work) / "old")
        after = read_release(new, repo, data_path, Path(work) / "new")
    check_comparable(before, after)
    changes = compare(before, after)
    if fmt == "json":
        sys.stdout.write(json.dumps(as_json(changes), indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    else:
        sys.stdout.writelines(sparql_update_lines(changes) if fmt == "sparql-update" else text_lines(changes))
