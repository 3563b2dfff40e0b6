"""Publish a build to a SPARQL 1.1 server: ``kg push``.

Every named graph of the build (each source's graph, the provenance graph and
the ontology) replaces the graph of the same name on the server, one graph
per request, in the order of their names:

* by the **Graph Store HTTP Protocol** (the main path): ``PUT STORE?graph=IRI``
  with the graph's canonical N-Triples, which replaces the graph whole;
* or by **SPARQL Update** when the server has no Graph Store endpoint:
  ``DROP SILENT GRAPH <g>`` and ``INSERT DATA { GRAPH <g> { ... } }`` in
  chunks of :data:`CHUNK` triples.  The bodies are the canonical N-Triples
  lines the build's parser wrote back (:class:`kg.writers.Quads`); an IRI with
  a character that could end ``<...>`` is refused, never pasted.

Then the graphs the server holds under our base IRI (:data:`kg.namespaces.BASE`)
that are no longer in the build are removed.  Graphs with other names (other
people's data on the same server) are never touched.  So a push is idempotent:
pushing twice leaves the same data, and the server holds exactly the build.

A push that fails half-way raises :class:`PushIncomplete`, which says which
graphs were written and which one failed; nothing written is removed.  It
also records the written graphs in ``BUILD/push-state.json`` (per server), so
that a rerun of the same build skips them when the server still holds each
with as many triples, and writes the rest.  A push that completes forgets that
record: every later push writes every graph again.

Requests go over one keep-alive HTTP connection per server (``http.client``:
8,563 graphs at 1M triples are as many requests; SPARQLWrapper speaks queries
and updates but not the Graph Store's PUT and DELETE, and one client gives
one translation of failures), with Basic authentication when credentials are
given and a timeout per socket operation; every failure becomes a
:class:`~kg.errors.UsageError` saying what and where.
"""

from __future__ import annotations

import base64
import http.client
import json
import re
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pyoxigraph as ox
from rdflib import Literal

from .dump import MANIFEST, Staging, literal_nt
from .errors import UsageError
from .formats import NTRIPLES, RESULTS_JSON
from .namespaces import BASE
from .remote import Credentials
from .writers import Quads

STATE = "push-state.json"
CHUNK = 10_000  # triples per SPARQL Update request
TIMEOUT = 60.0  # seconds per socket operation
SHOWN = 10  # graphs named in a message before "and N more"
UPDATE_TYPE = "application/sparql-update"
_UNSAFE_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')  # what may not stand between < and > in SPARQL


@dataclass(frozen=True)
class NamedGraph:
    iri: str
    rows: list[tuple]  # (subject, predicate, object, graph) in canonical N-Triples forms, sorted

    @property
    def triples(self) -> int:
        return len(self.rows)

    def ntriples(self, start: int = 0, stop: int | None = None) -> str:
        """Its triples (or a slice of them) as canonical N-Triples, one per line."""
        return "".join(f"{s} {p} {o} .\n" for s, p, o, _ in self.rows[start:stop])


@dataclass(frozen=True)
class BuiltGraphs:
    """A build's named graphs, in the order they are pushed, and the digest of its N-Quads."""

    folder: Path
    digest: str  # SHA-256 of universe.nq, from build.json ("" when unknown: nothing is resumed)
    graphs: list[NamedGraph]

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs)


