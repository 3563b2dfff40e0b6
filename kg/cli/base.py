"""The ``kg`` command's group: the one place errors become exit codes, and the options commands share.

Data goes to stdout, messages to stderr.  Errors are translated in one place,
:meth:`KGGroup.invoke`, through the library's table (:func:`kg.errors.exit_code`):
invalid data exits 1 with every problem listed, a bad request or an I/O error
exits 2, a SPARQL store that cannot be reached or refuses us exits 3; anything
else is a bug and is left to show its traceback.

Commands live beside this module, one module per group of them
(:mod:`kg.cli.build`, :mod:`kg.cli.publish`, :mod:`kg.cli.query`); commands of
other packages join through the ``kg.commands`` entry points (as Flask's CLI
takes ``flask.commands``): ``kg serve`` is the web app's (:mod:`web.cli`), so
the library never imports the web app.
"""

from __future__ import annotations

import os
import sys
from importlib.metadata import entry_points
from pathlib import Path

import click

from kg import __version__
from kg.errors import DataInvalid, KGError, exit_code
from kg.namespaces import BASE, DEFAULT_BASE
from kg.settings import DEFAULTS, Settings

MAX_SHOWN = 200  # problems printed before "... and N more"
PLUGINS = "kg.commands"  # the entry point group of commands from other packages


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
            ctx.exit(exit_code(exc))
        except KGError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exit_code(exc))

    def _plugins(self) -> None:
        if not getattr(self, "_plugins_loaded", False):
            self._plugins_loaded = True
            for point in entry_points(group=PLUGINS):
                self.add_command(point.load(), point.name)

    def get_command(self, ctx: click.Context, name: str):
        self._plugins()
        return super().get_command(ctx, name)

    def list_commands(self, ctx: click.Context):
        self._plugins()
        return super().list_commands(ctx)


def setting_option(flag: str, name: str, **options):
    """An option for the setting ``name``: its default, help and environment variable declared once (kg.settings)."""
    return click.option(flag, name, default=getattr(DEFAULTS, name), envvar=Settings.env(name),
                        show_default=getattr(DEFAULTS, name) is not None, help=Settings.help(name), **options)


def data_option(func):
    return setting_option("--data", "data_dir", type=click.Path(path_type=Path, file_okay=False))(func)


def out_option(func):
    return setting_option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False))(func)


def build_option(func):
    """--build: the build a command reads (made or remade first, as ensure_built says)."""
    return click.option(
        "--build", "build_dir", type=click.Path(path_type=Path, file_okay=False), default=DEFAULTS.out_dir,
        envvar=Settings.env("out_dir"), show_default=True,
        help="the build folder: built first if any data or ontology file is newer",
    )(func)


def _base_chosen(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """The base was chosen when kg started (kg.launch); a different one asked for now cannot be honoured."""
    if value is not None and value != BASE:
        raise click.UsageError(f"--base {value} comes too late: this process mints IRIs under {BASE}; give "
                               "--base to the kg command itself, before the subcommand")


@click.group(cls=KGGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.option("--base", metavar="IRI", expose_value=False, callback=_base_chosen,
              help=f"the base IRI to mint under (else KG_BASE, else 'base:' in DATA/settings.yaml, else {DEFAULT_BASE})")
def main() -> None:
    """The John Wick universe knowledge graph.

    \b
    Facts are kept by hand in YAML (data/), compiled to RDF with every fact
    tied to its source, and validated with SHACL.

    \b
    Example:
      kg validate && kg build --out build/
    """


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


