"""Benchmark HTTP as issue 13 asks: entity pages against the server's own ceiling, compressed and not, in one run.

    python -m bench.http_bench [--duration 10] [--repeat 3] [--workers 2] [--clients 16]

One ``kg serve`` of the shipped universe (built first if missing or stale) is
asked, by wrk on the same machine, with ``--clients`` connections, in turn and
``--repeat`` times each (medians reported):

* **ceiling**: ``GET /health``, the cheapest answer the whole stack gives (the
  same before- and after-request work as a page: the fan's reading, security
  headers, validators), so that a page's figures read as a share of it;
* **entity pages**: every entity's page in turn, as a fan who has seen
  everything (cookie ``seen=all``), with no ``Accept-Encoding``; after the first
  pass they come from each worker's page cache (web/caching.py);
* **entity pages, compressed**: the same with ``Accept-Encoding: br, gzip``;
* **entity pages, never cached**: the same pages, each address made new by a
  query parameter the page ignores, so that every answer is rendered (the cost
  of a first visit to a page);
* **conditional GETs**: the pages again with ``If-None-Match`` of their tags
  (what a browser or a CDN revalidating sends): ``304`` answers.

Bytes on the wire are wrk's, per answer (headers included).  The report is
Markdown on stdout.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import urllib.request
from pathlib import Path

from . import report
from .build_bench import ROOT, SHIPPED
from .loadgen import wrk
from .web_bench import Server, ensure_build, path_lists

DATA = ROOT / "data"
COOKIE = "Cookie: seen=all"
WARM_UP = 15.0  # s of asking for the pages before the first measured run
NEW_ADDRESSES = 50_000  # distinct never-cached addresses: more than a run asks for


def etag_paths(url: str, paths: list[str], headers: dict) -> list[str]:
    """The tags of the pages, asked for once each (wrk sends one If-None-Match for all: so one page)."""
    request = urllib.request.Request(url + paths[0], headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return [response.headers["ETag"]]


def main(argv: list[str] | None = None) -> None:
    parser = report.arguments(__doc__, "shipped", 3, "wrk runs of each scenario")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of each wrk run")
    parser.add_argument("--workers", type=int, default=2, help="kg serve --workers")
    parser.add_argument("--clients", type=int, default=16, help="wrk connections")
    args = parser.parse_args(argv)
    host = report.machine(("flask", "Flask-Compress"))
    out_dir = ensure_build(SHIPPED, DATA)
    pages = path_lists(out_dir / "universe.nq", args.seed)["entities"]
    with tempfile.TemporaryDirectory(prefix="http-bench-") as work:
        folder = Path(work)
        files = {"health": ["/health"], "pages": pages,
                 "new": [f"{pages[n % len(pages)]}?fresh={n}" for n in range(NEW_ADDRESSES)]}
        for name, paths in files.items():
            (folder / f"{name}.txt").write_text("\n".join(paths) + "\n")
        server = Server(DATA, out_dir, args.workers, folder / "serve.log")
        try:
            server.first_200("/")
            server.settle()
            tag = etag_paths(server.url, pages, {"Cookie": "seen=all"})[0]
            (folder / "one.txt").write_text(pages[0] + "\n")
            scenarios = {
                "ceiling: GET /health": ("health", []),
                "entity pages": ("pages", [COOKIE]),
                "entity pages, compressed (br, gzip)": ("pages", [COOKIE, "Accept-Encoding: br, gzip"]),
                "entity pages, never cached": ("new", [COOKIE]),
                "conditional GET of a page (304)": ("one", [COOKIE, f"If-None-Match: {tag}"]),
            }
            runs: dict[str, list[dict]] = {name: [] for name in scenarios}
            for rep in range(args.repeat):  # the scenarios in turn, so that each meets the same machine
                for name, (paths, headers) in scenarios.items():
                    if rep == 0:  # warm-up: long enough for each worker to have kept every page once
                        wrk(server.url, folder / f"{paths}.txt", WARM_UP if paths == "pages" else 2, args.clients,
                            headers=tuple(headers))
                    run = wrk(server.url, folder / f"{paths}.txt", args.duration, args.clients, headers=tuple(headers))
                    runs[name].append(run)
                    print(f"  {name} #{rep + 1}: {run['rps']:.0f}/s, p99 {run['p99_ms']:.1f} ms, "
                          f"{run['bytes']:.0f} B, {run['errors']} errors", file=sys.stderr)
        finally:
            server.stop()
    print(markdown(runs, args, host))


def markdown(runs: dict[str, list[dict]], args, host: dict) -> str:
    command = (f"python -m bench.http_bench --duration {args.duration:g} --repeat {args.repeat} "
               f"--workers {args.workers} --clients {args.clients}")
    ceiling = statistics.median(run["rps"] for run in runs["ceiling: GET /health"])
    rows = []
    for name, group in runs.items():
        rps = statistics.median(run["rps"] for run in group)
        rows.append([name, f"{rps:,.0f}", f"{rps / ceiling:.0%}", f"{statistics.median(r['p50_ms'] for r in group):.2f}",
                     f"{statistics.median(r['p99_ms'] for r in group):.2f}",
                     f"{statistics.median(r['bytes'] for r in group):,.0f}", str(sum(r["errors"] for r in group))])
    head = (f"Measured with `{command}` on {host['nproc']} cores ({host['cpu']}), Python {host['python']}, "
            f"wrk, code at `{host['code']}`; load average before: "
            f"{', '.join(map(str, host['load_average']))}.")
    return "\n".join([head, "", *report.table(
        ["scenario", "answers/s (median)", "of the ceiling", "median ms", "p99 ms", "bytes per answer", "errors"],
        rows)])


if __name__ == "__main__":
    main()
