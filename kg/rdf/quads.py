"""A dataset as sorted rows of canonical N-Triples terms: what every writer of :mod:`kg.rdf.writers` reads.

:meth:`Quads.read` parses a build's N-Quads once with pyoxigraph (a million
quads in 5 s, where rdflib's parser took 55 s); :meth:`Quads.of` takes
pyoxigraph quads or triples, :meth:`Quads.of_rdflib` rdflib's.  Each row is
(subject, predicate, object, graph) in their N-Triples text ("" for the
default graph), sorted by graph, subject, predicate and object, so whatever
reads them writes the same bytes for the same statements; each distinct
term is parsed once and kept (``terms``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from pathlib import Path

import pyoxigraph as ox

from kg.errors import UsageError

from .terms import to_ox

Row = tuple[str, str, str, str]  # subject, predicate, object, graph ("" for the default graph)


@dataclass
class Quads:
    """A dataset as rows of canonical N-Triples terms, sorted; each distinct term parsed once."""

    rows: list[Row]
    terms: dict[str, object]  # N-Triples text -> its pyoxigraph term

    @classmethod
    def read(cls, path: Path) -> Quads:
        """The quads of an N-Quads file; a broken file is a usage error naming its line."""
        try:
            return cls.of(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))
        except SyntaxError as exc:
            raise UsageError(f"{path}:{exc.lineno}: not valid N-Quads: {exc.msg} "
                             f"(delete {path.parent / 'build.json'} to rebuild it)") from None
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror}") from None

    @classmethod
    def of(cls, quads: Iterable[ox.Quad | ox.Triple]) -> Quads:
        text: dict = {}
        terms: dict[str, object] = {}

        def nt(term) -> str:
            form = text.get(term)
            if form is None:
                form = text[term] = "" if isinstance(term, ox.DefaultGraph) else str(term)
                terms[form] = term
            return form

        default = ox.DefaultGraph()
        rows = [(nt(q.subject), nt(q.predicate), nt(q.object), nt(getattr(q, "graph_name", default)))
                for q in quads]
        rows.sort(key=itemgetter(3, 0, 1, 2))
        return cls(rows, terms)

    def __len__(self) -> int:
        return len(self.rows)

    def triples(self) -> set[tuple[str, str, str]]:
        """The distinct triples of the union of all graphs."""
        return {(s, p, o) for s, p, o, _ in self.rows}

    def union(self) -> Quads:
        """The distinct triples of every graph, as quads of the default graph."""
        return Quads(sorted((s, p, o, "") for s, p, o in self.triples()), {**self.terms, "": ox.DefaultGraph()})

    def graphs(self) -> list[str]:
        return [g for g, _ in groupby(self.rows, itemgetter(3))]

    @classmethod
    def of_rdflib(cls, statements: Iterable[tuple]) -> Quads:
        """rdflib triples, or quads (subject, predicate, object, graph), as Quads."""
        default = ox.DefaultGraph()
        return cls.of(ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g[0]) if g else default)
                      for s, p, o, *g in statements)
