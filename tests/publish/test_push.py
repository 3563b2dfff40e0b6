"""kg push: the build lands in a real Oxigraph server exactly (by the Graph Store Protocol and by SPARQL
Update), twice is the same as once, graphs that left the build are removed and nobody else's are touched;
and the faults: wrong credentials (through a real Basic-auth front), a server that is down, a server
killed mid-push (nothing reported written that is not, and a rerun completes the push)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build.pipeline import record_origin
from kg.errors import UsageError
from kg.namespaces import BASE
from kg.publish import client, push
from kg.publish.graphs import read_graphs

from ..conftest import (
    ROOT,
    UNIVERSE,
    HttpFront,
    free_port,
    oxigraph_binary,
    quads_in,
    running,
    start,
    stop,
    wait_for,
)

FOREIGN = "http://other.example/their-data"  # someone else's graph on the same server
LOOKALIKE = "https://kg.johnwick.example.org/graph/not-ours"  # starts like our base, is not under it


# --- the server, and reading it back ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def oxigraph():
    """`oxigraph serve` (read-write, in memory) on 127.0.0.1 for this module; its base URL."""
    port = free_port()
    with running([oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}"], port, "oxigraph serve") as url:
        yield url


@pytest.fixture
def store(oxigraph):
    """The module's server, emptied for this test."""
    send(f"{oxigraph}/update", b"CLEAR ALL", "application/sparql-update")
    return oxigraph


def send(url: str, body: bytes, content_type: str, method: str = "POST", accept: str = "*/*") -> bytes:
    request = urllib.request.Request(url, data=body, method=method,
                                     headers={"Content-Type": content_type, "Accept": accept})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()


def server_quads(url: str) -> set:
    body = send(f"{url}/query", b"SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "application/sparql-query",
                accept="application/sparql-results+json")
    return {ox.Quad(r["s"], r["p"], r["o"], r["g"])
            for r in ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)}


def file_quads(nquads: Path) -> set:
    return set(ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS))


def put_graph(url: str, graph: str, triples: list) -> None:
    send(f"{url}/store?" + urllib.parse.urlencode({"graph": graph}),
         ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), "application/n-triples", method="PUT")


def foreign_triples(n: int = 3) -> list:
    return [ox.Triple(ox.NamedNode(f"http://other.example/s{i}"), ox.NamedNode("http://other.example/p"),
                      ox.Literal(f"theirs {i}")) for i in range(n)]


@pytest.fixture
def build(universe_nquads, tmp_path) -> Path:
    """A copy of the fixture universe's build (what kg push writes its state beside), still fresh."""
    target = tmp_path / "build"
    shutil.copytree(universe_nquads.parent, target)  # copy2 keeps build.json newer than the data
    return target


def gsp(url: str, build: Path, data: Path = UNIVERSE) -> list:
    return ["push", "--data", data, "--build", build, "--endpoint", f"{url}/query", "--graph-store", f"{url}/store"]


# --- the build, exactly --------------------------------------------------------------------------------------


def test_push_writes_every_graph_of_the_build_exactly(kg, store, build):
    result = kg(*gsp(store, build))
    assert result.exit_code == 0, result.output
    assert re.fullmatch(rf"pushed 9 graphs \({quads_in(build / 'universe.nq')} triples\) to {store}/store by the Graph "
                        r"Store Protocol in "
                        r"\d+\.\d s; removed 0 graphs no longer in the build\n", result.output)
    assert server_quads(store) == file_quads(build / "universe.nq")
    assert not (build / push.STATE).exists(), "a complete push leaves nothing to resume"


