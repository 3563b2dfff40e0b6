"""nginx in front of two real `kg serve` replicas (the configuration `kg deploy nginx` writes): a load through it
loses no request when one replica is killed mid-way (nginx retries idempotent requests on the other), and the
killed replica, started again, takes traffic again; the replicas trust X-Forwarded-For from it alone."""

from __future__ import annotations

import shutil
import signal
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from web.deploy import write

from ..conftest import free_port, kg_serve, missing, start, stop, wait_for


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        missing("nginx is not installed (Debian package 'nginx')")
    return found


def get(url: str) -> tuple[int, str]:
    """(status, the replica that answered: nginx's X-Upstream)."""
    request = urllib.request.Request(url, headers={"Cookie": "seen=all"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            answer.read()
            return answer.status, answer.headers.get("X-Upstream", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("X-Upstream", "")
    except OSError:
        return 0, ""


class Replica:
    def __init__(self, build: Path, port: int):
        self.build, self.port = build, port
        self.process = start(kg_serve(build, port, "--proxies", "1"), port, "kg serve replica")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)  # its workers and query service end with it
        self.process.wait()

    def restart(self) -> None:
        self.process = start(kg_serve(self.build, self.port, "--proxies", "1"), self.port, "kg serve replica")


@pytest.fixture
def cluster(universe_nquads, tmp_path):
    binary = nginx_binary()
    build = tmp_path / "build"
    shutil.copytree(universe_nquads.parent, build)
    replicas = [Replica(build, free_port()) for _ in range(2)]
    listen = free_port()
    conf = write([f"127.0.0.1:{r.port}" for r in replicas], f"127.0.0.1:{listen}", tmp_path / "nginx")
    nginx = start([binary, "-c", conf, "-p", conf.parent], listen, "nginx")
    try:
        yield f"http://127.0.0.1:{listen}", replicas
    finally:
        stop(nginx)
        for replica in replicas:
            if replica.process.poll() is None:
                stop(replica.process)


def test_killing_a_replica_mid_load_loses_no_request_and_it_comes_back(cluster):
    url, (first, second) = cluster
    results: list[tuple[int, str]] = []
    killed = threading.Event()

    def ask(n: int) -> None:
        if n == 150:
            first.kill()  # mid-load
            killed.set()
        results.append(get(f"{url}/id/{'hero' if n % 2 else 'villain'}?n={n}"))  # each address new: no cache

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(ask, range(400)))
    assert killed.is_set() and len(results) == 400
    assert [status for status, _ in results if status != 200] == []
    upstreams = {upstream for _, upstream in results}
    assert f"127.0.0.1:{first.port}" in " ".join(upstreams) and f"127.0.0.1:{second.port}" in " ".join(upstreams)
    first.restart()
    assert wait_for(lambda: f":{first.port}" in get(f"{url}/id/hero?again={time.monotonic()}")[1], 60)


def test_the_replicas_read_the_client_address_nginx_gives_and_no_other(cluster):
    """With --proxies 1 the app takes the client from the X-Forwarded-For the one proxy sets (nginx replaces
    whatever the client sent with the address it sees: web/deploy/nginx.conf); without, from the socket."""
    url, (replica, _) = cluster
    assert get(f"{url}/health")[0] == 200
    from kg.settings import Settings
    from kg.store import EmbeddedStore
    from web import create_app

    trusting = create_app(Settings(proxies=1, out_dir=replica.build), EmbeddedStore.from_nquads(
        replica.build / "universe.nq"))
    seen = {}

    @trusting.before_request
    def remember():
        from flask import request

        seen["client"] = request.remote_addr

    trusting.test_client().get("/health", headers={"X-Forwarded-For": "10.9.9.9"},
                               environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert seen["client"] == "10.9.9.9"
    plain = create_app(Settings(out_dir=replica.build), EmbeddedStore.from_nquads(replica.build / "universe.nq"))
    plain.before_request(remember)
    plain.test_client().get("/health", headers={"X-Forwarded-For": "10.9.9.9"},
                            environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert seen["client"] == "127.0.0.1"
    for app in (trusting, plain):
        app.extensions["kg-queries"].close()


CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # runs to the time limit


def sparql_from(source: str, url: str, query: str) -> tuple[int, str]:
    """/sparql asked from the local address ``source`` (any 127.x.y.z is this machine): (status, X-Upstream)."""
    import http.client
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60, source_address=(source, 0))
    try:
        connection.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}))
        answer = connection.getresponse()
        answer.read()
        return answer.status, answer.headers.get("X-Upstream", "")
    finally:
        connection.close()


def test_fair_use_on_sparql_holds_per_client_across_the_replicas(cluster):
    """Each client may run 2 queries at once: a third, sent while two run, is refused, though another replica is
    idle (nginx sends each client's /sparql to one replica: a round robin would have let it through)."""
    url, _ = cluster
    with ThreadPoolExecutor(2) as pool:
        slow = [pool.submit(sparql_from, "127.0.0.7", url, CROSS_PRODUCT) for _ in range(2)]
        time.sleep(2)  # both running
        third = sparql_from("127.0.0.7", url, "ASK { ?s ?p ?o }")
        answers = [future.result() for future in slow]
    elsewhere = [sparql_from(f"127.0.0.{n}", url, "ASK { ?s ?p ?o }")[1] for n in range(20, 40)]
    assert third[0] == 429
    assert len({upstream for _, upstream in [*answers, third]}) == 1  # one replica for this client
    assert len(set(elsewhere)) == 2  # other clients are spread over both
