"""How two entities are connected, and what surrounds one: the entity graph in memory.

:func:`load_graph` reads every entity-to-entity fact in our vocabulary once
(one SELECT over ``GRAPH ?g { ?s ?p ?o }``, source graphs only) with the
graphs that state it, and the graphs that name each entity.  Materialized twins
fold back into one fact: an inverse pair reads as the side declaring
``owl:inverseOf`` (``hasMember`` is ``memberOf`` the other way), a symmetric
fact is one undirected link.  schema.org super-properties, classes and
literals never enter.  The rest are pure functions of that graph and a
``visible(graph)`` predicate (the spoiler level): a fact is used if one of its
graphs is visible, an entity if its name is.

:func:`connect` finds the shortest chains between two entities (bidirectional
BFS for the length, then every simple path of that length, ranked).  It avoids
trivial links ("appears in the same film": appearances, casts, performances)
unless nothing else joins them, and never passes through a hub (a source, a
performance).  :func:`neighbourhood` is what the graph view draws.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise

from rdflib import URIRef
from rdflib.namespace import OWL

from kg.model import Model
from kg.namespaces import JWO, JWR, slug_of, slugify
from kg.rdf.terms import iri
from kg.store import Store
from kg.store.catalog import Catalog

#: Links that say little: shared films and casts, performances, what a source is about.
TRIVIAL = frozenset({JWO.appearsIn, JWO.hasCharacter, JWO.castMember, JWO.hasPerformance, JWO.inWork,
                     JWO.performedBy, JWO.asCharacter, JWO.about})
#: Links that only say two entities were in the same scene or event: ranked after real ties.
OCCASIONS = frozenset({JWO.featuresCharacter, JWO.participant, JWO.depictsEvent, JWO.sceneOf, JWO.shownIn})
MAX_STEPS = 4
MAX_CHAINS, MIN_CHAINS = 5, 3  # at most 5 shortest chains; fewer than 3: next-shortest ones too
MAX_PATHS = 20_000  # enumeration guard for hub-heavy fallbacks
FORWARD, BACKWARD, BOTH = "forward", "backward", "both"
ENTITY_PATH = re.compile(r"[a-z0-9]+(?:[-/][a-z0-9]+)*")  # a slug, or a performance's slug path

Visible = Callable[[URIRef], bool]
EVERYTHING: Visible = lambda graph: True

FACTS = """
SELECT ?s ?p ?o ?g WHERE {
  GRAPH ?g { ?s ?p ?o }
  FILTER(isIRI(?o) && STRSTARTS(STR(?p), STR(jwo:)) && STRSTARTS(STR(?s), STR(jwr:)) && STRSTARTS(STR(?o), STR(jwr:)))
}"""


@dataclass(frozen=True, slots=True)
class Link:
    """One fact between two entities, seen from one of them (``this``)."""

    other: URIRef
    predicate: URIRef  # as stated: the declaring side of an inverse pair
    direction: str  # FORWARD: this -> other; BACKWARD: other -> this; BOTH: symmetric
    graphs: frozenset[URIRef]

    @property
    def trivial(self) -> bool:
        return self.predicate in TRIVIAL


@dataclass
class EntityGraph:
    links: dict[URIRef, list[Link]] = field(default_factory=dict)
    names: dict[URIRef, frozenset[URIRef]] = field(default_factory=dict)  # the graphs naming each entity
    hubs: frozenset[URIRef] = frozenset()  # entities a chain never passes through (sources, performances)


def build_graph(facts: Iterable[tuple], canonical: dict[URIRef, URIRef], symmetric: frozenset[URIRef],
                names: Iterable[tuple] = (), hubs: Iterable[URIRef] = ()) -> EntityGraph:
    """The graph of facts ``(s, p, o, graph)``; ``canonical`` maps the inverse side of a pair to its declaring side."""
    stated: dict[tuple, set[URIRef]] = defaultdict(set)
    same = str.__eq__  # rdflib's own == is Python code, and this loop runs once per fact
    for s, p, o, g in facts:
        if same(s, o):
            continue
        if p in canonical:
            s, p, o = o, canonical[p], s
        if p in symmetric and o < s:
            s, o = o, s
        stated[(s, p, o)].add(g)
    links: dict[URIRef, list[Link]] = defaultdict(list)
    for (s, p, o), graphs in sorted(stated.items(), key=_plain):
        both = p in symmetric
        graphs = frozenset(graphs)
        links[s].append(Link(o, p, BOTH if both else FORWARD, graphs))
        links[o].append(Link(s, p, BOTH if both else BACKWARD, graphs))
    named: dict[URIRef, set[URIRef]] = defaultdict(set)
    for entity, g in names:
        named[entity].add(g)
    return EntityGraph(dict(links), {e: frozenset(gs) for e, gs in named.items()}, frozenset(hubs))


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
    return build_graph(facts, canonical, frozenset(map(iri, model.symmetric)), names, hubs)


class Lens:
    """The entity graph as one fan sees it: visible facts between visible entities, some relations."""

    def __init__(self, graph: EntityGraph, visible: Visible = EVERYTHING, trivial: bool = True,
                 relations: frozenset[URIRef] | None = None):
        self.graph, self.trivial, self.relations = graph, trivial, relations
        self._visible: dict[URIRef, bool] = {}
        self._is_visible = visible
        self._links: dict[URIRef, dict[URIRef, list[Link]]] = {}

    def visible(self, graph: URIRef) -> bool:
        if graph not in self._visible:
            self._visible[graph] = self._is_visible(graph)
        return self._visible[graph]

    def shown(self, entity: URIRef) -> bool:
        """Is the entity's name visible (an entity named only by a later story is hidden)?"""
        names = self.graph.names.get(entity)
        return not names or any(self.visible(g) for g in names)

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
                        and any(self.visible(g) for g in link.graphs) and self.shown(link.other)):
                    found.setdefault(link.other, []).append(link)
            self._links[entity] = found
        return found


