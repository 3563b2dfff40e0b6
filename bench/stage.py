"""Run one stage of the build in this (fresh) process and print its timing as JSON.

    python -m bench.stage STAGE DATA_DIR OUT_DIR [--gc held|on]

Stages: ``import`` (python startup and the imports of ``kg build``), ``load``
(read, collect, check: :func:`kg.build.load_universe`), ``compile``
(:func:`kg.build.compile.compile_universe`), ``validate``
(:func:`kg.build.validate.shacl_violations`) and ``write``
(:func:`kg.build.output.write_build`).  What a stage needs (the universe, the dataset)
is computed first, untimed; the parent measures the peak memory of the whole
process with ``wait4``, and this process reports its resident memory just
before the stage, so the stage's own share is ``peak - before``.

Like :func:`kg.build.build`, load, compile and validate run with the cyclic
garbage collector held (``--gc on`` runs them with it, to measure its cost);
write runs with it, as in ``kg build``.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import time
from pathlib import Path

STARTED = time.perf_counter()

import kg.cli  # noqa: F401  - what 'kg build' imports, pyshacl and rdflib included
from kg.build import load_universe
from kg.build.compile import compile_universe
from kg.build.output import write_build
from kg.build.validate import shacl_violations
from kg.model import model

IMPORTED = time.perf_counter()
STAGES = ("import", "load", "compile", "validate", "write")


def rss_mb() -> float:
    """The resident set size of this process now, in MiB."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def run(stage: str, data_dir: Path, out_dir: Path, hold_gc: bool = True) -> dict:
    if stage == "import":
        return {"seconds": IMPORTED - STARTED, "rss_before_mb": 0.0}
    if hold_gc:
        gc.disable()
    universe = None if stage == "load" else load_universe(data_dir)
    dataset = compile_universe(universe, model()).dataset if stage in ("validate", "write") else None
    if stage == "write":
        gc.enable()
    before = rss_mb()
    started = time.perf_counter()
    if stage == "load":
        load_universe(data_dir)
    elif stage == "compile":
        dataset = compile_universe(universe, model()).dataset
    elif stage == "validate":
        violations = shacl_violations(dataset)
        if violations:
            raise SystemExit(f"{len(violations)} SHACL violations, such as: {violations[0].message}")
    elif stage == "write":
        write_build(dataset, out_dir)
    seconds = time.perf_counter() - started
    if stage == "compile":  # the size of what was built: both counts are O(1) in rdflib's memory store
        size = {"triples": len(dataset), "quads": sum(len(g) for g in dataset.graphs())}
        return {"seconds": seconds, "rss_before_mb": before, **size}
    return {"seconds": seconds, "rss_before_mb": before}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stage", choices=STAGES)
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--gc", choices=("held", "on"), default="held",
                        help="the cyclic GC during load, compile and validate (kg build holds it)")
    args = parser.parse_args()
    print(json.dumps({"stage": args.stage, **run(args.stage, args.data_dir, args.out_dir, args.gc == "held")}))


if __name__ == "__main__":
    main()
