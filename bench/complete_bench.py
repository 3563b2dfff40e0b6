"""Benchmark the query editor's completion in-process: ``/api/complete``'s answers, without HTTP.

    python -m bench.complete_bench --sizes shipped,1M [--repeat 5] [--seed 7]

For each universe (built first if missing or stale, as ``bench.web_bench`` does), the completer is built
from an embedded store as the app builds it (the search index, then :func:`kg.views.complete.read_stats`),
then every request of five lists is timed ``--repeat`` times (each request's median counts once):

* **entities**: the 1- to 6-character starts of the IRI names of a sample of entities (``jwr:eve-m``);
* **entities after a property**: the same starts after each property (``?c jwo:memberOf jwr:c``), and with
  nothing typed;
* **properties of a subject**: 0 to 3 characters of a property, after a sampled entity (asks the store);
* **properties of a class**: the same after a variable of each class (``?c a jwo:Character . ?c jwo:``);
* **classes**: 0 to 3 characters after ``a``.

The targets: a median under 5 ms on the shipped universe and under 20 ms at a million triples.  The
report is Markdown on stdout.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from . import report
from .build_bench import universe_dir
from .web_bench import ensure_build

SAMPLE = 200
TARGETS = {"shipped": 5.0, "1M": 20.0}


def requests(completer, catalog, stats, rng: random.Random) -> dict[str, list]:
    from kg.namespaces import slug_of

    entities = sorted(catalog.classes, key=str)
    sample = rng.sample(entities, min(SAMPLE, len(entities)))
    starts = [slug[:n] for e in sample if (slug := slug_of(e)) for n in range(1, min(len(slug), 6) + 1)]
    properties = sorted(stats.object_classes, key=str)
    classes = sorted(stats.class_properties, key=str)
    local = [str(p).rstrip("/").rsplit("/", 1)[-1] for p in sorted(stats.properties, key=str)]
    pieces = [word[:n] for word in rng.sample(local, min(40, len(local))) for n in range(4)]
    return {
        "entities": [lambda s=s: completer.entities(s) for s in starts],
        "entities after a property": [lambda s=s, p=p: completer.entities(s, predicate=p)
                                      for p in properties for s in ("", *rng.sample(starts, 5))],
        "properties of a subject": [lambda e=e, q=q: completer.properties(q, subject=e)
                                    for e in sample[:50] for q in rng.sample(pieces, 3)],
        "properties of a class": [lambda c=c, q=q: completer.properties(q, cls=c)
                                  for c in classes for q in rng.sample(pieces, 3)],
        "classes": [lambda q=q: completer.classes(q) for q in pieces],
    }


def timed(calls, repeat: int) -> dict:
    medians = []
    for call in calls:
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
        medians.append(statistics.median(times) * 1000)
    ordered = sorted(medians)
    return {"requests": len(ordered), "median_ms": statistics.median(ordered),
            "p90_ms": ordered[int(0.9 * (len(ordered) - 1))], "max_ms": ordered[-1]}


def measure(label: str, repeat: int, seed: int) -> dict:
    from kg.heap import gc_paused
    from kg.store import EmbeddedStore
    from kg.store.catalog import load_catalog
    from kg.views.complete import Completer, read_stats
    from kg.views.search import build_index

    out_dir = ensure_build(label, universe_dir(label, seed))
    store = EmbeddedStore.from_nquads(out_dir / "universe.nq")
    catalog = load_catalog(store)
    with gc_paused(freeze=True):  # as the app builds them (web.warm)
        index = build_index(store, catalog)
        started = time.perf_counter()
        stats = read_stats(store)
        completer = Completer(store, catalog, index, stats)
        built = time.perf_counter() - started
    lists = requests(completer, catalog, stats, random.Random(seed))
    runs = {name: timed(calls, repeat) for name, calls in lists.items()}
    every = sorted(m for name, calls in lists.items() for m in [runs[name]["median_ms"]])
    return {"universe": label, "built_s": built, "runs": runs, "overall_median_ms": statistics.median(every)}


def markdown(results: list[dict], args: argparse.Namespace, host: dict) -> str:
    command = f"python -m bench.complete_bench --sizes {args.sizes} --repeat {args.repeat} --seed {args.seed}"
    out = [(f"Measured with `{command}` on {host['nproc']} cores ({host['cpu']}), Python {host['python']}, "
            f"pyoxigraph {host['pyoxigraph']}, code at `{host['code']}`; load average before: "
            f"{', '.join(map(str, host['load_average']))}."), ""]
    out += report.table(["universe", "completer built in (after the search index), s"],
                        [[r["universe"], f"{r['built_s']:.2f}"] for r in results])
    rows = [[name, r["universe"], run["requests"], f"{run['median_ms']:.3f}", f"{run['p90_ms']:.3f}",
             f"{run['max_ms']:.2f}"] for name in results[0]["runs"] for r in results if (run := r["runs"][name])]
    out += [""] + report.table(["requests", "universe", "n", "median ms", "p90 ms", "max ms"], rows, text_columns=2)
    targets = []
    for r in results:
        target = TARGETS.get(r["universe"])
        if target is None:
            continue
        worst = max(run["median_ms"] for run in r["runs"].values())
        targets.append([r["universe"], f"every list's median under {target:g} ms", f"{worst:.2f} ms (the slowest list)",
                        "met" if worst < target else "**missed**"])
    out += ["", "#### Targets", ""] + report.table(["universe", "target", "measured", "result"], targets,
                                                   text_columns=4)
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    report.run_per_universe(__doc__, 5, "runs of each request (its median counts)", ("pyoxigraph",), measure, markdown, argv)


if __name__ == "__main__":
    main()
