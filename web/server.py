"""Serve the app in production: gunicorn worker processes, one store each, and one query service.

Each worker loads the built N-Quads into its own embedded store (the build
itself is made once, before the workers start), so workers share nothing and
a slow page in one does not hold the others: the usual way past the GIL.

SPARQL queries from ``/sparql`` run in neither: the query service
(:mod:`kg.sparql.service`) is started here first, in a process of its own with its
own executors, and every worker hands it queries.  A worker waiting for an
answer keeps serving pages on its other threads (gunicorn's ``gthread``).
"""

from __future__ import annotations

from pathlib import Path

from gunicorn.app.base import BaseApplication

from kg.sparql.fairuse import Limits
from kg.sparql.service import ServiceConfig, start
from kg.store.remote import RemoteStore

from . import create_app

THREADS = 4  # per worker: pages keep flowing while a thread waits on a query


class Server(BaseApplication):
    def __init__(self, app_config: dict, host: str, port: int, workers: int):
        self.app_config = app_config
        self.options = {"bind": f"{host}:{port}", "workers": workers, "worker_class": "gthread",
                        "threads": THREADS, "accesslog": None, "errorlog": "-", "loglevel": "warning",
                        "timeout": 60}
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return create_app(self.app_config)


def serve(app_config: dict, host: str, port: int, workers: int, source: Path | RemoteStore) -> None:
    """Start the query service (over a build's N-Quads or a remote store), then the web workers;
    stop both on the way out."""
    manager, address = start(ServiceConfig(source, app_config["SPARQL_EXECUTORS"], app_config["SPARQL_TIMEOUT"],
                                           app_config.get("SPARQL_LIMITS", Limits())))
    try:
        Server({**app_config, "QUERY_SERVICE": address}, host, port, workers).run()
    finally:
        manager.shutdown()
