"""The web app over a remote SPARQL server, and the faults a remote server brings.

Every page, search, connections and SPARQL test already runs on both stores
(the `app` and `sparql` fixtures); these are the faults, each against a real
Oxigraph server started here: down when kg serve starts, dying while it
serves and coming back, slow, and refusing credentials.
"""

from __future__ import annotations

import subprocess

import pytest

from kg.store.remote import Credentials, RemoteStore, StoreError, StoreRefused

from ..conftest import HttpFront, free_port, oxigraph_binary, running


@pytest.fixture
def oxigraph_location(universe_nquads, tmp_path):
    """A database of the fixture universe, for a server this test starts and stops itself."""
    location = tmp_path / "oxigraph"
    subprocess.run([oxigraph_binary(), "load", "--location", str(location), "--file", str(universe_nquads)],
                   check=True, capture_output=True, timeout=120)
    return location


def oxigraph(location, port: int, *options):
    return running([oxigraph_binary(), "serve-read-only", "--location", location, "--bind", f"127.0.0.1:{port}",
                    *options], port, "oxigraph serve")


# --- what the remote store finds out about the server ---------------------------------------------------

def test_a_server_with_a_union_default_graph_is_read_as_it_is(oxigraph_location):
    port = free_port()
    with oxigraph(oxigraph_location, port, "--union-default-graph") as url:
        store = RemoteStore.connect(f"{url}/query")
    assert store.union is True and len(store.graphs) == 9


def test_a_server_without_one_gets_the_dataset_named(oxigraph_universe):
    store = RemoteStore.connect(oxigraph_universe)
    assert store.union is False and len(store.graphs) == 9
    rows = store.select("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a jwo:Character }")
    assert int(rows[0]["n"]) == 5  # read across the source graphs, as over the union


def test_an_empty_server_is_a_clear_error(tmp_path):
    port = free_port()
    empty = running([oxigraph_binary(), "serve", "--location", tmp_path / "empty", "--bind", f"127.0.0.1:{port}"],
                    port, "oxigraph serve")
    with empty as url, pytest.raises(StoreError, match="holds none of our graphs: publish the universe there first"):
        RemoteStore.connect(f"{url}/query")


# --- down when kg serve starts ------------------------------------------------------------------------------

def test_kg_serve_exits_3_with_a_clear_message_when_the_server_is_down(kg):
    url = f"http://127.0.0.1:{free_port()}/query"
    result = kg("serve", "--endpoint", url)
    assert result.exit_code == 3
    assert f"error: cannot reach the SPARQL server at {url}: Connection refused" in result.output
    assert "Traceback" not in result.output


# --- dies while serving, and comes back ----------------------------------------------------------------------

def test_a_server_that_dies_gives_503_pages_and_they_recover_without_a_restart(oxigraph_location, remote_app):
    port = free_port()
    with oxigraph(oxigraph_location, port) as url:
        app = remote_app(f"{url}/query", store_timeout=2)
        client = app.test_client()
        assert client.get("/id/hero").status_code == 200
    try:
        down = client.get("/id/villain")  # the server is gone (stopped on leaving the block)
        assert down.status_code == 503
        assert down.headers["Retry-After"] == "5"
        assert "try again in a few seconds" in down.get_data(as_text=True)
        query_down = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
        assert query_down.status_code == 503 and query_down.headers["Retry-After"] == "5"
        assert "127.0.0.1" not in query_down.get_data(as_text=True)  # the store's address is not the public's
        with oxigraph(oxigraph_location, port):
            assert client.get("/id/villain").status_code == 200  # back, with nothing restarted
            answer = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
            assert answer.status_code == 200 and answer.get_json(force=True)["boolean"] is True
    finally:
        app.extensions["kg-queries"].close()


# --- slow ------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_slow_server_gets_our_timeout_not_a_hung_worker(oxigraph_universe, remote_app):
    front = HttpFront(oxigraph_universe.removesuffix("/query"))
    try:
        app = remote_app(f"{front.url}/query", store_timeout=1)
        client = app.test_client()
        assert client.get("/id/hero").status_code == 200
        front.stall = 30
        slow = client.get("/id/villain")
        assert slow.status_code == 503 and slow.headers["Retry-After"] == "5"
        assert front.stalling  # answered while the server still stalls: our 1 s timeout, not its 30 s
        front.stall = 0
        assert client.get("/id/villain").status_code == 200
        app.extensions["kg-queries"].close()
    finally:
        front.close()


