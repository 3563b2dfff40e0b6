"""``kg serve --watch``: a live preview for people who edit the data, as ``mkdocs serve`` is for docs.

One process serves the app of the last good build (:class:`Watch`, a WSGI app in front of it).  A thread
watches the data and ontology folders (watchfiles, the watcher uvicorn's reloader uses); on a change it
validates and builds again (:func:`kg.publish.serving.prepare`), and then either swaps in an app of the new
build, or keeps the last good one and holds the problems.  ``/__watch`` says which build is served and
what is wrong, as JSON; every page loads ``watch.js``, which asks it each second, reloads the page when the
build changes, and lays the problems (file:line, what, how to fix) over the page until they are fixed.
Nothing of this runs without ``--watch``.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

import watchfiles
from flask import Flask

from kg.errors import KGError
from kg.model import ontology_dir
from kg.publish.serving import prepare
from kg.settings import Settings

from . import create_app
from .warm import warm_up

log = logging.getLogger(__name__)
WATCHED = (".yaml", ".yml", ".ttl")
RETIRE_AFTER = 30.0  # seconds an old app keeps its query executors, for requests still running on it


class Watch:
    """The app of the last good build, swapped when the data changes and builds again."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.version = 1
        self.problems: list[str] = []
        self.app = self._app()
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def _app(self) -> Flask:
        app = create_app(self.settings)
        app.config["KG_WATCH"] = True
        return warm_up(app)

    def rebuild(self) -> None:
        """Validate and build the data as it is now; serve it if it is good, else hold its problems."""
        with self._lock:
            try:
                prepare(self.settings, downloads=False)
                app = self._app()
            except KGError as exc:  # DataInvalid (file:line each), or a settings file it cannot read
                self.problems = [line for line in str(exc).splitlines() if line.strip()]
                self.version += 1
                log.warning("kg serve --watch: the data has problems; serving the last good build")
                return
            old, self.app, self.problems = self.app, app, []
            self.version += 1
            threading.Timer(RETIRE_AFTER, old.extensions["kg-queries"].close).start()

    def watch(self) -> threading.Thread:
        """Start watching the folders the build reads, in a thread of its own."""
        folders = [str(self.settings.data_dir), str(ontology_dir())]

        def loop() -> None:
            for changes in watchfiles.watch(*folders, stop_event=self._stop, debounce=200, step=50,
                                            watch_filter=lambda _, path: path.endswith(WATCHED)):
                log.info("kg serve --watch: %s changed", ", ".join(sorted(Path(p).name for _, p in changes)))
                self.rebuild()

        thread = threading.Thread(target=loop, name="kg-watch", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == "/__watch":
            body = json.dumps({"version": self.version, "problems": self.problems}).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Cache-Control", "no-store"),
                                      ("Content-Length", str(len(body)))])
            return [body]
        return self.app(environ, start_response)


def serve_watching(settings: Settings) -> None:
    """Serve the data folder's build on one process, rebuilding it as the data is edited."""
    from werkzeug.serving import run_simple

    watching = Watch(settings)
    watching.watch()
    try:
        run_simple(settings.host, settings.port, watching, threaded=True, use_reloader=False)
    finally:
        watching.stop()
