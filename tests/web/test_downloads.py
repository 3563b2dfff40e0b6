"""/downloads serves the dumps with their media types, checksums as ETags and dates; /dataset and
/.well-known/void describe the dataset in the format asked for."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.errors import UsageError
from kg.publish.dumps import FILES, read_manifest
from kg.publish.void import DATASET, VOID
from kg.rdf.formats import RDF_FORMATS
from kg.settings import Settings

from ..conftest import make_app

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_the_page_lists_every_file_with_what_it_is_for(client, universe_dumps):
    response = client.get("/downloads")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    manifest = read_manifest(universe_dumps)
    for file in FILES:
        row = re.search(rf'<tr id="{re.escape(file.name)}".*?</tr>', page, re.DOTALL).group(0)
        assert f'href="/downloads/{file.name}"' in row
        assert file.title.split(":")[0].replace("'", "&#39;") in row
        assert file.served_type in row and file.label in row
        assert manifest.files[file.name]["sha256"] in row
        assert f'data-bytes="{manifest.files[file.name]["bytes"]}"' in row
    assert manifest.version in page and "https://creativecommons.org/licenses/by/4.0/" in page
    assert '<link rel="alternate" type="text/turtle" href="/dataset.ttl"' in page


@pytest.mark.parametrize("file", FILES, ids=[f.name for f in FILES])
def test_each_file_is_served_as_written_with_its_media_type(client, universe_dumps, file):
    response = client.get(f"/downloads/{file.name}")
    assert response.status_code == 200
    assert response.mimetype == file.served_type
    assert response.data == (universe_dumps / file.name).read_bytes()
    assert int(response.headers["Content-Length"]) == len(response.data)
    if file.compressed:
        assert response.mimetype == "application/gzip" and "Content-Encoding" not in response.headers
        assert response.headers["Content-Disposition"] == f"attachment; filename={file.name}"


def test_media_types_come_from_the_format_table(client):
    expected = {"universe.nq": "application/n-quads", "universe.trig": "application/trig",
                "universe.ttl": "text/turtle", "universe.nt": "application/n-triples",
                "universe.jsonld": "application/ld+json", "context.jsonld": "application/ld+json",
                "void.ttl": "text/turtle", "SHA256SUMS": "text/plain", "universe.nq.gz": "application/gzip"}
    for name, media_type in expected.items():
        assert client.get(f"/downloads/{name}").mimetype == media_type, name


def test_the_etag_is_the_sha256_and_a_conditional_get_is_not_sent_again(client, universe_dumps):
    data = (universe_dumps / "universe.nq.gz").read_bytes()
    response = client.get("/downloads/universe.nq.gz")
    assert response.headers["ETag"] == f'"{hashlib.sha256(data).hexdigest()}"'
    again = client.get("/downloads/universe.nq.gz", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    changed = client.get("/downloads/universe.nq.gz", headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200


def test_last_modified_is_the_files_time(client, universe_dumps):
    response = client.get("/downloads/universe.ttl")
    assert response.last_modified.timestamp() == int((universe_dumps / "universe.ttl").stat().st_mtime)
    since = client.get("/downloads/universe.ttl", headers={"If-Modified-Since": response.headers["Last-Modified"]})
    assert since.status_code == 304


def test_a_range_request_gets_a_part(client, universe_dumps):
    response = client.get("/downloads/universe.nt", headers={"Range": "bytes=0-99"})
    assert response.status_code == 206 and response.data == (universe_dumps / "universe.nt").read_bytes()[:100]


@pytest.mark.parametrize("name", ["nothing.ttl", "dumps.json", "..%2Fdumps.json", "universe.nq.bz2"])
def test_an_unknown_file_is_a_404_page(client, name):
    response = client.get(f"/downloads/{name}")
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "Not Found" in response.get_data(as_text=True)


def test_without_dumps_the_downloads_are_said_to_be_on_their_way(universe_nquads, tmp_path):
    from kg.store import EmbeddedStore

    for folder in (tmp_path / "missing", tmp_path):  # no folder; an empty folder
        app = make_app(EmbeddedStore.from_nquads(universe_nquads), downloads=folder)
        try:
            for path in ("/downloads", "/downloads/universe.nq", "/dataset"):
                response = app.test_client().get(path)
                assert response.status_code == 503 and response.headers["Retry-After"] == "30"
                assert "being written" in response.get_data(as_text=True)
                assert response.headers["Cache-Control"] == "no-store"
        finally:
            app.extensions["kg-queries"].close()


def test_while_the_dumps_are_being_written_they_are_not_offered(universe_nquads, universe_dumps, tmp_path):
    import fcntl
    import os
    import shutil

    from kg.store import EmbeddedStore

    folder = tmp_path / "downloads"
    shutil.copytree(universe_dumps, folder)
    app = make_app(EmbeddedStore.from_nquads(universe_nquads), downloads=folder)
    client = app.test_client()
    writer = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(writer, fcntl.LOCK_EX)  # as a staging writing the dumps holds it
        assert client.get("/downloads/universe.nq").status_code == 503
        fcntl.flock(writer, fcntl.LOCK_UN)
        assert client.get("/downloads/universe.nq").status_code == 200
    finally:
        os.close(writer)
        app.extensions["kg-queries"].close()


# --- the dataset's description ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/dataset", "/.well-known/void"])
@pytest.mark.parametrize("accept", [None, "*/*", "text/turtle", "application/x-turtle"])
def test_machines_get_turtle_by_default(client, universe_dumps, path, accept):
    response = client.get(path, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    assert response.data == (universe_dumps / "void.ttl").read_bytes()
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=[f.name for f in RDF_FORMATS])
def test_every_rdf_format_by_accept_and_by_suffix_says_the_same(client, universe_dumps, fmt):
    expected = Graph().parse(universe_dumps / "void.ttl", format="turtle")
    for response in (client.get("/.well-known/void", headers={"Accept": fmt.media_type}),
                     client.get(f"/dataset.{fmt.extension}")):
        assert response.status_code == 200 and response.mimetype == fmt.media_type
        parsed = ox.parse(response.data, format=fmt.ox)
        nt = ox.serialize([q.triple for q in parsed], format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        assert isomorphic(Graph().parse(data=nt, format="nt"), expected)


def test_a_browser_gets_the_downloads_page(client):
    response = client.get("/dataset", headers={"Accept": BROWSER})
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert 'href="/downloads/universe.nq"' in response.get_data(as_text=True)
    assert "Accept" in response.headers["Vary"]


def test_an_unacceptable_type_is_a_406_that_names_the_ones_offered(client):
    response = client.get("/dataset", headers={"Accept": "image/png"})
    assert response.status_code == 406 and "text/turtle" in response.get_data(as_text=True)
    assert "Accept" in response.headers["Vary"]


def test_the_description_has_an_etag(client):
    response = client.get("/dataset", headers={"Accept": "application/ld+json"})
    again = client.get("/dataset", headers={"Accept": "application/ld+json", "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    other = client.get("/dataset", headers={"Accept": "text/turtle"})
    assert other.headers["ETag"] != response.headers["ETag"]


def test_the_description_counts_what_the_store_holds(client, universe_nquads):
    void = Graph().parse(data=client.get("/dataset").data, format="turtle")
    store = ox.Store()
    store.bulk_load(path=str(universe_nquads), format=ox.RdfFormat.N_QUADS)
    union = {q.triple for q in store}
    assert void.value(DATASET, VOID.triples).toPython() == len(union)


def test_the_home_page_twin_resolves(client):
    assert client.get("/.well-known/void", headers={"Accept": "text/turtle"}).status_code == 200


def test_kg_serve_prepares_the_dumps_of_the_build_it_serves_once(tmp_path):
    from kg.publish.serving import prepare

    from ..conftest import UNIVERSE

    settings = Settings(data_dir=UNIVERSE, out_dir=tmp_path)
    steps: list[str] = []
    prepare(settings, say=steps.append)  # kg serve prints each step as it starts
    assert [s.split(" ", 2)[:2] for s in steps] == [["checking", "the"], ["checking", "the"]]
    assert "build" in steps[0] and "downloads" in steps[1]
    dumps = tmp_path / "downloads"
    written = {p.name: p.stat().st_mtime_ns for p in dumps.iterdir()}
    assert "universe.jsonld.gz" in written and settings.dumps_dir == dumps
    prepare(settings)
    assert {p.name: p.stat().st_mtime_ns for p in dumps.iterdir()} == written  # fresh: not rewritten
    app = make_app(**vars(settings))
    try:
        assert app.test_client().get("/downloads/universe.nq").data == (tmp_path / "universe.nq").read_bytes()
    finally:
        app.extensions["kg-queries"].close()


def test_the_app_factory_writes_nothing(tmp_path, universe_nquads):
    """create_app only reads: a build folder without downloads stays as it is, and /downloads says so."""
    build = tmp_path / "build"
    build.mkdir()
    for name in ("universe.nq", "universe.ttl", "build.json"):
        (build / name).write_bytes((universe_nquads.parent / name).read_bytes())
    before = sorted(p.name for p in build.iterdir())
    app = make_app(out_dir=build)
    assert app.test_client().get("/id/hero").status_code == 200
    assert app.test_client().get("/downloads").status_code == 503  # not yet written (kg serve writes them)
    assert sorted(p.name for p in build.iterdir()) == before


def test_the_app_factory_needs_a_build(tmp_path):
    with pytest.raises(UsageError, match="no build in .*: universe.nq is missing"):
        make_app(out_dir=tmp_path)


def test_downloads_work_with_a_relative_build_folder(tmp_path, monkeypatch):
    """As `make run` serves them: the build folder is 'build', relative to where kg serve runs."""
    from kg.publish.serving import prepare

    from ..conftest import UNIVERSE

    monkeypatch.chdir(tmp_path)
    settings = Settings(data_dir=UNIVERSE, out_dir=Path("build"))
    prepare(settings)
    app = make_app(**vars(settings))
    response = app.test_client().get("/downloads/SHA256SUMS")
    assert response.status_code == 200
    assert "universe.nq" in response.get_data(as_text=True)