def test_pushing_twice_leaves_the_same_data_and_repairs_what_changed(kg, store, build):
    assert kg(*gsp(store, build)).exit_code == 0
    expected = file_quads(build / "universe.nq")
    # someone edits one of our graphs on the server: the next push puts it back as the build has it
    ontology = ox.NamedNode(BASE + "ontology")
    put_graph(store, ontology.value, foreign_triples(1))
    result = kg(*gsp(store, build))
    assert result.exit_code == 0 and f"pushed 9 graphs ({quads_in(build / 'universe.nq')} triples)" in result.output
    assert server_quads(store) == expected
    assert kg(*gsp(store, build)).exit_code == 0
    assert server_quads(store) == expected


def test_push_by_sparql_update_when_there_is_no_graph_store(kg, store, build, monkeypatch):
    monkeypatch.setattr(client, "CHUNK", 100)  # the ontology's 779 triples go in 8 requests
    for options in ([], ["--update", f"{store}/update"]):  # the /query -> /update convention, and said outright
        result = kg("push", "--data", UNIVERSE, "--build", build, "--endpoint", f"{store}/query", *options)
        assert result.exit_code == 0, result.output
        assert f"pushed 9 graphs ({quads_in(build / 'universe.nq')} triples) to {store}/update by SPARQL Update" \
            in result.output
        assert server_quads(store) == file_quads(build / "universe.nq")


def test_a_graph_that_left_the_build_is_removed_and_nobody_elses_is_touched(kg, store, build, universe_copy,
                                                                            tmp_path):
    assert kg(*gsp(store, build)).exit_code == 0
    put_graph(store, FOREIGN, foreign_triples())
    put_graph(store, LOOKALIKE, foreign_triples(2))
    theirs = {q for q in server_quads(store) if q.graph_name.value in (FOREIGN, LOOKALIKE)}
    assert len(theirs) == 5
    (universe_copy / "readings.yaml").unlink()  # the analysis and the episode's graphs go with it (Film One's own
    # canon graph stays: its plot cites it)
    smaller = tmp_path / "smaller"
    result = kg(*gsp(store, smaller, universe_copy))
    assert result.exit_code == 0, result.output
    assert "pushed 6 graphs" in result.output and "removed 3 graphs no longer in the build" in result.output
    assert server_quads(store) == file_quads(smaller / "universe.nq") | theirs


def test_progress_counts_every_triple_once(store, build):
    built = read_graphs(build / "universe.nq")
    seen: list[int] = []
    pushed = push.push(built, client.server(f"{store}/query", update_url=f"{store}/update"), seen.append)
    assert sum(seen) == built.triples == pushed.triples == quads_in(build / "universe.nq")
    assert pushed.written == sorted(pushed.written, key=lambda g: f"<{g}>") and len(pushed.written) == 9


# --- faults ------------------------------------------------------------------------------------------------


def test_wrong_credentials_are_a_clear_error(kg, store, build, tmp_path):
    front = HttpFront(store, credentials=("kg", "s3cret"))
    try:
        right, wrong = tmp_path / "right", tmp_path / "wrong"
        right.write_text("s3cret\n", encoding="utf-8")  # one trailing newline is not part of the password
        wrong.write_text("guess\n", encoding="utf-8")
        result = kg(*gsp(front.url, build), "--user", "kg", "--password-file", wrong)
        assert result.exit_code == 2
        assert result.output == (f"error: the server refused the credentials for kg at {front.url}/store "
                                 "(HTTP 401); no graph was written\n")
        result = kg(*gsp(front.url, build))
        assert result.exit_code == 2
        assert result.output.startswith(f"error: {front.url}/store asks for credentials (HTTP 401): "
                                        "give --user and --password-file")
        assert server_quads(store) == set()
        result = kg(*gsp(front.url, build), "--user", "kg", "--password-file", right)
        assert result.exit_code == 0, result.output
        assert server_quads(store) == file_quads(build / "universe.nq")
    finally:
        front.close()
    missing = tmp_path / "nowhere"
    result = kg(*gsp(store, build), "--user", "kg", "--password-file", missing)
    assert result.exit_code == 2
    assert result.output == f"error: cannot read the password file {missing}: No such file or directory\n"
    result = kg(*gsp(store, build), "--user", "kg")
    assert result.exit_code == 2 and result.output == "error: give both --user and --password-file, or neither\n"


