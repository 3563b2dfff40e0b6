"""The streaming writers of RDF: sorted N-Triples, Turtle and TriG grouped by subject, compact JSON-LD.

They read :class:`~kg.rdf.quads.Quads` (sorted rows of canonical N-Triples
terms) and format each distinct term once, so the same statements give the
same bytes: the dumps, the VoID description, the entity and ontology twins
and CONSTRUCT answers are all written by them, through the writer column of
:mod:`kg.rdf.formats`.  :func:`turtle_body` is the one Turtle grouper: the
build's ``universe.ttl`` (:mod:`kg.build.output`) uses it too.

They are written here rather than taken from a library: pyoxigraph's TriG
serializer writes its prefixes in an order of its own and escapes slashes in
local names (``jwr:performance\\/...``), rdflib's Turtle serializer spent 2.5
minutes on a million triples, and its JSON-LD serializer 107 s where
:func:`jsonld_chunks` takes 6 s (docs/benchmarks.md).  RDF/XML and N-Quads
are pyoxigraph's, fed the sorted rows (:func:`pyoxigraph_writer`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import groupby
from operator import itemgetter

import pyoxigraph as ox
from rdflib.namespace import RDF

from kg.namespaces import BASE, PREFIXES

from .quads import Quads, Row
from .terms import XSD_STRING, Terms, from_ox

#: Where the JSON-LD context is published (the web app serves it, see web/downloads.py).
CONTEXT_URL = BASE + "downloads/context.jsonld"
RDF_TYPE = f"<{RDF.type}>"
#: A format's writer: (quads, prefixes, the subject to write first or None) -> bytes.
Writer = Callable[[Quads, Mapping, "str | None"], bytes]


def ntriples_lines(triples: Iterable[tuple[str, str, str]]) -> list[str]:
    """Canonical N-Triples, one distinct triple per line, sorted."""
    return sorted({f"{s} {p} {o} .\n" for s, p, o in triples})


# --- TriG and Turtle ------------------------------------------------------------------------------------


class _TurtleForms(dict):
    """N-Triples text -> Turtle form with our prefixes (:class:`~kg.rdf.terms.Terms`), made on first use."""

    def __init__(self, terms: dict[str, object], prefixes: dict):
        super().__init__()
        self.terms, self.format = terms, Terms(prefixes)

    def __missing__(self, text: str) -> str:
        form = self[text] = self.format(from_ox(self.terms[text]))
        return form


def turtle_body(rows: Iterable[tuple[str, str, str]], rdf_type: str, indent: str = "") -> Iterator[str]:
    """Triples already in their Turtle forms, in order, grouped by subject and predicate (``a`` for ``rdf_type``)."""
    for subject, group in groupby(rows, key=itemgetter(0)):
        yield f"\n{indent}{subject}"
        for i, (predicate, objects) in enumerate(groupby(group, key=itemgetter(1))):
            values = f",\n{indent}        ".join(o for _, _, o in objects)
            yield f"{' ;' if i else ''}\n{indent}    {'a' if predicate == rdf_type else predicate} {values}"
        yield " .\n"


def _forms(rows: Iterable[Row], form: _TurtleForms) -> Iterator[tuple[str, str, str]]:
    return ((form[s], form[p], form[o]) for s, p, o, *_ in rows)


def prefix_lines(prefixes: Mapping) -> Iterator[str]:
    for prefix, namespace in prefixes.items():
        yield f"@prefix {prefix}: <{namespace}> .\n"


def trig_chunks(quads: Quads, prefixes: dict = PREFIXES) -> Iterator[str]:
    """TriG: each named graph in a block, its triples grouped by subject and predicate, sorted."""
    form = _TurtleForms(quads.terms, prefixes)
    yield from prefix_lines(prefixes)
    for graph, rows in groupby(quads.rows, key=itemgetter(3)):
        if graph:
            yield f"\n{form[graph]} {{"
            yield from turtle_body(_forms(rows, form), form.format(RDF.type), "    ")
            yield "}\n"
        else:
            yield from turtle_body(_forms(rows, form), form.format(RDF.type))


def turtle_chunks(quads: Quads, prefixes: dict = PREFIXES, first: str | None = None) -> Iterator[str]:
    """Turtle of the union of all graphs, sorted, the subject ``first`` (N-Triples) first if given
    (for small graphs such as the VoID description)."""
    form = _TurtleForms(quads.terms, prefixes)
    yield from prefix_lines(prefixes)
    yield from turtle_body(_forms(sorted(quads.triples(), key=lambda t: (t[0] != first, t)), form),
                           form.format(RDF.type))


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


# --- the writers of the formats table ------------------------------------------------------------------


def _text(chunks: Iterable[str]) -> bytes:
    return "".join(chunks).encode("utf-8")


def write_turtle(quads: Quads, prefixes: Mapping, first: str | None = None) -> bytes:
    return _text(turtle_chunks(quads, prefixes, first))


def write_trig(quads: Quads, prefixes: Mapping, first: str | None = None) -> bytes:
    return _text(trig_chunks(quads, prefixes))


def write_ntriples(quads: Quads, prefixes: Mapping, first: str | None = None) -> bytes:
    return _text(ntriples_lines(quads.triples()))


def write_jsonld(quads: Quads, prefixes: Mapping, first: str | None = None) -> bytes:
    """The union as compact JSON-LD, its context inline: any JSON-LD processor reads it with no network."""
    return _text(jsonld_chunks(quads.union(), context(prefixes)["@context"], prefixes))


def pyoxigraph_writer(fmt: ox.RdfFormat, graphs: bool) -> Writer:
    """pyoxigraph's serializer fed the sorted rows: quads for a format with graphs, else the distinct triples."""
    def write(quads: Quads, prefixes: Mapping, first: str | None = None) -> bytes:
        terms = quads.terms
        if graphs:
            statements = [ox.Quad(terms[s], terms[p], terms[o], terms[g]) for s, p, o, g in quads.rows]
        else:
            statements = [ox.Triple(terms[s], terms[p], terms[o])
                          for s, p, o in dict.fromkeys((s, p, o) for s, p, o, _ in quads.rows)]
        plain = fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS)
        return ox.serialize(statements, format=fmt,
                            prefixes=None if plain else {p: str(ns) for p, ns in prefixes.items()}) or b""
    return write
