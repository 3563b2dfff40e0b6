"""Virtuoso, the second real store: kg push to it by HTTP Digest, and its own habits, each against a real
Virtuoso server (Debian's virtuoso-opensource) started here.

Every page, search, connections and SPARQL test already runs over Virtuoso too
(the third parameter of the `app` fixture, on the session's server); these are
what only Virtuoso does: Digest authentication, a default graph that holds its
own system graphs, a row cap that cuts answers (with a header for SELECT, and
silently for CONSTRUCT), a time limit, an ASK answered as a SELECT, and the
faults (down, killed and back, hung, wrong credentials).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import time
from pathlib import Path

import pytest
from rdflib import Dataset, Literal

from kg.errors import StoreTimedOut
from kg.httpclient import Credentials
from kg.namespaces import BASE
from kg.publish.client import Client
from kg.store.remote import RemoteStore

from ..conftest import UNIVERSE, free_port, quads_in
from ..virtuoso import (
    ROW_CAP,
    TIME_LIMIT,
    running_virtuoso,
    start_virtuoso,
    stop_virtuoso,
)

FOREIGN = "http://other.example/their-data"  # someone else's graph on the same server


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    """A Virtuoso server of this module's own, which its tests write to."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso-push"), free_port(), free_port()) as server:
        yield server


@pytest.fixture
def build(universe_nquads, tmp_path) -> Path:
    target = tmp_path / "build"
    shutil.copytree(universe_nquads.parent, target)
    return target


def push(virtuoso, build: Path, data: Path = UNIVERSE, password_file: Path | None = None) -> list:
    return ["push", "--data", data, "--build", build, "--endpoint", virtuoso.query_url,
            "--graph-store", virtuoso.graph_store_url, "--user", "dba",
            "--password-file", password_file or virtuoso.password_file()]


def our_quads(virtuoso) -> set:
    """Every quad the server holds in graphs under our base, read in pages under its cap."""
    store = RemoteStore(virtuoso.query_url, graphs=())
    rows = store.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), ?base)) }",
                        {"base": Literal(BASE)})
    return {(str(r["s"]), str(r["p"]), r["o"].n3(), str(r["g"])) for r in rows}


def file_quads(nquads: Path) -> set:
    dataset = Dataset()
    dataset.parse(nquads, format="nquads")
    return {(str(s), str(p), o.n3(), str(g)) for s, p, o, g in dataset.quads()}


def graph_store(virtuoso) -> Client:
    return Client(Credentials("dba", virtuoso.password), urls=(virtuoso.url,))


# --- kg push, by HTTP Digest ----------------------------------------------------------------------------------


def test_push_by_digest_lands_the_build_exactly_and_twice_is_once(kg, virtuoso, build):
    result = kg(*push(virtuoso, build))
    assert result.exit_code == 0, result.output
    assert re.fullmatch(rf"pushed 9 graphs \({quads_in(build / 'universe.nq')} triples\) to {virtuoso.graph_store_url} "
                        r"by the Graph Store "
                        r"Protocol in \d+\.\d s; removed 0 graphs no longer in the build\n", result.output)
    expected = file_quads(build / "universe.nq")
    assert len(expected) > ROW_CAP  # so reading it back pages past the server's cap
    assert our_quads(virtuoso) == expected  # literals, language tags and datatypes as built
    again = kg(*push(virtuoso, build))
    assert again.exit_code == 0 and "removed 0 graphs" in again.output
    assert our_quads(virtuoso) == expected


def test_a_graph_that_left_the_build_is_removed_and_nobody_elses_is_touched(kg, virtuoso, build, universe_copy,
                                                                            tmp_path):
    assert kg(*push(virtuoso, build)).exit_code == 0
    theirs = "<http://other.example/s> <http://other.example/p> \"theirs\" .\n"
    client = graph_store(virtuoso)
    client.request("PUT", f"{virtuoso.graph_store_url}?graph={FOREIGN}", theirs.encode(),
                   {"Content-Type": "application/n-triples"})
    (universe_copy / "readings.yaml").unlink()
    smaller = tmp_path / "smaller"
    result = kg(*push(virtuoso, smaller, universe_copy))
    assert result.exit_code == 0, result.output
    assert "pushed 6 graphs" in result.output and "removed 3 graphs no longer in the build" in result.output
    assert our_quads(virtuoso) == file_quads(smaller / "universe.nq")
    kept = client.request("GET", f"{virtuoso.url}/sparql-graph-crud?graph={FOREIGN}",
                          headers={"Accept": "application/n-triples"})
    assert b"theirs" in kept


def test_wrong_credentials_to_virtuoso_are_a_clear_error(kg, virtuoso, build, tmp_path):
    wrong = tmp_path / "password"
    wrong.write_text("not-the-password\n")
    result = kg(*push(virtuoso, build, password_file=wrong))
    assert result.exit_code == 2
    assert f"the server refused the credentials for dba at {virtuoso.graph_store_url} (HTTP 401)" in result.output
    assert "not-the-password" not in result.output and "Traceback" not in result.output
    anonymous = kg("push", "--data", UNIVERSE, "--build", build, "--endpoint", virtuoso.query_url,
                   "--graph-store", virtuoso.graph_store_url)
    assert anonymous.exit_code == 2 and "asks for credentials (HTTP 401)" in anonymous.output


# --- Virtuoso's habits, read as they are -------------------------------------------------------------------


