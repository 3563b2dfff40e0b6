"""Benchmark ``kg export-site``: the whole site as static files, as a fan community would write it.

    python -m bench.export_bench --sizes shipped,1M [--repeat 3] [--seed 7]

For each universe (built first if missing or stale, as ``bench.web_bench`` does), ``kg export-site`` is run
as a process of its own, ``--repeat`` times (once at a million triples and more), writing into
``bench/out/export-<size>``; recorded are its wall time, the peak resident memory of its largest process
(``wait4``'s ``ru_maxrss``: the exporting process or one of its forked renderers and writers) and what it
wrote (files, bytes, entity pages).  The target: the shipped universe in under 10 s.  The report is Markdown
on stdout.
"""

from __future__ import annotations

import statistics
import sys

from . import report
from .build_bench import OUT, parse_size, run_process, universe_dir
from .web_bench import ensure_build

TARGET_S = 10.0  # the shipped universe


def measure(label: str, repeat: int, seed: int) -> dict:
    data_dir = universe_dir(label, seed)
    build = ensure_build(label, data_dir)
    target = OUT / f"export-{label.lower()}"
    runs = []
    for _ in range(1 if label != "shipped" and parse_size(label) >= 1_000_000 else repeat):
        process = run_process([sys.executable, "-m", "kg", "export-site", "--data", str(data_dir), "--build", str(build),
                               "--out", str(target)])
        runs.append({"wall_s": process.wall, "peak_mb": process.peak_mb})
    files = [p for p in target.rglob("*") if p.is_file()]
    return {"universe": label, "runs": runs, "median_s": statistics.median(r["wall_s"] for r in runs),
            "peak_mb": max(r["peak_mb"] for r in runs), "files": len(files),
            "bytes": sum(p.stat().st_size for p in files),
            "entity_pages": sum(1 for p in (target / "id").rglob("*.html")),
            "graph_pages": sum(1 for p in (target / "graph").rglob("*.html")),
            "list_pages": sum(1 for p in (target / "browse").glob("*.html"))}


def markdown(results: list[dict], args, host: dict) -> str:
    command = f"python -m bench.export_bench --sizes {args.sizes} --repeat {args.repeat} --seed {args.seed}"
    out = [(f"Measured with `{command}` on {host['nproc']} cores ({host['cpu']}), Python {host['python']}, "
            f"code at `{host['code']}`; load average before: {', '.join(map(str, host['load_average']))}."), ""]
    out += report.table(["universe", "runs", "median wall, s", "peak memory, MiB", "files", "MB written",
                         "entity pages", "graph pages", "list pages"],
                        [[r["universe"], len(r["runs"]), f"{r['median_s']:.1f}", f"{r['peak_mb']:.0f}", r["files"],
                          f"{r['bytes'] / 1e6:.0f}", r["entity_pages"], r["graph_pages"], r["list_pages"]]
                         for r in results])
    shipped = next((r for r in results if r["universe"] == "shipped"), None)
    if shipped is not None:
        met = "met" if shipped["median_s"] < TARGET_S else "**missed**"
        out += ["", "#### Targets", ""] + report.table(
            ["universe", "target", "measured", "result"],
            [["shipped", f"the export in under {TARGET_S:g} s", f"{shipped['median_s']:.1f} s", met]], text_columns=4)
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    report.run_per_universe(__doc__, 3, "runs of the export (one at 1M and more)", (), measure, markdown, argv)


if __name__ == "__main__":
    main()
