"""The ontology as documentation: what ``/ontology`` and ``/ontology/<Term>`` say.

Everything is read from the ontology and the shapes themselves (the graphs of
:mod:`kg.model`, the same files the compiler and the validator read), so the
documentation cannot drift from them: for a class, its label and comment,
super- and subclasses, the properties whose domain or range it is, its
alignments to schema.org and Wikidata, and the SHACL shapes that check its
instances with their constraints in plain words; for a property, its domain
and range, super- and subproperties, inverse, alignments and constraints.
Example entities come from the store, at the fan's spoiler level.

The shapes are put in words by :mod:`kg.views.shapedoc`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, fields, is_dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from kg.model import Model
from kg.namespaces import JWO, ONTOLOGY_IRI, SCHEMA, curie
from kg.store import Store
from kg.store.catalog import Catalog, Reading

from .shapedoc import Constraint, Shape, class_shapes, is_ours, property_constraints

KINDS = ((OWL.Class, "class"), (OWL.ObjectProperty, "object property"),
         (OWL.DatatypeProperty, "datatype property"), (OWL.AnnotationProperty, "annotation property"))
#: How a term is aligned to another vocabulary, in the order pages list them.
ALIGNMENTS = ((OWL.equivalentClass, "equivalent class"), (OWL.equivalentProperty, "equivalent property"),
              (SKOS.exactMatch, "exact match"), (SKOS.closeMatch, "close match"))
EXAMPLES = 10


def local_name(term) -> str:
    return str(term)[len(str(JWO)):]


@dataclass(frozen=True)
class PropertyRow:
    iri: URIRef
    domains: tuple[URIRef, ...]
    ranges: tuple[URIRef, ...]


@dataclass(frozen=True)
class Term:
    iri: URIRef
    name: str  # local name: Work, releaseDate
    kind: str  # class, object property, datatype property, annotation property, individual
    label: str
    comment: str | None
    types: tuple[URIRef, ...] = ()  # an individual's classes
    supers: tuple[URIRef, ...] = ()  # direct superclasses or superproperties, ours and others'
    subs: tuple[URIRef, ...] = ()
    domains: tuple[URIRef, ...] = ()  # rdfs:domain and schema:domainIncludes
    ranges: tuple[URIRef, ...] = ()
    inverse: URIRef | None = None
    symmetric: bool = False
    inverse_label: str | None = None
    alignments: tuple[tuple[str, URIRef], ...] = ()
    properties: tuple[PropertyRow, ...] = ()  # a class: properties whose domain it is
    inherited: tuple[tuple[URIRef, tuple[PropertyRow, ...]], ...] = ()  # (superclass, its properties)
    used_as_range: tuple[PropertyRow, ...] = ()  # a class: properties whose range it is
    members: tuple[URIRef, ...] = ()  # a class: its individuals in the ontology
    shapes: tuple[Shape, ...] = ()  # a class: the node shapes of it and its superclasses
    constraints: tuple[Constraint, ...] = ()  # a property: the property shapes on it

    @property
    def a_label(self) -> str:
        """'a film', 'an organization'."""
        return ("an " if self.label[:1] in "aeiou" else "a ") + self.label

    @property
    def is_class(self) -> bool:
        return self.kind == "class"

    @property
    def is_property(self) -> bool:
        return self.kind.endswith("property")


@dataclass(frozen=True)
class ClassNode:
    iri: URIRef
    children: tuple[ClassNode, ...]


@dataclass(frozen=True)
class Overview:
    iri: URIRef
    label: str
    comment: str | None
    description: str | None
    version: str | None
    see_also: tuple[URIRef, ...]
    classes: tuple[ClassNode, ...]  # the tree of our classes (a class under each of its superclasses)
    properties: tuple[tuple[str, tuple[PropertyRow, ...]], ...]  # (kind, its properties)
    individuals: tuple[tuple[URIRef, tuple[URIRef, ...]], ...]  # (class, its individuals)


def terms(model: Model) -> dict[str, URIRef]:
    """Every term the ontology defines, by local name."""
    return {local_name(s): s for s in set(model.graph.subjects()) if is_ours(s)}


def suggest(model: Model, name: str) -> list[URIRef]:
    """Terms whose names are close to ``name`` (case does not count), closest first."""
    by_lower = {n.lower(): iri for n, iri in terms(model).items()}
    return [by_lower[n] for n in difflib.get_close_matches(name.lower(), list(by_lower), n=5, cutoff=0.6)]


def _kind(graph: Graph, term: URIRef) -> str:
    types = set(graph.objects(term, RDF.type))
    return next((name for cls, name in KINDS if cls in types), "individual")


def _text(graph: Graph, term, predicate) -> str | None:
    value = graph.value(term, predicate)
    return str(value) if value is not None else None


def _sorted(terms, model: Model) -> tuple[URIRef, ...]:
    return tuple(sorted(set(terms), key=lambda t: (not is_ours(t), model.label(t).lower() if is_ours(t) else curie(t))))


def _domains(graph: Graph, prop: URIRef) -> set:
    return {*graph.objects(prop, RDFS.domain), *graph.objects(prop, SCHEMA.domainIncludes)}


def _ranges(graph: Graph, prop: URIRef) -> set:
    return {*graph.objects(prop, RDFS.range), *graph.objects(prop, SCHEMA.rangeIncludes)}


def _row(graph: Graph, prop: URIRef, model: Model) -> PropertyRow:
    return PropertyRow(prop, _sorted(_domains(graph, prop), model), _sorted(_ranges(graph, prop), model))


def document(model: Model, shapes: Graph, term: URIRef) -> Term | None:
    """Everything the ontology and the shapes say of one of its terms, or None if it defines no such term."""
    g = model.graph
    if not is_ours(term) or (term, None, None) not in g:
        return None
    kind = _kind(g, term)
    base = {"iri": term, "name": local_name(term), "kind": kind, "label": model.label(term),
            "comment": _text(g, term, RDFS.comment),
            "alignments": tuple((name, other) for predicate, name in ALIGNMENTS
                                for other in sorted(g.objects(term, predicate)))}
    if kind == "class":
        def rows(predicate) -> tuple[PropertyRow, ...]:
            return tuple(_row(g, p, model) for p in _sorted((p for p in model.properties if predicate(p)), model))

        inherited = tuple((sup, rows(lambda p, sup=sup: sup in _domains(g, p)))
                          for sup in _sorted(model.superclasses.get(term, ()), model) if is_ours(sup))
        return Term(**base, supers=_sorted(g.objects(term, RDFS.subClassOf), model),
                    subs=_sorted(g.subjects(RDFS.subClassOf, term), model),
                    properties=rows(lambda p: term in _domains(g, p)), inherited=tuple(i for i in inherited if i[1]),
                    used_as_range=rows(lambda p: term in _ranges(g, p)),
                    members=_sorted(g.subjects(RDF.type, term), model),
                    shapes=class_shapes(model, shapes, term))
    if kind.endswith("property"):
        inverse = model.inverse.get(term)
        return Term(**base, supers=_sorted(g.objects(term, RDFS.subPropertyOf), model),
                    subs=_sorted(g.subjects(RDFS.subPropertyOf, term), model),
                    domains=_sorted(_domains(g, term), model), ranges=_sorted(_ranges(g, term), model),
                    inverse=inverse, symmetric=term in model.symmetric,
                    inverse_label=_text(g, term, JWO.inverseLabel),
                    constraints=property_constraints(model, shapes, term))
    return Term(**base, types=_sorted(g.objects(term, RDF.type), model))


def overview(model: Model) -> Overview:
    """The ontology's own description and the index of its terms."""
    g = model.graph
    children: dict = {}
    for cls in model.classes:
        parents = [p for p in g.objects(cls, RDFS.subClassOf) if p in model.classes]
        for parent in parents or [None]:
            children.setdefault(parent, []).append(cls)

    def tree(parent) -> tuple[ClassNode, ...]:
        return tuple(ClassNode(cls, tree(cls)) for cls in _sorted(children.get(parent, ()), model))

    all_terms = terms(model).values()
    properties = tuple((name.replace("property", "properties"),
                        tuple(_row(g, p, model) for p in _sorted((t for t in all_terms if _kind(g, t) == name), model)))
                       for _, name in KINDS[1:])
    individuals: dict = {}
    for t in all_terms:
        if _kind(g, t) == "individual":
            for cls in g.objects(t, RDF.type):
                individuals.setdefault(cls, []).append(t)
    return Overview(
        iri=ONTOLOGY_IRI, label=_text(g, ONTOLOGY_IRI, DCTERMS.title) or model.label(ONTOLOGY_IRI),
        comment=_text(g, ONTOLOGY_IRI, RDFS.comment), description=_text(g, ONTOLOGY_IRI, DCTERMS.description),
        version=_text(g, ONTOLOGY_IRI, OWL.versionInfo), see_also=tuple(sorted(g.objects(ONTOLOGY_IRI, RDFS.seeAlso))),
        classes=tree(None), properties=properties,
        individuals=tuple((cls, _sorted(members, model)) for cls, members in sorted(individuals.items())))