def test_its_own_graphs_make_us_name_the_dataset(virtuoso_universe, universe_nquads):
    store = RemoteStore.connect(virtuoso_universe)
    assert store.union is False and len(store.graphs) == 9  # its default graph holds its system graphs too
    assert store.cap == ROW_CAP
    ours = quads_in(universe_nquads)  # no triple of the fixture is in two graphs
    assert int(store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]) == ours  # ours, no more


def test_an_ask_is_a_boolean(virtuoso_universe):
    store = RemoteStore.connect(virtuoso_universe)
    assert store.ask("ASK { ?c a jwo:Character }") is True
    assert store.ask("ASK { ?c a jwo:NoSuchClass }") is False


def test_a_select_past_the_cap_is_read_whole_in_pages(virtuoso_universe, universe_nquads):
    store = RemoteStore.connect(virtuoso_universe)
    rows = store.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert len(rows) == quads_in(universe_nquads) > ROW_CAP


def test_a_cut_answer_is_never_shown_whole_on_sparql(virtuoso_client):
    client = virtuoso_client
    answer = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"},
                        headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200
    assert answer.headers["X-Result-Truncated"] == f"true; the answer stops at {ROW_CAP} rows"
    body = answer.get_json(force=True)
    assert body["truncated"] is True and len(body["results"]["bindings"]) == ROW_CAP
    graph = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                       headers={"Accept": "application/n-triples"})
    assert graph.status_code == 200 and graph.headers["X-Result-Truncated"].startswith("true")


@pytest.fixture
def virtuoso_client(virtuoso_universe, universe_dumps):
    """A client of the web app over the session's Virtuoso (its row cap and time limit set low)."""
    from ..conftest import make_app

    app = make_app(endpoint=virtuoso_universe, downloads=universe_dumps)
    yield app.test_client()
    app.extensions["kg-queries"].close()


def test_its_time_limit_is_a_timeout_not_an_answer(virtuoso_universe, virtuoso_client):
    store = RemoteStore.connect(virtuoso_universe, timeout=TIME_LIMIT + 20)
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.monotonic()
    with pytest.raises(StoreTimedOut, match="stopped the query at its own time limit"):
        store.select(heavy)
    assert time.monotonic() - started < TIME_LIMIT + 10
    answer = virtuoso_client.get("/sparql", query_string={"query": heavy})
    assert answer.status_code == 503
    assert "exceeded the time limit of the server that holds the data" in answer.get_data(as_text=True)


# --- faults --------------------------------------------------------------------------------------------------


@pytest.fixture
def own_virtuoso(tmp_path, kg, universe_nquads):
    """A Virtuoso holding the fixture universe that the test may kill, hang and start again."""
    (tmp_path / "db").mkdir()
    server = start_virtuoso(tmp_path / "db", free_port(), free_port())
    result = kg(*push(server, universe_nquads.parent))
    assert result.exit_code == 0, result.output
    yield server
    if server.process.poll() is None:
        os.kill(server.process.pid, signal.SIGCONT)
        stop_virtuoso(server)


def test_killed_while_serving_gives_503_and_recovers_without_a_restart(own_virtuoso, remote_app):
    app = remote_app(own_virtuoso.query_url, store_timeout=2)
    client = app.test_client()
    assert client.get("/id/hero").status_code == 200
    own_virtuoso.kill()  # kill -9
    down = client.get("/id/villain")
    assert down.status_code == 503 and down.headers["Retry-After"] == "5"
    assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).status_code == 503
    back = start_virtuoso(own_virtuoso.folder, own_virtuoso.sql_port, int(own_virtuoso.url.rsplit(":", 1)[1]),
                          password=own_virtuoso.password)
    own_virtuoso.process = back.process
    assert client.get("/id/villain").status_code == 200  # its log replayed, the data is there; nothing restarted
    answer = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert answer.status_code == 200 and answer.get_json(force=True)["boolean"] is True


def test_a_hung_server_gets_our_timeout(own_virtuoso, remote_app):
    app = remote_app(own_virtuoso.query_url, store_timeout=1)
    client = app.test_client()
    assert client.get("/id/hero").status_code == 200
    os.kill(own_virtuoso.process.pid, signal.SIGSTOP)  # it holds its connections and answers nothing
    try:
        started = time.monotonic()
        hung = client.get("/id/villain")
        assert hung.status_code == 503 and time.monotonic() - started < 5
    finally:
        os.kill(own_virtuoso.process.pid, signal.SIGCONT)
    assert client.get("/id/villain").status_code == 200


def test_kg_serve_over_a_server_that_is_down_or_refuses_us(kg, own_virtuoso, tmp_path):
    wrong = tmp_path / "password"
    wrong.write_text("not-the-password\n")
    refused = kg("serve", "--endpoint", f"{own_virtuoso.url}/sparql-auth", "--user", "dba", "--password-file", wrong)
    assert refused.exit_code == 3 and "refused the credentials of dba" in refused.output
    assert "not-the-password" not in refused.output
    allowed = RemoteStore.connect(f"{own_virtuoso.url}/sparql-auth", credentials=Credentials("dba", own_virtuoso.password))
    assert allowed.ask("ASK { ?c a jwo:Character }")  # queries answer Virtuoso's Digest challenge too
    own_virtuoso.kill()
    down = kg("serve", "--endpoint", own_virtuoso.query_url)
    assert down.exit_code == 3 and f"cannot reach the SPARQL server at {own_virtuoso.query_url}" in down.output
