"""The entity graph in memory: every fact between two entities, with the graphs that state it.

:func:`load_graph` reads every entity-to-entity fact in our vocabulary once
(one SELECT over ``GRAPH ?g { ?s ?p ?o }``, source graphs only) with the
graphs that state it, and the graphs that name each entity.  Materialized twins
fold back into one fact: an inverse pair reads as the side declaring
``owl:inverseOf`` (``hasMember`` is ``memberOf`` the other way), a symmetric
fact is one undirected link.  schema.org super-properties, classes and
literals never enter.  A :class:`Lens` is that graph as one fan sees it, given
a ``visible(graph)`` predicate (the spoiler level): a fact is used if one of
its graphs is visible, an entity if its name is.  :mod:`kg.views.connections`
walks it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.namespace import OWL

from kg.model import Model
from kg.namespaces import JWO
from kg.rdf.terms import iri
from kg.store import Store
from kg.store.catalog import Catalog

#: Links that say little: shared films and casts, performances, what a source is about.
TRIVIAL = frozenset({JWO.appearsIn, JWO.hasCharacter, JWO.castMember, JWO.hasPerformance, JWO.inWork,
                     JWO.performedBy, JWO.asCharacter, JWO.about})
FORWARD, BACKWARD, BOTH = "forward", "backward", "both"

Visible = Callable[[URIRef], bool]
EVERYTHING: Visible = lambda graph: True

FACTS = """
SELECT ?s ?p ?o ?g WHERE {
  GRAPH ?g { ?s ?p ?o }
  FILTER(isIRI(?o) && STRSTARTS(STR(?p), STR(jwo:)) && STRSTARTS(STR(?s), STR(jwr:)) && STRSTARTS(STR(?o), STR(jwr:)))
}"""
#: Facts a source marks unconfirmed or disputed, and entities whose very existence it does.
DOUBTS = """
SELECT ?s ?p ?o ?g ?c WHERE {
  { GRAPH ?g { ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; jwo:confirmation ?c } }
  UNION
  { GRAPH ?g { ?s jwo:confirmation ?c } FILTER(STRSTARTS(STR(?s), STR(jwr:))) }
}"""


@dataclass(frozen=True, slots=True)
class Link:
    """One fact between two entities, seen from one of them (``this``)."""

    other: URIRef
    predicate: URIRef  # as stated: the declaring side of an inverse pair
    direction: str  # FORWARD: this -> other; BACKWARD: other -> this; BOTH: symmetric
    graphs: frozenset[URIRef]
    doubts: tuple[tuple[URIRef, URIRef], ...] = ()  # (graph, confirmation): what its sources mark

    @property
    def trivial(self) -> bool:
        return self.predicate in TRIVIAL

    def doubted_in(self, graph: URIRef) -> URIRef | None:
        """The confirmation mark this graph puts on the fact (jwo:Unconfirmed, jwo:Disputed), if any."""
        return next((c for g, c in self.doubts if g == graph), None)


@dataclass
class EntityGraph:
    links: dict[URIRef, list[Link]] = field(default_factory=dict)
    names: dict[URIRef, frozenset[URIRef]] = field(default_factory=dict)  # the graphs naming each entity
    hubs: frozenset[URIRef] = frozenset()  # entities a chain never passes through (sources, performances)
    doubted: frozenset[URIRef] = frozenset()  # entities whose existence a source marks unconfirmed or disputed


def build_graph(facts: Iterable[tuple], canonical: dict[URIRef, URIRef], symmetric: frozenset[URIRef],
                names: Iterable[tuple] = (), hubs: Iterable[URIRef] = (), doubts: Iterable[tuple] = (),
                doubted: Iterable[URIRef] = ()) -> EntityGraph:
    """The graph of facts ``(s, p, o, graph)``; ``canonical`` maps the inverse side of a pair to its declaring side;
    ``doubts`` are ``(s, p, o, graph, confirmation)`` marks on facts, ``doubted`` the entities marked themselves."""
    same = str.__eq__  # rdflib's own == is Python code, and this loop runs once per fact

    def folded(s, p, o):
        if p in canonical:
            s, p, o = o, canonical[p], s
        if p in symmetric and o < s:
            s, o = o, s
        return s, p, o

    stated: dict[tuple, set[URIRef]] = defaultdict(set)
    for s, p, o, g in facts:
        if not same(s, o):
            stated[folded(s, p, o)].add(g)
    marked: dict[tuple, list] = defaultdict(list)
    for s, p, o, g, confirmation in doubts:
        marked[folded(s, p, o)].append((g, confirmation))
    links: dict[URIRef, list[Link]] = defaultdict(list)
    for (s, p, o), graphs in sorted(stated.items(), key=_plain):
        both = p in symmetric
        graphs = frozenset(graphs)
        doubt = tuple(sorted(marked.get((s, p, o), ())))
        links[s].append(Link(o, p, BOTH if both else FORWARD, graphs, doubt))
        links[o].append(Link(s, p, BOTH if both else BACKWARD, graphs, doubt))
    named: dict[URIRef, set[URIRef]] = defaultdict(set)
    for entity, g in names:
        named[entity].add(g)
    return EntityGraph(dict(links), {e: frozenset(gs) for e, gs in named.items()}, frozenset(hubs),
                       frozenset(doubted))


def _plain(item: tuple) -> tuple[str, str, str]:
    """A fact's sort key as plain strings: str's own comparison, not rdflib's (a hundred times slower)."""
    (s, p, o), _ = item
    return str.__str__(s), str.__str__(p), str.__str__(o)


