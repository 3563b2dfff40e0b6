"""Benchmark ``kg dump`` on the shipped universe and the 1M-triple synthetic one.

    python -m bench.dump_bench --sizes shipped,1M [--repeat N] [--json FILE]

For each universe, the build is made or refreshed first and not timed (the
target is writing the dumps of a build).  Then ``kg dump --data D --build B
--out O`` runs N times, each in a fresh process; the wall time and peak
resident memory of each process are recorded and the report gives medians.
One more process times the parts of the work one after the other
(``--parts``: reading the N-Quads, counting, each writer, gzip, hashing), to
show where the time goes.  Generated universes and builds live in
``bench/out/`` as for :mod:`bench.build_bench`.  The report is Markdown, on stdout.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from pathlib import Path

from . import report
from .build_bench import OUT, SHIPPED, run_process, universe_dir

TARGETS = {SHIPPED: 2.0, "1M": 60.0}  # seconds, from the issue
PARTS = ("read", "count", "N-Triples", "TriG", "JSON-LD", "gzip", "SHA-256")


def measure(label: str, data_dir: Path, reps: int) -> dict:
    kg = str(Path(sys.executable).with_name("kg"))
    build_dir, out_dir = OUT / f"build-{label.lower()}", OUT / f"dumps-{label.lower()}"
    ensure = "import sys; from pathlib import Path; from kg.build import ensure_built; ensure_built(*map(Path, sys.argv[1:]))"
    run_process([sys.executable, "-c", ensure, str(data_dir), str(build_dir)])
    runs = []
    for rep in range(reps):
        done = run_process([kg, "dump", "--data", str(data_dir), "--build", str(build_dir), "--out", str(out_dir)])
        runs.append({"seconds": done.wall, "peak_mb": done.peak_mb})
        print(f"  {label} #{rep + 1}: {done.wall:.2f} s, peak {done.peak_mb:.0f} MiB", file=sys.stderr)
    parts = json.loads(run_process([sys.executable, "-m", "bench.dump_bench", "--parts", str(build_dir),
                                    str(out_dir)]).stdout)
    manifest = json.loads((out_dir / "dumps.json").read_text(encoding="utf-8"))
    seconds = [r["seconds"] for r in runs]
    return {"universe": label, "runs": runs, "seconds": statistics.median(seconds), "min": min(seconds),
            "max": max(seconds), "peak_mb": statistics.median(r["peak_mb"] for r in runs),
            "triples": manifest["counts"]["triples"], "quads": manifest["counts"]["quads"],
            "bytes": sum(f["bytes"] for f in manifest["files"].values()), "parts": parts}


def time_parts(build_dir: Path, out_dir: Path) -> dict:
    """The work of kg.publish.dumps.write_dumps, part by part, in this process (nothing written)."""
    from kg.publish.dumps import gzip_chunks, read_chunks
    from kg.publish.void import count
    from kg.rdf.writers import Quads, jsonld_chunks, ntriples_lines, trig_chunks

    took, started = {}, time.perf_counter()

    def lap(name: str) -> None:
        nonlocal started
        took[name] = time.perf_counter() - started
        started = time.perf_counter()

    quads = Quads.read(build_dir / "universe.nq")
    lap("read")
    triples = quads.triples()
    count(quads, triples)
    lap("count")
    "".join(ntriples_lines(triples)).encode("utf-8")
    lap("N-Triples")
    "".join(trig_chunks(quads)).encode("utf-8")
    lap("TriG")
    "".join(jsonld_chunks(quads)).encode("utf-8")
    lap("JSON-LD")
    data = [out_dir / f"universe.{ext}" for ext in ("nq", "trig", "ttl", "nt", "jsonld")]
    for path in data:
        for _ in gzip_chunks(read_chunks(path)):
            pass
    lap("gzip")
    for path in sorted(out_dir.iterdir()):
        hashlib.sha256(path.read_bytes()).hexdigest()
    lap("SHA-256")
    return took


def markdown(results: list[dict], host: dict) -> str:
    machine = (f"{host['nproc']} CPUs ({host['cpu']}), {host['memory_gib']} GiB, Python {host['python']}, "
               f"pyoxigraph {host['pyoxigraph']}, rdflib {host['rdflib']}; load average at the end "
               f"{host['load_average']}; code at {host['code']}.")
    out = [machine, "", "#### Targets", ""]
    out += report.table(["universe", "target", "median", "result"], [
        [r["universe"], f"kg dump under {TARGETS[r['universe']]:g} s", f"{r['seconds']:.2f} s",
         "met" if r["seconds"] < TARGETS[r["universe"]] else "**missed**"]
        for r in results if r["universe"] in TARGETS], text_columns=4)
    out += ["#### kg dump", ""]
    out += report.table(["universe", "triples", "quads", "runs", "wall s (median)", "min–max s", "peak RSS MiB",
                         "MB written"],
                        [[r["universe"], r["triples"], r["quads"], len(r["runs"]), f"**{r['seconds']:.2f}**",
                          f"{r['min']:.2f}–{r['max']:.2f}", f"{r['peak_mb']:.0f}", f"{r['bytes'] / 1e6:.1f}"]
                         for r in results])
    out += ["#### Where the time goes (one run, each part alone)", ""]
    out += report.table(["universe", *PARTS], [[r["universe"], *(f"{r['parts'][p]:.2f}" for p in PARTS)]
                                               for r in results])
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = report.arguments(__doc__, "shipped,1M", None, "runs per universe (default: 5, and 3 from 1M triples)")
    parser.add_argument("--parts", nargs=2, type=Path, metavar=("BUILD", "DUMPS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.parts:
        print(json.dumps(time_parts(*args.parts)))
        return
    results = []
    for label in (s.strip() for s in args.sizes.split(",") if s.strip()):
        reps = args.repeat or (5 if label == SHIPPED or label.lower() not in ("1m", "10m") else 3)
        results.append(measure(label, universe_dir(label, args.seed), reps))
    host = report.machine(("pyoxigraph", "rdflib"))
    print(markdown(results, host))
    if args.json:
        args.json.write_text(json.dumps({"machine": host, "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
