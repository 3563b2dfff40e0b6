"""Benchmark pages under slow and hostile clients, as issue 13 asks, in one run.

    python -m bench.hostile_bench [--duration 8] [--repeat 3] [--workers 2] [--clients 16]

One ``kg serve`` of the shipped universe; wrk asks every entity page in turn with ``--clients`` connections,
``--repeat`` times in each of three conditions, taken in turn so that the machine's noise falls on all alike:

* **quiet**: nothing else;
* **slowloris**: 50 more sockets, each sending a header line every 3 s and never finishing its request;
* **slow queries**: 8 clients, each from an address of its own (127.0.0.2-9, so each is within fair use),
  running a cross product over every triple that only the query time limit stops, again and again.

Targets (issue 13): p99 under 100 ms with the slowloris sockets open and with the slow queries running.
The report is Markdown on stdout, medians of the runs.
"""

from __future__ import annotations

import http.client
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from . import report
from .build_bench import ROOT, SHIPPED
from .loadgen import wrk
from .web_bench import Server, ensure_build, path_lists

DATA = ROOT / "data"
COOKIE = "Cookie: seen=all"
SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TARGET_P99_MS = 100.0


class Slowloris:
    """50 sockets that send a header line every 3 s and never end their request."""

    def __init__(self, port: int, n: int = 50):
        self.sockets = [socket.create_connection(("127.0.0.1", port)) for _ in range(n)]
        for s in self.sockets:
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        self.stopped = threading.Event()
        threading.Thread(target=self._drip, daemon=True).start()

    def _drip(self) -> None:
        while not self.stopped.wait(3):
            for s in self.sockets:
                try:
                    s.sendall(b"X-Slow: 1\r\n")
                except OSError:  # the server hung up on it (its header time limit): open another
                    s.close()
            self.sockets = [s for s in self.sockets if s.fileno() != -1]

    def stop(self) -> None:
        self.stopped.set()
        for s in self.sockets:
            s.close()


class SlowQueries:
    """8 clients, each from its own address, running a slow query again and again."""

    def __init__(self, url: str, n: int = 8):
        parts = urllib.parse.urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.stopped = threading.Event()
        self.statuses: list[int] = []
        for i in range(n):
            threading.Thread(target=self._ask, args=(f"127.0.0.{i + 2}",), daemon=True).start()

    def _ask(self, source: str) -> None:
        path = "/sparql?" + urllib.parse.urlencode({"query": SLOW_QUERY})
        while not self.stopped.is_set():
            connection = http.client.HTTPConnection(self.host, self.port, timeout=60, source_address=(source, 0))
            try:
                connection.request("GET", path)
                self.statuses.append(connection.getresponse().status)
            except OSError:
                time.sleep(0.5)
            finally:
                connection.close()

    def stop(self) -> None:
        self.stopped.set()


def main(argv: list[str] | None = None) -> None:
    parser = report.arguments(__doc__, "shipped", 3, "wrk runs of each condition")
    parser.add_argument("--duration", type=float, default=8.0, help="seconds of each wrk run")
    parser.add_argument("--workers", type=int, default=2, help="kg serve --workers")
    parser.add_argument("--clients", type=int, default=16, help="wrk connections")
    args = parser.parse_args(argv)
    host = report.machine(("uvicorn", "a2wsgi", "gunicorn"))
    out_dir = ensure_build(SHIPPED, DATA)
    pages = path_lists(out_dir / "universe.nq", args.seed)["entities"]
    runs: dict[str, list[dict]] = {"quiet": [], "slowloris": [], "slow queries": []}
    with tempfile.TemporaryDirectory(prefix="hostile-bench-") as work:
        paths = Path(work) / "pages.txt"
        paths.write_text("\n".join(pages) + "\n")
        server = Server(DATA, out_dir, args.workers, Path(work) / "serve.log")
        try:
            server.first_200("/")
            server.settle()
            wrk(server.url, paths, 10, args.clients, headers=(COOKIE,))  # warm-up: each worker keeps every page
            for rep in range(args.repeat):
                for condition in runs:
                    load = (Slowloris(server.port) if condition == "slowloris"
                            else SlowQueries(server.url) if condition == "slow queries" else None)
                    time.sleep(1 if load else 0)
                    try:
                        run = wrk(server.url, paths, args.duration, args.clients, headers=(COOKIE,))
                    finally:
                        if load:
                            load.stop()
                    runs[condition].append(run)
                    print(f"  {condition} #{rep + 1}: {run['rps']:.0f}/s, p99 {run['p99_ms']:.1f} ms, "
                          f"{run['errors']} errors", file=sys.stderr)
        finally:
            server.stop()
    print(markdown(runs, args, host))


def markdown(runs: dict[str, list[dict]], args, host: dict) -> str:
    command = (f"python -m bench.hostile_bench --duration {args.duration:g} --repeat {args.repeat} "
               f"--workers {args.workers} --clients {args.clients}")
    quiet = statistics.median(r["rps"] for r in runs["quiet"])
    rows = []
    for name, group in runs.items():
        p99 = statistics.median(r["p99_ms"] for r in group)
        rps = statistics.median(r["rps"] for r in group)
        met = "–" if name == "quiet" else ("met" if p99 < TARGET_P99_MS else "**missed**")
        rows.append([name, f"{rps:,.0f}", f"{rps / quiet:.0%}", f"{statistics.median(r['p50_ms'] for r in group):.2f}",
                     f"{p99:.2f}", str(sum(r["errors"] for r in group)), met])
    head = (f"Measured with `{command}` on {host['nproc']} cores ({host['cpu']}), Python {host['python']}, "
            f"wrk, code at `{host['code']}`; load average before: {', '.join(map(str, host['load_average']))}.")
    return "\n".join([head, "", *report.table(
        ["condition", "entity pages/s (median)", "of quiet", "median ms", "p99 ms", "errors",
         f"p99 under {TARGET_P99_MS:g} ms"], rows)])


if __name__ == "__main__":
    main()