# --- credentials -----------------------------------------------------------------------------------------------

def test_the_right_credentials_are_sent_and_work(oxigraph_universe, remote_app, tmp_path):
    front = HttpFront(oxigraph_universe.removesuffix("/query"), credentials=("fan", "s3cret"))
    password = tmp_path / "password"
    password.write_text("s3cret\n")
    try:
        app = remote_app(f"{front.url}/query", user="fan", password_file=password)
        assert app.test_client().get("/id/hero").status_code == 200
        answer = app.test_client().get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
        assert answer.status_code == 200  # the query executors send them too
        app.extensions["kg-queries"].close()
    finally:
        front.close()


def test_wrong_credentials_are_a_clear_message(oxigraph_universe, kg, tmp_path):
    front = HttpFront(oxigraph_universe.removesuffix("/query"), credentials=("fan", "s3cret"))
    try:
        with pytest.raises(StoreRefused, match="refused the credentials of fan"):
            RemoteStore.connect(f"{front.url}/query", credentials=Credentials("fan", "wrong"))
        with pytest.raises(StoreRefused, match=r"refused the credentials \(none were given\)"):
            RemoteStore.connect(f"{front.url}/query")
        password = tmp_path / "password"
        password.write_text("wrong\n")
        result = kg("serve", "--endpoint", f"{front.url}/query", "--user", "fan", "--password-file", password)
        assert result.exit_code == 3
        assert "refused the credentials of fan" in result.output and "wrong" not in result.output
    finally:
        front.close()


def test_a_password_file_that_cannot_be_read_is_a_usage_error(kg, tmp_path):
    result = kg("serve", "--endpoint", "http://127.0.0.1:9/query", "--user", "fan", "--password-file",
                tmp_path / "missing")
    assert result.exit_code == 2
    assert "cannot read the password file" in result.output



# --- kept connections ---------------------------------------------------------------------------------------

def test_queries_reuse_one_kept_connection(oxigraph_universe):
    front = HttpFront(oxigraph_universe.removesuffix("/query"))
    try:
        store = RemoteStore.connect(f"{front.url}/query")
        for _ in range(10):
            assert store.ask("ASK { ?s a jwo:Character }")
        assert front.connections == 1
    finally:
        front.close()


def test_a_server_that_closes_connections_is_asked_again_on_a_fresh_one(oxigraph_universe):
    front = HttpFront(oxigraph_universe.removesuffix("/query"))
    front.close_each = True
    try:
        store = RemoteStore.connect(f"{front.url}/query")
        answers = [len(store.select("SELECT ?c WHERE { ?c a jwo:Character }")) for _ in range(5)]
        assert answers == [5] * 5
        assert front.connections >= 5
    finally:
        front.close()


def test_a_forked_worker_never_shares_its_parents_connection(oxigraph_universe):
    """gunicorn forks its workers from a process that already asked the store (kg serve's start-up check)."""
    import os

    store = RemoteStore.connect(oxigraph_universe)
    store.ask("ASK { ?s ?p ?o }")
    handler = next(h for h in store_client_handlers(store))
    host = oxigraph_universe.split("/")[2]
    parent = handler._connection(host, 5, fresh=False)
    child = os.fork()
    if child == 0:  # the child: a connection of its own, and answers that are right
        ok = handler._connection(host, 5, fresh=False) is not parent and all(
            len(store.select("SELECT ?c WHERE { ?c a jwo:Character }")) == 5 for _ in range(20))
        os._exit(0 if ok else 1)
    answers = [len(store.select("SELECT ?c WHERE { ?c a jwo:Character }")) for _ in range(20)]
    _, status = os.waitpid(child, 0)
    assert answers == [5] * 20
    assert os.waitstatus_to_exitcode(status) == 0


def store_client_handlers(store):
    from kg.httpclient import KeepAliveHandler

    return (h for h in store.opener.handlers if isinstance(h, KeepAliveHandler))


def test_downloads_over_a_remote_store_are_the_stores_contents(oxigraph_universe, remote_app, universe_dumps):
    client = remote_app(oxigraph_universe).test_client()
    page = client.get("/downloads")
    assert page.status_code == 200
    fetched = client.get("/downloads/universe.nq").get_data()
    assert fetched == (universe_dumps / "universe.nq").read_bytes()  # the same quads, the same canonical bytes
