"""Generate a synthetic John Wick universe of about N triples, in the data/ format.

    python -m bench.generate --triples 100000 --out bench/out/u100k

The size is a number of works (films and episodes); each brings the same mix
of entities, so the triple count grows linearly with it.  The generator finds
the number of works for a target by generating and compiling two small
probes, fitting a line, and correcting once on the real universe; it prints
the triple count of the dataset it wrote.  Output is deterministic for a seed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from kg.build import build, load_universe
from kg.build.compile import compile_universe
from kg.errors import DataInvalid
from kg.model import model

from .names import Namer
from .plan import WORKS_PER_SAGA, plan_universe
from .saga import saga_files
from .world import world_files
from .yamltext import dump

MARKER = ".generated"  # an output folder we may wipe holds this file (data_files skips hidden files)
PROBES = (WORKS_PER_SAGA, 2 * WORKS_PER_SAGA)
TOLERANCE = 0.02


def parse_size(text: str) -> int:
    """'10k' -> 10000, '1M' -> 1000000, '2500' -> 2500."""
    factors = {"k": 1_000, "m": 1_000_000}
    text = text.strip().lower()
    return int(float(text[:-1]) * factors[text[-1]]) if text[-1:] in factors else int(text)


def write_universe(works: int, out: Path, seed: int = 7) -> int:
    """Write a universe of ``works`` works into ``out`` (emptied first); return the file count."""
    if out.exists():
        if any(out.iterdir()) and not (out / MARKER).exists():
            raise SystemExit(f"error: {out} is not empty and was not made by bench.generate; not touching it")
        shutil.rmtree(out)
    namer = Namer(seed)
    plan = plan_universe(works, namer)
    files = world_files(plan.world, plan.first_work, namer)
    for saga in plan.sagas:
        files.update(saga_files(saga, plan, namer))
    for path, (header, document) in files.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dump(document, header), encoding="utf-8")
    (out / MARKER).write_text(json.dumps({"works": works, "seed": seed}) + "\n")
    return len(files)


def count_triples(data_dir: Path) -> tuple[int, int]:
    """(triples, quads) of the compiled dataset: what 'kg build' reports, and the N-Quads lines."""
    dataset = compile_universe(load_universe(data_dir), model()).dataset
    return len(dataset), sum(1 for _ in dataset.quads((None, None, None, None)))


def works_for(target: int, seed: int) -> int:
    """The number of works whose universe has about ``target`` triples, from two probes."""
    counts = []
    with tempfile.TemporaryDirectory(prefix="kg-bench-probe-") as tmp:
        for works in PROBES:
            write_universe(works, Path(tmp) / str(works), seed)
            counts.append(count_triples(Path(tmp) / str(works))[0])
    per_work = (counts[1] - counts[0]) / (PROBES[1] - PROBES[0])
    fixed = counts[0] - per_work * PROBES[0]
    return max(1, round((target - fixed) / per_work))


def generate(target: int, out: Path, seed: int = 7, log=print) -> tuple[int, int, int]:
    """Write a universe of about ``target`` triples into ``out``; return (works, triples, quads)."""
    works = works_for(target, seed)
    for _ in range(2):  # the fit is close; one correction covers the last saga's own overhead
        started = time.perf_counter()
        files = write_universe(works, out, seed)
        triples, quads = count_triples(out)
        log(f"{works} works, {files} files: {triples} triples ({quads} quads) "
            f"[{time.perf_counter() - started:.1f} s]", file=sys.stderr)
        if abs(triples - target) <= TOLERANCE * target:
            break
        works = max(1, round(works * (target / triples)))
    info = {"works": works, "seed": seed, "target": target, "files": files, "triples": triples, "quads": quads}
    (out / MARKER).write_text(json.dumps(info) + "\n")
    return works, triples, quads


def generated_info(data_dir: Path) -> dict | None:
    """What ``generate`` recorded about a universe it wrote (target, works, triples...), or None."""
    marker = data_dir / MARKER
    return json.loads(marker.read_text()) if marker.exists() else None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=parse_size, required=True, help="target size, like 10k, 100k, 1M")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (replaced if generated before)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--validate", action="store_true", help="also run the SHACL validation of 'kg validate'")
    args = parser.parse_args(argv)
    works, triples, quads = generate(args.triples, args.out, args.seed)
    print(f"{args.out}: {works} works, {triples} triples, {quads} quads (target {args.triples})")
    if args.validate:
        try:
            build(args.out)
        except DataInvalid as invalid:
            for problem in invalid.problems[:20]:
                print(problem, file=sys.stderr)
            raise SystemExit(f"error: {invalid.summary()}") from None
        print(f"{args.out}: valid")


if __name__ == "__main__":
    main()
