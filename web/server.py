"""Serve the app in production: gunicorn worker processes, one store each.

Each worker loads the built N-Quads into its own embedded store (the build
itself is made once, before the workers start), so workers share nothing and
a slow page in one does not hold the others: the usual way past the GIL.
"""

from __future__ import annotations

from gunicorn.app.base import BaseApplication

from . import create_app


class Server(BaseApplication):
    def __init__(self, app_config: dict, host: str, port: int, workers: int):
        self.app_config = app_config
        self.options = {"bind": f"{host}:{port}", "workers": workers, "worker_class": "sync",
                        "accesslog": None, "errorlog": "-", "loglevel": "warning", "timeout": 60}
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return create_app(self.app_config)


def serve(app_config: dict, host: str, port: int, workers: int) -> None:
    Server(app_config, host, port, workers).run()
