"""The real `kg serve` against slow and hostile clients: 50 slowloris sockets and 8 clients each running a slow
query leave pages answering; request heads up to our 64 KiB queries are ours to answer, past them a 414 in our
words; garbage and heads that never finish get plain-text refusals, never a server's HTML page."""

from __future__ import annotations

import http.client
import socket
import threading
import time
import urllib.parse

import pytest

SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
A_FEW_SECONDS = 5.0  # what "keeps answering" means here (pages take milliseconds; starved, they took 60 s+)


def get(url: str, path: str, source: str = "127.0.0.1", timeout: float = 30) -> tuple[int, dict, bytes]:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout, source_address=(source, 0))
    try:
        connection.request("GET", path, headers={"Cookie": "seen=all"})
        answer = connection.getresponse()
        return answer.status, answer.headers, answer.read()
    finally:
        connection.close()


def pages_answered(url: str, n: int = 10) -> list[float]:
    """The time each of ``n`` entity pages took."""
    times = []
    for i in range(n):
        started = time.monotonic()
        status, _, _ = get(url, "/id/hero" if i % 2 else "/id/villain")
        assert status == 200
        times.append(time.monotonic() - started)
    return times


def test_pages_keep_answering_with_fifty_slowloris_sockets_open(server):
    port = urllib.parse.urlsplit(server).port
    sockets = [socket.create_connection(("127.0.0.1", port)) for _ in range(50)]
    try:
        for s in sockets:
            s.sendall(b"GET /id/hero HTTP/1.1\r\nHost: x\r\n")
        for _ in range(2):  # a header line each, now and then: the connections stay busy and never finish
            for s in sockets:
                s.sendall(b"X-Slow: 1\r\n")
            assert max(pages_answered(server, 5)) < A_FEW_SECONDS
    finally:
        for s in sockets:
            s.close()


def test_pages_keep_answering_while_eight_clients_each_run_a_slow_query(server):
    path = "/sparql?" + urllib.parse.urlencode({"query": SLOW_QUERY})
    answers: list[int] = []
    clients = [threading.Thread(target=lambda n=n: answers.append(get(server, path, f"127.0.0.{n + 2}")[0]))
               for n in range(8)]
    for client in clients:
        client.start()
    time.sleep(0.5)  # the queries are in
    try:
        assert max(pages_answered(server)) < A_FEW_SECONDS
    finally:
        for client in clients:
            client.join(60)
    assert len(answers) == 8 and all(status in (200, 429, 503, 504) for status in answers), answers


def test_a_get_query_of_sixty_kib_is_answered(server):
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 1 #" + "x" * (60 * 1024)
    status, headers, _ = get(server, "/sparql?" + urllib.parse.urlencode({"query": query}))
    assert status == 200 and headers.get_content_type() == "application/sparql-results+json"


@pytest.mark.parametrize("head, status, words", [
    (b"GET /sparql?query=" + b"x" * (80 * 1024) + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, b"send longer ones in"),
    (b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-Big: " + b"y" * (80 * 1024) + b"\r\n\r\n", 414, b"over 72 KiB"),
    (b"NONSENSE\r\n\r\n", 400, b"could not be read as HTTP/1.1"),
], ids=["a request line over the limit", "headers over the limit", "not HTTP"])
def test_what_the_server_refuses_itself_is_plain_text_in_our_words(server, head, status, words):
    port = urllib.parse.urlsplit(server).port
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        try:
            s.sendall(head)
        except OSError:  # the server may close the socket before all of it is sent
            pass
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    head_text, _, body = answer.partition(b"\r\n\r\n")
    assert head_text.startswith(f"HTTP/1.1 {status} ".encode())
    assert b"content-type: text/plain" in head_text.lower() and b"nosniff" in head_text.lower()
    assert words in body and b"<html" not in body.lower()


def test_each_connection_sends_without_nagle():
    """An answer goes out as two writes (head, body); asyncio turns Nagle off only on a socket made with
    proto=IPPROTO_TCP, and the worker's own listening sockets are made with 0, so the body waited for the
    client's delayed acknowledgement: 44 ms a kept-alive request, until the protocol set TCP_NODELAY."""
    import asyncio
    import socket
    import threading

    from uvicorn.config import Config
    from uvicorn.server import ServerState

    from web.front import Protocol

    async def accept_one() -> int:  # as the worker serves: a server on a listening socket of its own
        loop = asyncio.get_running_loop()
        config = Config(app=lambda scope, receive, send: None, http=Protocol)
        config.load()
        made: list = []

        def protocol():
            made.append(Protocol(config=config, server_state=ServerState(), app_state={}))
            return made[-1]

        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # as Worker._own_sockets makes them
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        server = await loop.create_server(protocol, sock=listener)
        client = socket.create_connection(listener.getsockname())
        while not made or made[0].transport is None:
            await asyncio.sleep(0.01)
        nodelay = made[0].transport.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        client.close()
        server.close()
        return nodelay

    found: list[int] = []  # on a thread of its own: the test process may run a loop of its own (Playwright's)
    worker = threading.Thread(target=lambda: found.append(asyncio.run(accept_one())))  # the worker's asyncio loop
    worker.start()
    worker.join(30)
    assert found and found[0] != 0
