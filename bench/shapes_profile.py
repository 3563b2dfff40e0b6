"""Time pySHACL one node shape at a time, on the union graph ``kg build`` validates.

    python -m bench.shapes_profile DATA_DIR      # prints JSON

For each node shape of ``ontology/shapes.ttl``, a shapes graph is made of that
shape, its anonymous property shapes (with their ``sh:or`` lists), and the
shared ``jwsh:*`` property shapes it names with ``sh:property``; pySHACL then
validates the compiled dataset (as the union of its graphs) against it, with
the options of :func:`kg.build.validate.shacl_violations`.  The sum of the
single-shape times approaches the time of all shapes together: pySHACL checks
shapes one by one.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from pathlib import Path

from pyshacl import validate
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.namespace import RDF, SH

from kg.build import load_universe
from kg.build.compile import compile_universe
from kg.model import model, shapes_graph


def _closure(shapes: Graph, start, into: Graph) -> None:
    """Copy ``start``'s triples, following blank nodes and the named shapes it refers to."""
    todo, seen = [start], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for s, p, o in shapes.triples((node, None, None)):
            into.add((s, p, o))
            if isinstance(o, BNode) or (p in (SH.property, SH.node) and isinstance(o, URIRef)):
                todo.append(o)


def single_shape(shapes: Graph, shape: URIRef) -> Graph:
    graph = Graph()
    for prefix, namespace in shapes.namespaces():
        graph.bind(prefix, namespace)
    _closure(shapes, shape, graph)
    return graph


def _validate(data: Dataset, shapes: Graph) -> tuple[float, bool]:
    started = time.perf_counter()
    conforms, _, _ = validate(data, shacl_graph=shapes, inference="none", advanced=False, inplace=True,
                              allow_warnings=True)
    return time.perf_counter() - started, conforms


def profile(data_dir: Path) -> dict:
    gc.disable()  # as kg build does while it validates
    data = compile_universe(load_universe(data_dir), model()).dataset
    shapes = shapes_graph()
    results = []
    for shape in sorted(shapes.subjects(RDF.type, SH.NodeShape)):
        target = shapes.value(shape, SH.targetClass)
        seconds, conforms = _validate(data, single_shape(shapes, shape))
        results.append({
            "shape": shapes.qname(shape), "target": shapes.qname(target) if target else "",
            "focus_nodes": len(set(data.subjects(RDF.type, target))) if target else 0,
            "property_shapes": len(list(shapes.objects(shape, SH.property))),
            "seconds": seconds, "conforms": conforms,
        })
    all_seconds, _ = _validate(data, shapes)
    return {"triples": len(data), "all_shapes_seconds": all_seconds, "shapes": results}


def main() -> None:
    print(json.dumps(profile(Path(sys.argv[1]))))


if __name__ == "__main__":
    main()
