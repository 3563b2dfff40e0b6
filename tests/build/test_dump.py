"""Our N-Quads and Turtle writers: whatever the terms, rdflib reads back the same graph."""

from __future__ import annotations

import rdflib.namespace as rdfns
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from kg.build.output import nquads, turtle
from kg.namespaces import JWG, JWO, JWR

AWKWARD = [
    Literal('quote " and backslash \\ and both \\"'),
    Literal("line\nbreak, carriage\rreturn, tab\tstop"),
    Literal("bell \x07 and escape \x1b and delete \x7f"),
    Literal("Brändström, Sacré-Cœur, 東京, 😀"),
    Literal("English text", lang="en"),
    Literal("2014-10-24", datatype=rdfns.XSD.date),
    Literal(101),
    Literal("1975", datatype=rdfns.XSD.gYear),
    Literal(""),
]
IRIS = [
    JWR["eve-macarro"],
    JWR["performance/film-one/actor-a/hero"],  # a slash: not a prefixed name in Turtle
    JWR["87north-productions"],
    URIRef("https://en.wikipedia.org/wiki/Ballerina_(2025_film)"),
    URIRef("https://example.org/a%20b?x=1&y=2#frag"),
]


def awkward_dataset() -> Dataset:
    ds = Dataset()
    g1, g2 = ds.graph(JWG["a"]), ds.graph(JWG["a/b"])
    for i, literal in enumerate(AWKWARD):
        g1.add((JWR[f"thing-{i}"], RDFS.label, literal))
        g2.add((JWR[f"thing-{i}"], RDF.type, JWO.Character))
    for iri in IRIS:
        g2.add((iri, JWO.url, IRIS[-1]))
    return ds


def quad_set(ds: Dataset) -> set:
    return set(ds.quads((None, None, None, None)))


def test_nquads_round_trip():
    ds = awkward_dataset()
    reloaded = Dataset().parse(data=nquads(ds).decode("utf-8"), format="nquads")
    assert quad_set(reloaded) == quad_set(ds)


def test_turtle_round_trip():
    ds = awkward_dataset()
    union = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    assert isomorphic(Graph().parse(data=turtle(ds).decode("utf-8"), format="turtle"), union)


def test_nquads_lines_are_sorted_and_canonical():
    lines = nquads(awkward_dataset()).decode("utf-8").splitlines()
    assert lines == sorted(lines)
    assert any('"bell \\u0007 and escape \\u001B and delete \\u007F"' in line for line in lines)
    assert any('"line\\nbreak, carriage\\rreturn, tab\\tstop"' in line for line in lines)
    assert all(" _:" not in line for line in lines)


def test_turtle_uses_our_prefixes_where_it_can():
    text = turtle(awkward_dataset()).decode("utf-8")
    assert "jwr:eve-macarro" in text and "jwr:87north-productions" in text
    assert "<https://kg.johnwick.example/id/performance/film-one/actor-a/hero>" in text
    assert '"2014-10-24"^^xsd:date' in text