@dataclass(frozen=True)
class Step:
    links: tuple[Link, ...]  # the facts between the previous entity and ``to``, seen from the previous one
    to: URIRef


@dataclass(frozen=True)
class Chain:
    start: URIRef
    steps: tuple[Step, ...]

    @property
    def entities(self) -> list[URIRef]:
        return [self.start, *(step.to for step in self.steps)]


@dataclass
class Connection:
    chains: list[Chain]
    via_trivial: bool = False  # only sources, casts or shared films join them


def connect(graph: EntityGraph, start: URIRef, end: URIRef, visible: Visible = EVERYTHING,
            max_steps: int = MAX_STEPS) -> Connection:
    """The best short chains from ``start`` to ``end``; trivial links only if nothing else joins them."""
    for trivial in (False, True):
        lens = Lens(graph, visible, trivial)
        chains = best_chains(lens, start, end, max_steps)
        if chains:
            return Connection(chains, via_trivial=trivial)
    return Connection([])


def best_chains(lens: Lens, start: URIRef, end: URIRef, max_steps: int = MAX_STEPS) -> list[Chain]:
    length = shortest_length(lens, start, end, max_steps)
    if length is None:
        return []
    chains = _ranked(lens, paths(lens, start, end, length))[:MAX_CHAINS]
    if len(chains) < MIN_CHAINS and length < max_steps:
        chains += _ranked(lens, paths(lens, start, end, length + 1))[:MAX_CHAINS - len(chains)]
    return chains


def shortest_length(lens: Lens, start: URIRef, end: URIRef, max_steps: int = MAX_STEPS) -> int | None:
    """Bidirectional BFS: the number of steps of the shortest chain, or None beyond ``max_steps``."""
    if start == end or not (lens.shown(start) and lens.shown(end)):
        return None
    depth = {start: 0}, {end: 0}
    frontier = [start], [end]
    levels = [0, 0]
    while frontier[0] and frontier[1] and levels[0] + levels[1] < max_steps:
        side = 0 if len(frontier[0]) <= len(frontier[1]) else 1
        mine, theirs, origin = depth[side], depth[1 - side], (start, end)[side]
        levels[side] += 1
        reached = []
        best = None
        for node in frontier[side]:
            if node != origin and not lens.passable(node):
                continue
            for other in lens.links(node):
                if other in mine:
                    continue
                mine[other] = levels[side]
                reached.append(other)
                if other in theirs and (other in (start, end) or lens.passable(other)):
                    total = levels[side] + theirs[other]
                    best = total if best is None else min(best, total)
        if best is not None:
            return best if best <= max_steps else None
        frontier = (reached, frontier[1]) if side == 0 else (frontier[0], reached)
    return None


def distances(lens: Lens, origin: URIRef, limit: int) -> dict[URIRef, int]:
    """BFS from ``origin`` up to ``limit`` steps (not through entities a chain may not pass)."""
    found = {origin: 0}
    frontier = [origin]
    for level in range(1, limit + 1):
        reached = []
        for node in frontier:
            if node != origin and not lens.passable(node):
                continue
            for other in lens.links(node):
                if other not in found:
                    found[other] = level
                    reached.append(other)
        frontier = reached
    return found


def paths(lens: Lens, start: URIRef, end: URIRef, length: int) -> Iterator[Chain]:
    """Every simple chain of exactly ``length`` steps (pruned by the distances to ``end``)."""
    to_end = distances(lens, end, length)
    route = [start]
    count = 0

    def walk(node: URIRef, left: int) -> Iterator[list[URIRef]]:
        nonlocal count
        for other in lens.links(node):
            if count >= MAX_PATHS:
                return
            if other == end:
                if left == 1:
                    count += 1
                    yield [*route, end]
            elif left > 1 and other not in route and lens.passable(other) and to_end.get(other, left) < left:
                route.append(other)
                yield from walk(other, left - 1)
                route.pop()

    for nodes in walk(start, length):
        yield Chain(start, tuple(Step(tuple(_ordered(lens.links(a)[b])), b) for a, b in pairwise(nodes)))


