"""Benchmark ``kg serve``: start-up, latency with one client, throughput with sixteen.

    python -m bench.web_bench --sizes shipped,1M [--duration 10] [--repeat 3] [--workers 2]

Needs ``wrk`` (Debian package ``wrk``).  For each universe, the build is made
first if it is missing or stale (``bench/out/build-<size>``, as the build
benchmark leaves it), so that start-up measures serving, not building.  Then:

* **start-up**: ``kg serve`` is started ``--repeat`` times; each time, the wall
  time from launching the command to the first 200 answer for ``/``, and to the
  first answer of a connections page (the search index and the entity graph
  are built in the background once pages are served: :mod:`web.warm`);
* **scenarios**: on the last server started, once every worker has finished
  loading (the server's processes are idle), each scenario is warmed up for a
  second and then run ``--repeat`` times by ``wrk`` with ``bench/wrk_paths.lua``,
  which asks for the paths of a list in turn and prints its figures as JSON.

The path lists are made from the build itself: every entity page (a seeded
sample of 5,000 past that), as-you-type prefixes (1 to 6 characters) of the
names of a sample of entities, and pairs of entities whose shortest chain is
four steps.  The report is Markdown, on stdout: medians over the repetitions.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode

from . import report, servers
from .build_bench import OUT, ROOT, SHIPPED, universe_dir

LUA = Path(__file__).with_name("wrk_paths.lua")
SAMPLE = 5000  # entity pages asked for at most
PREFIX_NAMES = 300  # entities whose names are typed, prefix by prefix
PAIRS = 40  # entity pairs four steps apart
START_TIMEOUT = 300.0


@dataclass(frozen=True)
class Scenario:
    name: str
    paths: str  # which list: entities | suggestions | connections
    threads: int
    clients: int
    what: str


SCENARIOS = (
    Scenario("entity page, 1 client", "entities", 1, 1, "GET /id/<slug> (HTML), every entity in turn"),
    Scenario("suggestions, 1 client", "suggestions", 1, 1, "GET /api/search?q=<prefix>&limit=8"),
    Scenario("connections (4 steps), 1 client", "connections", 1, 1,
             "GET /connections?from=&to= (HTML) for pairs whose shortest chain is 4 steps"),
    Scenario("entity page, 16 clients", "entities", 2, 16, "GET /id/<slug> (HTML), 16 connections, 2 wrk threads"),
)
#: (scenario, figure, limit, unit, what): the targets of the web issue (on the shipped universe).
TARGETS = (
    ("entity page, 1 client", "p50_ms", 10.0, "ms", "entity page median under 10 ms"),
    ("entity page, 1 client", "p99_ms", 50.0, "ms", "entity page p99 under 50 ms"),
    ("suggestions, 1 client", "p50_ms", 5.0, "ms", "search suggestions median under 5 ms"),
    ("connections (4 steps), 1 client", "p50_ms", 100.0, "ms", "connections (4 steps) under 100 ms (median)"),
    ("entity page, 16 clients", "rps", -500.0, "/s", "at least 500 entity pages/s at 16 clients"),
    ("entity page, 16 clients", "p99_ms", 100.0, "ms", "p99 under 100 ms at 16 clients"),
    ("entity page, 16 clients", "errors", 0.0, "", "no errors at 16 clients"),
)
START_TARGET = ("1M", 15.0, "kg serve start-up under 15 s to first page (1M triples)")


@dataclass
class Run:
    universe: str
    scenario: str
    rep: int
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: int  # connect, read, write and timeout errors, and answers with status >= 400


# --- the path lists -----------------------------------------------------------------------------------------------


def path_lists(nquads: Path, seed: int) -> dict[str, list[str]]:
    """What the scenarios ask for, made from the built universe with the app's own library."""
    from kg.model import model
    from kg.namespaces import JWO, JWR
    from kg.store import EmbeddedStore
    from kg.store.catalog import load_catalog
    from kg.views.connections import connect, distances
    from kg.views.entitygraph import Lens, load_graph
    from kg.views.search import fold

    def path_of(entity) -> str:  # an entity's slug, or a performance's slug path
        return str(entity).removeprefix(str(JWR))

    store = EmbeddedStore.from_nquads(nquads)
    catalog = load_catalog(store)
    rng = random.Random(seed)
    entities = sorted(catalog.classes, key=str)
    if len(entities) > SAMPLE:
        entities = sorted(rng.sample(entities, SAMPLE), key=str)
    pages = ["/id/" + path_of(e) for e in entities]

    prefixes = []
    for entity in rng.sample(entities, min(PREFIX_NAMES, len(entities))):
        name = fold(catalog.label(entity))
        prefixes += [name[:n] for n in range(1, min(len(name), 6) + 1) if not name[:n].endswith(" ")]
    suggestions = ["/api/search?" + urlencode({"q": prefix, "limit": 8}) for prefix in prefixes]

    graph = load_graph(store, catalog, model())
    characters = [e for e in sorted(catalog.classes, key=str) if catalog.classes[e] == JWO.Character]
    pairs: list[tuple[str, str]] = []
    for start in rng.sample(characters, len(characters)):
        far = sorted((e for e, d in distances(Lens(graph, trivial=False), start, 4).items() if d == 4), key=str)
        for end in rng.sample(far, min(3, len(far))):
            chains = connect(graph, start, end).chains
            if chains and len(chains[0].steps) == 4:
                pairs.append((path_of(start), path_of(end)))
        if len(pairs) >= PAIRS:
            break
    if not pairs:
        raise SystemExit(f"{nquads}: no two characters are four steps apart; nothing to time for connections")
    connections = ["/connections?" + urlencode({"from": a, "to": b}) for a, b in pairs[:PAIRS]]
    return {"entities": pages, "suggestions": suggestions, "connections": connections}


