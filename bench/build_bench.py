"""Benchmark ``kg build`` stage by stage on the shipped and generated universes.

    python -m bench.build_bench --sizes shipped,10k,100k,1M [--profile-shapes]

For each universe and repetition, every stage runs in a fresh process
(:mod:`bench.stage`), then the whole ``kg build`` command does; the wall time
and the peak resident memory of each process (``wait4``'s ``ru_maxrss``) are
recorded, and the report gives medians.  Generated universes are written to
``bench/out/u<size>`` by :mod:`bench.generate` when missing, and reused after.
The report is Markdown, on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from . import report
from .generate import generate, generated_info, parse_size

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SHIPPED = "shipped"
STAGES = ("import", "load", "compile", "validate", "write")
BUILD = "kg build"
EXIT = "exit"


@dataclass
class Run:
    universe: str
    stage: str
    rep: int
    seconds: float  # the stage alone; for "import" and "kg build" the process wall; for "exit" last line to exit
    wall: float  # the whole process
    peak_mb: float  # peak resident memory of the process
    before_mb: float  # resident memory when the stage started


@dataclass
class Process:
    wall: float  # seconds from start to exit
    peak_mb: float  # peak resident memory (wait4's ru_maxrss)
    last_line: float  # seconds from start to its last line on stderr (0 if none)
    stdout: str


def run_process(argv: list[str]) -> Process:
    """Run a command to completion, timing its last stderr line and its exit; raise on failure."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.PIPE, cwd=ROOT)
        err, last_line = [], 0.0
        for line in process.stderr:
            err.append(line)
            last_line = time.perf_counter() - started
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.stderr.close()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed ({process.returncode}):\n{b''.join(err).decode()[-2000:]}")
        out.seek(0)
        return Process(wall, usage.ru_maxrss / 1024, last_line, out.read().decode())  # ru_maxrss: KiB


def universe_dir(label: str, seed: int) -> Path:
    """The data folder of a universe, generating it when it is missing or of another size."""
    if label == SHIPPED:
        return ROOT / "data"
    target, folder = parse_size(label), OUT / f"u{label.lower()}"
    info = generated_info(folder)
    if info is None or info.get("target") != target or info.get("seed") != seed:
        print(f"generating {folder} ...", file=sys.stderr)
        generate(target, folder, seed)
    return folder


def describe(label: str, data_dir: Path) -> dict:
    """Size of a universe's YAML; its triple and quad counts are added by :func:`measure`."""
    files = [p for p in data_dir.rglob("*.yaml") if not any(part.startswith(".") for part in p.parts)]
    info = generated_info(data_dir) or {}
    return {"universe": label, "works": info.get("works"), "files": len(files),
            "yaml_mb": sum(p.stat().st_size for p in files) / 2**20}


def measure(label: str, data_dir: Path, reps: int, universe: dict) -> list[Run]:
    """Run every stage and the whole command ``reps`` times; record the dataset's size in ``universe``."""
    python, kg = sys.executable, str(Path(sys.executable).with_name("kg"))
    out_dir = OUT / f"build-{label.lower()}"
    runs = []
    for rep in range(reps):
        for stage in (*STAGES, BUILD):
            if stage == BUILD:
                argv = [kg, "build", "--data", str(data_dir), "--out", str(out_dir)]
            else:
                argv = [python, "-m", "bench.stage", stage, str(data_dir), str(out_dir)]
            done = run_process(argv)
            if stage == BUILD:
                runs.append(Run(label, stage, rep, done.wall, done.wall, done.peak_mb, 0.0))
                # 'kg build' prints its file list last: what follows is exit (freeing the dataset)
                runs.append(Run(label, EXIT, rep, done.wall - done.last_line, done.wall, done.peak_mb, 0.0))
            else:
                own = json.loads(done.stdout)
                if stage == "compile":
                    universe.update(triples=own["triples"], quads=own["quads"])
                seconds = done.wall if stage == "import" else own["seconds"]
                runs.append(Run(label, stage, rep, seconds, done.wall, done.peak_mb, own["rss_before_mb"]))
            shown = runs[-2] if stage == BUILD else runs[-1]
            print(f"  {label} #{rep + 1} {stage}: {shown.seconds:.2f} s, peak {done.peak_mb:.0f} MiB", file=sys.stderr)
    return runs


def summarize(runs: list[Run]) -> list[dict]:
    """Median (and range) per universe and stage."""
    rows = []
    for key in dict.fromkeys((r.universe, r.stage) for r in runs):
        group = [r for r in runs if (r.universe, r.stage) == key]
        seconds = [r.seconds for r in group]
        rows.append({"universe": key[0], "stage": key[1], "n": len(group),
                     "seconds": statistics.median(seconds), "min": min(seconds), "max": max(seconds),
                     "peak_mb": statistics.median(r.peak_mb for r in group),
                     "before_mb": statistics.median(r.before_mb for r in group)})
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="shipped,10k,100k",
                        help="comma-separated: 'shipped' (data/) and triple targets like 10k, 100k, 1M")
    parser.add_argument("--repeat", type=int, help="repetitions per size (default: 3, and 1 from 1M triples)")
    parser.add_argument("--profile-shapes", action="store_true", help="also time pySHACL per node shape")
    parser.add_argument("--profile-size", default="100k", help="universe for --profile-shapes")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write every measurement to this file")
    args = parser.parse_args(argv)

    labels = [s.strip() for s in args.sizes.split(",") if s.strip()]
    universes, runs = [], []
    for label in labels:
        data_dir = universe_dir(label, args.seed)
        universes.append(describe(label, data_dir))
        reps = args.repeat or (1 if label != SHIPPED and parse_size(label) >= 1_000_000 else 3)
        runs.extend(measure(label, data_dir, reps, universes[-1]))
    profile = None
    if args.profile_shapes:
        data_dir = universe_dir(args.profile_size, args.seed)
        done = run_process([sys.executable, "-m", "bench.shapes_profile", str(data_dir)])
        profile = {"universe": args.profile_size, "peak_mb": done.peak_mb, **json.loads(done.stdout)}
    rows = summarize(runs)
    print(report.markdown(universes, rows, profile, report.machine()))
    if args.json:
        args.json.write_text(json.dumps({"machine": report.machine(), "universes": universes,
                                         "runs": [asdict(r) for r in runs], "summary": rows,
                                         "profile": profile}, indent=2) + "\n")


if __name__ == "__main__":
    main()