def _ordered(links: list[Link]) -> list[Link]:
    return sorted(links, key=lambda link: (link.trivial, str(link.predicate), link.direction))


def _ranked(lens: Lens, chains: Iterable[Chain]) -> list[Chain]:
    """Fewest trivial steps, then fewest shared scenes or events, then through the most particular entities."""
    def score(chain: Chain):
        trivial = sum(all(link.trivial for link in step.links) for step in chain.steps)
        occasions = sum(all(link.predicate in OCCASIONS for link in step.links) for step in chain.steps)
        spread = sum(math.log(len(lens.links(node))) for node in chain.entities[1:-1])
        return trivial, occasions, round(spread, 6), [str(e) for e in chain.entities]

    return sorted(chains, key=score)


@dataclass
class Neighbourhood:
    center: URIRef
    depth: dict[URIRef, int]  # the entities shown, with their distance from the center
    edges: list[tuple[URIRef, URIRef, URIRef, bool]]  # subject, predicate, object, symmetric
    relations: dict[URIRef, int]  # every relation around (before filtering): how many facts
    total: int  # entities found before the cap

    @property
    def capped(self) -> bool:
        return self.total > len(self.depth)


def neighbourhood(graph: EntityGraph, center: URIRef, depth: int = 1, visible: Visible = EVERYTHING,
                  relations: frozenset[URIRef] | None = None, cap: int = 60) -> Neighbourhood:
    """What surrounds ``center`` within ``depth`` steps through ``relations`` (None: all), at most ``cap``
    entities: the nearest first, and real ties before shared films.  Hubs are left out (they restate)."""
    def ball(lens: Lens) -> dict[URIRef, int]:
        return {e: d for e, d in distances(lens, center, depth).items() if e == center or e not in graph.hubs}

    everything = Lens(graph, visible)
    if not everything.shown(center):
        return Neighbourhood(center, {}, [], {}, 0)
    counts: dict[URIRef, int] = defaultdict(int)
    for _, predicate, _, _ in _edges(everything, ball(everything)):
        counts[predicate] += 1
    lens = Lens(graph, visible, relations=relations)
    found = ball(lens)
    direct = {other for other, links in lens.links(center).items() if not all(link.trivial for link in links)}
    order = sorted(found, key=lambda e: (found[e], e not in direct and found[e] > 0, str(e)))
    kept = {e: found[e] for e in order[:cap]}
    return Neighbourhood(center, kept, _edges(lens, kept), dict(counts), len(found))


def _edges(lens: Lens, entities: Iterable[URIRef]) -> list[tuple[URIRef, URIRef, URIRef, bool]]:
    """The facts among these entities, each once, as stated."""
    among = set(entities)
    edges = set()
    for entity in among:
        for other, links in lens.links(entity).items():
            if other in among:
                for link in links:
                    s, o = (other, entity) if link.direction == BACKWARD else (entity, other)
                    if link.direction == BOTH and str(o) < str(s):
                        s, o = o, s
                    edges.add((s, link.predicate, o, link.direction == BOTH))
    return sorted(edges)


def resolve(catalog: Catalog, text: str, shown: Callable[[URIRef], bool] = lambda e: True) -> list[URIRef]:
    """The entities ``text`` names, best first: a slug (or our IRI, or page path), else a shown name, any case."""
    text = " ".join(text.split())
    path = text.removeprefix(str(JWR)).removeprefix("/id/")
    if ENTITY_PATH.fullmatch(path) and catalog.is_entity(JWR[path]):
        return [JWR[path]]
    wanted = text.casefold()
    named = [e for e in catalog.classes if catalog.label(e).casefold() == wanted and shown(e)]
    return sorted(named, key=lambda e: (slug_of(e) != slugify(text), str(e)))


def close_names(catalog: Catalog, text: str, shown: Callable[[URIRef], bool] = lambda e: True,
                n: int = 5) -> list[URIRef]:
    """Shown entities whose name or slug is close to ``text`` (for "did you mean")."""
    keys: dict[str, URIRef] = {}
    for entity in sorted(catalog.classes, key=str):
        if shown(entity):
            keys.setdefault(catalog.label(entity).casefold(), entity)
            keys.setdefault(str(entity).removeprefix(str(JWR)), entity)
    found = difflib.get_close_matches(" ".join(text.split()).casefold()[:100], keys, n=n * 2, cutoff=0.6)
    return list(dict.fromkeys(keys[key] for key in found))[:n]
