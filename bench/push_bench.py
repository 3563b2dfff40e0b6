"""Benchmark ``kg push`` to a real Oxigraph server, on the shipped universe and the 1M-triple one.

    python -m bench.push_bench --sizes shipped,1M [--repeat N] [--json FILE]

For each universe, the build is made or refreshed first and not timed (the
target is publishing a build).  Then, N times, a fresh ``oxigraph serve`` is
started on an empty database on disk, and ``kg push`` runs in a fresh process
three ways, each timed (process wall, peak resident memory):

* ``fresh``: by the Graph Store Protocol, to the empty server;
* ``again``: the same push again, onto the server that holds it (each graph
  replaced: what publishing an edited universe costs);
* ``update``: by SPARQL Update (``--update``), to another empty server.

After each push the server's quads are counted and must be the build's.
Needs PyPI's ``oxigraph`` (the test or bench extra).  Generated universes
and builds live in ``bench/out/`` as for :mod:`bench.build_bench`.  The
report is Markdown, on stdout.
"""

from __future__ import annotations

import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from . import report, servers
from .build_bench import OUT, run_process, universe_dir

MODES = ("fresh", "again", "update")
MODE_NOTES = {"fresh": "Graph Store Protocol, to an empty server",
              "again": "Graph Store Protocol, onto the same data (every graph replaced)",
              "update": "SPARQL Update, to an empty server"}


class Oxigraph:
    """``oxigraph serve`` on an empty database in ``location``, on a free port of 127.0.0.1."""

    def __init__(self, location: Path, log: Path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.log = log.open("ab")
        self.process = subprocess.Popen([servers.oxigraph_binary(), "serve", "--location", str(location), "--bind",
                                         f"127.0.0.1:{port}"], stdout=self.log, stderr=self.log,
                                        start_new_session=True)
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"oxigraph serve did not start; see {log}") from None
                time.sleep(0.1)

    def quads(self) -> int:
        request = urllib.request.Request(f"{self.url}/query", method="POST", headers={
            "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
            data=b"SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        with urllib.request.urlopen(request, timeout=600) as response:
            return int(json.load(response)["results"]["bindings"][0]["n"]["value"])

    def stop(self) -> None:
        servers.stop(self.process)
        self.log.close()


def push_argv(data_dir: Path, build_dir: Path, url: str, mode: str) -> list[str]:
    kg = str(Path(sys.executable).with_name("kg"))
    target = ["--update", f"{url}/update"] if mode == "update" else ["--graph-store", f"{url}/store"]
    return [kg, "push", "--data", str(data_dir), "--build", str(build_dir), "--endpoint", f"{url}/query", *target]


def measure(label: str, data_dir: Path, reps: int, work: Path) -> dict:
    build_dir = OUT / f"build-{label.lower()}"
    ensure = "import sys; from pathlib import Path; from kg.build import ensure_built; ensure_built(*map(Path, sys.argv[1:]))"
    run_process([sys.executable, "-c", ensure, str(data_dir), str(build_dir)])
    info = json.loads((build_dir / "build.json").read_text(encoding="utf-8"))
    runs: dict[str, list[dict]] = {mode: [] for mode in MODES}
    for rep in range(reps):
        for modes in (("fresh", "again"), ("update",)):  # each on a server of its own, empty at first
            location = work / f"{label}-{rep}-{modes[0]}"
            server = Oxigraph(location, work / "oxigraph.log")
            try:
                for mode in modes:
                    done = run_process(push_argv(data_dir, build_dir, server.url, mode))
                    held = server.quads()
                    if held != info["quads"]:
                        raise RuntimeError(f"{label} {mode}: the server holds {held} quads, the build {info['quads']}")
                    runs[mode].append({"seconds": done.wall, "peak_mb": done.peak_mb})
                    print(f"  {label} #{rep + 1} {mode}: {done.wall:.2f} s, peak {done.peak_mb:.0f} MiB",
                          file=sys.stderr)
            finally:
                server.stop()
                shutil.rmtree(location, ignore_errors=True)
    summary = {}
    for mode, group in runs.items():
        seconds = [r["seconds"] for r in group]
        summary[mode] = {"runs": group, "seconds": statistics.median(seconds), "min": min(seconds),
                         "max": max(seconds), "peak_mb": statistics.median(r["peak_mb"] for r in group)}
    return {"universe": label, "quads": info["quads"], "graphs": info["graphs"], "modes": summary}


def markdown(results: list[dict], host: dict) -> str:
    machine = (f"{host['nproc']} CPUs ({host['cpu']}), {host['memory_gib']} GiB, Python {host['python']}, "
               f"pyoxigraph {host['pyoxigraph']}, Oxigraph server {host['oxigraph']}; load average at the end "
               f"{host['load_average']}; code at {host['code']}.")
    rows = []
    for r in results:
        for mode in MODES:
            m = r["modes"][mode]
            rows.append([r["universe"], mode, MODE_NOTES[mode], r["graphs"], r["quads"], len(m["runs"]),
                         f"**{m['seconds']:.2f}**", f"{m['min']:.2f}–{m['max']:.2f}",
                         f"{r['quads'] / m['seconds']:,.0f}", f"{m['peak_mb']:.0f}"])
    return "\n".join([machine, "", *report.table(
        ["universe", "push", "how", "graphs", "quads", "runs", "wall s (median)", "min–max s", "quads/s",
         "peak RSS MiB"], rows, text_columns=3)])


def main(argv: list[str] | None = None) -> None:
    parser = report.arguments(__doc__, "shipped,1M", 3, "runs of each push per universe")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="push-bench-") as work:
        for label in (s.strip() for s in args.sizes.split(",") if s.strip()):
            results.append(measure(label, universe_dir(label, args.seed), args.repeat, Path(work)))
    host = report.machine(("pyoxigraph", "oxigraph"))
    print(markdown(results, host))
    if args.json:
        args.json.write_text(json.dumps({"machine": host, "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
