"""Where a long command is: its stages, each with a count when it ends, and a bar where the total is known.

The library says what it does through :class:`Stages` (silent by default: a library prints nothing); the
commands give it :class:`kg.cli.progress.Terminal` when standard error is a terminal and CI is not running,
so a 1M-triple build says what it is doing instead of minutes of silence, and pipes, logs and CI stay quiet.

    with stages.stage("reading the YAML", total=len(paths)) as stage:
        for path in paths:
            ...
            stage.advance()
        stage.note(f"{len(paths)} files")
"""

from __future__ import annotations

from contextlib import contextmanager


class Stage:
    """One stage of a command: :meth:`advance` moves its bar, :meth:`note` says what it did."""

    def __init__(self, bar=None):
        self.bar, self.said = bar, ""

    def advance(self, n: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def note(self, text: str) -> None:
        self.said = text


class Stages:
    """Silent: what the library is given unless a command asks for more."""

    @contextmanager
    def stage(self, name: str, total: int | None = None):
        yield Stage()


SILENT = Stages()
