"""The build folder: a valid Dataset -> universe.nq, universe.ttl and build.json, written atomically.

N-Quads and Turtle are written here rather than by rdflib's serializers: both
are sorted (so the same data gives the same bytes whatever the process), and
rdflib's Turtle serializer spent 2.5 minutes on a million triples where this
one takes seconds (docs/benchmarks.md).  Terms use the canonical N-Triples
forms of RDF 1.1 (:class:`kg.rdf.terms.Terms`); Turtle adds our prefixes and
is grouped by subject and predicate by the one Turtle grouper,
:func:`kg.rdf.writers.turtle_body`.

The files are staged (:class:`kg.staging.Staging`) and renamed into place
together, ``build.json`` (sizes and SHA-256 of each file, counts) last, so a
reader sees the old build or the new one, never half a file, and a failed
build changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from rdflib import Dataset
from rdflib.namespace import RDF

from kg.namespaces import BASE, PREFIXES
from kg.rdf.terms import Terms
from kg.rdf.writers import prefix_lines, turtle_body
from kg.settings import MANIFEST, NQUADS, TURTLE
from kg.staging import Staging


def _quads(dataset: Dataset) -> Iterable[tuple]:
    return dataset.quads((None, None, None, None))


def nquads_lines(dataset: Dataset) -> Iterator[str]:
    """Canonical N-Quads: one line per quad, sorted."""
    nt = Terms()
    yield from sorted(f"{nt(s)} {nt(p)} {nt(o)} {nt(g)} .\n" for s, p, o, g in _quads(dataset))


def turtle_chunks(dataset: Dataset) -> Iterator[str]:
    """The union of all graphs as Turtle, sorted by the Turtle forms of subject, predicate and object."""
    ttl = Terms(PREFIXES)
    yield from prefix_lines(PREFIXES)
    yield from turtle_body(sorted({(ttl(s), ttl(p), ttl(o)) for s, p, o, _ in _quads(dataset)}), ttl(RDF.type))


def nquads(dataset: Dataset) -> bytes:
    return "".join(nquads_lines(dataset)).encode("utf-8")


def turtle(dataset: Dataset) -> bytes:
    return "".join(turtle_chunks(dataset)).encode("utf-8")


def write_build(dataset: Dataset, out_dir: Path, release: dict | None = None) -> list[Path]:
    """Write the N-Quads, Turtle and manifest of a dataset into ``out_dir``.

    Each file streams into its temporary file as it is produced (at a million
    triples, holding every text whole was the peak of the build's memory).
    """
    graphs = sum(1 for g in dataset.graphs() if len(g))
    with Staging(out_dir) as staging:
        written = {NQUADS: staging.write(NQUADS, nquads_lines(dataset)),
                   TURTLE: staging.write(TURTLE, turtle_chunks(dataset))}
        info = {
            "base": BASE,
            "files": {name: {"bytes": size, "sha256": digest} for name, (size, digest, _) in sorted(written.items())},
            "graphs": graphs,
            "quads": written[NQUADS][2],
            **({"release": release} if release else {}),  # the data release settings.yaml declares
        }
        staging.write(MANIFEST, [json.dumps(info, indent=2, sort_keys=True) + "\n"])
    return [out_dir / name for name in (NQUADS, TURTLE, MANIFEST)]
