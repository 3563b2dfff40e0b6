"""The entity graph as compact JSON, for the browser: the static export finds connections without a server.

``web/static/offline-connect.js`` walks these tables as :mod:`kg.views.connections`
walks the :class:`~kg.views.entitygraph.EntityGraph` (the same bidirectional
search, the same enumeration order, the same ranking), through a lens made
from the fan's reading as :class:`~kg.views.entitygraph.Lens` makes it, so the
export's chains are the server's.  Graphs are numbers: each with the spoiler
level from which it shows and its kind (canon, reference, interpretation);
entities are numbers too, each link listed from both ends in the graph's own
order, with the confirmation marks its sources put on it.  The graph view's
neighbourhood (``web/static/offline-graph.js``) is walked through the same lens,
each entity drawn in the colour of its group.
"""

from __future__ import annotations

from collections.abc import Callable

from rdflib import URIRef

from kg.namespaces import JWR, term_name
from kg.store.catalog import Catalog

from .connections import OCCASIONS
from .entitygraph import BACKWARD, BOTH, TRIVIAL, EntityGraph
from .marks import TIERS, flag

FORMAT = 2
DIRECTIONS = {BOTH: 0, BACKWARD: -1}  # else 1: forward


def offline_graph(graph: EntityGraph, catalog: Catalog, url_of: Callable[[URIRef], str | None],
                  kind_of: Callable[[URIRef], str], label_of: Callable[[URIRef], str],
                  group_of: Callable[[URIRef], str]) -> dict:
    """The tables :mod:`kg.views.connections` needs, as lists; ``url_of`` gives each entity's page,
    ``group_of`` the broad kind the graph view colours it as."""
    graphs: dict[URIRef, int] = {}
    graph_rows: list[list] = []

    def graph_number(g: URIRef) -> int:
        if g not in graphs:
            info = catalog.graphs.get(g)
            graphs[g] = len(graph_rows)  # not in the catalog: never hidden, a reference
            graph_rows.append([0 if info is None or info.rank is None else info.rank,
                               TIERS.index(info.kind) if info is not None else 1])
        return graphs[g]

    entities = sorted(catalog.classes, key=str)
    number = {e: i for i, e in enumerate(entities)}
    predicates = sorted({link.predicate for links in graph.links.values() for link in links}, key=str)
    predicate_number = {p: i for i, p in enumerate(predicates)}
    rows = []
    for entity in entities:
        links = [[number[link.other], predicate_number[link.predicate], DIRECTIONS.get(link.direction, 1),
                  [graph_number(g) for g in sorted(link.graphs, key=str)],
                  [[graph_number(g), flag(c)] for g, c in link.doubts]]
                 for link in graph.links.get(entity, ()) if link.other in number]
        rows.append({
            "path": str(entity)[len(JWR):], "url": url_of(entity), "label": label_of(entity), "kind": kind_of(entity),
            "group": group_of(entity),
            "hub": entity in graph.hubs, "doubted": entity in graph.doubted,
            "names": [graph_number(g) for g in sorted(graph.names.get(entity, ()), key=str)],
            "doubts": [[graph_number(g), flag(c)] for g, c in sorted(catalog.doubts.get(entity, {}).items())],
            "links": links,
        })
    return {
        "format": FORMAT, "graphs": graph_rows, "entities": rows,
        "predicates": [{"iri": str(p), "name": term_name(p), "label": label_of(p), "trivial": p in TRIVIAL, "occasion": p in OCCASIONS}
                       for p in predicates],
    }

