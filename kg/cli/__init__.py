"""The ``kg`` command: thin click commands over the library, one module per group of commands.

:mod:`kg.cli.base` holds the group, its error boundary and the shared
options; importing this package registers every command of the library.

May import: every wing of ``kg``.  Never ``web`` (its ``kg serve`` joins by an entry point).
"""

from . import build, diff, publish, query  # noqa: F401 - each registers its commands
from .base import main, script

__all__ = ["main", "script"]
