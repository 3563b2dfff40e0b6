"""The query service: fair use in front of the pool of query executors.

One :class:`QueryService` serves the whole site, so the per-client limits
hold across every web worker.  ``kg serve`` starts it in a process of its own
(:func:`start`) before the web workers, which reach it through a Unix socket
with a secret key (:func:`connect`); a single-process app (tests, ``--debug``)
holds one itself.  Both answer ``run(client, request)`` the same way.

A :class:`Supervisor` in ``kg serve``'s process starts the service again when
it dies (``kill -9``: ``/sparql`` answers again as soon as its executors have
loaded the data), and the service ends when ``kg serve`` does, however that
ends, its executors with it: each child waits on its parent's sentinel.
"""

from __future__ import annotations

import fcntl
import logging
import multiprocessing
import os
import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from multiprocessing.managers import BaseManager
from pathlib import Path

from kg.errors import QueryRefused
from kg.settings import Settings
from kg.store import Store
from kg.store.remote import RemoteStore

from .engine import Answer, QueryRequest
from .fairuse import FairUse, Limits
from .workers import QueryPool

log = logging.getLogger(__name__)

FOLDER_PREFIX = "kg-query-service-"
RESTART_PAUSE = 0.2  # s before starting a service that died (one that dies at once is not restarted in a spin)


@dataclass(frozen=True)
class ServiceConfig:
    source: Path | RemoteStore  # a build's N-Quads, or the remote store to send checked queries to
    executors: int = 2
    timeout: float = 10.0
    limits: Limits = field(default_factory=Limits)
    deferred: bool = False  # executors load the data only when begin() is called, or at the first query

    @classmethod
    def of(cls, settings: Settings, source: Path | RemoteStore, deferred: bool = False) -> ServiceConfig:
        """The service the settings ask for, over ``source``: the one place its options are read."""
        return cls(source, settings.query_workers, settings.query_timeout,
                   Limits(concurrent=settings.client_queries, budget=settings.client_budget), deferred)


class QueryService:
    def __init__(self, config: ServiceConfig):
        self.config = config
        self.pool: QueryPool | None = None
        self._lock = threading.Lock()
        self.fair_use = FairUse(config.limits)
        if not config.deferred:
            self.begin()

    def begin(self) -> None:
        """Start the executors loading the data (once).  kg serve defers it until a web worker is ready:
        measured at 1M triples, executors loading beside the web workers held the first page 18 s."""
        with self._lock:
            if self.pool is None:
                self.pool = QueryPool(self.config.source, size=self.config.executors, timeout=self.config.timeout)

    def run(self, client: str, request: QueryRequest) -> Answer:
        """The answer, or QueryRefused (its status says why: 400, 403, 429, 503)."""
        self.begin()
        self.fair_use.admit(client)
        started = time.monotonic()
        try:
            return self.pool.run(request)
        finally:
            self.fair_use.done(client, time.monotonic() - started)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()


# --- the service in a process of its own ---------------------------------------------------------------

_service: QueryService | None = None


def _serve(config: ServiceConfig) -> None:
    global _service
    _service = QueryService(config)
    threading.Thread(target=_exit_with_parent, name="kg-service-parent", daemon=True).start()


def _exit_with_parent() -> None:
    """When the process that started the service ends, however it ends (``kill -9`` too), end the service:
    the parent's sentinel (a pipe multiprocessing gives every child) becomes readable then; no PID is polled.
    Its executors follow, watching this process the same way (kg.sparql.workers)."""
    wait([multiprocessing.parent_process().sentinel])
    os._exit(0)


def _the_service() -> QueryService:
    return _service


class _Manager(BaseManager):
    pass


_Manager.register("service", callable=_the_service, exposed=("run", "begin"))


@dataclass(frozen=True)
class Address:
    """Where web workers find the service: a Unix socket only this user can open, and its key."""

    socket: str
    key: bytes


def _run(address: Address, config: ServiceConfig) -> None:
    """The service process: the service, then its manager's server on the socket until the process ends.

    It leaves kg serve's process group, so that a signal to the group (Ctrl-C, a service manager's SIGTERM)
    stops kg serve, which stops it, rather than reaching it first and being taken for a crash."""
    os.setsid()
    _serve(config)
    _Manager(address=address.socket, authkey=address.key).get_server().serve_forever()


class Supervisor:
    """The query service process, started again whenever it dies (web workers reconnect to the same socket).

    Its folder (in the temporary directory) holds the socket and an ``flock``-ed ``owner`` file: a folder
    whose lock anyone can take belongs to a ``kg serve`` that is gone, and the next one removes it.
    """

    def __init__(self, config: ServiceConfig):
        self.config = config
        remove_stale_folders()
        self.folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))
        os.chmod(self.folder, 0o700)
        self._owner = os.open(self.folder / "owner", os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._owner, fcntl.LOCK_EX)
        self.address = Address(str(self.folder / "socket"), secrets.token_bytes(32))
        self.restarts = 0
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._process = self._start()
        threading.Thread(target=self._watch, name="kg-service-supervisor", daemon=True).start()

    def _start(self) -> multiprocessing.Process:
        Path(self.address.socket).unlink(missing_ok=True)
        process = multiprocessing.get_context("fork").Process(target=_run, args=(self.address, self.config),
                                                              name="kg-query-service")
        process.start()
        return process

    def _watch(self) -> None:
        while not self._stopping.is_set():
            wait([self._process.sentinel])
            self._process.join()
            if self._stopping.wait(RESTART_PAUSE):
                return
            with self._lock:
                if self._stopping.is_set():
                    return
                log.warning("the query service ended (exit code %s); starting it again", self._process.exitcode)
                self.restarts += 1
                self._process = self._start()

    def shutdown(self) -> None:
        with self._lock:
            self._stopping.set()
        self._process.terminate()
        self._process.join(5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        shutil.rmtree(self.folder, ignore_errors=True)
        os.close(self._owner)


def remove_stale_folders(root: Path | None = None) -> list[Path]:
    """The service folders of ``kg serve`` processes that are gone (their lock is free), removed."""
    removed = []
    for folder in Path(root or tempfile.gettempdir()).glob(FOLDER_PREFIX + "*"):
        try:
            owner = os.open(folder / "owner", os.O_RDWR)
        except OSError:  # no owner file: an old layout, or a folder being made right now; left alone
            continue
        try:
            fcntl.flock(owner, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # its kg serve is alive
        finally:
            os.close(owner)
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def start(config: ServiceConfig) -> tuple[Supervisor, Address]:
    """Start the service process, kept running; stop it with ``supervisor.shutdown()``."""
    supervisor = Supervisor(config)
    return supervisor, supervisor.address


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

    def begin(self) -> None:
        """Tell the service to start its executors (a web worker is ready); harmless if it cannot be told."""
        try:
            connect(self.address).begin()
        except (OSError, EOFError):
            pass

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