def term_triples(model: Model, term: URIRef) -> list[tuple]:
    """What the ontology states of one term (its triples as subject), sorted."""
    return sorted(((term, p, o) for p, o in model.graph.predicate_objects(term)), key=lambda t: (t[1].n3(), t[2].n3()))


def ontology_triples(model: Model) -> list[tuple]:
    return sorted(model.graph, key=lambda t: tuple(x.n3() for x in t))


# --- examples from the data --------------------------------------------------------------------------

PROPERTY_EXAMPLES = """
SELECT ?s ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?s), STR(jwr:))) } ORDER BY ?s ?o LIMIT 500"""


def _named(catalog: Catalog, term, reading: Reading) -> bool:
    """Is the name of ``term`` shown at this spoiler level (scenes are named by their story)?"""
    graphs = catalog.named_in.get(term)
    return not graphs or any(catalog.visible(g, reading) for g in graphs)


def class_examples(catalog: Catalog, cls: URIRef, reading: Reading, limit: int = EXAMPLES) -> tuple[list, int]:
    """Up to ``limit`` entities of the class whose names a fan may see, by name, and how many the class has."""
    members = [e for e, types in catalog.types.items() if cls in types and catalog.is_entity(e)]
    shown = sorted((e for e in members if _named(catalog, e, reading)), key=lambda e: catalog.label(e).lower())
    return shown[:limit], len(members)


def property_examples(store: Store, catalog: Catalog, prop: URIRef, reading: Reading,
                      limit: int = EXAMPLES) -> list[tuple]:
    """Up to ``limit`` statements (subject, object) with the property, visible at this spoiler level."""
    found: list[tuple] = []
    for row in store.select(PROPERTY_EXAMPLES, {"p": prop}):
        pair = (row["s"], row["o"])
        if (pair not in found and catalog.visible(row["g"], reading) and catalog.is_entity(row["s"])
                and _named(catalog, row["s"], reading) and (isinstance(row["o"], Literal) or _named(catalog, row["o"], reading))):
            found.append(pair)
            if len(found) == limit:
                break
    return found


def as_json(value):
    """A documentation object as JSON data: IRIs and literals as strings, constraints with their words."""
    if isinstance(value, Constraint):
        return {"path": str(value.path), "inverse": value.inverse, "text": value.text, "message": value.message,
                "shape": str(value.shape) if value.shape else None, "targets": [str(t) for t in value.targets]}
    if is_dataclass(value):
        return {f.name: as_json(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (tuple, list)):
        return [as_json(v) for v in value]
    if isinstance(value, (URIRef, Literal)):
        return str(value)
    return value