def load_graph(store: Store, catalog: Catalog, model: Model) -> EntityGraph:
    """The entity graph of the store: facts of the source graphs only (not provenance or ontology)."""
    # The model's IRIs as the store shares them (kg.rdf.terms.iri): a third of a million facts are looked up in these.
    properties = frozenset(map(iri, model.properties))
    canonical = {iri(secondary): iri(primary) for primary, secondary in model.graph.subject_objects(OWL.inverseOf)
                 if primary in model.properties and secondary in model.properties}
    facts = ((r["s"], r["p"], r["o"], r["g"]) for r in store.select(FACTS)
             if r["p"] in properties and r["g"] in catalog.graphs
             and catalog.is_entity(r["s"]) and catalog.is_entity(r["o"]))
    names = ((e, g) for e, graphs in catalog.named_in.items() if catalog.is_entity(e) for g in graphs)
    hubs = (e for e, cls in catalog.classes.items() if model.is_a(cls, JWO.Source) or model.is_a(cls, JWO.Performance))
    rows = store.select(DOUBTS)
    doubts = [(r["s"], r["p"], r["o"], r["g"], r["c"]) for r in rows if "p" in r]
    doubted = [r["s"] for r in rows if "p" not in r and catalog.is_entity(r["s"])]
    return build_graph(facts, canonical, frozenset(map(iri, model.symmetric)), names, hubs, doubts, doubted)


class Lens:
    """The entity graph as one fan sees it: visible facts between visible entities, some relations.

    ``visible`` says which graphs the fan sees (spoiler level; canon only leaves readings out);
    ``canon_only`` also leaves out what a source marks unconfirmed or disputed, facts and entities.
    """

    def __init__(self, graph: EntityGraph, visible: Visible = EVERYTHING, trivial: bool = True,
                 relations: frozenset[URIRef] | None = None, canon_only: bool = False):
        self.graph, self.trivial, self.relations, self.canon_only = graph, trivial, relations, canon_only
        self._visible: dict[URIRef, bool] = {}
        self._is_visible = visible
        self._links: dict[URIRef, dict[URIRef, list[Link]]] = {}

    def visible(self, graph: URIRef) -> bool:
        if graph not in self._visible:
            self._visible[graph] = self._is_visible(graph)
        return self._visible[graph]

    def shown(self, entity: URIRef) -> bool:
        """Is the entity's name visible (an entity named only by a later story is hidden)?"""
        if self.canon_only and entity in self.graph.doubted:
            return False
        names = self.graph.names.get(entity)
        return not names or any(self.visible(g) for g in names)

    def sources(self, link: Link) -> list[URIRef]:
        """The graphs this fan sees the link in (in canon only, not those that mark it doubtful)."""
        return [g for g in link.graphs if self.visible(g) and not (self.canon_only and link.doubted_in(g))]

    def passable(self, entity: URIRef) -> bool:
        """May a chain pass through it?  Not through a hub: a performance restates what played by,
        appears in and cast member say; a source says only what it is about."""
        return entity not in self.graph.hubs

    def links(self, entity: URIRef) -> dict[URIRef, list[Link]]:
        """The visible links of an entity, grouped by the entity at their other end."""
        found = self._links.get(entity)
        if found is None:
            found = {}
            for link in self.graph.links.get(entity, ()):
                if ((self.trivial or not link.trivial)
                        and (self.relations is None or link.predicate in self.relations)
                        and self.sources(link) and self.shown(link.other)):
                    found.setdefault(link.other, []).append(link)
            self._links[entity] = found
        return found
