"""Shared fixtures: paths, the CLI runner, a copy of a data folder to edit, the app, and a real browser.

The browser fixtures drive Debian's Chromium with Playwright (no browser
download; KG_CHROMIUM names another binary) against `kg serve` started on
127.0.0.1.  Without Chromium or Playwright the browser tests are skipped,
except with CI=true, where they fail: CI must run the real thing.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
UNIVERSE = FIXTURES / "universe"  # the tiny universe touching every class and property
REAL_DATA = ROOT / "data"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def kg(runner):
    """Invoke the kg command in-process: ``kg("validate", "--data", path)``."""

    def invoke(*args):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return invoke


@pytest.fixture
def universe_copy(tmp_path) -> Path:
    """A writable copy of the fixture universe."""
    target = tmp_path / "data"
    shutil.copytree(UNIVERSE, target)
    return target


@pytest.fixture(scope="session")
def real_dataset():
    """The shipped universe (data/), built and validated in memory once per test session
    (raises DataInvalid, listing every problem, if it does not conform)."""
    from kg.build import build

    return build(REAL_DATA).dataset


@pytest.fixture(scope="session")
def real_engine(real_nquads):
    """The shipped universe in the one SPARQL engine (what /sparql and kg query answer with)."""
    from kg.sparql.engine import Local

    return Local.load(real_nquads)


def ask(engine, sparql: str, **bindings) -> list[tuple[str | None, ...]]:
    """The rows of a SELECT answered by the one engine, each value's text (None: unbound), in the
    query's column order; values reach the query as bound variables, never pasted into its text."""
    from kg.rdf.terms import from_ox
    from kg.sparql.engine import QueryRequest, evaluate
    from kg.store import bind

    _, solutions = evaluate(engine, QueryRequest(bind(sparql, bindings)))
    return [tuple(None if v is None else str(from_ox(v)) for v in solution) for solution in solutions]


@pytest.fixture(scope="session")
def real_nquads(tmp_path_factory) -> Path:
    """The shipped universe (data/), built once per test session, for the tests that ask about it."""
    from kg.build import ensure_built

    return ensure_built(REAL_DATA, tmp_path_factory.mktemp("real-build"))


def quads_in(nquads: Path) -> int:
    """How many quads a build's N-Quads file holds (one a line): what kg push and a store report of it."""
    with nquads.open() as lines:
        return sum(1 for _ in lines)


@pytest.fixture(scope="session")
def universe_nquads(tmp_path_factory) -> Path:
    """The fixture universe, built once per test session."""
    from kg.build import ensure_built

    return ensure_built(UNIVERSE, tmp_path_factory.mktemp("universe-build"))


@pytest.fixture(scope="session")
def universe_dumps(universe_nquads) -> Path:
    """The fixture universe's dumps (what kg dump writes), written once per test session into the
    build's downloads folder, where kg serve keeps them."""
    from kg.publish.dumps import write_dumps

    out = universe_nquads.parent / "downloads"
    write_dumps(universe_nquads.parent, out)
    return out


def make_app(store=None, **settings):
    """A web app as the factory makes it (``create_app(Settings(...), store)``), in testing mode.

    Its test clients are a fan who has said they have seen everything (the ``seen`` cookie); a test of
    a first visit deletes it (``client.delete_cookie("seen")``).
    """
    from flask.testing import FlaskClient

    from kg.settings import Settings
    from web import create_app

    class Fan(FlaskClient):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.set_cookie("seen", "all")

    app = create_app(Settings(**settings), store)
    app.testing = True
    app.test_client_class = Fan
    return app


