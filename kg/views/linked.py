"""An entity as Linked Data: what its IRI dereferences to for machines.

The description of an entity is, over the union of all graphs:

- its statements (``<this> ?p ?o``) and the links to it (``?s ?p <this>``);
- the n-ary nodes hanging off it, with all their statements: the qualified
  statements about it (``?st rdf:subject|rdf:object <this>``: when a fact
  holds, a note, a confirmation) and its performances (``?perf
  jwo:asCharacter|jwo:inWork|jwo:performedBy <this>``: who played whom where);
- the ``rdfs:label`` of every IRI those statements link to, so a tool can name
  what it sees without a second request.

Every statement is read with the graph that holds it, so the same rule as the
pages hides spoilers (:meth:`kg.store.catalog.Catalog.visible`, as :mod:`kg.views.describe`
uses it): a statement is given if any graph holding it is visible at the fan's
level, and a label only if its graph is visible and what it names is linked by
a given statement.  The quads (with their source graphs) serve N-Quads and
TriG; their triples serve Turtle, N-Triples, JSON-LD and RDF/XML, all written
by :func:`kg.rdf.formats.serialize` (sorted, the entity's own statements first in Turtle).
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from kg.store import Store
from kg.store.catalog import Catalog, Reading

from .describe import Description

Quad = tuple  # (subject, predicate, object, graph), rdflib terms

#: The entity's statements, the links to it, and the statements of the nodes hanging off it.  Each
#: branch starts from ?this inside its GRAPH block, so the store finds it in its indexes (kg.views.describe).
FACTS = """
SELECT ?s ?p ?o ?g WHERE {
  { GRAPH ?g { ?this ?p ?o } BIND(?this AS ?s) }
  UNION
  { GRAPH ?g { ?s ?p ?this } BIND(?this AS ?o) }
  UNION
  { GRAPH ?g { ?s rdf:subject|rdf:object|jwo:asCharacter|jwo:inWork|jwo:performedBy ?this . ?s ?p ?o } }
}"""
#: The labels of everything those statements link to (filtered in Python to what is given).
LABELS = """
SELECT DISTINCT ?s ?o ?g WHERE {
  { GRAPH ?h { ?this ?q ?s } }
  UNION
  { GRAPH ?h { ?s ?q ?this } }
  UNION
  { GRAPH ?h { ?node rdf:subject|rdf:object|jwo:asCharacter|jwo:inWork|jwo:performedBy ?this ; ?q ?s } }
  FILTER(isIRI(?s))
  GRAPH ?g { ?s rdfs:label ?o }
}"""


def entity_quads(store: Store, catalog: Catalog, iri: URIRef, reading: Reading) -> list[Quad]:
    """The entity's description as (s, p, o, graph), as this fan reads (spoiler level, canon only)."""
    facts = {(r["s"], r["p"], r["o"], r["g"]) for r in store.select(FACTS, {"this": iri})
             if catalog.visible(r["g"], reading)}
    linked = {term for s, _, o, _ in facts for term in (s, o) if isinstance(term, URIRef)} - {iri}
    labels = {(r["s"], RDFS.label, r["o"], r["g"]) for r in store.select(LABELS, {"this": iri})
              if r["s"] in linked and catalog.visible(r["g"], reading)}
    return [*facts, *labels]


def _value(term, catalog: Catalog) -> dict | str:
    if isinstance(term, Literal):
        value: dict = {"value": str(term)}
        if term.language:
            value["lang"] = term.language
        elif term.datatype is not None:
            value["datatype"] = str(term.datatype)
        return value
    return {"iri": str(term), "label": catalog.label(term)}


def description_json(desc: Description, catalog: Catalog) -> dict:
    """The entity page as JSON: every visible statement with its sources, and how many are hidden."""
    statements = []
    for s in desc.statements:
        if not s.visible:
            continue
        statements.append({
            "property": str(s.predicate), "propertyLabel": catalog.label(s.predicate), "incoming": s.incoming,
            "value": _value(s.value, catalog), "status": s.status, "flags": s.flags, "marks": s.marks.words,
            "sources": [{"source": str(src.source), "sourceLabel": catalog.label(src.source), "kind": src.kind,
                         "graph": str(src.graph),
                         **({"from": str(src.start)} if src.start else {}),
                         **({"until": str(src.end)} if src.end else {}),
                         **({"note": src.note} if src.note else {}),
                         **({"confirmation": str(src.confirmation)} if src.confirmation else {})}
                        for src in s.sources if src.visible],
        })
    return {"iri": str(desc.iri), "label": None if desc.name_hidden else desc.label, "class": str(desc.cls),
            "marks": desc.marks.words, "statements": statements, "hidden": len(desc.hidden)}
