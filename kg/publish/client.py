"""The SPARQL server ``kg push`` writes to: Graph Store HTTP Protocol, SPARQL Update, and the queries around them.

:class:`Client` is one keep-alive ``http.client`` connection per server
(8,563 graphs at 1M triples are as many requests; SPARQLWrapper speaks
queries and updates but not the Graph Store's PUT and DELETE), with Basic
authentication when credentials are given and a timeout per socket
operation; every failure becomes a :class:`~kg.errors.UsageError` saying what
and where.  :class:`Server` is what a push does there: list our graphs and
their sizes, replace a graph, remove one.  Graph names and terms reach
request bodies only as canonical N-Triples; an IRI that could end ``<...>``
is refused, never pasted.
"""

from __future__ import annotations

import base64
import http.client
import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit, urlunsplit

from rdflib import Literal

from kg.errors import UsageError
from kg.namespaces import BASE
from kg.rdf.formats import NTRIPLES, RESULTS_JSON
from kg.rdf.terms import iri_nt, literal_nt
from kg.store.remote import Credentials

if TYPE_CHECKING:
    from .push import NamedGraph

TIMEOUT = 60.0  # seconds per socket operation
CHUNK = 10_000  # triples per SPARQL Update request
UPDATE_TYPE = "application/sparql-update"


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
        return f"cannot reach the SPARQL server at {where}: {reason}"

    def close(self) -> None:
        for connection in self.connections.values():
            connection.close()
        self.connections.clear()


# --- the server ----------------------------------------------------------------------------------------


_OURS = f"FILTER(STRSTARTS(STR(?g), {literal_nt(Literal(BASE))}))"  # graphs under our base: never anyone else's


def _graph_url(store: str, iri: str) -> str:
    return store + ("&" if "?" in store else "?") + urlencode({"graph": iri})


def _iri(value: str) -> str:
    try:
        return iri_nt(value)
    except ValueError:
        raise UsageError(f"refusing to write the graph name {value!r} into SPARQL: it holds a character "
                         f"that could end <...>") from None


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
