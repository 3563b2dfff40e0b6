"""The query service: fair use in front of the pool of query executors.

One :class:`QueryService` serves the whole site, so the per-client limits
hold across every web worker.  ``kg serve`` starts it in a process of its own
(:func:`start`) before the web workers, which reach it through a Unix socket
with a secret key (:func:`connect`); a single-process app (tests, ``--debug``)
holds one itself.  Both answer ``run(client, request)`` the same way.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.managers import BaseManager
from pathlib import Path

from kg.errors import QueryRefused
from kg.settings import Settings
from kg.store import Store
from kg.store.remote import RemoteStore

from .engine import Answer, QueryRequest
from .fairuse import FairUse, Limits
from .workers import QueryPool


@dataclass(frozen=True)
class ServiceConfig:
    source: Path | RemoteStore  # a build's N-Quads, or the remote store to send checked queries to
    executors: int = 2
    timeout: float = 10.0
    limits: Limits = field(default_factory=Limits)

    @classmethod
    def of(cls, settings: Settings, source: Path | RemoteStore) -> ServiceConfig:
        """The service the settings ask for, over ``source``: the one place its options are read."""
        return cls(source, settings.query_workers, settings.query_timeout,
                   Limits(concurrent=settings.client_queries, budget=settings.client_budget))


class QueryService:
    def __init__(self, config: ServiceConfig):
        self.config = config
        self.pool = QueryPool(config.source, size=config.executors, timeout=config.timeout)
        self.fair_use = FairUse(config.limits)

    def run(self, client: str, request: QueryRequest) -> Answer:
        """The answer, or QueryRefused (its status says why: 400, 403, 429, 503)."""
        self.fair_use.admit(client)
        started = time.monotonic()
        try:
            return self.pool.run(request)
        finally:
            self.fair_use.done(client, time.monotonic() - started)

    def close(self) -> None:
        self.pool.close()


# --- the service in a process of its own ---------------------------------------------------------------

_service: QueryService | None = None


def _serve(config: ServiceConfig) -> None:
    global _service
    _service = QueryService(config)


def _the_service() -> QueryService:
    return _service


class _Manager(BaseManager):
    pass


_Manager.register("service", callable=_the_service, exposed=("run",))


@dataclass(frozen=True)
class Address:
    """Where web workers find the service: a Unix socket only this user can open, and its key."""

    socket: str
    key: bytes


def start(config: ServiceConfig) -> tuple[_Manager, Address]:
    """Start the service process; stop it with ``manager.shutdown()``."""
    folder = tempfile.mkdtemp(prefix="kg-query-service-")
    os.chmod(folder, 0o700)
    address = Address(str(Path(folder) / "socket"), secrets.token_bytes(32))
    manager = _Manager(address=address.socket, authkey=address.key)
    manager.start(initializer=_serve, initargs=(config,))
    return manager, address


def connect(address: Address):
    """A proxy of the running service with the same ``run``; one connection per thread."""
    manager = _Manager(address=address.socket, authkey=address.key)
    manager.connect()
    return manager.service()


class InProcess:
    """The service held by this process, started on first use (most apps never get a query)."""

    def __init__(self, config: ServiceConfig):
        self.config = config
        self._service: QueryService | None = None
        self._lock = threading.Lock()

    def run(self, client: str, request: QueryRequest) -> Answer:
        with self._lock:
            if self._service is None:
                self._service = QueryService(self.config)
        return self._service.run(client, request)

    def close(self) -> None:
        with self._lock:
            if self._service is not None:
                self._service.close()
                self._service = None


class Remote:
    """The service of the ``kg serve`` process, for a web worker; a lost service is a 503, not a 500."""

    def __init__(self, address: Address):
        self.address = address
        self._proxy = None
        self._lock = threading.Lock()

    def run(self, client: str, request: QueryRequest) -> Answer:
        try:
            with self._lock:
                if self._proxy is None:
                    self._proxy = connect(self.address)
                proxy = self._proxy
            return proxy.run(client, request)
        except (OSError, EOFError):
            with self._lock:
                self._proxy = None
            raise QueryRefused(503, "the query service is not answering; try again in a moment",
                               retry_after=5) from None

    def close(self) -> None:
        self._proxy = None


class Unavailable:
    """No query service: an app made over a store that has no build behind it (a test's)."""

    def run(self, client: str, request: QueryRequest) -> Answer:
        raise QueryRefused(503, "this site runs no SPARQL query service")

    def close(self) -> None:
        pass


def in_process(settings: Settings, store: Store) -> InProcess | Unavailable:
    """The service of a single-process app (tests, the debug server) over what ``store`` serves."""
    if isinstance(store, RemoteStore):
        return InProcess(ServiceConfig.of(settings, store))
    if settings.nquads.is_file():
        return InProcess(ServiceConfig.of(settings, settings.nquads))
    return Unavailable()
