"""The kg command as a user runs it: help, exit codes, outputs."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest
from rdflib import Graph

from kg.build.pipeline import ORIGIN
from kg.cli import main
from kg.namespaces import JWO, JWR
from kg.settings import MANIFEST, NQUADS, TURTLE

from .conftest import FIXTURES, ROOT, UNIVERSE

COMMANDS = ["build", "validate", "stats", "query"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(kg, command):
    result = kg(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output and f"kg {command}" in result.output


def test_python_dash_m_kg_works():
    result = subprocess.run([sys.executable, "-m", "kg", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and "validate" in result.stdout


def test_validate_valid_data_exits_0(kg):
    result = kg("validate", "--data", UNIVERSE)
    assert result.exit_code == 0
    assert "valid:" in result.stderr


def test_build_writes_dataset_and_a_truthful_manifest(kg, tmp_path):
    result = kg("build", "--data", UNIVERSE, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    for name in (NQUADS, TURTLE):
        data = (tmp_path / name).read_bytes()
        assert manifest["files"][name] == {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    assert manifest["quads"] == len((tmp_path / NQUADS).read_text().splitlines())
    assert (tmp_path / ORIGIN).exists()  # which data it was built from
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".") and p.name != ORIGIN]  # no temporary files


def test_build_replaces_a_previous_build(kg, tmp_path):
    (tmp_path / NQUADS).write_text("old\n")
    assert kg("build", "--data", UNIVERSE, "--out", tmp_path).exit_code == 0
    assert (tmp_path / NQUADS).read_text() != "old\n"


def test_stats_counts_entities_statements_and_sources(kg):
    result = kg("stats", "--data", UNIVERSE, "--format", "json")
    assert result.exit_code == 0
    stats = json.loads(result.stdout)
    assert stats["entities_per_class"]["character"] == 5
    assert stats["entities_per_class"]["film"] == 2
    assert stats["statements_per_source"]["an-analysis"]["kind"] == "interpretation"
    assert stats["statements_per_source"]["film-one"]["kind"] == "canon"
    assert stats["statements_per_property"]["jwo:memberOf"] == 1
    table = kg("stats", "--data", UNIVERSE)
    assert "entities per class" in table.stdout and "statements per source" in table.stdout


QUESTION = "SELECT ?name WHERE { ?c jwo:memberOf jwr:clan-a ; rdfs:label ?name }"


def test_query_table(kg):
    result = kg("query", "--data", UNIVERSE, QUESTION)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].strip() == "name"
    assert "Hero" in result.stdout and "(1 row)" in result.stdout


def test_query_json_is_sparql_results_json(kg):
    result = kg("query", "--data", UNIVERSE, "--format", "json", QUESTION)
    answer = json.loads(result.stdout)
    assert answer["head"]["vars"] == ["name"]
    assert [b["name"]["value"] for b in answer["results"]["bindings"]] == ["Hero"]


def test_query_csv(kg):
    result = kg("query", "--data", UNIVERSE, "--format", "csv", QUESTION)
    assert result.stdout.splitlines() == ["name", "Hero"]


def test_query_from_file_ask_and_construct(kg, tmp_path):
    question = tmp_path / "q.rq"
    question.write_text("ASK { jwr:hero jwo:killed jwr:villain }")
    assert kg("query", "--data", UNIVERSE, "--file", question).stdout == "true\n"
    construct = kg("query", "--data", UNIVERSE, "CONSTRUCT { ?s jwo:killed ?o } WHERE { ?s jwo:killed ?o }")
    assert set(Graph().parse(data=construct.stdout, format="turtle")) == {(JWR.hero, JWO.killed, JWR.villain)}
    assert "jwr:hero\n    jwo:killed jwr:villain ." in construct.stdout  # our prefixes, grouped by subject


def test_query_sees_named_graphs(kg):
    result = kg("query", "--data", UNIVERSE, "--format", "csv",
                "SELECT ?g WHERE { GRAPH ?g { jwr:hero jwo:narrativeRole ?r } } ORDER BY ?g")
    assert result.stdout.splitlines()[1:] == [
        "https://kg.johnwick.example/graph/an-analysis/film-one",
        "https://kg.johnwick.example/graph/ref-film/film-one",
    ]


@pytest.mark.parametrize("args", [
    ["SELECT * WHERE { ?s ?p "],
    ["SELECT * WHERE { ?s nope:p ?o }"],
    [],
])
def test_bad_queries_are_usage_errors(kg, args):
    result = kg("query", "--data", UNIVERSE, *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")


def test_unknown_option_is_a_usage_error(runner):
    result = runner.invoke(main, ["build", "--nope"])
    assert result.exit_code == 2


def test_a_build_folder_is_never_reused_for_other_data(tmp_path, universe_copy):
    """The build is reused only for the folder and files it was built from (not for any older data)."""
    from kg.build import ensure_built

    out = tmp_path / "out"
    fixture = ensure_built(UNIVERSE, out).read_bytes()
    built = (out / MANIFEST).stat().st_mtime_ns
    assert ensure_built(UNIVERSE, out).read_bytes() == fixture
    assert (out / MANIFEST).stat().st_mtime_ns == built  # the same data: reused, not rebuilt
    hostile = ensure_built(FIXTURES / "hostile", out).read_bytes()
    assert hostile != fixture  # other data, older than the build: built again, not the fixture's reused
    assert b"graph/an-analysis/film-one" in ensure_built(universe_copy, out).read_bytes()
    (universe_copy / "readings.yaml").unlink()  # a file gone (the analysis's readings): its facts must go too
    assert b"graph/an-analysis/film-one" not in ensure_built(universe_copy, out).read_bytes()


def _kg_on(stderr_is_terminal: bool, *args) -> str:
    """What `kg ARGS` writes on standard error: a pseudo-terminal, or a pipe (outside CI, whose own
    setting keeps every command quiet)."""
    import os
    import pty
    import subprocess
    import sys

    env = {**os.environ, "CI": "", "COLUMNS": "100"}
    if not stderr_is_terminal:
        done = subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True, env=env, timeout=300,
                              check=False)
        return done.stderr.decode()
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "kg", *map(str, args)], stdout=subprocess.DEVNULL,
                               stderr=follower, env=env)
    os.close(follower)
    said = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the command ended: the terminal is closed
            break
        if not chunk:
            break
        said += chunk
    process.wait(timeout=300)
    os.close(leader)
    return said.decode(errors="replace").replace("\r", "\n")


def test_long_commands_say_their_stages_on_a_terminal_and_nothing_in_a_pipe(tmp_path):
    from .conftest import UNIVERSE

    shown = _kg_on(True, "build", "--data", UNIVERSE, "--out", tmp_path / "a")
    for stage in ("kg build: reading the YAML", "kg build: checking the records: 0 problems",
                  "kg build: compiling to RDF: 10 graphs", "kg build: validating with the SHACL shapes: 0 violations",
                  "kg build: writing the build into"):
        assert stage in shown, shown
    assert "5/5" in shown  # the bar of the YAML files
    piped = _kg_on(False, "build", "--data", UNIVERSE, "--out", tmp_path / "b")
    assert "kg build:" not in piped and piped.startswith("built ")
    dumped = _kg_on(True, "dump", "--data", UNIVERSE, "--build", tmp_path / "a", "--out", tmp_path / "dumps")
    quads = sum(1 for _ in (tmp_path / "a" / "universe.nq").open())
    assert f"kg dump: reading the build: {quads:,} quads" in dumped and "kg dump: writing universe.nq.gz:" in dumped
