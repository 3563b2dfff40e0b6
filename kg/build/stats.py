"""Counts over a compiled dataset: entities per class, statements per property and per source."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rdflib import Dataset, URIRef
from rdflib.namespace import PROV, RDF

from kg.model import Model
from kg.namespaces import JWO, ONTOLOGY_IRI, PROVENANCE_GRAPH, slug_of


@dataclass
class Stats:
    classes: list[tuple[str, int]]  # (class label, entities), ours only
    properties: list[tuple[str, int]]  # (prefixed property, statements)
    sources: list[tuple[str, str, int]]  # (source slug, kind label, statements)
    statements: int  # distinct triples of the facts (without ontology and provenance)
    graphs: int

    def as_dict(self) -> dict:
        return {
            "statements": self.statements,
            "graphs": self.graphs,
            "entities_per_class": dict(self.classes),
            "statements_per_property": dict(self.properties),
            "statements_per_source": {slug: {"kind": kind, "statements": n} for slug, kind, n in self.sources},
        }


def fact_graphs(dataset: Dataset) -> list[URIRef]:
    """The named graphs that hold facts (not the ontology, not the provenance)."""
    return sorted(g.identifier for g in dataset.graphs()
                  if isinstance(g.identifier, URIRef) and g.identifier not in (ONTOLOGY_IRI, PROVENANCE_GRAPH)
                  and len(g))


def _facts(dataset: Dataset) -> tuple[set, Counter]:
    """The distinct fact triples, and the number of triples in each fact graph."""
    facts: set = set()
    per_graph: Counter = Counter()
    for g in fact_graphs(dataset):
        graph = dataset.graph(g)
        per_graph[g] = len(graph)
        facts.update(graph)
    return facts, per_graph


def count_statements(dataset: Dataset) -> int:
    """Distinct triples of the facts, each counted once however many sources state it.

    rdflib's memory store counts the union and each graph without iterating,
    and neither the ontology nor the provenance graph repeats a fact.
    """
    return len(dataset) - len(dataset.graph(ONTOLOGY_IRI)) - len(dataset.graph(PROVENANCE_GRAPH))


def compute(dataset: Dataset, model: Model) -> Stats:
    facts, per_graph = _facts(dataset)
    provenance = dataset.graph(PROVENANCE_GRAPH)
    typed: dict[URIRef, set] = {}
    properties = Counter(p for _, p, _ in facts)
    for s, p, o in (*facts, *provenance.triples((None, RDF.type, None))):  # sources are described there
        if p == RDF.type and o in model.classes:
            typed.setdefault(o, set()).add(s)
    per_source: Counter = Counter()
    kinds: dict[str, str] = {}
    for g, n in per_graph.items():
        source = provenance.value(g, PROV.wasDerivedFrom)
        slug = slug_of(source) if source is not None else str(g)
        per_source[slug] += n
        kind = provenance.value(g, JWO.sourceKind)
        kinds[slug] = model.label(kind) if kind is not None else "?"
    qname = dataset.namespace_manager.normalizeUri
    return Stats(
        classes=sorted(((model.label(c), len(s)) for c, s in typed.items()), key=lambda x: (-x[1], x[0])),
        properties=sorted(((qname(p), n) for p, n in properties.items()), key=lambda x: (-x[1], x[0])),
        sources=sorted(((slug, kinds[slug], n) for slug, n in per_source.items()), key=lambda x: (-x[2], x[0])),
        statements=len(facts),
        graphs=len(per_graph),
    )
