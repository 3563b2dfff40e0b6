"""Benchmark ``/sparql`` against an rdflib-backed endpoint and the Oxigraph server, side by side.

    python -m bench.sparql_bench [--duration 10] [--repeat 3] [--clients 8]

Needs ``wrk`` (Debian) and the bench extra (``pip install -e '.[bench]'``:
``rdflib-endpoint``, ``uvicorn`` and ``oxigraph``).  The three servers hold the
same data, the shipped universe's build, with the union of its graphs as the
default graph:

* **kg serve**: 2 web workers and 2 query executors (the defaults), its
  per-client limits raised because wrk is a single client;
* **rdflib-endpoint** over an rdflib ``Dataset``, 2 uvicorn workers;
* **Oxigraph server** (``oxigraph serve-read-only --union-default-graph``).

Every example query (``kg/sparql/queries/*.rq``) is first asked once of each server
and its status noted; then wrk (``bench/wrk_paths.lua``) asks the examples in
turn with ``--clients`` connections.  Runs alternate between the servers
(ABC ABC ABC), so that the machine's noise falls on all three alike; the
report gives medians and the ratios of the medians.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from . import loadgen, report, servers
from .build_bench import OUT, ROOT
from .web_bench import free_port

ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"
START_TIMEOUT = 120.0
PROBE_TIMEOUT = 10.0  # an example a server cannot answer in this long is left out of every server's mix
TARGETS = (("rdflib-endpoint", 10.0, "at least 10× the rdflib baseline"),
           ("Oxigraph server", 0.5, "within 2× of the Oxigraph server"))


class Endpoint:
    """A server in a process group of its own, answering SPARQL at ``url``."""

    def __init__(self, name: str, argv: list[str], port: int, path: str, log: Path):
        self.name, self.argv, self.port, self.path = name, argv, port, path
        self.url = f"http://127.0.0.1:{port}"
        self.log = log.open("ab")
        self.process = subprocess.Popen(argv, cwd=ROOT, stdout=self.log, stderr=self.log, start_new_session=True)

    def ask(self, query: str, timeout: float = PROBE_TIMEOUT) -> int:
        """The status of the answer; 0 when there was none within ``timeout``."""
        request = urllib.request.Request(f"{self.url}{self.path}?{urlencode({'query': query})}",
                                         headers={"Accept": ACCEPT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except TimeoutError:
            return 0

    def restart(self) -> Endpoint:
        """A fresh process (one still grinding on an abandoned query would load the machine)."""
        self.stop()
        return Endpoint(self.name, self.argv, self.port, self.path, Path(self.log.name))

    def wait(self, probe: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited with {self.process.returncode}; see {self.log.name}")
            try:
                if self.ask(probe) == 200:
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise SystemExit(f"{self.name} did not answer within {START_TIMEOUT:.0f} s; see {self.log.name}")

    def stop(self) -> None:
        servers.stop(self.process)
        self.log.close()


def start_all(out_dir: Path, work: Path) -> list[Endpoint]:
    nquads = out_dir / "universe.nq"
    bin_dir = Path(sys.executable).parent
    oxigraph = servers.oxigraph_binary()
    location = work / "oxigraph"
    servers.oxigraph_load(nquads, location)
    ours, baseline, reference = free_port(), free_port(), free_port()
    return [
        Endpoint("kg serve", [str(bin_dir / "kg"), "serve", "--out", str(out_dir), "--host", "127.0.0.1",
                              "--port", str(ours), "--client-queries", "1000", "--client-budget", "1e9"],
                 ours, "/sparql", work / "kg.log"),
        Endpoint("rdflib-endpoint", [sys.executable, "-m", "bench.rdflib_baseline", str(nquads), str(baseline), "2"],
                 baseline, "/sparql", work / "rdflib.log"),
        Endpoint("Oxigraph server", [oxigraph, "serve-read-only", "--location", str(location), "--bind",
                                     f"127.0.0.1:{reference}", "--union-default-graph"],
                 reference, "/query", work / "oxigraph.log"),
    ]


def wrk(endpoint: Endpoint, paths: Path, clients: int, seconds: float) -> dict:
    return loadgen.wrk(endpoint.url, paths, seconds, clients, headers=(f"Accept: {ACCEPT}",), timeout="30s")


def measure(args: argparse.Namespace, work: Path) -> tuple[dict, dict]:
    from kg.build import ensure_built
    from kg.sparql.examples import load_examples

    out_dir = OUT / "build-shipped"
    ensure_built(ROOT / "data", out_dir)
    examples = load_examples()
    endpoints = start_all(out_dir, work)
    try:
        for endpoint in endpoints:
            endpoint.wait("ASK { ?s ?p ?o }")
        statuses = {e.name: {x.name: e.ask(x.query) for x in examples} for e in endpoints}
        for i, endpoint in enumerate(endpoints):
            if 0 in statuses[endpoint.name].values():
                endpoints[i] = endpoint.restart()
                endpoints[i].wait("ASK { ?s ?p ?o }")
        mix = [x for x in examples if all(statuses[e.name][x.name] == 200 for e in endpoints)]
        runs: dict[str, list[dict]] = {e.name: [] for e in endpoints}
        files = {}
        for endpoint in endpoints:
            files[endpoint.name] = work / f"{endpoint.port}.txt"
            files[endpoint.name].write_text("".join(f"{endpoint.path}?{urlencode({'query': x.query})}\n"
                                                    for x in mix))
            wrk(endpoint, files[endpoint.name], args.clients, 2)  # warm-up
        for rep in range(args.repeat):
            for endpoint in endpoints:
                run = wrk(endpoint, files[endpoint.name], args.clients, args.duration)
                runs[endpoint.name].append(run)
                print(f"  #{rep + 1} {endpoint.name}: {run['rps']:.0f}/s, median {run['p50_ms']:.1f} ms, "
                      f"p99 {run['p99_ms']:.1f} ms, {run['errors']} errors", file=sys.stderr)
    finally:
        for endpoint in endpoints:
            endpoint.stop()
    return statuses, runs


def markdown(statuses: dict, runs: dict, args: argparse.Namespace, host: dict) -> str:
    command = f"python -m bench.sparql_bench --duration {args.duration:g} --repeat {args.repeat} " \
              f"--clients {args.clients}"
    medians = {name: {k: statistics.median(r[k] for r in rs) for k in ("rps", "p50_ms", "p99_ms")}
               for name, rs in runs.items()}
    ours = medians["kg serve"]
    out = [f"Measured with `{command}` on {host['nproc']} cores ({host['cpu']}), Python {host['python']}, "
           f"code at `{host['code']}`; load average before: {', '.join(map(str, host['load_average']))}. "
           f"The mix: the example queries every server answered (200) within {PROBE_TIMEOUT:g} s, in turn, "
           f"over {args.clients} connections; examples left out, and why, are in the last column.", ""]
    rows = []
    for name, figures in medians.items():
        failed = sorted(f"{q} ({status or 'no answer in ' + format(PROBE_TIMEOUT, 'g') + ' s'})"
                        for q, status in statuses[name].items() if status != 200)
        rows.append([name, f"{figures['rps']:.0f}", f"{figures['p50_ms']:.1f}", f"{figures['p99_ms']:.1f}",
                     f"{ours['rps'] / figures['rps']:.2f}×", sum(r["errors"] for r in runs[name]),
                     ", ".join(failed) or "none"])
    out += report.table(["server", "queries/s (median)", "median ms", "p99 ms", "kg serve's throughput ÷ this",
                         "wrk errors", "examples it did not answer with 200"], rows, text_columns=1)
    out += ["### Targets", ""]
    targets = []
    for name, needed, what in TARGETS:
        ratio = ours["rps"] / medians[name]["rps"]
        targets.append([what, f"{ratio:.2f}×", "met" if ratio >= needed else "**missed**"])
    out += report.table(["target", "kg serve ÷ it (throughput)", "result"], targets, text_columns=3)
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of each wrk run")
    parser.add_argument("--repeat", type=int, default=3, help="wrk runs per server")
    parser.add_argument("--clients", type=int, default=8, help="concurrent connections")
    parser.add_argument("--json", type=Path, help="also write every measurement to this file")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    host = report.machine(("flask", "gunicorn", "pyoxigraph", "rdflib", "rdflib-endpoint", "oxigraph"))
    with tempfile.TemporaryDirectory(prefix="sparql-bench-") as tmp:
        statuses, runs = measure(args, Path(tmp))
    print(markdown(statuses, runs, args, host))
    if args.json:
        args.json.write_text(json.dumps({"machine": host, "statuses": statuses, "runs": runs}, indent=2) + "\n")


if __name__ == "__main__":
    main()
