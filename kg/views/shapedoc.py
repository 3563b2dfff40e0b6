"""SHACL shapes in plain words, for the ontology's documentation pages (:mod:`kg.views.ontodoc`).

For a class, the node shapes that check its instances (its own, then its
superclasses'); for a property, the property shapes on it, with the classes
whose shapes use them.  A constraint in words is a tuple of phrases, each a
tuple of parts: plain text or an RDF term (which a page links), as
:mod:`kg.views.infobox` builds its rows.  A constraint this module does not know
how to say is shown as it is written, never left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from kg.model import Model
from kg.namespaces import JWO, curie


def is_ours(term) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(str(JWO)) and len(str(term)) > len(str(JWO))


@dataclass(frozen=True)
class Constraint:
    """One property shape: what it checks, in words, on the instances of which classes."""

    path: URIRef
    inverse: bool  # the shape checks the links *to* an instance (sh:inversePath)
    phrases: tuple[tuple, ...]
    message: str | None
    shape: URIRef | None  # the property shape, when it is named (jwsh:name); None for a blank one
    targets: tuple[URIRef, ...]  # the classes whose node shapes use it

    @property
    def text(self) -> str:
        return "; ".join("".join(curie(p) if isinstance(p, URIRef) else str(p) for p in phrase)
                         for phrase in self.phrases)


@dataclass(frozen=True)
class Shape:
    """A node shape and what it checks on the instances of its target class."""

    iri: URIRef
    target: URIRef
    constraints: tuple[Constraint, ...]


def class_shapes(model: Model, shapes: Graph, cls: URIRef) -> tuple[Shape, ...]:
    """The node shapes that check an instance of ``cls``: its own first, then its superclasses' (closest first)."""
    ancestors = sorted(model.superclasses.get(cls, ()), key=lambda c: -len(model.superclasses.get(c, ())))
    found = []
    for target in (cls, *(a for a in ancestors if is_ours(a))):
        for node in sorted(shapes.subjects(SH.targetClass, target)):
            found.append(Shape(node, target, tuple(_constraint(shapes, ps, (target,))
                                                   for ps in _ordered(shapes, shapes.objects(node, SH.property)))))
    return tuple(found)


def property_constraints(model: Model, shapes: Graph, prop: URIRef) -> tuple[Constraint, ...]:
    """The property shapes on ``prop`` (or on links to it), each with the classes whose shapes use it."""
    found = []
    for ps in _ordered(shapes, {*shapes.subjects(SH.path, prop),
                                *(s for b in shapes.subjects(SH.inversePath, prop) for s in shapes.subjects(SH.path, b))}):
        targets = sorted({t for node in shapes.subjects(SH.property, ps) for t in shapes.objects(node, SH.targetClass)},
                         key=model.label)
        found.append(_constraint(shapes, ps, tuple(targets)))
    return tuple(sorted(found, key=lambda c: [model.label(t) for t in c.targets]))


def _ordered(shapes: Graph, nodes) -> list:
    """Property shapes in a stable order: by path, then by what they say."""
    def key(node):
        path = shapes.value(node, SH.path)
        return (curie(path) if isinstance(path, URIRef) else "~", str(shapes.value(node, SH.message) or ""))
    return sorted(set(nodes), key=key)


def _constraint(shapes: Graph, ps, targets: tuple) -> Constraint:
    path = shapes.value(ps, SH.path)
    inverse = isinstance(path, BNode)
    if inverse:
        path = shapes.value(path, SH.inversePath)
    return Constraint(path, inverse, tuple(_phrases(shapes, ps)), _message(shapes, ps),
                      ps if isinstance(ps, URIRef) else None, targets)


def _count(low, high) -> list | None:
    low = int(low) if low is not None else 0
    high = int(high) if high is not None else None
    if high == 0:
        return ["never stated"]
    if low == high:
        return ["exactly one value" if low == 1 else f"exactly {low} values"]
    if low and high is not None:
        return [f"between {low} and {high} values"]
    if low:
        return ["at least one value" if low == 1 else f"at least {low} values"]
    if high is not None:
        return ["at most one value" if high == 1 else f"at most {high} values"]
    return None


def _alternatives(shapes: Graph, head) -> list:
    classes = [shapes.value(item, SH["class"]) for item in Collection(shapes, head)]
    parts: list = ["each value is "]
    for i, cls in enumerate(classes):
        parts += [", " if 0 < i < len(classes) - 1 else " or " if i else "", "a ", cls]
    return parts


NODE_KINDS = {SH.IRI: "an IRI", SH.Literal: "a literal", SH.BlankNode: "a blank node"}
#: Predicates of a property shape that are not constraints, or are put in words together with another.
NOT_CONSTRAINTS = {SH.path, SH.message, SH.name, SH.description, SH.minCount, SH.maxCount, SH.minInclusive,
                   SH.maxInclusive, RDF.type, SH.order, SH.group}


def _phrases(shapes: Graph, ps) -> list[tuple]:
    phrases = []
    count = _count(shapes.value(ps, SH.minCount), shapes.value(ps, SH.maxCount))
    if count:
        phrases.append(tuple(count))
    low, high = shapes.value(ps, SH.minInclusive), shapes.value(ps, SH.maxInclusive)
    if low is not None or high is not None:
        phrases.append((f"from {low} to {high}" if low is not None and high is not None
                        else f"from {low}" if low is not None else f"at most {high}",))
    for predicate, value in sorted(shapes.predicate_objects(ps)):
        if predicate in NOT_CONSTRAINTS:
            continue
        if predicate == SH.datatype:
            phrases.append(("of type ", value))
        elif predicate == SH["class"]:
            phrases.append(("each value is a ", value))
        elif predicate == SH["or"]:
            phrases.append(tuple(_alternatives(shapes, value)))
        elif predicate == SH["not"] and shapes.value(value, SH["class"]) is not None:
            phrases.append(("never a ", shapes.value(value, SH["class"])))
        elif predicate == SH.hasValue:
            phrases.append(("includes ", value))
        elif predicate == SH.nodeKind:
            phrases.append((NODE_KINDS.get(value, curie(value)),))
        elif predicate == SH.pattern:
            phrases.append((f"matches the pattern {value}",))
        elif predicate == SH.lessThanOrEquals:
            phrases.append(("not more than its ", value))
        elif predicate == SH.lessThan:
            phrases.append(("less than its ", value))
        else:  # a constraint this page does not put in words yet: shown as it is written
            phrases.append((f"{curie(predicate)} ", value if isinstance(value, URIRef) else str(value)))
    return phrases


def _message(shapes: Graph, ps) -> str | None:
    value = shapes.value(ps, SH.message)
    return str(value) if value is not None else None
