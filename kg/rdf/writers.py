"""The dumps' streaming writers: TriG, sorted N-Triples and compact JSON-LD.

They work on :class:`Quads`: a build's N-Quads read once with pyoxigraph (a
million quads in 5 s, where rdflib's parser took 55 s) and kept as rows of
canonical N-Triples terms, sorted by graph, subject, predicate and object.
Each writer formats each distinct term once.

Like :mod:`kg.build.output`'s writers, these are written here rather than taken
from a library: pyoxigraph's TriG serializer writes its prefixes in an order
of its own and escapes slashes in local names (``jwr:performance\\/...``),
and rdflib's JSON-LD serializer took 107 s at a million triples where
:func:`jsonld_chunks` takes 6 s (docs/benchmarks.md).  Terms keep the
canonical forms of N-Triples: TriG uses :class:`kg.build.output.Terms` (our prefixes,
as in ``universe.ttl``), the N-Triples lines are pyoxigraph's canonical
ones, and JSON-LD values are made with :func:`json.dumps`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from pathlib import Path

import pyoxigraph as ox

from kg.build.output import Terms
from kg.errors import UsageError
from kg.namespaces import BASE, PREFIXES
from kg.store.base import from_ox

Row = tuple[str, str, str, str]  # subject, predicate, object, graph ("" for the default graph)

#: Where the JSON-LD context is published (the web app serves it, see web/downloads.py).
CONTEXT_URL = BASE + "downloads/context.jsonld"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


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

    def graphs(self) -> list[str]:
        return [g for g, _ in groupby(self.rows, itemgetter(3))]


def ntriples_lines(triples: Iterable[tuple[str, str, str]]) -> list[str]:
    """Canonical N-Triples, one distinct triple per line, sorted."""
    return sorted({f"{s} {p} {o} .\n" for s, p, o in triples})


# --- TriG and Turtle ------------------------------------------------------------------------------------


class _TurtleForms(dict):
    """N-Triples text -> Turtle form with our prefixes (kg.build.output's rules), made on first use."""

    def __init__(self, terms: dict[str, object], prefixes: dict):
        super().__init__()
        self.terms, self.format = terms, Terms(prefixes)

    def __missing__(self, text: str) -> str:
        form = self[text] = self.format(from_ox(self.terms[text]))
        return form


def _turtle_body(rows: Iterable[Row], form: _TurtleForms, indent: str = "") -> Iterator[str]:
    """Triples grouped by subject and predicate, as :func:`kg.build.output.turtle_chunks` writes them."""
    for subject, group in groupby(rows, key=itemgetter(0)):
        yield f"\n{indent}{form[subject]}"
        for i, (predicate, objects) in enumerate(groupby(group, key=itemgetter(1))):
            values = f",\n{indent}        ".join(form[o] for _, _, o, *_ in objects)
            yield f"{' ;' if i else ''}\n{indent}    {'a' if predicate == RDF_TYPE else form[predicate]} {values}"
        yield " .\n"


def _prefix_lines(prefixes: dict) -> Iterator[str]:
    for prefix, namespace in prefixes.items():
        yield f"@prefix {prefix}: <{namespace}> .\n"


def trig_chunks(quads: Quads, prefixes: dict = PREFIXES) -> Iterator[str]:
    """TriG: each named graph in a block, its triples grouped by subject and predicate, sorted."""
    form = _TurtleForms(quads.terms, prefixes)
    yield from _prefix_lines(prefixes)
    for graph, rows in groupby(quads.rows, key=itemgetter(3)):
        if graph:
            yield f"\n{form[graph]} {{"
            yield from _turtle_body(rows, form, "    ")
            yield "}\n"
        else:
            yield from _turtle_body(rows, form)


def turtle_chunks(quads: Quads, prefixes: dict = PREFIXES, first: str | None = None) -> Iterator[str]:
    """Turtle of the union of all graphs, sorted, the subject ``first`` (N-Triples) first if given
    (for small graphs such as the VoID description)."""
    form = _TurtleForms(quads.terms, prefixes)
    yield from _prefix_lines(prefixes)
    yield from _turtle_body(sorted(quads.triples(), key=lambda t: (t[0] != first, t)), form)


# --- JSON-LD --------------------------------------------------------------------------------------------


def context(prefixes: dict = PREFIXES) -> dict:
    """The JSON-LD context of the dumps: our prefixes, nothing else (so any IRI compacts the same way)."""
    return {"@context": {prefix: str(namespace) for prefix, namespace in prefixes.items()}}


def context_text(prefixes: dict = PREFIXES) -> str:
    return json.dumps(context(prefixes), indent=2, ensure_ascii=False) + "\n"


class _JsonForms(dict):
    """N-Triples text -> its JSON-LD value: a compact IRI, or a literal as JSON-LD writes it."""

    def __init__(self, terms: dict[str, object], prefixes: dict):
        super().__init__()
        self.terms = terms
        self.prefixes = sorted(((str(ns), p) for p, ns in prefixes.items()), key=lambda x: -len(x[0]))

    def iri(self, value: str) -> str:
        for namespace, prefix in self.prefixes:
            # a compact IRI: any non-empty suffix but one that would read as an authority ("//")
            if value.startswith(namespace) and len(value) > len(namespace) and \
                    not value.startswith("//", len(namespace)):
                return f"{prefix}:{value[len(namespace):]}"
        return value

    def __missing__(self, text: str):
        term = self.terms[text]
        if isinstance(term, ox.NamedNode):
            value = self.iri(term.value)
        elif isinstance(term, ox.BlankNode):
            value = f"_:{term.value}"
        elif term.language:
            value = {"@value": term.value, "@language": term.language}
        elif term.datatype.value == XSD_STRING:
            value = term.value
        else:
            value = {"@value": term.value, "@type": self.iri(term.datatype.value)}
        self[text] = value
        return value


def _node(subject: str, rows: Iterable[Row], form: _JsonForms) -> dict:
    """A node object: ``@id``, then ``@type``, then the properties in order, one value or a list."""
    node: dict = {"@id": form[subject]}
    properties: dict = {}
    for predicate, objects in groupby(rows, key=itemgetter(1)):
        objects = [o for _, _, o, _ in objects]
        if predicate == RDF_TYPE and all(isinstance(form.terms[o], ox.NamedNode) for o in objects):
            key, values, target = "@type", [form[o] for o in objects], node
        else:
            key, target = form.iri(form.terms[predicate].value), properties
            values = [{"@id": form[o]} if isinstance(form.terms[o], (ox.NamedNode, ox.BlankNode)) else form[o]
                      for o in objects]
        target[key] = values[0] if len(values) == 1 else values
    node.update(properties)
    return node


def jsonld_chunks(quads: Quads, context_ref: str | dict = CONTEXT_URL, prefixes: dict = PREFIXES) -> Iterator[str]:
    """Compact JSON-LD of the dataset: a graph object per named graph, a node object per subject.

    The context is named by its URL (or given inline); it must define ``prefixes``.
    One node per line, so the file streams (and diffs) like the others.
    """
    form = _JsonForms(quads.terms, prefixes)
    yield "{\n  \"@context\": " + json.dumps(context_ref, ensure_ascii=False) + ",\n  \"@graph\": ["
    first = True
    for graph, rows in groupby(quads.rows, key=itemgetter(3)):
        if graph:
            yield ("" if first else ",") + "\n    {\"@id\": " + json.dumps(form[graph], ensure_ascii=False) + \
                ", \"@graph\": ["
        nodes = (_node(subject, group, form) for subject, group in groupby(rows, key=itemgetter(0)))
        indent = "\n      " if graph else "\n    "
        for i, node in enumerate(nodes):
            yield ("," if i or (not graph and not first) else "") + indent + json.dumps(node, ensure_ascii=False)
        if graph:
            yield "\n    ]}"
        first = False
    yield "\n  ]\n}\n"
