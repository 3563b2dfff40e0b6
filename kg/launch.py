"""The ``kg`` console script: the base IRI settled first, then the command.

Every IRI the project mints is made from :data:`kg.namespaces.BASE`, fixed
when that module is imported.  So before importing any other module of ours,
this reads the base the user chose: ``kg --base IRI`` (before the command),
else ``KG_BASE``, else ``base:`` in the data folder's ``settings.yaml`` (the
folder of ``--data``, or ``KG_DATA``, or ``data``), else the default, checks
it, and puts it in ``KG_BASE``, where :mod:`kg.namespaces` reads it and child
processes (web workers, query executors) inherit it.  A bad base is an
``error:`` and exit 2, before anything runs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from kg.baseiri import (  # mints nothing: namespaces not imported yet
    SETTINGS_FILE,
    check_base,
    data_settings,
)

USAGE = 2


def _option(argv: list[str], name: str) -> str | None:
    """The value of ``--name VALUE`` or ``--name=VALUE`` in ``argv`` (its last), or None."""
    found = None
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith(name + "="):
            found = arg[len(name) + 1:]
    return found


def declared_base(data_dir: Path) -> str | None:
    """The ``base:`` of ``data_dir/settings.yaml``, if the file says one."""
    base = data_settings(data_dir).get("base")
    if base is not None and not isinstance(base, str):
        raise ValueError(f"{data_dir / SETTINGS_FILE}: 'base' must be an IRI such as https://example.org/jw/")
    return base


def settle_base(argv: list[str]) -> str | None:
    """The base the command line, the environment or the data folder chose (None: the default), checked."""
    chosen = _option(argv, "--base") or os.environ.get("KG_BASE")
    if not chosen:
        data = _option(argv, "--data") or os.environ.get("KG_DATA") or "data"
        chosen = declared_base(Path(data))
    return check_base(chosen) if chosen else None


def script() -> None:
    argv = sys.argv[1:]
    try:
        base = _settled(argv)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(USAGE)
    if base:
        os.environ["KG_BASE"] = base
    from kg.cli import script as run

    run()


def _settled(argv: list[str]) -> str | None:
    if "kg.namespaces" in sys.modules:  # too late to choose (an embedding program imported us already)
        return None
    return settle_base(argv)
