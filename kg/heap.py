"""Long-lived objects and Python's cyclic garbage collector.

Building the universe, and the indexes the web app keeps in memory, makes
millions of objects that live until the process ends.  Each full collection
walks every one of them: at a million triples that cost the build a third of
its time and the app's start-up half of it (docs/benchmarks.md).  So the
collector is held while they are made, and once the app's indexes are built
they are moved out of its sight for good (:func:`gc.freeze`), which also keeps
a request's collections short.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused(freeze: bool = False) -> Iterator[None]:
    """Hold the cyclic collector in this block; with ``freeze``, exempt what exists at its end from it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if freeze:
            gc.freeze()
    finally:
        if was_enabled:
            gc.enable()