# --- the server -----------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``kg serve`` in a process group of its own, on 127.0.0.1."""

    def __init__(self, data_dir: Path, out_dir: Path, workers: int, log: Path, options: tuple[str, ...] = ()):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        kg = str(Path(sys.executable).with_name("kg"))
        argv = [kg, "serve", "--data", str(data_dir), "--out", str(out_dir), "--host", "127.0.0.1",
                "--port", str(self.port), "--workers", str(workers), *options]
        self.log = log.open("ab")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(argv, cwd=ROOT, stdout=self.log, stderr=self.log, start_new_session=True)

    def first_200(self, path: str = "/") -> float:
        """Seconds from launch to the first 200 for ``path``."""
        while time.perf_counter() - self.started < START_TIMEOUT:
            if self.process.poll() is not None:
                raise SystemExit(f"kg serve exited with {self.process.returncode}; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.url + path, timeout=START_TIMEOUT) as response:
                    if response.status == 200:
                        return time.perf_counter() - self.started
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.02)
        raise SystemExit(f"kg serve gave no answer for {path} in {START_TIMEOUT:.0f} s; see {self.log.name}")

    def pids(self) -> list[int]:
        """The server's processes: the gunicorn master and its workers."""
        found = [self.process.pid]
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                try:
                    stat = Path(f"/proc/{pid}/stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:  # its parent
                    found.append(int(pid))
        return found

    def cpu_seconds(self) -> float:
        total = 0.0
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total

    def settle(self) -> None:
        """Wait until every worker has loaded the universe: the processes stop using the CPU."""
        last = self.cpu_seconds()
        while True:
            time.sleep(1.0)
            now = self.cpu_seconds()
            if now - last < 0.05:
                return
            last = now

    def memory_mb(self) -> dict[str, float]:
        """Resident memory of each worker now, and its peak (VmRSS, VmHWM), in MiB."""
        rss, peak = [], []
        for pid in self.pids()[1:]:
            try:
                status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
            except OSError:
                continue
            rss.append(int(status["VmRSS"].split()[0]) / 1024)
            peak.append(int(status["VmHWM"].split()[0]) / 1024)
        return {"workers": len(rss), "worker_rss_mb": max(rss, default=0.0), "worker_peak_mb": max(peak, default=0.0)}

    def stop(self) -> None:
        servers.stop(self.process)
        self.log.close()


# --- wrk ---------------------------------------------------------------------------------------------------------


def wrk(url: str, scenario: Scenario, paths_file: Path, seconds: float) -> dict:
    argv = ["wrk", f"-t{scenario.threads}", f"-c{scenario.clients}", f"-d{seconds:g}s", "--timeout", "10s",
            "-s", str(LUA), url, "--", str(paths_file)]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    line = next((line for line in done.stdout.splitlines() if line.startswith("{")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return json.loads(line)


def to_run(universe: str, scenario: Scenario, rep: int, figures: dict) -> Run:
    seconds = figures["duration_us"] / 1e6
    latency = figures["latency_us"]
    return Run(universe, scenario.name, rep, figures["requests"], seconds, figures["requests"] / seconds,
               latency["p50"] / 1000, latency["p90"] / 1000, latency["p99"] / 1000, latency["max"] / 1000,
               sum(figures["errors"].values()))


# --- one universe ------------------------------------------------------------------------------------------------


def ensure_build(label: str, data_dir: Path) -> Path:
    """The universe's build folder, built now (by ``kg build``) if missing or older than its data."""
    from kg.build.pipeline import ensure_built  # the same freshness rule as kg serve's

    out_dir = OUT / f"build-{label.lower()}"
    started = time.perf_counter()
    ensure_built(data_dir, out_dir)
    if time.perf_counter() - started > 1:
        print(f"  built {out_dir}", file=sys.stderr)
    return out_dir


def measure(label: str, data_dir: Path, args: argparse.Namespace, work: Path) -> tuple[dict, list[Run]]:
    out_dir = ensure_build(label, data_dir)
    lists = path_lists(out_dir / "universe.nq", args.seed)
    files = {}
    for name, paths in lists.items():
        files[name] = work / f"{label}-{name}.txt"
        files[name].write_text("\n".join(paths) + "\n")
    info = {"universe": label, "entity_pages": len(lists["entities"]), "prefixes": len(lists["suggestions"]),
            "pairs": len(lists["connections"]), "startups": [], "readies": []}
    server = None
    for rep in range(args.repeat):
        if server is not None:
            server.stop()
        server = Server(data_dir, out_dir, args.workers, work / f"{label}-serve.log")
        info["startups"].append(server.first_200("/"))
        # the search index and then the entity graph are built in the background (web.warm); a
        # connections answer waits for the last of them
        info["readies"].append(server.first_200(lists["connections"][0]))
        print(f"  {label} start-up #{rep + 1}: first page {info['startups'][-1]:.2f} s, "
              f"connections {info['readies'][-1]:.2f} s", file=sys.stderr)
        server.settle()
    runs = []
    try:
        for scenario in SCENARIOS:
            wrk(server.url, scenario, files[scenario.paths], 1)  # warm-up
            for rep in range(args.repeat):
                run = to_run(label, scenario, rep, wrk(server.url, scenario, files[scenario.paths], args.duration))
                runs.append(run)
                print(f"  {label} {scenario.name} #{rep + 1}: {run.rps:.0f}/s, median {run.p50_ms:.2f} ms, "
                      f"p99 {run.p99_ms:.2f} ms, {run.errors} errors", file=sys.stderr)
        info.update(server.memory_mb())
    finally:
        server.stop()
    info["startup_s"] = statistics.median(info["startups"])
    info["ready_s"] = statistics.median(info["readies"])
    return info, runs


def summarize(runs: list[Run]) -> list[dict]:
    rows = []
    for key in dict.fromkeys((r.universe, r.scenario) for r in runs):
        group = [r for r in runs if (r.universe, r.scenario) == key]
        row = {"universe": key[0], "scenario": key[1], "n": len(group), "requests": sum(r.requests for r in group),
               "errors": sum(r.errors for r in group)}
        for figure in ("rps", "p50_ms", "p90_ms", "p99_ms", "max_ms"):
            row[figure] = statistics.median(getattr(r, figure) for r in group)
        rows.append(row)
    return rows


# --- the report --------------------------------------------------------------------------------------------------


def markdown(infos: list[dict], rows: list[dict], args: argparse.Namespace, host: dict) -> str:
    command = (f"python -m bench.web_bench --sizes {args.sizes} --duration {args.duration:g} "
               f"--repeat {args.repeat} --workers {args.workers}")
    out = [(f"Measured with `{command}` on {host['nproc']} cores ({host['cpu']}), Python {host['python']}, "
            f"{host['wrk']}, code at `{host['code']}`; load average before: "
            f"{', '.join(map(str, host['load_average']))}."), ""]
    out += ["### Targets", ""]
    targets = []
    for scenario, figure, limit, unit, what in TARGETS:
        row = next((r for r in rows if r["universe"] == SHIPPED and r["scenario"] == scenario), None)
        if row is None:
            continue
        value = row[figure]
        met = value >= -limit if limit < 0 else value <= limit
        shown = f"{value:.0f}" if figure in ("rps", "errors") else f"{value:.2f}"
        targets.append([SHIPPED, what, f"{shown} {unit}".strip(), "met" if met else "**missed**"])
    label, limit, what = START_TARGET
    info = next((i for i in infos if i["universe"] == label), None)
    if info is not None:
        targets.append([label, what, f"{info['startup_s']:.2f} s",
                        "met" if info["startup_s"] <= limit else "**missed**"])
    out += report.table(["universe", "target", "measured (median)", "result"], targets, text_columns=4)
    out += ["### Start-up and memory", ""]
    out += report.table(
        ["universe", "start-ups", "to first page, median s", "min–max s", "to first connections answer, median s",
         "workers", "worker RSS MiB", "worker peak MiB", "entity pages", "prefixes", "pairs"],
        [[i["universe"], len(i["startups"]), f"{i['startup_s']:.2f}",
          f"{min(i['startups']):.2f}–{max(i['startups']):.2f}", f"{i['ready_s']:.2f}", i.get("workers", "–"),
          f"{i.get('worker_rss_mb', 0):.0f}", f"{i.get('worker_peak_mb', 0):.0f}", i["entity_pages"],
          i["prefixes"], i["pairs"]] for i in infos])
    out += ["### Latency and throughput", ""]
    out += report.table(
        ["universe", "scenario", "runs", "requests", "per second", "median ms", "p90 ms", "p99 ms", "max ms",
         "errors"],
        [[r["universe"], r["scenario"], r["n"], r["requests"], f"{r['rps']:.0f}", f"{r['p50_ms']:.2f}",
          f"{r['p90_ms']:.2f}", f"{r['p99_ms']:.2f}", f"{r['max_ms']:.1f}", r["errors"]] for r in rows],
        text_columns=2)
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="shipped",
                        help="comma-separated: 'shipped' (data/) and generated sizes like 100k, 1M")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of each wrk run")
    parser.add_argument("--repeat", type=int, default=3, help="start-ups, and wrk runs per scenario")
    parser.add_argument("--workers", type=int, default=2, help="kg serve --workers")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write every measurement to this file")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False).stdout.split("[")[0].strip()
    host = {**report.machine(("flask", "gunicorn", "pyoxigraph", "rdflib")), "wrk": wrk_version}
    infos, runs = [], []
    with tempfile.TemporaryDirectory(prefix="web-bench-") as tmp:
        for label in (s.strip() for s in args.sizes.split(",") if s.strip()):
            info, mine = measure(label, universe_dir(label, args.seed), args, Path(tmp))
            infos.append(info)
            runs.extend(mine)
    rows = summarize(runs)
    print(markdown(infos, rows, args, host))
    if args.json:
        args.json.write_text(json.dumps({"machine": host, "universes": infos, "runs": [asdict(r) for r in runs],
                                         "summary": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
