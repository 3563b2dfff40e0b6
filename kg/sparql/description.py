"""The SPARQL 1.1 Service Description of our endpoint, as an rdflib Graph.

It tells RDF clients what ``/sparql`` offers: the query language (no
update), the result formats, and the dataset: the default graph is the union
of every named graph (``sd:UnionDefaultGraph``), and each source's graph is
named, with its size.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID, XSD

from kg.namespaces import BASE, PREFIXES

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

#: Each named graph with its number of triples.
GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


def describe_service(endpoint: str, graph_sizes: Iterable[tuple[URIRef, int]], *format_tables) -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    graph.add((service, DCTERMS.description, Literal(
        "A read-only SPARQL 1.1 endpoint over the John Wick universe knowledge graph. The default graph is the "
        "union of all named graphs; each source's facts are in a named graph of their own. SERVICE and "
        "updates are refused; queries have a time limit and a row limit.", lang="en")))
    for table in format_tables:
        for fmt in table:
            graph.add((service, SD.resultFormat, FORMATS[fmt.w3c]))

    sizes = list(graph_sizes)
    dataset, default = BNode("dataset"), BNode("default")
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, DCTERMS.source, URIRef(BASE + "dataset")))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, DCTERMS.description, Literal("the union of all named graphs", lang="en")))
    for n, (name, triples) in enumerate(sizes):  # blank nodes named in order: the same graphs, the same bytes
        named, described = BNode(f"graph{n}"), BNode(f"graph{n}-contents")
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, name))
        graph.add((named, SD.graph, described))
        graph.add((described, RDF.type, SD.Graph))
        graph.add((described, VOID.triples, Literal(triples, datatype=XSD.integer)))
    return graph
