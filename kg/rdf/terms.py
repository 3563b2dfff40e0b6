"""RDF terms: their canonical N-Triples forms, the IRI check, and pyoxigraph <-> rdflib.

Every place that writes a term into text (a file, a SPARQL query, an update
body) writes it here, in the canonical forms of RDF 1.1 N-Triples: literals
escaped as that grammar says, IRIs between ``<`` and ``>`` only when nothing
in them could end the brackets (:data:`UNSAFE_IRI`).  :class:`Terms` adds our
prefixes for Turtle and TriG.

pyoxigraph answers with its own term classes; :func:`from_ox` turns them into
rdflib's, sharing one :class:`~rdflib.URIRef` per IRI (:func:`iri`), and
:func:`to_ox` goes back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node as Term

#: What may not stand between < and > in SPARQL or N-Triples: an IRI holding one could end its brackets.
UNSAFE_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
XSD_STRING = str(XSD.string)

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_LOCAL_NAME = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


def _escape(match: re.Match) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04X}"


def literal_nt(term: Literal) -> str:
    """A literal in canonical N-Triples (``"a \\"b\\""@en``, ``"5"^^<...#integer>``)."""
    text = '"' + _NEEDS_ESCAPE.sub(_escape, str(term)) + '"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype is not None and term.datatype != XSD.string:
        return f"{text}^^<{term.datatype}>"
    return text


def iri_nt(value: str) -> str:
    """``<value>``, or ValueError for an IRI holding a character that could end the brackets."""
    if UNSAFE_IRI.search(value):
        raise ValueError(f"refusing to write the IRI {value!r}: it holds a character that could end <...>")
    return f"<{value}>"


def nt(term: Term) -> str:
    """An IRI or a literal in N-Triples, as a value written into SPARQL text (never a blank node)."""
    if isinstance(term, Literal):
        return literal_nt(term)
    if isinstance(term, URIRef):
        return iri_nt(str(term))
    raise ValueError(f"cannot write {term!r} as a SPARQL value")


class Terms:
    """Formats rdflib terms, remembering each one (the same IRIs recur millions of times).

    Without prefixes, the canonical N-Triples forms; with them (``{prefix: namespace}``),
    the Turtle forms: a prefixed name where the local part is a plain name, and datatypes
    prefixed too.
    """

    def __init__(self, prefixes: Mapping | None = None):
        self.cache: dict = {}
        self.prefixes = sorted(((str(ns), p) for p, ns in (prefixes or {}).items()), key=lambda x: -len(x[0]))

    def __call__(self, term) -> str:
        text = self.cache.get(term)
        if text is None:
            text = self.cache[term] = self.format(term)
        return text

    def format(self, term) -> str:
        if isinstance(term, Literal):
            if self.prefixes and term.datatype is not None and not term.language and term.datatype != XSD.string:
                return literal_nt(Literal(str(term))) + "^^" + self(term.datatype)
            return literal_nt(term)
        if isinstance(term, BNode):
            return f"_:{term}"
        for namespace, prefix in self.prefixes:
            if term.startswith(namespace) and _LOCAL_NAME.fullmatch(term[len(namespace):]):
                return f"{prefix}:{term[len(namespace):]}"
        return f"<{term}>"


@lru_cache(maxsize=1 << 20)
def iri(value: str) -> URIRef:
    """The shared URIRef of an IRI, the one in every answer of a store.

    A dict or set keyed by shared IRIs finds an answer's IRI by identity, without
    rdflib's (Python-level) equality, and rdflib validates each IRI only once.
    Callers that look answers up in their own sets at scale build those sets with it.
    """
    return URIRef(value)


def to_ox(term: Term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def ox_quads(dataset) -> Iterator[ox.Quad]:
    """The quads of an rdflib Dataset as pyoxigraph's."""
    for s, p, o, g in dataset.quads((None, None, None, None)):
        yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g))


def from_ox(term) -> Term:
    if isinstance(term, ox.NamedNode):
        return iri(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=iri(datatype))
    raise TypeError(f"not an RDF term: {term!r}")
