"""Markdown for the benchmark: the machine, the universes, the stage table,
the targets of the issue, and the per-shape SHACL profile."""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

GB = 10**9 / 2**20  # 1 GB (10^9 bytes) in MiB
#: (universe, what, stage, measure, limit): from the performance issue.
TARGETS = (
    ("shipped", "kg build (build + validate + write) under 2 s wall", "kg build", "seconds", 2.0),
    ("100k", "kg build under 15 s wall", "kg build", "seconds", 15.0),
    ("1M", "kg build under 3 minutes wall", "kg build", "seconds", 180.0),
    ("1M", "kg build under 3 GB peak memory", "kg build", "peak_mb", 3 * GB),
)
STAGE_NOTES = {
    "import": "python start-up and imports: process wall",
    "load": "read YAML, collect, check",
    "compile": "records -> Dataset",
    "validate": "pySHACL on the dataset's union",
    "write": "N-Quads + Turtle + build.json",
    "kg build": "the whole command: process wall",
    "exit": "of which after its last message: exit, freeing the dataset",
}


def arguments(doc: str, sizes: str, repeat: int | None, repeat_help: str) -> argparse.ArgumentParser:
    """The options every benchmark takes: --sizes, --repeat, --seed and --json (a benchmark adds its own)."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--sizes", default=sizes, help="comma-separated: 'shipped' (data/) and sizes like 1M")
    parser.add_argument("--repeat", type=int, default=repeat, help=repeat_help)
    parser.add_argument("--seed", type=int, default=7, help="of the generated universes and the sampled queries")
    parser.add_argument("--json", type=Path, help="also write every measurement to this file")
    return parser


def run_per_universe(doc: str, repeat: int, repeat_help: str, packages: tuple[str, ...], measure, markdown,
                     argv: list[str] | None = None) -> None:
    """An in-process benchmark's command: ``measure(universe, repeat, seed)`` for each of --sizes, then
    ``markdown(results, args, host)`` on stdout, and every measurement in --json if asked."""
    args = arguments(doc, "shipped", repeat, repeat_help).parse_args(argv)
    host = machine(packages)
    results = [measure(label.strip(), args.repeat, args.seed) for label in args.sizes.split(",") if label.strip()]
    print(markdown(results, args, host))
    if args.json:
        args.json.write_text(json.dumps({"machine": host, "universes": results}, indent=2, default=str) + "\n")


def code_version() -> str:
    """The commit of the code under test, marked when kg/, web/, ontology/ or data/ have local changes."""
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "kg", "web", "ontology", "data"], cwd=root,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + (" + local changes" if dirty else "")


def machine(packages: tuple[str, ...] = ("rdflib", "pyshacl", "PyYAML")) -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    mem = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    return {
        "nproc": len(os.sched_getaffinity(0)), "cpu": cpu, "memory_gib": round(mem / 2**20, 1),
        "python": platform.python_version(), "platform": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()], "code": code_version(),
        **{name: metadata.version(name) for name in packages},
    }


def table(header: list[str], rows: list[list], text_columns: int = 1) -> list[str]:
    """A Markdown table; the first ``text_columns`` columns are left-aligned, the others right."""
    rule = "|" + "|".join("---" if i < text_columns else "---:" for i in range(len(header))) + "|"
    lines = ["| " + " | ".join(header) + " |", rule]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines + [""]


def _stages(rows: list[dict]) -> list[str]:
    out = []
    for universe in dict.fromkeys(r["universe"] for r in rows):
        mine = [r for r in rows if r["universe"] == universe]
        table = []
        for r in mine:
            spread = f"{r['min']:.2f}–{r['max']:.2f}" if r["n"] > 1 else "–"
            before = f"{r['before_mb']:.0f}" if r["before_mb"] else "–"
            peak = f"{r['peak_mb']:.0f}" if r["stage"] != "exit" else ""
            table.append([r["stage"], STAGE_NOTES[r["stage"]], f"**{r['seconds']:.2f}**", spread, peak, before])
        parts = [r["seconds"] for r in mine if r["stage"] in ("load", "compile", "validate", "write")]
        at = next(i for i, r in enumerate(mine) if r["stage"] == "kg build")
        table.insert(at, ["sum", "load + compile + validate + write", f"{sum(parts):.2f}", "", "", ""])
        out += [f"### {universe} (median of {mine[0]['n']})", ""]
        out += table(["stage", "what", "wall s", "min–max s", "peak RSS MiB", "RSS at stage start MiB"],
                      table, text_columns=2)
    return out


def _targets(rows: list[dict]) -> list[str]:
    table = []
    for universe, what, stage, measure, limit in TARGETS:
        row = next((r for r in rows if r["universe"].lower() == universe.lower() and r["stage"] == stage), None)
        if row is None:
            table.append([universe, what, "not run", ""])
            continue
        value = row[measure]
        shown = f"{value:.2f} s" if measure == "seconds" else f"{value / GB:.2f} GB ({value:.0f} MiB)"
        table.append([universe, what, shown, "met" if value < limit else "**missed**"])
    return table(["universe", "target", "median", "result"], table, text_columns=4)


def _profile(profile: dict) -> list[str]:
    total = sum(s["seconds"] for s in profile["shapes"])
    table = [[s["shape"], s["target"], s["focus_nodes"], s["property_shapes"], f"{s['seconds']:.2f}",
              f"{100 * s['seconds'] / total:.0f}%"]
             for s in sorted(profile["shapes"], key=lambda s: -s["seconds"])]
    out = [f"### pySHACL per node shape, {profile['universe']} universe "
           f"({profile['triples']} triples)", "",
           f"All shapes together: {profile['all_shapes_seconds']:.2f} s; sum of the single-shape runs: "
           f"{total:.2f} s; peak RSS {profile['peak_mb']:.0f} MiB.", ""]
    return out + table(["node shape", "target class", "focus nodes", "property shapes", "s", "share"], table,
                        text_columns=2)


def markdown(universes: list[dict], rows: list[dict], profile: dict | None, host: dict) -> str:
    out = ["## Build benchmark", "",
           f"{host['nproc']} CPUs ({host['cpu']}), {host['memory_gib']} GiB, Python {host['python']}, "
           f"rdflib {host['rdflib']}, pySHACL {host['pyshacl']}, PyYAML {host['PyYAML']}; "
           f"load average at the end {host['load_average']}; code at {host['code']}.", "",
           "### Universes", ""]
    out += table(["universe", "works", "YAML files", "YAML MiB", "triples", "quads"],
                  [[u["universe"], u["works"] or "–", u["files"], f"{u['yaml_mb']:.2f}", u["triples"], u["quads"]]
                   for u in universes])
    out += _stages(rows)
    out += ["### Targets", ""] + _targets(rows)
    if profile is not None:
        out += _profile(profile)
    return "\n".join(out)
