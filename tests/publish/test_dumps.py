"""kg dump: every file round-trips to the build through rdflib and pyoxigraph, byte for byte the same
each time, with checksums and a VoID description that tell the truth; the N-Quads load into a real
Oxigraph server that answers the example queries as the embedded store does."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import urllib.request
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib.namespace as rdfns  # not "from ... import XSD": pytest would probe the closed namespace
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg import __version__
from kg.namespaces import JWR
from kg.publish.dumps import BY_NAME, FILES, MANIFEST, SUMS, ensure_dumps, read_manifest
from kg.publish.void import DATASET, DCAT, LICENSE, SPDX, VOID
from kg.rdf.writers import CONTEXT_URL, context

from ..conftest import ROOT, UNIVERSE, free_port, oxigraph_binary, running

QUAD_FILES = ("universe.nq", "universe.trig", "universe.jsonld")
TRIPLE_FILES = ("universe.ttl", "universe.nt")
RDFLIB_FORMAT = {"nq": "nquads", "trig": "trig", "jsonld": "json-ld", "ttl": "turtle", "nt": "nt"}
OX_FORMAT = {"nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD,
             "ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES}


def text_of(dumps: Path, name: str) -> str:
    """A dump's text; JSON-LD carries its context inline, the one the site publishes at its URL."""
    text = (dumps / name).read_text(encoding="utf-8")
    if name.endswith(".jsonld") and name != "context.jsonld":
        published = json.loads((dumps / "context.jsonld").read_text(encoding="utf-8"))["@context"]
        assert json.loads(text)["@context"] == published
    return text


def rdflib_quads(dataset: Dataset) -> set:
    return {(s, p, o, getattr(g, "identifier", g)) for s, p, o, g in dataset.quads((None, None, None, None))}


@pytest.fixture(scope="module")
def built(universe_nquads):
    """The build's quads and union, as rdflib and as pyoxigraph see them."""
    dataset = Dataset()
    dataset.parse(universe_nquads, format="nquads")
    quads = rdflib_quads(dataset)
    ox_quads = set(ox.parse(path=str(universe_nquads), format=ox.RdfFormat.N_QUADS))
    return {"quads": quads, "triples": {q[:3] for q in quads}, "ox_quads": ox_quads,
            "ox_triples": {q.triple for q in ox_quads}}


@pytest.mark.parametrize("name", QUAD_FILES)
def test_quad_dumps_read_back_as_the_build_with_rdflib(universe_dumps, built, name):
    dataset = Dataset()
    dataset.parse(data=text_of(universe_dumps, name), format=RDFLIB_FORMAT[name.rsplit(".", 1)[1]])
    assert rdflib_quads(dataset) == built["quads"]


@pytest.mark.parametrize("name", QUAD_FILES)
def test_quad_dumps_read_back_as_the_build_with_pyoxigraph(universe_dumps, built, name):
    parsed = set(ox.parse(text_of(universe_dumps, name).encode("utf-8"), format=OX_FORMAT[name.rsplit(".", 1)[1]]))
    assert parsed == built["ox_quads"]


@pytest.mark.parametrize("name", TRIPLE_FILES)
def test_triple_dumps_are_the_union_of_the_build(universe_dumps, built, name):
    fmt = name.rsplit(".", 1)[1]
    graph = Graph().parse(data=text_of(universe_dumps, name), format=RDFLIB_FORMAT[fmt])
    assert set(graph) == built["triples"]
    assert isomorphic(graph, Graph().parse(data="".join(f"{s.n3()} {p.n3()} {o.n3()} .\n"
                                                        for s, p, o in built["triples"]), format="nt"))
    parsed = ox.parse(text_of(universe_dumps, name).encode("utf-8"), format=OX_FORMAT[fmt])
    assert {quad.triple for quad in parsed} == built["ox_triples"]


def test_ntriples_are_sorted_canonical_and_distinct(universe_dumps):
    data = (universe_dumps / "universe.nt").read_bytes()
    lines = data.decode("utf-8").splitlines(keepends=True)
    assert lines == sorted(set(lines))
    # canonical: pyoxigraph writes each parsed triple back as the very same line
    triples = list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    assert ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) == data