def test_a_server_too_slow_to_answer_is_a_clear_error(kg, build):
    front = HttpFront(f"http://127.0.0.1:{free_port()}")  # forwards nowhere, after the client has given up
    front.stall = 3.0
    try:
        result = kg(*gsp(front.url, build), "--timeout", "0.5")
    finally:
        front.close()
    assert result.exit_code == 2
    assert result.output == f"error: {front.url}/store did not answer within 0.5 s (--timeout); no graph was written\n"


def test_a_server_that_is_down_is_a_clear_error(kg, build):
    url = f"http://127.0.0.1:{free_port()}"
    result = kg(*gsp(url, build))
    assert result.exit_code == 2
    assert result.output == f"error: cannot reach the SPARQL server at {url}/store: connection refused; no graph was written\n"
    result = kg("push", "--data", UNIVERSE, "--build", build, "--endpoint", f"{url}/query")
    assert result.exit_code == 2
    assert result.output == f"error: cannot reach the SPARQL server at {url}/update: connection refused\n"


@pytest.mark.parametrize(("options", "message"), [
    (["--endpoint", "ftp://example.org/query"], "error: --endpoint: not an http(s) URL: 'ftp://example.org/query'"),
    (["--endpoint", "http://kg:pw@127.0.0.1/query"],
     "error: --endpoint: give the user with --user and the password with --password-file, not in the URL"),
    (["--endpoint", "http://127.0.0.1/sparql"],
     ("error: give --graph-store URL (Graph Store Protocol) or --update URL (SPARQL Update): "
      "http://127.0.0.1/sparql does not end with /query, so no update endpoint can be assumed")),
])
def test_bad_urls_are_usage_errors(kg, build, options, message):
    result = kg("push", "--data", UNIVERSE, "--build", build, *options)
    assert result.exit_code == 2
    assert result.output == message + "\n"


def test_endpoints_that_are_not_what_they_are_said_to_be(kg, store, build):
    result = kg("push", "--data", UNIVERSE, "--build", build, "--endpoint", f"{store}/query",
                "--graph-store", f"{store}/query")
    assert result.exit_code == 2
    assert result.output == (f"error: PUT {store}/query failed: HTTP 404 Not Found: PUT /query is not supported "
                             "by this server; no graph was written\n")
    result = kg("push", "--data", UNIVERSE, "--build", build, "--endpoint", f"{store}/store",
                "--graph-store", f"{store}/store")
    assert result.exit_code == 2
    assert result.output.startswith(f"error: POST {store}/store failed: HTTP 415 Unsupported Media Type")
    assert "every graph of the build was written, but the graphs no longer in it were not all removed" \
        in result.output
    result = kg("push", "--data", UNIVERSE, "--build", build, "--endpoint", f"{store}/nothing/query")
    assert result.exit_code == 2
    assert result.output == (f"error: no --graph-store or --update given, and {store}/nothing/update does not take "
                             "SPARQL Update (HTTP 404); give --graph-store URL or --update URL\n")


def test_an_iri_that_could_end_its_brackets_is_never_written_into_sparql():
    for name in ("https://kg.johnwick.example/graph/x> } } ; DROP ALL ; #", "https://kg.johnwick.example/a b"):
        with pytest.raises(UsageError, match="could end <...>"):
            client._iri(name)
    assert client._iri(BASE + "graph/ref-film") == f"<{BASE}graph/ref-film>"


# --- a server killed mid-push --------------------------------------------------------------------------------