def read_graphs(nquads: Path) -> BuiltGraphs:
    """The named graphs of a build's N-Quads; an IRI that could break out of ``<...>`` is refused."""
    quads = Quads.read(nquads)
    for text, term in quads.terms.items():
        value = term.datatype.value if isinstance(term, ox.Literal) else getattr(term, "value", "")
        if not isinstance(term, ox.BlankNode) and _UNSAFE_IRI.search(value):
            raise UsageError(f"{nquads}: refusing to push {text}: its IRI holds a character that could end <...>")
    if quads.rows and quads.rows[0][3] == "":
        raise UsageError(f"{nquads}: triples outside any named graph; every triple of a build has its source graph")
    graphs = [NamedGraph(quads.terms[g].value, list(rows)) for g, rows in groupby(quads.rows, itemgetter(3))]
    try:
        digest = json.loads((nquads.parent / MANIFEST).read_text(encoding="utf-8"))["files"][nquads.name]["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        digest = ""
    return BuiltGraphs(nquads.parent, digest, graphs)


# --- HTTP ---------------------------------------------------------------------------------------------


def check_url(url: str, option: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{option}: not an http(s) URL: {url!r}")
    if parts.username is not None:
        raise UsageError(f"{option}: give the user with --user and the password with --password-file, "
                         f"not in the URL")
    return url


class HTTPStatusError(UsageError):
    """The server answered with an error status (not one about credentials: those are said as such)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


@dataclass
class Client:
    """Keep-alive HTTP connections (one per server) with Basic auth and a timeout; failures become UsageErrors."""

    credentials: Credentials | None = None
    timeout: float = TIMEOUT
    connections: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.credentials is not None and ":" in self.credentials.user:
            raise UsageError(f"--user: a user name cannot hold ':' (Basic authentication): {self.credentials.user!r}")

    def request(self, method: str, url: str, body: bytes = b"", headers: dict | None = None,
                missing_ok: bool = False) -> bytes:
        """Send one request; the body of its 2xx answer (or of a 404 when ``missing_ok``)."""
        parts = urlsplit(url)
        where = f"{parts.scheme}://{parts.netloc}{parts.path}"  # messages name the endpoint, not the query string
        headers = {"Content-Length": str(len(body)), **(headers or {})}
        if self.credentials is not None:
            token = f"{self.credentials.user}:{self.credentials.password}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(token).decode("ascii")
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        key = (parts.scheme, parts.netloc)
        for attempt in (1, 2):
            reused = key in self.connections
            connection = self._connection(key, parts)
            try:
                connection.request(method, target, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
                break
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                del self.connections[key]
                stale = isinstance(exc, (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError))
                if not (attempt == 1 and reused and stale):  # a kept-alive connection the server closed: once more
                    raise UsageError(self._failure(exc, where, parts.hostname)) from None
        status = response.status
        if status in (401, 403) and self.credentials is not None:
            raise UsageError(f"the server refused the credentials for {self.credentials.user} at {where} "
                             f"(HTTP {status})")
        if status == 401:
            raise UsageError(f"{where} asks for credentials (HTTP 401): give --user and --password-file")
        if not (200 <= status < 300 or (status == 404 and missing_ok)):
            line = next((t.strip() for t in data.decode("utf-8", "replace").splitlines() if t.strip()), "")
            raise HTTPStatusError(f"{method} {where} failed: HTTP {status} {response.reason}"
                                  + (f": {line[:300]}" if line else ""), status)
        return data

    def _connection(self, key, parts) -> http.client.HTTPConnection:
        if key not in self.connections:
            kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
            self.connections[key] = kind(parts.hostname, parts.port, timeout=self.timeout)
        return self.connections[key]

    def _failure(self, exc: Exception, where: str, host: str) -> str:
        if isinstance(exc, TimeoutError):
            return f"{where} did not answer within {self.timeout:g} s (--timeout)"
        if isinstance(exc, ConnectionRefusedError):
            reason = "connection refused"
        elif isinstance(exc, socket.gaierror):
            reason = f"unknown host {host}"
        elif isinstance(exc, http.client.RemoteDisconnected):
            reason = "the server closed the connection without answering"
        elif isinstance(exc, ConnectionResetError):
            reason = "the connection was reset"
        elif isinstance(exc, BrokenPipeError):
            reason = "the server closed the connection"
        else:
            reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        return f"cannot reach {where}: {reason}"

    def close(self) -> None:
        for connection in self.connections.values():
            connection.close()
        self.connections.clear()


# --- the server ----------------------------------------------------------------------------------------


_OURS = f"FILTER(STRSTARTS(STR(?g), {literal_nt(Literal(BASE))}))"  # graphs under our base: never anyone else's


def _graph_url(store: str, iri: str) -> str:
    return store + ("&" if "?" in store else "?") + urlencode({"graph": iri})


def _iri(value: str) -> str:
    if _UNSAFE_IRI.search(value):
        raise UsageError(f"refusing to write the graph name {value!r} into SPARQL: it holds a character "
                         f"that could end <...>")
    return f"<{value}>"


@dataclass
class Server:
    """The remote SPARQL server: its query endpoint, and a Graph Store endpoint or an Update endpoint."""

    client: Client
    query_url: str
    store_url: str | None = None  # Graph Store Protocol
    update_url: str | None = None  # SPARQL Update, when there is no Graph Store endpoint

    @property
    def write_url(self) -> str:
        return self.store_url or self.update_url

    @property
    def protocol(self) -> str:
        return "the Graph Store Protocol" if self.store_url else "SPARQL Update"

    def select(self, query: str) -> list[dict]:
        body = self.client.request("POST", self.query_url, urlencode({"query": query}).encode("utf-8"), {
            "Content-Type": "application/x-www-form-urlencoded", "Accept": RESULTS_JSON.media_type})
        try:
            return [{name: value["value"] for name, value in row.items()}
                    for row in json.loads(body)["results"]["bindings"]]
        except (ValueError, KeyError, TypeError, AttributeError):
            raise UsageError(f"{self.query_url} did not answer with SPARQL JSON results; "
                             f"is --endpoint its SPARQL query endpoint?") from None

    def our_graphs(self) -> set[str]:
        """The (non-empty) graphs the server holds under our base IRI."""
        rows = self.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_OURS} }}")
        return {self._value(row, "g") for row in rows}

    def triples_per_graph(self) -> dict[str, int]:
        """The graphs the server holds under our base IRI, with the triples each holds."""
        rows = self.select(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_OURS} }} GROUP BY ?g")
        try:
            return {self._value(row, "g"): int(self._value(row, "n")) for row in rows}
        except ValueError:
            raise UsageError(f"{self.query_url} answered a count that is not a number") from None

    def _value(self, row: dict, name: str) -> str:
        if name not in row:
            raise UsageError(f"{self.query_url} answered a row without ?{name}")
        return row[name]

    def update(self, text: str) -> None:
        self.client.request("POST", self.update_url, text.encode("utf-8"), {"Content-Type": UPDATE_TYPE})

    def put(self, graph: NamedGraph) -> Iterator[int]:
        """Replace a graph on the server; yields the triples written as they are written."""
        if self.store_url:
            url = _graph_url(self.store_url, graph.iri)
            self.client.request("PUT", url, graph.ntriples().encode("utf-8"), {"Content-Type": NTRIPLES.media_type})
            yield graph.triples
            return
        name = _iri(graph.iri)
        for start in range(0, graph.triples, CHUNK):
            drop = f"DROP SILENT GRAPH {name} ;\n" if start == 0 else ""
            self.update(f"{drop}INSERT DATA {{ GRAPH {name} {{\n{graph.ntriples(start, start + CHUNK)}}} }}\n")
            yield min(CHUNK, graph.triples - start)

    def remove(self, iri: str) -> None:
        if self.store_url:
            self.client.request("DELETE", _graph_url(self.store_url, iri), missing_ok=True)  # 404: already gone
        else:
            self.update(f"DROP SILENT GRAPH {_iri(iri)}\n")


def server(query_url: str, store_url: str | None = None, update_url: str | None = None, *,
           credentials: Credentials | None = None, timeout: float = TIMEOUT) -> Server:
    """The server to push to.  Without a Graph Store or Update URL, the Update endpoint is the
    query URL with its last ``/query`` replaced by ``/update`` (Oxigraph's and Fuseki's layout),
    and only when that URL takes an empty update; otherwise the caller is asked to say."""
    client = Client(credentials, timeout)
    check_url(query_url, "--endpoint")
    if store_url is not None:
        return Server(client, query_url, store_url=check_url(store_url, "--graph-store"))
    if update_url is not None:
        return Server(client, query_url, update_url=check_url(update_url, "--update"))
    parts = urlsplit(query_url)
    if not parts.path.endswith("/query"):
        raise UsageError("give --graph-store URL (Graph Store Protocol) or --update URL (SPARQL Update): "
                         f"{query_url} does not end with /query, so no update endpoint can be assumed")
    guess = urlunsplit(parts._replace(path=parts.path.removesuffix("query") + "update"))
    try:
        client.request("POST", guess, b"", {"Content-Type": UPDATE_TYPE})  # an empty update: changes nothing
    except HTTPStatusError as exc:
        raise UsageError(f"no --graph-store or --update given, and {guess} does not take SPARQL Update "
                         f"(HTTP {exc.status}); give --graph-store URL or --update URL") from None
    return Server(client, query_url, update_url=guess)


# --- the push ------------------------------------------------------------------------------------------


def short(iri: str) -> str:
    return iri[len(BASE):] if iri.startswith(BASE) else f"<{iri}>"


def named(iris: list[str]) -> str:
    shown = ", ".join(short(i) for i in iris[:SHOWN])
    return shown + (f" and {len(iris) - SHOWN} more" if len(iris) > SHOWN else "")


class PushIncomplete(UsageError):
    """A push stopped half-way: the graphs written before the failure are on the server, the rest not yet."""

    def __init__(self, reason: str, failed: str, written: list[str], kept: list[str], total: int, note: str = ""):
        self.reason, self.failed, self.written, self.kept = reason, failed, written, kept
        done = len(written) + len(kept)
        parts = [f"{reason}; the push stopped at graph {short(failed)} ({done + 1} of {total})"]
        if written:
            parts.append(f"{len(written)} graph{'s were' if len(written) != 1 else ' was'} written before it: "
                         f"{named(written)}")
        if kept:
            parts.append(f"{len(kept)} graph{'s' if len(kept) != 1 else ''} written by the push before "
                         f"{'were' if len(kept) != 1 else 'was'} found whole and kept")
        parts.append("rerun kg push to complete: it replaces every graph, so a rerun is safe" + note)
        super().__init__("; ".join(parts))


@dataclass
class Pushed:
    """What a push did."""

    url: str  # where the graphs were written
    protocol: str
    written: list[str]
    triples: int  # triples written
    kept: list[str]  # graphs a failed push had written, found intact and not written again
    removed: list[str]  # graphs under our base that were no longer in the build
    seconds: float
    notes: list[str] = field(default_factory=list)


def push(built: BuiltGraphs, target: Server, progress: Callable[[int], None] = lambda triples: None) -> Pushed:
    """Write every graph of the build to the server, then remove ours that the build no longer has.

    ``progress`` is called with the number of triples written (or found intact) as the push goes.
    """
    started = time.perf_counter()
    state = _State(built.folder / STATE, target.write_url, built.digest)
    try:
        resumable = state.written()
        on_server = target.triples_per_graph() if resumable else {}
        written, kept, triples = [], [], 0
        for graph in built.graphs:
            if graph.iri in resumable and on_server.get(graph.iri) == graph.triples:
                kept.append(graph.iri)
                progress(graph.triples)
                continue
            try:
                for count in target.put(graph):
                    progress(count)
            except UsageError as exc:
                if not written and not kept:
                    raise UsageError(f"{exc}; no graph was written") from None
                note = state.save([*kept, *written])
                raise PushIncomplete(str(exc), graph.iri, written, kept, len(built.graphs), note) from None
            written.append(graph.iri)
            triples += graph.triples
        ours = {g.iri for g in built.graphs}
        try:
            removed = sorted(g for g in target.our_graphs() if g not in ours)
            for iri in removed:
                target.remove(iri)
        except UsageError as exc:
            note = state.save([*kept, *written])
            raise UsageError(f"{exc}; every graph of the build was written, but the graphs no longer in it "
                             f"were not all removed: rerun kg push to remove them{note}") from None
    finally:
        target.client.close()
    note = state.forget()
    return Pushed(target.write_url, target.protocol, written, triples, kept, removed,
                  time.perf_counter() - started, [note.strip(" ()")] if note else [])


class _State:
    """``push-state.json``: per server, the graphs a failed push of this build wrote."""

    def __init__(self, path: Path, url: str, digest: str):
        self.path, self.url, self.digest = path, url, digest

    def _read(self) -> dict:
        try:
            state = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # no record (or a damaged one): every graph is written
        return state if isinstance(state, dict) else {}

    def written(self) -> set[str]:
        entry = self._read().get(self.url)
        if not self.digest or not isinstance(entry, dict) or entry.get("build") != self.digest:
            return set()
        return {g for g in entry.get("written", []) if isinstance(g, str)}

    def save(self, written: list[str]) -> str:
        """Record what a failed push wrote; a note when it cannot be recorded (a rerun then writes all)."""
        if not self.digest or not written:
            return ""
        state = self._read()
        state[self.url] = {"build": self.digest, "written": sorted(written)}
        return self._write(state)

    def forget(self) -> str:
        state = self._read()
        if self.url not in state:
            return ""
        del state[self.url]
        return self._write(state)

    def _write(self, state: dict) -> str:
        try:
            if not state:
                self.path.unlink(missing_ok=True)
                return ""
            with Staging(self.path.parent) as staging:
                staging.write(self.path.name, [json.dumps(state, indent=2, sort_keys=True) + "\n"])
        except OSError as exc:
            return f" (could not update {self.path}: {exc.strerror}; a rerun writes every graph)"
        except UsageError as exc:
            return f" (could not record the push in {self.path}: {exc}; a rerun writes every graph)"
        return ""
