"""Settings, declared once with their defaults, help and environment variable; and the build folder's layout.

Only the CLI reads the environment (click's ``envvar``, from :meth:`Settings.env`);
the web app takes a :class:`Settings` (``create_app(settings)``), and library
functions take explicit arguments.  What a setting implies (where the build's
N-Quads are, which folder /downloads serves) is derived here, once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

#: The files of a build folder (written by :mod:`kg.build.output`, read by kg serve, dump and push).
NQUADS = "universe.nq"
TURTLE = "universe.ttl"
MANIFEST = "build.json"
DOWNLOADS = "downloads"  # the dumps of the build, as kg serve serves them
REMOTE = "remote"  # over --endpoint: the store's contents, fetched as a build of their own


def setting(default, help: str, env: str | None):
    return field(default=default, metadata={"help": help, "env": env})


@dataclass(frozen=True)
class Settings:
    data_dir: Path = setting(Path("data"), "folder of YAML data files", "KG_DATA")
    out_dir: Path = setting(Path("build"), "folder the build writes its dataset to", "KG_OUT")
    host: str = setting("127.0.0.1", "address the web app listens on", "KG_HOST")
    port: int = setting(5000, "port the web app listens on", "KG_PORT")
    workers: int = setting(2, "web worker processes (one per core is a good start)", "KG_WORKERS")
    query_workers: int = setting(2, "processes that run SPARQL queries from /sparql", "KG_QUERY_WORKERS")
    query_timeout: float = setting(10.0, "seconds a SPARQL query from /sparql may run", "KG_QUERY_TIMEOUT")
    client_queries: int = setting(2, "/sparql queries one client may run at once", "KG_CLIENT_QUERIES")
    client_budget: float = setting(30.0, "seconds of /sparql query time one client may use per minute",
                                   "KG_CLIENT_BUDGET")
    store_timeout: float = setting(10.0, "seconds each request to a remote SPARQL server (--endpoint) may take",
                                   "KG_STORE_TIMEOUT")
    row_limit: int = setting(10_000, "rows (or triples) a /sparql answer may hold; more is cut and said so",
                             "KG_ROW_LIMIT")
    endpoint: str | None = setting(None, "serve from this SPARQL 1.1 server (filled by kg push) instead of a "
                                         "local build", "KG_ENDPOINT")
    user: str | None = setting(None, "user name for --endpoint, if it needs one", "KG_USER")
    password_file: Path | None = setting(None, "file holding the password for --user", None)
    downloads: Path | None = setting(None, "folder of the dumps /downloads serves  [default: OUT/downloads, "
                                           "or OUT/remote/downloads with --endpoint]", None)
    proxies: int = setting(0, "proxies in front (nginx: 1) whose X-Forwarded-For and -Proto are trusted; "
                              "0: none, the client is the connection's address", "KG_PROXIES")

    @property
    def nquads(self) -> Path:
        """The build's N-Quads, which the embedded store loads."""
        return self.out_dir / NQUADS

    @property
    def dumps_dir(self) -> Path:
        """The folder /downloads serves."""
        if self.downloads is not None:
            return self.downloads
        return self.out_dir / REMOTE / DOWNLOADS if self.endpoint else self.out_dir / DOWNLOADS

    @classmethod
    def help(cls, name: str) -> str:
        return next(f.metadata["help"] for f in fields(cls) if f.name == name)

    @classmethod
    def env(cls, name: str) -> str | None:
        return next(f.metadata["env"] for f in fields(cls) if f.name == name)


DEFAULTS = Settings()