def test_the_ontology_and_shapes_are_the_shipped_files(universe_dumps):
    assert (universe_dumps / "ontology.ttl").read_bytes() == (ROOT / "ontology" / "jwo.ttl").read_bytes()
    assert (universe_dumps / "shapes.ttl").read_bytes() == (ROOT / "ontology" / "shapes.ttl").read_bytes()


def test_jsonld_is_compact_with_the_published_context(universe_dumps):
    document = json.loads((universe_dumps / "universe.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == context()["@context"]  # inline: any JSON-LD tool reads it offline
    assert json.loads((universe_dumps / "context.jsonld").read_text(encoding="utf-8")) == context()  # published
    assert CONTEXT_URL == "https://kg.johnwick.example/downloads/context.jsonld"  # ... at this address
    graph = next(g for g in document["@graph"] if g["@id"] == "jwg:provenance")
    assert all(node["@id"].startswith(("jwg:", "jwr:", "http")) for node in graph["@graph"])
    assert any(node.get("@type") for node in graph["@graph"])


def test_gzipped_files_hold_the_plain_ones_with_neither_time_nor_name(universe_dumps):
    for file in FILES:
        if file.compressed:
            data = (universe_dumps / file.name).read_bytes()
            assert gzip.decompress(data) == (universe_dumps / file.name[:-3]).read_bytes()
            assert data[3] == 0 and data[4:8] == b"\0\0\0\0", "no flags (no file name), no time"


def test_sha256sums_match_the_files(universe_dumps):
    lines = (universe_dumps / SUMS).read_text(encoding="utf-8").splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in lines)
    assert list(listed) == [f.name for f in FILES if f.name != SUMS]
    for name, digest in listed.items():
        assert hashlib.sha256((universe_dumps / name).read_bytes()).hexdigest() == digest, name
    manifest = read_manifest(universe_dumps)
    for name, info in manifest.files.items():
        data = (universe_dumps / name).read_bytes()
        assert info == {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}, name


def test_void_counts_are_the_real_counts(universe_dumps, built):
    void = Graph().parse(universe_dumps / "void.ttl", format="turtle")
    union = Graph()
    for triple in built["triples"]:
        union.add(triple)

    def number(subject, predicate) -> int:
        return void.value(subject, predicate).toPython()

    assert number(DATASET, VOID.triples) == len(union)
    assert number(DATASET, VOID.distinctSubjects) == len(set(union.subjects()))
    assert number(DATASET, VOID.distinctObjects) == len(set(union.objects()))
    assert number(DATASET, VOID.entities) == len({s for s in union.subjects() if str(s).startswith(str(JWR))})
    classes = {void.value(part, VOID["class"]): number(part, VOID.entities)
               for part in void.objects(DATASET, VOID.classPartition)}
    types = rdfns.RDF.type
    assert classes == {c: len(set(union.subjects(types, c))) for c in set(union.objects(None, types))}
    properties = {void.value(part, VOID.property): number(part, VOID.triples)
                  for part in void.objects(DATASET, VOID.propertyPartition)}
    assert properties == Counter(p for _, p, _ in union)
    assert number(DATASET, VOID.classes) == len(classes) and number(DATASET, VOID.properties) == len(properties)


def test_void_lists_every_file_but_itself_with_size_and_checksum(universe_dumps):
    void = Graph().parse(universe_dumps / "void.ttl", format="turtle")
    base = "https://kg.johnwick.example/downloads/"
    listed = {}
    for dist in void.objects(DATASET, DCAT.distribution):
        url = str(void.value(dist, DCAT.downloadURL))
        checksum = void.value(dist, SPDX.checksum)
        assert void.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        listed[url.removeprefix(base)] = (void.value(dist, DCAT.byteSize).toPython(),
                                          str(void.value(checksum, SPDX.checksumValue)),
                                          str(void.value(dist, DCAT.mediaType)))
    assert set(listed) == {f.name for f in FILES} - {"void.ttl", SUMS}
    for name, (size, digest, media_type) in listed.items():
        data = (universe_dumps / name).read_bytes()
        assert (size, digest) == (len(data), hashlib.sha256(data).hexdigest()), name
        assert media_type == "https://www.iana.org/assignments/media-types/" + BY_NAME[name].media_type
    dumps = {str(u).removeprefix(base) for u in void.objects(DATASET, VOID.dataDump)}
    assert dumps == {f.name for f in FILES if f.data_dump} and len(dumps) == 10
    assert void.value(DATASET, URIRef("http://purl.org/dc/terms/license")) == LICENSE
    assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef("https://kg.johnwick.example/sparql")


def test_the_version_is_the_content_not_the_date(universe_dumps):
    void = Graph().parse(universe_dumps / "void.ttl", format="turtle")
    version = read_manifest(universe_dumps).version
    assert re.fullmatch(re.escape(__version__) + r"\+[0-9a-f]{12}", version)
    assert void.value(DATASET, DCAT.version) == Literal(version)
    dates = (rdfns.XSD.date, rdfns.XSD.dateTime)
    assert not [o for o in void.objects() if isinstance(o, Literal) and o.datatype in dates]


def dump_in_subprocess(tmp_path: Path, name: str, seed: str) -> Path:
    out = tmp_path / name
    subprocess.run([sys.executable, "-m", "kg", "dump", "--data", str(UNIVERSE),
                    "--build", str(tmp_path / f"{name}-build"), "--out", str(out)],
                   check=True, env={**os.environ, "PYTHONHASHSEED": seed}, cwd=ROOT, capture_output=True)
    return out


@pytest.mark.slow
def test_two_processes_write_byte_identical_dumps(tmp_path):
    a, b = dump_in_subprocess(tmp_path, "a", "1"), dump_in_subprocess(tmp_path, "b", "2")
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted([*BY_NAME, MANIFEST]) == sorted(p.name for p in b.iterdir())
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_fresh_dumps_are_kept_and_stale_ones_rewritten(tmp_path, universe_nquads, universe_dumps):
    out = tmp_path / "dumps"
    ensure_dumps(universe_nquads.parent, out)
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    ensure_dumps(universe_nquads.parent, out)
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before
    (out / "universe.nt").write_text("truncated", encoding="utf-8")
    ensure_dumps(universe_nquads.parent, out)
    assert (out / "universe.nt").read_bytes() == (universe_dumps / "universe.nt").read_bytes()


# --- the command ------------------------------------------------------------------------------------------


def test_kg_dump_writes_next_to_the_build_by_default(kg, tmp_path, universe_dumps):
    result = kg("dump", "--data", UNIVERSE, "--build", tmp_path / "build")
    assert result.exit_code == 0, result.output
    out = tmp_path / "build" / "downloads"
    assert sorted(p.name for p in out.iterdir()) == sorted([*BY_NAME, MANIFEST])
    assert (out / "universe.trig").read_bytes() == (universe_dumps / "universe.trig").read_bytes()
    assert "version " + read_manifest(out).version in result.output
    umask = os.umask(0o022)
    os.umask(umask)
    assert {p.stat().st_mode & 0o777 for p in out.iterdir()} == {0o666 & ~umask}, "readable as any file is"


def test_kg_dump_into_a_file_is_a_usage_error(kg, tmp_path):
    target = tmp_path / "taken"
    target.write_text("not a folder", encoding="utf-8")
    for out, message in ((target, f"Directory '{target}' is a file"),  # click's own check
                         (target / "below", f"error: cannot create the output folder {target / 'below'}: ")):
        result = kg("dump", "--data", UNIVERSE, "--build", tmp_path / "build", "--out", out)
        assert result.exit_code == 2
        assert message in result.output and "Traceback" not in result.output
    assert target.read_text(encoding="utf-8") == "not a folder"


def test_kg_dump_writes_nothing_when_a_file_cannot_be_replaced(kg, tmp_path):
    out = tmp_path / "dumps"
    (out / "universe.nt").mkdir(parents=True)
    result = kg("dump", "--data", UNIVERSE, "--build", tmp_path / "build", "--out", out)
    assert result.exit_code == 2
    assert f"error: cannot write {out / 'universe.nt'}: it is a folder" in result.output
    assert [p.name for p in out.iterdir()] == ["universe.nt"]


def test_kg_dump_of_invalid_data_writes_nothing(kg, tmp_path, universe_copy):
    (universe_copy / "broken.yaml").write_text("characters: [\n", encoding="utf-8")
    result = kg("dump", "--data", universe_copy, "--build", tmp_path / "build", "--out", tmp_path / "dumps")
    assert result.exit_code == 1
    assert "broken.yaml" in result.output and "nothing was written" in result.output
    assert not (tmp_path / "dumps").exists()


def test_kg_dump_of_a_damaged_build_names_the_line(kg, tmp_path, universe_nquads):
    build = tmp_path / "build"
    assert kg("build", "--data", UNIVERSE, "--out", build).exit_code == 0
    with (build / "universe.nq").open("a", encoding="utf-8") as handle:
        handle.write("<https://kg.johnwick.example/id/x> not-an-iri .\n")
    os.utime(build / "build.json")  # still newer than the data: the build is reused, not redone
    result = kg("dump", "--data", UNIVERSE, "--build", build, "--out", tmp_path / "dumps")
    lines = len((build / "universe.nq").read_text(encoding="utf-8").splitlines())
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {build / 'universe.nq'}:{lines}: not valid N-Quads")
    assert not (tmp_path / "dumps").exists() or not any((tmp_path / "dumps").iterdir())


# --- the N-Quads in a real Oxigraph server --------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped_dumps(real_nquads, tmp_path_factory) -> Path:
    """The dumps of the shipped universe (data/): the example queries ask about it."""
    from kg.publish.dumps import write_dumps

    out = tmp_path_factory.mktemp("shipped-dumps")
    write_dumps(real_nquads.parent, out)
    return out


@pytest.fixture(scope="module")
def oxigraph_server(shipped_dumps, tmp_path_factory):
    """`oxigraph serve-read-only` on 127.0.0.1 over a database loaded from universe.nq by `oxigraph load`."""
    binary = oxigraph_binary()
    location = tmp_path_factory.mktemp("oxigraph-db")
    subprocess.run([binary, "load", "--location", str(location), "--file", str(shipped_dumps / "universe.nq")],
                   check=True, capture_output=True, timeout=300)
    port = free_port()
    argv = [binary, "serve-read-only", "--location", location, "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    with running(argv, port, "oxigraph serve", timeout=30) as url:
        yield url


def server_answer(url: str, query: str):
    """POST the query (SPARQL 1.1 Protocol) and parse the answer with pyoxigraph."""
    request = urllib.request.Request(f"{url}/query", data=query.encode("utf-8"), method="POST", headers={
        "Content-Type": "application/sparql-query",
        "Accept": "application/sparql-results+json, application/n-triples;q=0.9"})
    with urllib.request.urlopen(request, timeout=60) as response:
        media_type, body = response.headers.get_content_type(), response.read()
    if media_type == "application/n-triples":
        return ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
    return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)


def normalized(result):
    """An answer, comparable: ASK a boolean, SELECT a multiset of rows, CONSTRUCT an rdflib graph."""
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        return names, Counter(tuple(None if s[n] is None else str(s[n]) for n in names) for s in result)
    triples = [getattr(t, "triple", t) for t in result]
    return Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")


def test_the_nquads_dump_answers_the_examples_in_an_oxigraph_server(oxigraph_server, shipped_dumps):
    from kg.sparql.examples import load_examples

    examples = load_examples()
    assert len(examples) >= 10
    store = ox.Store()
    store.bulk_load(path=str(shipped_dumps / "universe.nq"), format=ox.RdfFormat.N_QUADS)
    answered = 0
    for example in examples:
        here = normalized(store.query(example.query, use_default_graph_as_union=True))
        there = normalized(server_answer(oxigraph_server, example.query))
        if isinstance(here, Graph):
            assert isomorphic(here, there), example.name
            answered += len(here) > 0
        else:
            assert here == there, example.name
            answered += bool(here) if isinstance(here, bool) else sum(here[1].values()) > 0
    assert answered >= len(examples) - 2, "most examples have an answer on the shipped universe"
