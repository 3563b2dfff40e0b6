"""Killable processes that run user queries with a deadline.

Neither rdflib nor pyoxigraph can stop a running query from Python, and a
hostile query can crash a parser, so public queries never run in the process
that serves pages.  A :class:`QueryPool` keeps a few executor processes, each
holding its own copy of the store; a query goes to an idle one with a
deadline, and an executor that misses it is killed and replaced.  An executor
also parses the query first (:func:`kg.sparql.gate.inspect`): the parse is
under the deadline too.

An executor is started with ``spawn`` (never ``fork``: the pool lives in
threaded processes) and caps its own address space, so a query that tries
to hold the world in memory ends its executor, not the machine.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import resource
import sys
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox
from SPARQLWrapper import JSON

from kg.namespaces import PREFIX_MAP
from kg.rdf.formats import rdf_format, result_format
from kg.store.remote import RemoteStore, StoreError, StoreRejected, StoreUnavailable

from .gate import Inspected, QueryRefused, inspect
from .results import Written, write_boolean, write_solutions, write_triples

log = logging.getLogger(__name__)

MEMORY_LIMIT = 4 << 30  # bytes of address space an executor may use, store included
PARSER_RECURSION = 50_000  # rdflib's parser recurses ~20 frames per nested group; the gate allows 64 groups


@dataclass(frozen=True)
class QueryRequest:
    """One query as the protocol gave it; hashable, so an answer can be cached by it."""

    query: str
    result_format: str = "json"  # for SELECT and ASK (kg.rdf.formats.RESULT_FORMATS)
    rdf_format: str = "turtle"  # for CONSTRUCT and DESCRIBE (kg.rdf.formats.RDF_FORMATS)
    default_graphs: tuple[str, ...] = ()  # the protocol's default-graph-uri
    named_graphs: tuple[str, ...] = ()  # the protocol's named-graph-uri
    row_limit: int = 10_000


@dataclass(frozen=True)
class Answer:
    form: str
    written: Written
    seconds: float  # time the executor spent: parse, run and write


class QueryFailed(QueryRefused):
    """The query was allowed but did not finish: timed out, or ended its executor."""


# --- in the executor process ---------------------------------------------------------------------------


def _executor(conn: Connection, source: Path | RemoteStore, memory_limit: int) -> None:
    """An executor's life: open its source, then answer requests until the pipe closes."""
    if memory_limit:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    sys.setrecursionlimit(PARSER_RECURSION)
    backend = _Remote(source) if isinstance(source, RemoteStore) else _Local(source)
    conn.send(("ready", len(backend.graphs)))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        started = time.perf_counter()
        try:
            inspected = _inspect(request.query, backend.graphs)
            for name in (*request.default_graphs, *request.named_graphs):
                if name not in backend.graphs:
                    raise QueryRefused(400, f"<{name}> is not a graph of this dataset")
            written = _write(backend.query(inspected, request), request)
            conn.send(("ok", Answer(inspected.form, written, time.perf_counter() - started)))
        except QueryRefused as refused:
            conn.send(("refused", (refused.status, refused.message)))
        # the remote server's address is ours to know, not the public's: it stays in the log
        except StoreRejected as exc:  # the remote server read the query differently: the client's to fix
            conn.send(("refused", (400, f"the query was rejected by the store: {exc.reason}")))
        except StoreError as exc:  # the remote server failed, or was too slow
            log.warning("%s", exc)
            conn.send(("refused", (503, "the server that holds the data is not answering; "
                                        "try again in a few seconds", StoreUnavailable.retry_after)))
        except SyntaxError as exc:  # the engine's parser disagreed with rdflib's
            conn.send(("refused", (400, f"syntax error: {exc}")))
        except (OSError, ValueError, TypeError) as exc:  # an evaluation error of this query
            conn.send(("refused", (400, f"the query could not be evaluated: {exc}")))


@lru_cache(maxsize=256)
def _inspect(query: str, graphs: frozenset[str]) -> Inspected:
    return inspect(query, graphs.__contains__)


class _Local:
    """The build's N-Quads in this executor's own pyoxigraph store."""

    def __init__(self, nquads: Path):
        self.store = ox.Store()
        self.store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        self.graphs = frozenset(g.value for g in self.store.named_graphs())

    def query(self, inspected: Inspected, request: QueryRequest):
        dataset = {}
        if request.default_graphs or request.named_graphs:  # the protocol's dataset replaces the query's
            dataset = {"default_graph": [ox.NamedNode(g) for g in request.default_graphs],
                       "named_graphs": [ox.NamedNode(g) for g in request.named_graphs]}
        union = not dataset and not inspected.names_dataset  # else FROM, FROM NAMED or the protocol say
        return self.store.query(inspected.text, prefixes=PREFIX_MAP, use_default_graph_as_union=union, **dataset)


class _Remote:
    """A remote SPARQL server: the query, checked here, is sent there; its answer is read back."""

    def __init__(self, store: RemoteStore):
        self.store = store
        self.graphs = frozenset(store.graphs)

    def query(self, inspected: Inspected, request: QueryRequest):
        graph_answer = inspected.form in ("CONSTRUCT", "DESCRIBE")
        body = self.store.send(inspected.text, return_format=None if graph_answer else JSON,
                               accept="application/n-triples" if graph_answer else None,
                               default_graphs=request.default_graphs, named_graphs=request.named_graphs,
                               names_dataset=inspected.names_dataset)
        if graph_answer:
            return ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
        return ox.parse_query_results(body, ox.QueryResultsFormat.JSON)


def _write(answer, request: QueryRequest) -> Written:
    if isinstance(answer, ox.QueryBoolean):
        return write_boolean(answer, result_format(request.result_format))
    if isinstance(answer, ox.QuerySolutions):
        return write_solutions(answer, result_format(request.result_format), request.row_limit)
    return write_triples(answer, rdf_format(request.rdf_format), request.row_limit)


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
        """An idle executor with the request sent; one found dead while idle is replaced, not reported."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                executor = self._idle.get(timeout=max(deadline - time.monotonic(), 0))
            except queue.Empty:
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
                executor = _Executor(self._context, self.source, self.memory_limit)
                self._all.add(executor)
            if executor.wait_ready(self.start_timeout):
                self._idle.put(executor)
            elif not self._closed:
                log.error("a query executor failed to open %s", self.source)
                executor.kill()

        threading.Thread(target=start, name="kg-executor-start", daemon=True).start()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            executors, self._all = self._all, set()
        for executor in executors:
            executor.kill()
