"""Benchmark entity pages through nginx (`kg deploy nginx`'s configuration) with one and two replicas, beside a
replica asked directly, in one run.

    python -m bench.nginx_bench [--duration 8] [--repeat 3] [--clients 16]

Needs wrk and nginx (Debian packages).  Three set-ups of the shipped universe on the same two cores, wrk
asking every entity page in turn with ``--clients`` connections, ``--repeat`` times each, in turn:

* **direct**: one ``kg serve --workers 2``, no proxy;
* **nginx, 1 replica**: the same behind nginx (its cache keeps what the app marks public);
* **nginx, 2 replicas**: two ``kg serve --workers 1`` behind nginx (the same two worker processes in all);

each asked for pages asked again (nginx's cache and the workers' keep them) and for pages never asked before
(each address new: every answer rendered by a replica).

The report is Markdown on stdout, medians of the runs.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from web.deploy import write

from . import report, servers
from .build_bench import ROOT, SHIPPED
from .loadgen import wrk
from .web_bench import Server, ensure_build, free_port, path_lists

DATA = ROOT / "data"
COOKIE = "Cookie: seen=all"


def nginx(conf: Path, port: int):
    import subprocess
    import time
    import urllib.request

    process = subprocess.Popen([shutil.which("nginx") or "/usr/sbin/nginx", "-c", str(conf), "-p", str(conf.parent)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                return process
        except OSError:
            time.sleep(0.1)
    raise SystemExit("nginx did not answer")


def main(argv: list[str] | None = None) -> None:
    parser = report.arguments(__doc__, "shipped", 3, "wrk runs of each set-up")
    parser.add_argument("--duration", type=float, default=8.0, help="seconds of each wrk run")
    parser.add_argument("--clients", type=int, default=16, help="wrk connections")
    args = parser.parse_args(argv)
    host = report.machine(("uvicorn", "gunicorn"))
    out_dir = ensure_build(SHIPPED, DATA)
    pages = path_lists(out_dir / "universe.nq", args.seed)["entities"]
    setups = ("direct, 1 replica of 2 workers", "nginx, 1 replica of 2 workers", "nginx, 2 replicas of 1 worker")
    runs: dict[str, list[dict]] = {f"{s}: {kind}": [] for kind in ("pages asked again", "pages never asked before")
                                   for s in setups}
    with tempfile.TemporaryDirectory(prefix="nginx-bench-") as work:
        folder = Path(work)
        paths = folder / "pages.txt"
        paths.write_text("\n".join(pages) + "\n")
        fresh = folder / "fresh.txt"  # each address new: neither nginx's cache nor a worker's has it
        fresh.write_text("\n".join(f"{pages[n % len(pages)]}?fresh={n}" for n in range(50_000)) + "\n")
        one = Server(DATA, out_dir, 2, folder / "one.log", ("--proxies", "1"))
        pair = [Server(DATA, out_dir, 1, folder / f"r{i}.log", ("--proxies", "1")) for i in range(2)]
        started = []
        try:
            for server in (one, *pair):
                server.first_200("/")
                server.settle()
            ports = (free_port(), free_port())
            proxies = [nginx(write([f"127.0.0.1:{one.port}"], f"127.0.0.1:{ports[0]}", folder / "n1"), ports[0]),
                       nginx(write([f"127.0.0.1:{s.port}" for s in pair], f"127.0.0.1:{ports[1]}", folder / "n2"),
                             ports[1])]
            started = proxies
            urls = dict(zip(setups, (one.url, *(f"http://127.0.0.1:{p}" for p in ports)), strict=True))
            for rep in range(args.repeat):
                for name, measured in runs.items():
                    setup, kind = name.split(": ")
                    url, chosen = urls[setup], (paths if kind == "pages asked again" else fresh)
                    if rep == 0 and chosen is paths:
                        wrk(url, paths, 5, args.clients, headers=(COOKIE,))  # warm-up: caches filled
                    run = wrk(url, chosen, args.duration, args.clients, headers=(COOKIE,))
                    measured.append(run)
                    print(f"  {name} #{rep + 1}: {run['rps']:.0f}/s, p99 {run['p99_ms']:.1f} ms, "
                          f"{run['errors']} errors", file=sys.stderr)
        finally:
            for process in started:
                servers.stop(process)
            for server in (one, *pair):
                server.stop()
    print(markdown(runs, args, host))


def markdown(runs: dict[str, list[dict]], args, host: dict) -> str:
    command = f"python -m bench.nginx_bench --duration {args.duration:g} --repeat {args.repeat} --clients {args.clients}"
    def direct(name: str) -> float:
        kind = name.split(": ")[1]
        return statistics.median(r["rps"] for r in runs[f"direct, 1 replica of 2 workers: {kind}"])

    rows = [[name, f"{statistics.median(r['rps'] for r in group):,.0f}",
             f"{statistics.median(r['rps'] for r in group) / direct(name):.2f}×",
             f"{statistics.median(r['p50_ms'] for r in group):.2f}", f"{statistics.median(r['p99_ms'] for r in group):.2f}",
             str(sum(r["errors"] for r in group))] for name, group in runs.items()]
    head = (f"Measured with `{command}` on {host['nproc']} cores ({host['cpu']}), Python {host['python']}, wrk and "
            f"nginx on the same cores, code at `{host['code']}`; load average before: "
            f"{', '.join(map(str, host['load_average']))}.")
    return "\n".join([head, "", *report.table(
        ["set-up", "entity pages/s (median)", "÷ direct", "median ms", "p99 ms", "errors"], rows)])


if __name__ == "__main__":
    main()
