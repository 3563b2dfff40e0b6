"""Benchmark search in-process: the index's build, and queries as the box and the page ask them.

    python -m bench.search_bench --sizes shipped,1M [--repeat 5] [--seed 7]

For each universe (built first if missing or stale, as ``bench.web_bench``
does), the search index is built from an embedded store as the app builds it
(:func:`kg.views.search.build_index`), then every query of four lists is timed
``--repeat`` times (each query's median counts once):

* **suggestions**: the 1- to 6-character prefixes of the names of a sample of
  entities, as the as-you-type box asks (8 results, not counted);
* **typos**: names of sampled entities with one edit in one word of five letters
  or more (a letter dropped, doubled, changed, or two swapped), and that word
  alone, as the box asks; it also says how often a name of the 8 holds the word meant;
* **typos, first visit**: the same, for a fan who has not said what they have
  seen (``seen=0``: no story fact of any work);
* **page**: whole names and the prefixes, as ``/search`` asks (100 results, every
  match counted).

Times are of :meth:`SearchIndex.search` alone (no HTTP: ``bench.web_bench``
times ``/api/search``).  The report is Markdown on stdout: medians, p90 and
maximum over the queries, the universes side by side.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from . import report
from .build_bench import universe_dir
from .web_bench import ensure_build

SAMPLE = 300  # entities whose names are typed
SUGGEST, PAGE = 8, 100


def typo(word: str, rng: random.Random) -> str:
    """One edit of ``word``: a letter dropped, doubled, changed, or two neighbours swapped (not the first)."""
    at = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "double", "change", "swap"))
    if kind == "drop":
        return word[:at] + word[at + 1:]
    if kind == "double":
        return word[:at] + word[at] + word[at:]
    if kind == "change":
        return word[:at] + rng.choice([c for c in "aeiourstnl" if c != word[at]]) + word[at + 1:]
    return word[:at] + word[at + 1] + word[at] + word[at + 2:]


def queries(index, catalog, rng: random.Random) -> dict[str, list[tuple[str, str | None]]]:
    """The query lists: (text, for a typo the word meant)."""
    from kg.views.search import fold

    entities = sorted(catalog.classes, key=str)
    sample = rng.sample(entities, min(SAMPLE, len(entities)))
    prefixes, typos, names = [], [], []
    for entity in sample:
        name = fold(catalog.label(entity))
        names.append((name, None))
        prefixes += [(name[:n], None) for n in range(1, min(len(name), 6) + 1) if not name[:n].endswith(" ")]
        words = name.split(" ")[:3]
        long = [i for i, word in enumerate(words) if len(word) >= 5]
        if long:
            i = rng.choice(long)
            wrong = typo(words[i], rng)
            typos.append((" ".join(words[:i] + [wrong] + words[i + 1:]), words[i]))
            typos.append((wrong, words[i]))
    return {"suggestions": prefixes, "typos": typos, "page": names + prefixes}


def timed(index, items, reading, limit: int, count: bool, repeat: int) -> dict:
    """Each query's median time; for typos, how often a name of the first hits holds the word meant."""
    from kg.views.search import fold

    medians, found = [], 0
    for text, meant in items:
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            hits = index.search(text, reading, limit, count=count).hits
            times.append(time.perf_counter() - started)
        medians.append(statistics.median(times) * 1000)
        found += meant is not None and any(meant in fold(hit.label).split(" ") for hit in hits)
    ordered = sorted(medians)
    return {"queries": len(items), "median_ms": statistics.median(ordered),
            "p90_ms": ordered[int(0.9 * (len(ordered) - 1))], "max_ms": ordered[-1],
            "meant_found": found / len(items) if any(m is not None for _, m in items) else None}


def measure(label: str, repeat: int, seed: int) -> dict:
    from kg.heap import gc_paused
    from kg.store import EmbeddedStore
    from kg.store.catalog import Reading, load_catalog
    from kg.views.search import build_index

    out_dir = ensure_build(label, universe_dir(label, seed))
    store = EmbeddedStore.from_nquads(out_dir / "universe.nq")
    catalog = load_catalog(store)
    started = time.perf_counter()
    with gc_paused(freeze=True):  # as the app builds it (web.warm)
        index = build_index(store, catalog)
    built = time.perf_counter() - started
    lists = queries(index, catalog, random.Random(seed))
    everything, first_visit = Reading(), Reading(seen=0)
    runs = {
        "suggestions (8, not counted)": timed(index, lists["suggestions"], everything, SUGGEST, False, repeat),
        "typos (8, not counted)": timed(index, lists["typos"], everything, SUGGEST, False, repeat),
        "typos, first visit (seen=0)": timed(index, lists["typos"], first_visit, SUGGEST, False, repeat),
        "page (100, counted)": timed(index, lists["page"], everything, PAGE, True, repeat),
    }
    return {"universe": label, "entities": len(index), "build_s": built, "runs": runs}


def markdown(results: list[dict], args: argparse.Namespace, host: dict) -> str:
    command = f"python -m bench.search_bench --sizes {args.sizes} --repeat {args.repeat} --seed {args.seed}"
    out = [f"Measured with `{command}` on {host['nproc']} cores ({host['cpu']}), Python {host['python']}, "
           f"rapidfuzz {host['rapidfuzz']}, code at `{host['code']}`; load average before: "
           f"{', '.join(map(str, host['load_average']))}.", ""]
    out += report.table(["universe", "entities", "index built in, s"],
                        [[r["universe"], r["entities"], f"{r['build_s']:.2f}"] for r in results])
    rows = []
    for scenario in results[0]["runs"]:
        for r in results:
            run = r["runs"][scenario]
            meant = run["meant_found"]
            rows.append([scenario, r["universe"], run["queries"], f"{run['median_ms']:.3f}", f"{run['p90_ms']:.3f}",
                         f"{run['max_ms']:.2f}", "–" if meant is None else f"{meant:.0%}"])
    out += [""] + report.table(["queries", "universe", "n", "median ms", "p90 ms", "max ms", "word meant in the first 8"],
                               rows, text_columns=2)
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    report.run_per_universe(__doc__, 5, "runs of each query (its median counts)", ("rapidfuzz", "pyoxigraph"), measure, markdown, argv)


if __name__ == "__main__":
    main()
