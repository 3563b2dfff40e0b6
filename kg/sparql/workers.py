"""Killable processes that run user queries with a deadline.

Neither rdflib nor pyoxigraph can stop a running query from Python, and a
hostile query can crash a parser, so public queries never run in the process
that serves pages.  A :class:`QueryPool` keeps a few executor processes, each
holding its own copy of the store; a query goes to an idle one with a
deadline, and an executor that misses it is killed and replaced.  An executor
answers by the one engine (:mod:`kg.sparql.engine`), which parses the query
first: the parse is under the deadline too.

An executor is started with ``spawn`` (never ``fork``: the pool lives in
threaded processes) and caps its own address space, so a query that tries
to hold the world in memory ends its executor, not the machine.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import resource
import sys
import threading
import time
from multiprocessing.connection import Connection, wait
from pathlib import Path

from kg.errors import QueryFailed, QueryRefused
from kg.store.remote import RemoteStore

from .engine import Answer, Local, QueryRequest, Remote, answer

log = logging.getLogger(__name__)

MEMORY_LIMIT = 4 << 30  # bytes of address space an executor may use, store included
START_WAIT = 60.0  # s a query may wait, past its time limit, for executors still loading the data
POLL = 0.25  # s between looks at whether they are still loading
NICE = 5  # an executor's priority: below the web workers
PARSER_RECURSION = 50_000  # rdflib's parser recurses ~20 frames per nested group; the gate allows 64 groups


# --- in the executor process ---------------------------------------------------------------------------


def _executor(conn: Connection, source: Path | RemoteStore, memory_limit: int) -> None:
    """An executor's life: open its source, then answer requests until the pipe closes."""
    if memory_limit:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    sys.setrecursionlimit(PARSER_RECURSION)
    threading.Thread(target=_exit_with_parent, name="kg-executor-parent", daemon=True).start()
    os.nice(NICE)  # pages before queries, loading the data at start-up and answering them after
    backend = Remote(source) if isinstance(source, RemoteStore) else Local.load(source)
    conn.send(("ready", len(backend.graphs)))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", answer(backend, request)))
        except QueryRefused as refused:
            conn.send(("refused", (refused.status, refused.message, refused.retry_after)))


def _exit_with_parent() -> None:
    """End with the process that owns the pool, however it ends (its sentinel, a pipe, becomes readable),
    even while loading the data or running a query, when no request would tell."""
    wait([multiprocessing.parent_process().sentinel])
    os._exit(0)


# --- in the process that owns the pool -----------------------------------------------------------------


class _Executor:
    def __init__(self, context, source: Path | RemoteStore, memory_limit: int):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_executor, args=(child, source, memory_limit),
                                       name="kg-query-executor", daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> bool:
        try:
            return self.conn.poll(timeout) and self.conn.recv()[0] == "ready"
        except (EOFError, OSError):
            return False

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryPool:
    """A few executor processes over one source (a build's N-Quads, or a remote store);
    ``run`` answers or raises QueryRefused."""

    def __init__(self, source: Path | RemoteStore, size: int = 2, timeout: float = 10.0, memory_limit: int = MEMORY_LIMIT,
                 start_timeout: float = 300.0):
        self.source, self.size, self.timeout = source, size, timeout
        self.memory_limit, self.start_timeout = memory_limit, start_timeout
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Executor] = queue.Queue()
        self._lock = threading.Lock()
        self._all: set[_Executor] = set()
        self._starting = 0  # executors loading the data, or waiting to
        self._loading = threading.Semaphore(1)
        self._closed = False
        for _ in range(size):
            self._replace()

    def run(self, request: QueryRequest) -> Answer:
        executor = self._take(request)
        try:
            if not executor.conn.poll(self.timeout):
                self._retire(executor)
                raise QueryFailed(503, f"query exceeded {self.timeout:g} s (the time limit) and was stopped")
            kind, value = executor.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._retire(executor)
            raise QueryFailed(503, "the query stopped its worker (it may have needed too much memory); "
                                   "the worker was replaced") from None
        self._idle.put(executor)
        if kind == "refused":
            raise QueryRefused(*value)
        return value

    def _take(self, request: QueryRequest) -> _Executor:
        """An idle executor with the request sent; one found dead while idle is replaced, not reported.

        It waits the time limit for one, and, while executors are still loading the data (the first
        query after a start, or after one was replaced), for them too, up to :data:`START_WAIT` more:
        an executor that is starting is not busy, and the query's time limit starts when it runs.
        """
        begun = time.monotonic()
        while True:
            starting = self._starting > 0
            left = begun + self.timeout + (START_WAIT if starting else 0) - time.monotonic()
            try:
                executor = self._idle.get(timeout=max(min(left, POLL), 0) if starting else max(left, 0))
            except queue.Empty:
                if left > 0:
                    continue
                raise QueryFailed(503, f"every query worker stayed busy for {self.timeout:g} s; "
                                       "try again in a moment") from None
            try:
                if executor.process.is_alive():
                    executor.conn.send(request)
                    return executor
            except OSError:
                pass
            self._retire(executor)  # it died while idle (killed from outside): the request never reached it

    def _retire(self, executor: _Executor) -> None:
        executor.kill()
        with self._lock:
            self._all.discard(executor)
        self._replace()

    def _replace(self) -> None:
        """Start an executor in the background; it joins the idle queue once its store is loaded."""
        def start() -> None:
            with self._lock:
                if self._closed:
                    return
                self._starting += 1
            try:
                with self._loading:  # one at a time: measured at 1M, two loading at once beside the web
                    with self._lock:  # workers put the first page at 18 s, one at a time at 13 s
                        if self._closed:
                            return
                        executor = _Executor(self._context, self.source, self.memory_limit)
                        self._all.add(executor)
                    if executor.wait_ready(self.start_timeout):
                        self._idle.put(executor)
                    elif not self._closed:
                        log.error("a query executor failed to open %s", self.source)
                        executor.kill()
            finally:
                with self._lock:
                    self._starting -= 1

        threading.Thread(target=start, name="kg-executor-start", daemon=True).start()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            executors, self._all = self._all, set()
        for executor in executors:
            executor.kill()
