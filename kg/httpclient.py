"""The one HTTP client of kg: urllib with connections kept open, for the remote store and for ``kg push``.

urllib opens a new connection for every request and asks the server to close
it.  A page of ours sends a few queries to the remote store, each a few
milliseconds of work for the server, so that set-up cost is a third of each
query (measured: 0.52 ms for a fresh connection against 0.15 ms on a kept
one, per trivial query to an Oxigraph server on 127.0.0.1), and ``kg push``
sends one request per graph (8,563 at a million triples).

:class:`KeepAliveHandler` keeps one connection per process, thread and host
(a forked web worker never shares its parent's socket), reads each answer
whole (so the connection is free again), and sends a request once more on a
fresh connection when the server had closed the kept one.  Every request we
send may be sent twice: queries are read-only, a Graph Store PUT replaces a
graph, and an update chunk inserts a set.  It is the only retry there is.

Credentials are answered to the server's own challenge, never sent unasked
to a server that has not asked: HTTP Digest (Virtuoso's ``-auth`` endpoints)
or Basic (a proxy in front of Oxigraph or Fuseki), by urllib's own handlers.
After a first Basic success they go with every request to that server (no
second round trip); a Digest server is asked afresh each time (urllib keeps no
nonce), which costs a round trip per request but never sends a password.

SPARQLWrapper (:mod:`kg.store.remote`) and :mod:`kg.publish.client` both send
through :func:`opener`; HTTP errors reach them as urllib's ``HTTPError``, and
each says what a failure means to its own user.
"""

from __future__ import annotations

import http.client
import io
import os
import threading
import urllib.request
import urllib.response
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from kg.errors import UsageError


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str

    def manager(self, *urls: str) -> urllib.request.HTTPPasswordMgrWithPriorAuth:
        """A password manager holding these credentials for the servers of ``urls`` (any path on them, any
        realm), and for no other server."""
        manager = urllib.request.HTTPPasswordMgrWithPriorAuth()
        for url in urls:
            origin = urlsplit(url)._replace(path="/", query="", fragment="").geturl()
            manager.add_password(None, origin, self.user, self.password, is_authenticated=False)
        return manager


def read_credentials(user: str | None, password_file: Path | None) -> Credentials | None:
    """Credentials from a user name and a file holding the password (never a password on the command line)."""
    if user is None and password_file is None:
        return None
    if user is None or password_file is None:
        raise UsageError("give both --user and --password-file, or neither")
    try:
        password = password_file.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read the password file {password_file}: {exc.strerror}") from None
    return Credentials(user, password.removesuffix("\n"))


#: Headers an answer may carry.  Virtuoso echoes each graph of the protocol's dataset as a header of its
#: answer (``X-SPARQL-default-graph``, ``X-SPARQL-named-graph``): over the shipped universe's 340 graphs
#: that is 680 headers, past http.client's bound of 100, which it reads from this module global.
MAX_HEADERS = 20_000
http.client._MAXHEADERS = max(http.client._MAXHEADERS, MAX_HEADERS)

#: The failures of a connection the server had closed while it was kept: worth one more try.
STALE = (http.client.RemoteDisconnected, http.client.BadStatusLine, ConnectionResetError, BrokenPipeError)


class KeepAliveHandler(urllib.request.HTTPHandler):
    """Plain-HTTP requests over kept connections (HTTPS goes through urllib's own handler)."""

    def __init__(self):
        super().__init__()
        self._local = threading.local()

    def http_open(self, request: urllib.request.Request):
        headers = {**request.headers, **request.unredirected_hdrs}  # as urllib's own: an auth handler's header wins
        for attempt in (1, 2):
            connection = self._connection(request.host, request.timeout, fresh=attempt == 2)
            reused = connection.sock is not None
            try:
                connection.request(request.get_method(), request.selector, request.data, headers)
                response = connection.getresponse()
                body = response.read()
                break
            except STALE:  # the kept connection was closed by the server: once more, on a fresh one
                self._forget(request.host)
                if attempt == 2 or not reused:
                    raise
            except (OSError, http.client.HTTPException):  # a timeout, a refused or broken connection
                self._forget(request.host)
                raise
        if response.will_close:
            self._forget(request.host)
        answer = urllib.response.addinfourl(io.BytesIO(body), response.msg, request.full_url, response.status)
        answer.msg = response.reason
        return answer

    def _connection(self, host: str, timeout, fresh: bool) -> http.client.HTTPConnection:
        if self._local.__dict__.get("pid") != os.getpid():  # a forked child: its parent's sockets are not its own
            self._local.__dict__.update(pid=os.getpid(), connections={})
        connections = self._local.connections
        connection = connections.get(host)
        if connection is None or fresh:
            if connection is not None:
                connection.close()
            connection = connections[host] = http.client.HTTPConnection(host, timeout=timeout)
        connection.timeout = timeout
        if connection.sock is not None:
            connection.sock.settimeout(timeout)
        return connection

    def _forget(self, host: str) -> None:
        connection = getattr(self._local, "connections", {}).pop(host, None)
        if connection is not None:
            connection.close()

    def close(self) -> None:
        """Close this thread's kept connections."""
        for host in list(getattr(self._local, "connections", {})):
            self._forget(host)


def opener(credentials: Credentials | None = None, *urls: str) -> urllib.request.OpenerDirector:
    """An opener like urllib's default one, with kept connections for plain HTTP; with ``credentials``,
    it answers a Digest or Basic challenge of a server under ``urls`` with them."""
    handlers: list = [KeepAliveHandler()]
    if credentials is not None:
        manager = credentials.manager(*urls)
        handlers += [urllib.request.HTTPDigestAuthHandler(manager), urllib.request.HTTPBasicAuthHandler(manager)]
    return urllib.request.build_opener(*handlers)


def close(director: urllib.request.OpenerDirector) -> None:
    """Close the connections an opener of :func:`opener` keeps for this thread."""
    for handler in director.handlers:
        if isinstance(handler, KeepAliveHandler):
            handler.close()
