"""The front of each web worker: requests read whole by an event loop, then run on threads, pages apart from SPARQL.

Measured (docs/benchmarks.md, "Slow and hostile clients"): gunicorn's ``gthread``
worker reads a request's head on the thread that will run it, so 50 sockets
sending a header byte every 3 s (slowloris) held every thread and no page was
answered in 60 s; eight slow ``/sparql`` requests held a page 9.9 s.  Here each
gunicorn worker is uvicorn's (the maintained ``uvicorn-worker`` package): an
asyncio loop reads requests with httptools and hands only complete ones on, so
idle or slow sockets cost a file descriptor, not a thread; the Flask app runs
through a2wsgi's WSGI adapter on two thread pools (:class:`Front`), one for
``/sparql`` (whose requests wait on the query service) and one for everything
else, so slow queries never take a page's thread.

What uvicorn leaves to us, written here (:class:`Protocol`): a bound on a
request's head (uvicorn's httptools parser has none: a 10 MB URL would be
read whole) and a time limit on receiving it, and its refusals in our words,
as plain text.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import os
import signal
import socket
from typing import ClassVar

from a2wsgi import WSGIMiddleware
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn_worker import UvicornWorker

#: A request's line and headers: our SPARQL queries go up to 64 KiB, URL-encoded in a GET a few more.
MAX_HEAD = 72 * 1024
HEAD_TIMEOUT = 15.0  # seconds to send a request's line and headers, once the first byte is in
PAGE_THREADS = 8  # per worker: pages (rendering holds the GIL; more threads would only queue)
SPARQL_THREADS = 8  # per worker: /sparql requests, each mostly waiting on the query service

TOO_LONG = ("414 URI Too Long: this request's line and headers are over 72 KiB. A SPARQL query of up to 64 KiB "
            "fits in a GET; send longer ones in the body of a POST (application/sparql-query).\n")
BAD = "400 Bad Request: the request could not be read as HTTP/1.1.\n"
SLOW = "408 Request Timeout: the request's headers did not arrive in time.\n"
PR_SET_PDEATHSIG = 1  # linux/prctl.h
_prctl = getattr(ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True), "prctl", None)


class Front:
    """ASGI in front of the WSGI app: ``/sparql`` on a thread pool of its own, everything else on another."""

    def __init__(self, app, page_threads: int = PAGE_THREADS, sparql_threads: int = SPARQL_THREADS):
        self.pages = WSGIMiddleware(app, workers=page_threads)
        self.sparql = WSGIMiddleware(app, workers=sparql_threads)

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "")
        chosen = self.sparql if path == "/sparql" or path.startswith("/sparql/") else self.pages
        return await chosen(scope, receive, send)


class Protocol(HttpToolsProtocol):
    """uvicorn's HTTP/1.1 protocol with a bounded, timed request head and refusals in our words."""

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        # An answer goes out in two writes (head, then body): without TCP_NODELAY, Nagle holds the body until
        # the client acknowledges the head, which a client delays by 40 ms (measured: every kept-alive request
        # for a page answered from the cache took 44 ms instead of 1.3).  asyncio sets it only on sockets made
        # with proto=IPPROTO_TCP, and our listening sockets (Worker._own_sockets) are made with 0.
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._head = 0  # bytes of the current request's head received so far
        self._head_timer: asyncio.TimerHandle | None = None
        self._reading_head = False

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._reading_head = True

    def on_headers_complete(self) -> None:
        self._reading_head, self._head = False, 0
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
        super().on_headers_complete()

    def data_received(self, data: bytes) -> None:
        if self._head_timer is None and (self._reading_head or not self.cycle):
            self._head_timer = self.loop.call_later(HEAD_TIMEOUT, self._refuse, 408, SLOW)
        if self._reading_head or not self.cycle:
            self._head += len(data)
            if self._head > MAX_HEAD:
                return self._refuse(414, TOO_LONG)
        super().data_received(data)

    def send_400_response(self, msg: str) -> None:
        self._refuse(400, BAD)

    def _refuse(self, status: int, text: str) -> None:
        if self.transport.is_closing():
            return
        body = text.encode("ascii")
        head = (f"HTTP/1.1 {status} {text.split(':')[0][4:]}\r\ncontent-type: text/plain; charset=utf-8\r\n"
                f"x-content-type-options: nosniff\r\ncontent-length: {len(body)}\r\nconnection: close\r\n\r\n")
        self.transport.write(head.encode("ascii") + body)
        self.transport.close()

    def connection_lost(self, exc) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        super().connection_lost(exc)


class Worker(UvicornWorker):
    """gunicorn's worker process running uvicorn with :class:`Protocol` (gunicorn still restarts it if it dies).

    It ends when ``kg serve``'s process does, however that ends: the kernel sends it SIGTERM then
    (Linux's parent-death signal; gunicorn's own workers look at their parent's PID, uvicorn's do not).
    """

    def init_process(self) -> None:
        if _prctl is not None:
            _prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
            if os.getppid() != self.ppid:  # the parent ended before the signal was asked for
                os._exit(0)
        self.sockets = [*self._own_sockets(), *self.sockets]
        super().init_process()

    def _own_sockets(self) -> list[socket.socket]:
        """A listening socket of this worker's own on the same address (SO_REUSEPORT), beside the one all share.

        An asyncio loop accepts every waiting connection at once when woken, so with one shared socket the
        first worker awake took all of a client's kept-alive connections and the other core idled: wrk at 16
        connections measured 1,000 or 3,000 answers/s, by which worker woke first.  The kernel spreads new
        connections over the sockets of a SO_REUSEPORT group by their addresses, so each worker gets its share.
        """
        own = []
        for shared in self.sockets:
            if shared.family not in (socket.AF_INET, socket.AF_INET6):
                continue
            mine = socket.socket(shared.family, socket.SOCK_STREAM)
            mine.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            mine.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            mine.bind(shared.getsockname()[:2])
            mine.listen(self.cfg.backlog)
            mine.setblocking(False)
            own.append(mine)
        return own

    CONFIG_KWARGS: ClassVar[dict] = {"loop": "asyncio", "http": Protocol, "lifespan": "off", "server_header": False}
