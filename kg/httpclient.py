"""HTTP/1.1 connections kept open between requests, for urllib (and so for SPARQLWrapper).

urllib opens a new connection for every request and asks the server to close
it.  A page of ours sends a few queries to the remote store, each a few
milliseconds of work for the server, so that set-up cost is a third of each
query (measured: 0.52 ms for a fresh connection against 0.15 ms on a kept
one, per trivial query to an Oxigraph server on 127.0.0.1).  This handler
keeps one connection per process, thread and host (a forked web worker
never shares its parent's socket), reads each answer whole (so the
connection is free again), and sends a request once more on a fresh
connection when the server had closed the kept one: a query is read-only,
so sending it again is safe.
"""

from __future__ import annotations

import http.client
import io
import os
import threading
import urllib.request
import urllib.response


class KeepAliveHandler(urllib.request.HTTPHandler):
    """Plain-HTTP requests over kept connections (HTTPS goes through urllib's own handler)."""

    def __init__(self):
        super().__init__()
        self._local = threading.local()

    def http_open(self, request: urllib.request.Request):
        headers = {**request.unredirected_hdrs, **request.headers}
        for attempt in (1, 2):
            connection = self._connection(request.host, request.timeout, fresh=attempt == 2)
            try:
                connection.request(request.get_method(), request.selector, request.data, headers)
                response = connection.getresponse()
                body = response.read()
                break
            except (http.client.HTTPException, ConnectionError):  # the kept connection was closed or broken
                connection.close()
                if attempt == 2:
                    raise
            except Exception:  # a timeout, a refused connection: not ours to retry; never reuse it
                connection.close()
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
            connection = connections[host] = http.client.HTTPConnection(host, timeout=timeout)
        connection.timeout = timeout
        if connection.sock is not None:
            connection.sock.settimeout(timeout)
        return connection

    def _forget(self, host: str) -> None:
        connection = getattr(self._local, "connections", {}).pop(host, None)
        if connection is not None:
            connection.close()


def opener() -> urllib.request.OpenerDirector:
    """An opener like urllib's default one, with kept connections for plain HTTP."""
    return urllib.request.build_opener(KeepAliveHandler())
