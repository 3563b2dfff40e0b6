"""A build's named graphs as ``kg push`` sends them: each graph's canonical N-Triples, in order.

:func:`read_graphs` reads the build's N-Quads once (:class:`kg.rdf.quads.Quads`)
and refuses what could not be written safely into a request body: an IRI
holding a character that could end ``<...>``, a triple outside any named graph.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from pathlib import Path

import pyoxigraph as ox

from kg.errors import UsageError
from kg.rdf.quads import Quads
from kg.rdf.terms import UNSAFE_IRI
from kg.settings import MANIFEST


@dataclass(frozen=True)
class NamedGraph:
    iri: str
    rows: list[tuple]  # (subject, predicate, object, graph) in canonical N-Triples forms, sorted

    @property
    def triples(self) -> int:
        return len(self.rows)

    def ntriples(self, start: int = 0, stop: int | None = None) -> str:
        """Its triples (or a slice of them) as canonical N-Triples, one per line."""
        return "".join(f"{s} {p} {o} .\n" for s, p, o, _ in self.rows[start:stop])


@dataclass(frozen=True)
class BuiltGraphs:
    """A build's named graphs, in the order they are pushed, and the digest of its N-Quads."""

    folder: Path
    digest: str  # SHA-256 of universe.nq, from build.json ("" when unknown: nothing is resumed)
    graphs: list[NamedGraph]

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs)


def read_graphs(nquads: Path) -> BuiltGraphs:
    """The named graphs of a build's N-Quads; an IRI that could break out of ``<...>`` is refused."""
    quads = Quads.read(nquads)
    for text, term in quads.terms.items():
        value = term.datatype.value if isinstance(term, ox.Literal) else getattr(term, "value", "")
        if not isinstance(term, ox.BlankNode) and UNSAFE_IRI.search(value):
            raise UsageError(f"{nquads}: refusing to push {text}: its IRI holds a character that could end <...>")
    if quads.rows and quads.rows[0][3] == "":
        raise UsageError(f"{nquads}: triples outside any named graph; every triple of a build has its source graph")
    graphs = [NamedGraph(quads.terms[g].value, list(rows)) for g, rows in groupby(quads.rows, itemgetter(3))]
    try:
        digest = json.loads((nquads.parent / MANIFEST).read_text(encoding="utf-8"))["files"][nquads.name]["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        digest = ""
    return BuiltGraphs(nquads.parent, digest, graphs)