def oxigraph_binary() -> str:
    """The `oxigraph` command of PyPI's oxigraph (the test extra): on PATH or next to this Python."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = shutil.which("oxigraph") or (str(beside) if beside.exists() else None)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("the Oxigraph server is not installed (PyPI 'oxigraph', in the test extra): CI must run this")
        pytest.skip("the Oxigraph server is not installed (pip install oxigraph)")
    return found


@pytest.fixture(scope="session")
def oxigraph_universe(universe_nquads, tmp_path_factory):
    """A real Oxigraph server on 127.0.0.1 holding the fixture universe, published there by `kg push`
    (Graph Store Protocol); its query URL.

    Started without --union-default-graph, so the remote store names the dataset through the
    protocol: the harder of the two ways a server can hold our graphs.
    """
    binary = oxigraph_binary()
    location = tmp_path_factory.mktemp("oxigraph-universe")
    port = free_port()
    with running([binary, "serve", "--location", location, "--bind", f"127.0.0.1:{port}"], port,
                 "oxigraph serve") as url:
        result = CliRunner().invoke(main, ["push", "--data", str(UNIVERSE), "--build", str(universe_nquads.parent),
                                           "--endpoint", f"{url}/query", "--graph-store", f"{url}/store"])
        assert result.exit_code == 0, result.output
        yield f"{url}/query"


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """A real Virtuoso server on 127.0.0.1 (tests/virtuoso.py), holding nothing of ours yet."""
    from tests.virtuoso import running_virtuoso

    with running_virtuoso(tmp_path_factory.mktemp("virtuoso"), free_port(), free_port()) as virtuoso:
        yield virtuoso


@pytest.fixture(scope="session")
def virtuoso_universe(universe_nquads, virtuoso_server):
    """The real Virtuoso server holding the fixture universe, published there by `kg push` as a new user
    would (Graph Store Protocol, dba's credentials by HTTP Digest); its query URL."""
    result = CliRunner().invoke(main, ["push", "--data", str(UNIVERSE), "--build", str(universe_nquads.parent),
                                       "--endpoint", virtuoso_server.query_url,
                                       "--graph-store", virtuoso_server.graph_store_url, "--user", "dba",
                                       "--password-file", str(virtuoso_server.password_file())])
    assert result.exit_code == 0, result.output
    return virtuoso_server.query_url


class HttpFront:
    """A real HTTP server on 127.0.0.1 in front of another one, for fault tests.

    It forwards every request, unless told to demand Basic credentials (``credentials``: 401
    without them) or to ``stall`` (seconds to wait before forwarding: a slow server).
    """

    def __init__(self, target: str, credentials: tuple[str, str] | None = None):
        import base64
        import threading
        import urllib.error
        import urllib.request
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        front = self
        self.stall = 0.0
        self.stalling = 0  # requests being stalled now
        self.connections = 0  # TCP connections accepted
        self.close_each = False  # close the connection after each answer (a server that keeps none)
        expected = None if credentials is None else "Basic " + base64.b64encode(":".join(credentials).encode()).decode()

        class Forward(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # connections are kept, as by real servers

            def setup(self):
                front.connections += 1
                super().setup()

            def forward(self):
                self.close_connection = front.close_each
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if expected is not None and self.headers.get("Authorization") != expected:
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="kg"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                front.stalling += 1
                time.sleep(front.stall)
                front.stalling -= 1
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "authorization")}
                request = urllib.request.Request(target + self.path, data=body or None, headers=headers,
                                                 method=self.command)
                try:
                    with urllib.request.urlopen(request, timeout=60) as answer:
                        status, answer_headers, data = answer.status, answer.headers, answer.read()
                except urllib.error.HTTPError as error:
                    status, answer_headers, data = error.code, error.headers, error.read()
                except OSError:
                    status, answer_headers, data = 502, {}, b"the server behind the front is down"
                self.send_response(status)
                for key in ("Content-Type",):
                    if answer_headers.get(key):
                        self.send_header(key, answer_headers[key])
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = forward

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Forward)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


#: The stores the web tests run on: every test of the `app` and `client` fixtures runs on each.
BACKENDS = ("embedded", "remote", "virtuoso")


@pytest.fixture(params=BACKENDS)
def app(request, universe_nquads, universe_dumps):
    """A fresh web app per test, serving the fixture universe: from its own embedded store, or from a
    real Oxigraph server through the remote store (the same tests, both backends)."""
    from kg.store import EmbeddedStore

    if request.param == "embedded":
        app = make_app(EmbeddedStore.from_nquads(universe_nquads), out_dir=universe_nquads.parent)
    else:
        server = "oxigraph_universe" if request.param == "remote" else "virtuoso_universe"
        app = make_app(endpoint=request.getfixturevalue(server), downloads=universe_dumps)
    yield app
    from web.warm import warmer

    warmer(app).wait()  # no index still reading a server the session is about to stop
    app.extensions["kg-queries"].close()  # the query executors, if a test started them


@pytest.fixture
def client(app):
    return app.test_client()


# --- a real browser against a real `kg serve` ---------------------------------------------------------

ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


def chromium_path() -> str | None:
    return os.environ.get("KG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def missing(what: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what}: CI must run the browser tests (install it in .ci/run)")
    pytest.skip(f"{what}; install it to run the browser tests")


def wait_for(condition, timeout: float = 30.0) -> bool:
    """Until ``condition()`` holds (True), or False once ``timeout`` seconds have passed without it."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(argv: list, port: int, name: str, timeout: float = 60) -> subprocess.Popen:
    """A server process started from ``argv``, once it accepts connections on 127.0.0.1:``port``.

    A server that exits or never listens fails the test with its output.  The output goes to a file, not a
    pipe: a pipe nobody reads fills up (64 KiB of an access log) and the server stops answering.
    """
    log = tempfile.TemporaryFile()  # noqa: SIM115 - it lives as long as the server: stop() closes it
    process = subprocess.Popen([str(a) for a in argv], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    process.log = log
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"{name} exited: {log.read().decode(errors='replace')}")
            if time.monotonic() > deadline:
                stop(process)
                pytest.fail(f"{name} did not start within {timeout:g} s")
            time.sleep(0.2)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if getattr(process, "log", None):
        process.log.close()


@contextmanager
def running(argv: list, port: int, name: str, timeout: float = 60):
    """A server process started from ``argv`` (see :func:`start`); its URL.  It is stopped on the way out."""
    process = start(argv, port, name, timeout)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def kg_serve(out: Path, port: int, *options) -> list:
    """The command line of `kg serve` of the fixture universe on 127.0.0.1, one web worker."""
    return [sys.executable, "-m", "kg", "serve", "--data", UNIVERSE, "--out", out, "--host", "127.0.0.1",
            "--port", port, "--workers", "1", *options]


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """`kg serve` with the fixture universe, production server, on a free port of 127.0.0.1."""
    port = free_port()
    with running(kg_serve(tmp_path_factory.mktemp("serve-build"), port), port, "kg serve") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        missing("Chromium is not installed (Debian package 'chromium')")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright is not installed (pip install playwright)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    """A page of a fan who has said they have seen everything (the ``seen`` cookie: cookies do not tell ports
    apart, so it holds for every server on 127.0.0.1); a first visit is a context of its own, without it."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.add_cookies([{"name": "seen", "value": "all", "domain": "127.0.0.1", "path": "/"}])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.errors = errors  # a test expecting an error removes it
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert errors == [], f"the page reported errors (a CSP violation shows here too): {errors}"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
