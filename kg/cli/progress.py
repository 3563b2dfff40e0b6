"""The stages of a long command on a terminal (:mod:`kg.progress` says what the library tells them)."""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager

import click

from kg.progress import SILENT, Stage, Stages


class Terminal(Stages):
    """Each stage on its own line of standard error, a bar while one with a total runs, then its note and time."""

    def __init__(self, command: str):
        self.command = command

    @contextmanager
    def stage(self, name: str, total: int | None = None):
        started = time.perf_counter()
        label = f"{self.command}: {name}"
        if total:
            with click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True) as bar:
                stage = Stage(bar)
                yield stage
        else:
            click.echo(f"{label}…", err=True)
            stage = Stage()
            yield stage
        said = f" {stage.said}," if stage.said else ""
        click.echo(f"{label}:{said} {time.perf_counter() - started:.1f} s", err=True)


def for_terminal(command: str) -> Stages:
    """:class:`Terminal` on a terminal outside CI, else silent."""
    if sys.stderr.isatty() and os.environ.get("CI") != "true":
        return Terminal(command)
    return SILENT
