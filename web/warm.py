"""What the app keeps in memory besides the catalog, built in the background.

The search index and the entity graph of connections are read from the store
once.  On the shipped universe that takes a tenth of a second, at a million
triples several seconds, so the app does not wait for them: once a worker is
ready to serve, :func:`warm_up` reads the catalog and starts one background
thread that builds them, while pages are served; a request that needs one
waits for it (docs/benchmarks.md gives both times).  An app that was never
warmed up (a test's) builds them on the first request that needs one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from flask import Flask, current_app

from kg.heap import gc_paused

log = logging.getLogger(__name__)
EXTENSION = "kg-warm"


class Warmer:
    """Named builds, started together (:meth:`start`, or the first :meth:`get`); :meth:`get` waits for one."""

    def __init__(self) -> None:
        self._jobs: dict[str, Callable] = {}
        self._futures: dict[str, Future] = {}
        self._lock = threading.Lock()

    def add(self, name: str, build: Callable[[], object]) -> None:
        self._jobs[name] = build

    def start(self) -> None:
        with self._lock:
            if self._futures:
                return
            executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-warm")
            for name, build in self._jobs.items():
                self._futures[name] = executor.submit(_built, name, build)
            executor.shutdown(wait=False)

    def get(self, name: str):
        self.start()
        return self._futures[name].result()

    def wait(self) -> None:
        """Until every build is done (a test that swaps the store out wants none still reading it)."""
        for future in list(self._futures.values()):
            future.exception()


def _built(name: str, build: Callable):
    try:
        with gc_paused(freeze=True):  # long-lived objects: out of the collector's sight once made
            return build()
    except Exception:  # logged here, once; raised again to each request that needs it
        log.exception("building %s failed", name)
        raise


def warmer(app: Flask) -> Warmer:
    return app.extensions.setdefault(EXTENSION, Warmer())


def ready(name: str, app: Flask | None = None):
    """The named build of the app (of the current request by default), once it is done."""
    return warmer(app or current_app).get(name)


def warm_up(app: Flask) -> Flask:
    """Make a worker ready before it serves: the catalog and the ontology's model read (their objects
    then frozen out of the collector's sight, docs/benchmarks.md), the indexes started in the background."""
    site = app.extensions["kg"]
    with gc_paused(freeze=True):
        site.catalog, site.model  # noqa: B018 - read now, not on the first request
    warmer(app).start()
    return app
