"""Benchmark the fans' pages over remote SPARQL servers beside the embedded store, in one run.

    python -m bench.remote_bench [--sizes shipped] [--duration 10] [--repeat 3] [--stores oxigraph,virtuoso]

Needs ``wrk``, the Oxigraph server (``oxigraph`` from PyPI, in the test
extra) and, for ``virtuoso``, Debian's ``virtuoso-opensource``.  For each
universe, its build is loaded into an Oxigraph server (``oxigraph load``,
then ``serve-read-only --union-default-graph``, the set-up
docs/remote-stores.md recommends) and pushed into a Virtuoso (``kg push`` by
its Graph Store with Digest; the ini docs/remote-stores.md gives), and a
``kg serve`` runs on each, and one on its embedded store, side by side with
the same options.  wrk asks every entity page in turn (the web benchmark's
list), with 1 client and with 16, the servers taking turns run by run
(ABC ABC ABC) so that the machine's noise falls on all alike.  The report
gives medians and the ratios to the embedded store; the target is a median
entity page over Oxigraph under 3× the embedded store's.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from . import report, servers
from .build_bench import universe_dir
from .web_bench import (
    SCENARIOS,
    Server,
    ensure_build,
    free_port,
    path_lists,
    to_run,
    wrk,
)

PAGE_SCENARIOS = tuple(s for s in SCENARIOS if s.paths == "entities")
TARGET = 3.0  # remote median entity page ÷ embedded


def oxigraph_server(build: Path, work: Path) -> tuple[subprocess.Popen, str]:
    location = work / "oxigraph"
    servers.oxigraph_load(build / "universe.nq", location)
    port = free_port()
    process = subprocess.Popen([servers.oxigraph_binary(), "serve-read-only", "--location", str(location), "--bind",
                                f"127.0.0.1:{port}", "--union-default-graph"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    return process, f"http://127.0.0.1:{port}/query"


def virtuoso_server(data_dir: Path, build: Path, work: Path):
    """A Virtuoso holding the build, pushed there by ``kg push`` as docs/remote-stores.md shows."""
    from tests.virtuoso import start_virtuoso

    folder = work / "virtuoso"
    folder.mkdir()
    virtuoso = start_virtuoso(folder, free_port(), free_port(), row_cap=100_000, time_limit=30)
    kg = str(Path(sys.executable).with_name("kg"))
    subprocess.run([kg, "push", "--data", str(data_dir), "--build", str(build), "--endpoint", virtuoso.query_url,
                    "--graph-store", virtuoso.graph_store_url, "--user", "dba", "--password-file",
                    str(virtuoso.password_file())], check=True, stdout=subprocess.DEVNULL)
    return virtuoso


def measure(label: str, args: argparse.Namespace, work: Path) -> list[dict]:
    from tests.virtuoso import stop_virtuoso

    data_dir = universe_dir(label, args.seed)
    build = ensure_build(label, data_dir)
    paths = work / f"{label}-entities.txt"
    paths.write_text("\n".join(path_lists(build / "universe.nq", args.seed)["entities"]) + "\n")
    oxigraph, endpoint = oxigraph_server(build, work)
    virtuoso = virtuoso_server(data_dir, build, work) if "virtuoso" in args.stores else None
    kg_servers = {}
    try:
        kg_servers["embedded"] = Server(data_dir, build, args.workers, work / f"{label}-embedded.log")
        kg_servers["oxigraph"] = Server(data_dir, build, args.workers, work / f"{label}-oxigraph.log",
                                     ("--endpoint", endpoint))
        if virtuoso is not None:
            kg_servers["virtuoso"] = Server(data_dir, build, args.workers, work / f"{label}-virtuoso.log",
                                         ("--endpoint", virtuoso.query_url))
        for server in kg_servers.values():
            server.first_200("/")
            server.settle()
        runs = []
        for scenario in PAGE_SCENARIOS:
            for server in kg_servers.values():
                wrk(server.url, scenario, paths, 1)  # warm-up
            for rep in range(args.repeat):
                for name, server in kg_servers.items():
                    run = to_run(f"{label} {name}", scenario, rep, wrk(server.url, scenario, paths, args.duration))
                    runs.append({**run.__dict__, "universe": label, "store": name})
                    print(f"  {label} {name} {scenario.name} #{rep + 1}: {run.rps:.0f}/s, median "
                          f"{run.p50_ms:.2f} ms, p99 {run.p99_ms:.2f} ms, {run.errors} errors", file=sys.stderr)
    finally:
        for server in kg_servers.values():
            server.stop()
        servers.stop(oxigraph)
        if virtuoso is not None:
            stop_virtuoso(virtuoso)
    return runs


def markdown(runs: list[dict], args: argparse.Namespace, host: dict) -> str:
    command = f"python -m bench.remote_bench --sizes {args.sizes} --duration {args.duration:g} " \
              f"--repeat {args.repeat} --workers {args.workers} --stores {args.stores}"
    out = [f"Measured with `{command}` on {host['nproc']} cores ({host['cpu']}), Python {host['python']}, code at "
           f"`{host['code']}`; load average before: {', '.join(map(str, host['load_average']))}.", ""]
    rows, targets = [], []
    for label in dict.fromkeys(r["universe"] for r in runs):
        for scenario in PAGE_SCENARIOS:
            medians = {}
            for store in dict.fromkeys(r["store"] for r in runs):
                group = [r for r in runs if (r["universe"], r["store"], r["scenario"]) == (label, store, scenario.name)]
                medians[store] = {k: statistics.median(r[k] for r in group) for k in ("rps", "p50_ms", "p99_ms")}
                medians[store]["errors"] = sum(r["errors"] for r in group)
            for store, m in medians.items():
                rows.append([label, scenario.name, store, f"{m['rps']:.0f}", f"{m['p50_ms']:.2f}", f"{m['p99_ms']:.2f}",
                             m["errors"]])
            for store in medians:
                if store != "embedded":
                    rows.append([label, scenario.name, f"{store} ÷ embedded",
                                 f"{medians[store]['rps'] / medians['embedded']['rps']:.2f}×",
                                 f"{medians[store]['p50_ms'] / medians['embedded']['p50_ms']:.2f}×",
                                 f"{medians[store]['p99_ms'] / medians['embedded']['p99_ms']:.2f}×", ""])
            ratio = medians["oxigraph"]["p50_ms"] / medians["embedded"]["p50_ms"]
            if scenario.clients == 1:
                targets.append([label, f"median entity page over Oxigraph under {TARGET:g}× the embedded",
                                f"{ratio:.2f}×", "met" if ratio < TARGET else "**missed**"])
    out += report.table(["universe", "scenario", "store", "pages/s", "median ms", "p99 ms", "errors"], rows,
                        text_columns=3)
    out += ["#### Target", ""]
    out += report.table(["universe", "target", "measured", "result"], targets, text_columns=4)
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="shipped", help="comma-separated: 'shipped' and generated sizes")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of each wrk run")
    parser.add_argument("--repeat", type=int, default=3, help="wrk runs per store and scenario")
    parser.add_argument("--workers", type=int, default=2, help="kg serve --workers, for each")
    parser.add_argument("--stores", default="oxigraph,virtuoso", help="remote stores beside the embedded one: "
                        "oxigraph, or oxigraph,virtuoso")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write every measurement to this file")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    host = report.machine(("flask", "gunicorn", "pyoxigraph", "SPARQLWrapper", "oxigraph"))
    if "virtuoso" in args.stores and shutil.which("virtuoso-t") is None:
        raise SystemExit("Virtuoso is not installed: apt-get install -y virtuoso-opensource")
    runs = []
    with tempfile.TemporaryDirectory(prefix="remote-bench-") as tmp:
        for label in (s.strip() for s in args.sizes.split(",") if s.strip()):
            runs += measure(label, args, Path(tmp))
    print(markdown(runs, args, host))
    if args.json:
        args.json.write_text(json.dumps({"machine": host, "runs": runs}, indent=2) + "\n")


if __name__ == "__main__":
    main()
