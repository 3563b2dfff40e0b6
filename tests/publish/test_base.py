"""The base IRI is a setting: built, dumped and served under another base, no IRI of the default one is left
anywhere (N-Quads, Turtle, every dump, VoID, an entity's page and its Turtle twin), and the same data and base
give the same bytes.  The base comes from `kg --base`, KG_BASE or the data folder's settings.yaml; a bad one
is refused before anything runs.  The JSON-LD dump carries its context: rdflib and pyld read it with no
network and find the N-Quads' quads."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import socket
import subprocess
import sys
import urllib.request

import pyoxigraph as ox
import pytest

from kg.baseiri import DEFAULT_BASE

from ..conftest import ROOT, UNIVERSE, free_port, running

OTHER = "https://jw.example.org/"


def kg_cli(*args, env=None) -> subprocess.CompletedProcess:
    """The real `kg` command, in a process of its own (the base is fixed per process)."""
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300, check=False)


@pytest.fixture(scope="module")
def other_base(tmp_path_factory):
    """The fixture universe built and dumped under another base; the build folder."""
    build = tmp_path_factory.mktemp("other-base") / "build"
    for step in (("build", "--data", UNIVERSE, "--out", build),
                 ("dump", "--data", UNIVERSE, "--build", build, "--out", build / "downloads")):
        done = kg_cli("--base", OTHER, *step)
        assert done.returncode == 0, done.stderr
    return build


def _text(path) -> str:
    data = path.read_bytes()
    return (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8")


def test_no_iri_of_the_default_base_is_left_in_the_build_or_the_dumps(other_base):
    files = [p for p in other_base.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert len(files) > 15
    for path in files:
        text = _text(path)
        assert DEFAULT_BASE not in text, path
    assert OTHER + "id/hero" in _text(other_base / "universe.nq")
    ontology = _text(other_base / "downloads" / "ontology.ttl")
    assert f"@prefix jwo: <{OTHER}ontology/> ." in ontology and "jwo:Character" in ontology
    assert json.loads((other_base / "build.json").read_text())["base"] == OTHER


def test_the_same_data_and_base_give_the_same_bytes(other_base, tmp_path):
    again = tmp_path / "again"
    done = kg_cli("--base", OTHER, "dump", "--data", UNIVERSE, "--build", other_base, "--out", again)
    assert done.returncode == 0, done.stderr
    for path in (other_base / "downloads").iterdir():
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


def test_the_site_serves_the_entities_of_another_base(other_base):
    port = free_port()
    argv = [sys.executable, "-m", "kg", "--base", OTHER, "serve", "--data", UNIVERSE, "--out", other_base,
            "--host", "127.0.0.1", "--port", port, "--workers", "1"]
    with running(argv, port, "kg serve") as url:
        for path in ("/id/hero", "/id/hero.ttl", "/ontology/Character.ttl"):
            request = urllib.request.Request(url + path, headers={"Cookie": "seen=all"})
            with urllib.request.urlopen(request, timeout=30) as answer:
                body = answer.read().decode("utf-8")
            assert DEFAULT_BASE not in body and OTHER in body, path


def test_the_data_folders_universe_file_chooses_the_base(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(UNIVERSE, data)
    (data / "settings.yaml").write_text("base: http://localhost:8080/jw/\n")
    done = kg_cli("build", "--data", data, "--out", tmp_path / "build", env={"KG_BASE": ""})
    assert done.returncode == 0, done.stderr
    assert "<http://localhost:8080/jw/id/hero>" in (tmp_path / "build" / "universe.nq").read_text()


@pytest.mark.parametrize("args, env", [(("--base", "https://no-slash"), {}), ((), {"KG_BASE": "ftp://x/"})])
def test_a_bad_base_is_refused_before_anything_runs(args, env, tmp_path):
    done = kg_cli(*args, "build", "--data", UNIVERSE, "--out", tmp_path / "build", env=env)
    assert done.returncode == 2 and "the base IRI must be an absolute http(s) IRI ending in '/'" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "build").exists()


def _quads_of_nquads(path) -> set:
    return {str(q) for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS)}


def test_the_json_ld_dump_is_read_with_no_network(universe_dumps, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    expected = _quads_of_nquads(universe_dumps / "universe.nq")

    from rdflib import Dataset

    dataset = Dataset()
    dataset.parse(universe_dumps / "universe.jsonld", format="json-ld")
    nquads = dataset.serialize(format="nquads")
    assert {str(q) for q in ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS)} == expected

    from pyld import jsonld

    def no_loader(url, options=None):
        raise RuntimeError(f"pyld asked the network for {url}")

    document = json.loads((universe_dumps / "universe.jsonld").read_text())
    read = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": no_loader})
    assert {str(q) for q in ox.parse(read.encode(), format=ox.RdfFormat.N_QUADS)} == expected
