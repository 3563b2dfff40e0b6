"""Serve the app in production: gunicorn worker processes, one store each, and one query service.

Each worker opens its own store (an embedded store loads the build's
N-Quads; the build itself is made once, before the workers start), so
workers share nothing and a slow page in one does not hold the others: the
usual way past the GIL.

SPARQL queries from ``/sparql`` run in neither: the query service
(:mod:`kg.sparql.service`) is started here first, in a process of its own with
its own executors, and every worker hands it queries.  Each worker reads
requests on an event loop and runs them on two thread pools, pages apart from
``/sparql`` (:mod:`web.front`), so neither slow clients nor slow queries hold
a page.
"""

from __future__ import annotations

from pathlib import Path

from gunicorn.app.base import BaseApplication

from kg.settings import Settings
from kg.sparql.service import Remote, ServiceConfig, start
from kg.store.remote import RemoteStore

from . import create_app
from .front import Front
from .warm import warm_up


class Server(BaseApplication):
    def __init__(self, settings: Settings, queries: Remote):
        self.settings, self.queries = settings, queries
        self.options = {"bind": f"{settings.host}:{settings.port}", "workers": settings.workers,
                        "worker_class": "web.front.Worker", "accesslog": None, "errorlog": "-",
                        "loglevel": "warning", "timeout": 60, "keepalive": 30,
                        "reuse_port": True,  # each worker listens on a socket of its own too (web.front.Worker)
                        "post_worker_init": lambda worker: queries.begin()}  # pages first, then the executors
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return Front(warm_up(create_app(self.settings, queries=self.queries)))


def serve(settings: Settings, source: Path | RemoteStore) -> None:
    """Start the query service (over a build's N-Quads or a remote store), then the web workers;
    stop both on the way out."""
    supervisor, address = start(ServiceConfig.of(settings, source, deferred=True))
    try:
        Server(settings, Remote(address)).run()
    finally:
        supervisor.shutdown()
