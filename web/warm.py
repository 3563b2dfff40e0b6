"""What the app keeps in memory besides the catalog, built in the background.

The search index and the entity graph of connections are read from the store
once.  On the shipped universe that takes a tenth of a second, at a million
triples several seconds, so the app does not wait for them: it serves pages
as soon as the catalog is read, one background thread builds them, and a
request that needs one waits for it (docs/benchmarks.md gives both times).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from flask import Flask, current_app

from kg.heap import gc_paused

log = logging.getLogger(__name__)
EXTENSION = "kg-warm"


class Warmer:
    """Named builds, started together after the app is set up; :meth:`get` waits for one."""

    def __init__(self) -> None:
        self._jobs: dict[str, tuple[Callable, tuple]] = {}
        self._futures: dict[str, Future] = {}

    def add(self, name: str, build: Callable, *args) -> None:
        self._jobs[name] = (build, args)

    def start(self) -> None:
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-warm")
        for name, (build, args) in self._jobs.items():
            self._futures[name] = executor.submit(_built, name, build, args)
        executor.shutdown(wait=False)

    def get(self, name: str):
        return self._futures[name].result()

    def wait(self) -> None:
        """Until every build is done (a test that swaps the store out wants none still reading it)."""
        for future in self._futures.values():
            future.exception()


def _built(name: str, build: Callable, args: tuple):
    try:
        with gc_paused(freeze=True):  # long-lived objects, as in create_app
            return build(*args)
    except Exception:  # logged here, once; raised again to each request that needs it
        log.exception("building %s failed", name)
        raise


def warmer(app: Flask) -> Warmer:
    return app.extensions.setdefault(EXTENSION, Warmer())


def ready(name: str, app: Flask | None = None):
    """The named build of the app (of the current request by default), once it is done."""
    return warmer(app or current_app).get(name)
