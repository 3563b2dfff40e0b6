"""Settings, declared once with their defaults and help.

Only the CLI (and later the web app factory) read the environment; library
functions take explicit arguments.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path


def setting(default, help: str, env: str):
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

    @classmethod
    def help(cls, name: str) -> str:
        return next(f.metadata["help"] for f in fields(cls) if f.name == name)

    @classmethod
    def env(cls, name: str) -> str:
        return next(f.metadata["env"] for f in fields(cls) if f.name == name)


DEFAULTS = Settings()
