"""Same YAML -> byte-identical N-Quads and Turtle, whatever the process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.build import build
from kg.build.output import NQUADS, TURTLE

from ..conftest import ROOT, UNIVERSE


def build_in_subprocess(out: Path, seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run([sys.executable, "-m", "kg", "build", "--data", str(UNIVERSE), "--out", str(out)],
                   check=True, env=env, cwd=ROOT, capture_output=True)


@pytest.mark.slow
def test_two_processes_write_byte_identical_files(tmp_path):
    build_in_subprocess(tmp_path / "a", "1")
    build_in_subprocess(tmp_path / "b", "2")
    for name in (NQUADS, TURTLE, "build.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_nquads_are_sorted_and_round_trip(kg, tmp_path):
    assert kg("build", "--data", UNIVERSE, "--out", tmp_path).exit_code == 0
    lines = (tmp_path / NQUADS).read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines)
    reloaded = Dataset().parse(tmp_path / NQUADS, format="nquads")
    assert set(reloaded.quads((None, None, None, None))) == set(build(UNIVERSE).dataset.quads((None, None, None, None)))


def test_turtle_is_the_union_of_all_graphs(kg, tmp_path):
    assert kg("build", "--data", UNIVERSE, "--out", tmp_path).exit_code == 0
    union = Graph()
    for s, p, o, _ in build(UNIVERSE).dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    assert isomorphic(Graph().parse(tmp_path / TURTLE, format="turtle"), union)
