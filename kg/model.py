"""The ontology as the code sees it: files, class and property hierarchy, labels.

The Turtle files in ``ontology/`` are the single source of truth.  The loader
asks them which class a reference must have (and how to name it in a message);
the compiler asks them which schema.org types and properties to materialize and
which inverse or symmetric triples to add; the validator takes its shapes from
them.  Nothing here restates what the Turtle says.  The build compiles the
ontology into its own named graph, and the web app reads its model from there
(:func:`model_of` the store's graph, :func:`kg.store.catalog.load_model`), so
pages show what the store they serve holds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from .namespaces import JWO, rebased

ONTOLOGY_FILE = "jwo.ttl"
SHAPES_FILE = "shapes.ttl"


def ontology_dir() -> Path:
    """Where the Turtle files are: inside the installed package, or in the checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "ontology"
    return packaged if packaged.is_dir() else here.parent / "ontology"


@cache
def ontology_graph() -> Graph:
    """The ontology, its terms under this process's base IRI (the file spells the default one)."""
    return rebased(Graph().parse(ontology_dir() / ONTOLOGY_FILE, format="turtle"))


@cache
def shapes_graph() -> Graph:
    """The SHACL shapes, their IRIs under this process's base IRI."""
    return rebased(Graph().parse(ontology_dir() / SHAPES_FILE, format="turtle"))


def shape_message(shape: URIRef) -> str:
    """The fan-facing message a shape gives (so checks outside SHACL say the same)."""
    return str(shapes_graph().value(shape, SH.message))


def _closure(start: URIRef, up: dict[URIRef, set[URIRef]]) -> frozenset[URIRef]:
    seen: set[URIRef] = set()
    todo = [start]
    while todo:
        for parent in up.get(todo.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return frozenset(seen)


@dataclass(frozen=True)
class Model:
    """What the compiler and the checks need to know about the ontology."""

    graph: Graph
    classes: frozenset[URIRef]
    properties: frozenset[URIRef]
    superclasses: dict[URIRef, frozenset[URIRef]] = field(repr=False)
    superproperties: dict[URIRef, frozenset[URIRef]] = field(repr=False)
    inverse: dict[URIRef, URIRef] = field(repr=False)
    symmetric: frozenset[URIRef] = field(repr=False)

    def types_of(self, cls: URIRef) -> list[URIRef]:
        """The class and all its declared superclasses (ours, schema.org, SKOS, PROV), sorted."""
        return sorted({cls, *self.superclasses.get(cls, ())})

    def is_a(self, cls: URIRef, target: URIRef) -> bool:
        return cls == target or target in self.superclasses.get(cls, ())

    def label(self, term: URIRef) -> str:
        value = self.graph.value(term, RDFS.label)
        return str(value) if value is not None else str(term).rsplit("/", 1)[-1]

    def article_label(self, term: URIRef) -> str:
        """'an organization', 'a character': for messages."""
        label = self.label(term)
        return ("an " if label[:1] in "aeiou" else "a ") + label


@cache
def model() -> Model:
    """The model of the ontology files the build compiles (the web app reads its own from the store)."""
    return model_of(ontology_graph())


def model_of(g: Graph) -> Model:
    """The model of an ontology graph."""
    up_classes: dict[URIRef, set[URIRef]] = defaultdict(set)
    for sub, sup in g.subject_objects(RDFS.subClassOf):
        up_classes[sub].add(sup)
    up_props: dict[URIRef, set[URIRef]] = defaultdict(set)
    for sub, sup in g.subject_objects(RDFS.subPropertyOf):
        up_props[sub].add(sup)
    inverse: dict[URIRef, URIRef] = {}
    for a, b in g.subject_objects(OWL.inverseOf):
        inverse[a], inverse[b] = b, a
    ours = lambda t: isinstance(t, URIRef) and str(t).startswith(str(JWO))  # noqa: E731
    classes = frozenset(c for c in g.subjects(RDF.type, OWL.Class) if ours(c))
    properties = frozenset(
        p
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty)
        for p in g.subjects(RDF.type, kind)
        if ours(p)
    )
    return Model(
        graph=g,
        classes=classes,
        properties=properties,
        superclasses={c: _closure(c, up_classes) for c in classes},
        superproperties={p: _closure(p, up_props) for p in properties},
        inverse=inverse,
        symmetric=frozenset(g.subjects(RDF.type, OWL.SymmetricProperty)),
    )
