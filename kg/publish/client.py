"""The client of the SPARQL server ``kg push`` writes to: Graph Store HTTP Protocol, SPARQL Update, and queries.

:class:`Client` sends requests by kg's one HTTP client (:mod:`kg.httpclient`:
kept connections, for 8,563 graphs at 1M triples are as many requests;
SPARQLWrapper speaks queries and updates but not the Graph Store's PUT and
DELETE), answering the server's Digest or Basic challenge when credentials are
given, and a timeout per socket operation; every failure becomes a :class:`~kg.errors.RemoteFailed`
saying what and where.  :class:`Server` is what a push does there: list our graphs and
their sizes, replace a graph, remove one.  Graph names and terms reach
request bodies only as canonical N-Triples; an IRI that could end ``<...>``
is refused, never pasted.
"""

from __future__ import annotations

import http.client
import json
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit, urlunsplit

from rdflib import Literal

from kg import httpclient
from kg.errors import RemoteFailed, UsageError
from kg.httpclient import Credentials
from kg.namespaces import BASE
from kg.rdf.formats import NTRIPLES, RESULTS_JSON
from kg.rdf.terms import iri_nt, literal_nt

from .graphs import NamedGraph

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


@dataclass
class Client:
    """Requests to the server by kg's one HTTP client (kept connections, Digest or Basic auth, a timeout per
    socket operation) to URLs under ``urls``; every failure becomes a :class:`~kg.errors.RemoteFailed`
    saying what and where."""

    credentials: Credentials | None = None
    timeout: float = TIMEOUT
    urls: tuple[str, ...] = ()  # where the credentials may be given
    opener: urllib.request.OpenerDirector = field(init=False)

    def __post_init__(self) -> None:
        if self.credentials is not None and ":" in self.credentials.user:
            raise UsageError(f"--user: a user name cannot hold ':' (Basic authentication): {self.credentials.user!r}")
        self.opener = httpclient.opener(self.credentials, *self.urls)

    def request(self, method: str, url: str, body: bytes = b"", headers: dict | None = None,
                missing_ok: bool = False) -> bytes:
        """Send one request; the body of its 2xx answer (or of a 404 when ``missing_ok``)."""
        parts = urlsplit(url)
        where = f"{parts.scheme}://{parts.netloc}{parts.path}"  # messages name the endpoint, not the query string
        headers = dict(headers or {})
        try:
            with self.opener.open(urllib.request.Request(url, body, headers, method=method),
                                  timeout=self.timeout) as answer:
                return answer.read()
        except urllib.error.HTTPError as error:
            status, data = error.code, error.read()
            if status == 404 and missing_ok:
                return data
            if status in (401, 403) and self.credentials is not None:
                raise RemoteFailed(f"the server refused the credentials for {self.credentials.user} at {where} "
                                   f"(HTTP {status})", status) from None
            if status == 401:
                raise RemoteFailed(f"{where} asks for credentials (HTTP 401): give --user and --password-file",
                                   status) from None
            line = next((t.strip() for t in data.decode("utf-8", "replace").splitlines() if t.strip()), "")
            raise RemoteFailed(f"{method} {where} failed: HTTP {status} {error.reason}"
                               + (f": {line[:300]}" if line else ""), status) from None
        except (OSError, http.client.HTTPException) as exc:
            raise RemoteFailed(self._failure(exc, where, parts.hostname)) from None

    def _failure(self, exc: Exception, where: str, host: str) -> str:
        exc = getattr(exc, "reason", exc) if isinstance(exc, urllib.error.URLError) else exc
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
        httpclient.close(self.opener)


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
            raise RemoteFailed(f"{self.query_url} did not answer with SPARQL JSON results; "
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
            raise RemoteFailed(f"{self.query_url} answered a count that is not a number") from None

    def _value(self, row: dict, name: str) -> str:
        if name not in row:
            raise RemoteFailed(f"{self.query_url} answered a row without ?{name}")
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
    urls = [check_url(url, option) for url, option in
            ((query_url, "--endpoint"), (store_url, "--graph-store"), (update_url, "--update")) if url is not None]
    client = Client(credentials, timeout, tuple(urls))
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
    except RemoteFailed as exc:
        if exc.status is None:  # no answer at all: the server is down, not a missing endpoint
            raise
        raise UsageError(f"no --graph-store or --update given, and {guess} does not take SPARQL Update "
                         f"(HTTP {exc.status}); give --graph-store URL or --update URL") from None
    return Server(client, query_url, update_url=guess)