@pytest.fixture
def big_build(universe_nquads, tmp_path) -> Path:
    """A build of 300 graphs of 200 triples beside the fixture universe's: long enough to interrupt."""
    folder = tmp_path / "big"
    folder.mkdir()
    quads = sorted(file_quads(universe_nquads), key=str)
    for g in range(300):
        graph = ox.NamedNode(f"{BASE}graph/bulk-{g:03d}")
        quads += [ox.Quad(ox.NamedNode(f"{BASE}id/bulk-{g}-{i}"), ox.NamedNode(f"{BASE}ontology/bulkValue"),
                          ox.Literal(f"value {i} of \"{g}\"\n"), graph) for i in range(200)]
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    (folder / "universe.nq").write_bytes(data)
    (folder / "build.json").write_text(json.dumps({"files": {"universe.nq": {
        "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}}}), encoding="utf-8")
    record_origin(UNIVERSE, folder)  # kg push --data UNIVERSE takes it as that folder's build
    return folder


def graph_counts(url: str) -> dict[str, int]:
    body = send(f"{url}/query", b"SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                "application/sparql-query", accept="application/sparql-results+json")
    return {r["g"].value: int(r["n"].value) for r in ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)}


@pytest.mark.slow
def test_a_push_killed_mid_way_reports_only_what_it_wrote_and_a_rerun_completes_it(big_build, tmp_path):
    binary, location, port = oxigraph_binary(), tmp_path / "db", free_port()
    argv = [binary, "serve", "--location", location, "--bind", f"127.0.0.1:{port}"]
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "kg", *map(str, gsp(url, big_build))]
    expected = file_quads(big_build / "universe.nq")
    wanted = {}
    for quad in expected:
        wanted[quad.graph_name.value] = wanted.get(quad.graph_name.value, 0) + 1

    server = start(argv, port, "oxigraph serve")
    try:
        pusher = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        killed = threading.Event()

        def kill_when_some_graphs_are_in():
            if wait_for(lambda: pusher.poll() is not None or len(graph_counts(url)) >= 40, 60) \
                    and pusher.poll() is None:
                server.kill()  # SIGKILL: no goodbye
                server.wait()
                killed.set()

        watcher = threading.Thread(target=kill_when_some_graphs_are_in)
        watcher.start()
        _, err = pusher.communicate(timeout=120)
        watcher.join()
    finally:
        stop(server)
    assert killed.is_set(), f"the push ended before the server could be killed: {err}"
    assert pusher.returncode == 2, err
    match = re.fullmatch(r"error: (?P<reason>[^;]+); the push stopped at graph (?P<failed>\S+) \((?P<at>\d+) of 309\);"
                         r" (?P<n>\d+) graphs were written before it: (?P<named>.+) and (?P<more>\d+) more; "
                         r"rerun kg push to complete: it replaces every graph, so a rerun is safe\n", err)
    assert match, err
    assert match["reason"].startswith(f"cannot reach the SPARQL server at {url}/store: "), err
    written = int(match["n"])
    assert written >= 39 and int(match["at"]) == written + 1 and int(match["more"]) == written - 10
    named = [BASE + name for name in match["named"].split(", ")]
    recorded = json.loads((big_build / push.STATE).read_text(encoding="utf-8"))[f"{url}/store"]["written"]
    assert len(recorded) == written and set(named) <= set(recorded) and BASE + match["failed"] not in recorded

    server = start(argv, port, "oxigraph serve (again, on the same database)")
    try:
        on_server = graph_counts(url)
        for graph in recorded:  # every graph reported written is there, whole
            assert on_server.get(graph) == wanted[graph], graph
        assert {q for q in expected if q.graph_name.value in recorded} <= server_quads(url)
        rerun = subprocess.run(command, check=False, cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert rerun.returncode == 0, rerun.stderr
        assert f"pushed {309 - written} graphs" in rerun.stderr
        assert f"kept {written} written by the push before" in rerun.stderr
        assert server_quads(url) == expected
    finally:
        stop(server)
    assert not (big_build / push.STATE).exists(), "the completed push forgot what the failed one wrote"
