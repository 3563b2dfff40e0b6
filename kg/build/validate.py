"""SHACL validation with pySHACL, each result mapped back to the YAML that caused it.

Our facts link across named graphs (a character in one source's graph, her
organization in another's), so the shapes must see the union of all graphs,
ontology included.  pySHACL (0.40 and later) validates a Dataset as that
union; older versions validated each named graph on its own, hence the
version floor in pyproject.toml.  The shapes' own ``sh:message`` is what the
fan reads, after the file and line of the value that produced the triple.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyshacl import validate as shacl_validate
from rdflib import BNode, Dataset, URIRef
from rdflib.namespace import PROV, RDF, SH

from kg.errors import Location, Problem
from kg.model import shapes_graph
from kg.namespaces import PROVENANCE_GRAPH, slug_of

from . import vocab
from .compile import Index


@dataclass(frozen=True)
class Violation:
    focus: URIRef
    path: URIRef | BNode | None
    value: object
    message: str
    shape: object


def shacl_violations(dataset: Dataset) -> list[Violation]:
    """Validate the union of the dataset's graphs; an empty list means it conforms."""
    conforms, report, _ = shacl_validate(
        dataset, shacl_graph=shapes_graph(), inference="none", advanced=False, inplace=True,
        allow_warnings=True)
    if conforms:
        return []
    found = {}
    for result in report.subjects(RDF.type, SH.ValidationResult):
        v = Violation(
            focus=report.value(result, SH.focusNode),
            path=report.value(result, SH.resultPath),
            value=report.value(result, SH.value),
            message=str(report.value(result, SH.resultMessage) or "breaks a shape"),
            shape=report.value(result, SH.sourceShape),
        )
        # a class shape and its superclass shape may report the same thing: keep one
        found.setdefault((v.focus, v.path, v.value, v.message), v)
    return list(found.values())


def _key_names() -> dict[tuple[str, URIRef], str]:
    names = {}
    for kind in vocab.KINDS:
        for k in kind.keys.values():
            for p in k.predicates:
                names.setdefault((kind.noun, p), k.name)
    return names


def locate(violations: list[Violation], index: Index, dataset: Dataset) -> list[Problem]:
    """Turn violations into problems at the YAML file and line of their cause.

    The line is that of the offending value when there is one; for a count
    constraint, that of the value in excess (naming where the first one is);
    for a missing value, that of the entity.
    """
    keys = _key_names()
    provenance = dataset.graph(PROVENANCE_GRAPH)
    by_subject_predicate: dict[tuple, list[Location]] = {}
    for (s, p, _), locs in index.triples.items():
        by_subject_predicate.setdefault((s, p), []).extend(locs)
    problems = []
    for v in violations:
        focus = provenance.value(v.focus, PROV.wasDerivedFrom) or v.focus  # a source graph's problem is its source's
        loc, slug, noun = index.nodes.get(focus, (None, slug_of(focus), None))
        predicate = v.path if isinstance(v.path, URIRef) else None
        message = v.message
        if predicate is not None and v.value is not None:
            locs = index.triples.get((focus, predicate, v.value), [])
        elif isinstance(v.path, BNode) and v.value is not None:
            locs = index.triples.get((v.value, shapes_graph().value(v.path, SH.inversePath), focus), [])
        else:
            locs = sorted(set(by_subject_predicate.get((focus, predicate), [])), key=_order)
            if len(locs) > 1:
                message += f" (the first value is at {locs[0]})"
                locs = locs[-1:]
        if locs:
            loc = min(locs, key=_order)
        key = keys.get((noun, predicate)) if predicate is not None else None
        problems.append(Problem(message, loc, slug, noun, key))
    return list(dict.fromkeys(problems))  # a name missing breaks rdfs:label and schema:name alike: say it once


def _order(loc: Location) -> tuple:
    return (loc.file, loc.line, loc.column)
