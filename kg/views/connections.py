"""How two entities are connected, and what surrounds one: walks of the entity graph (:mod:`kg.views.entitygraph`).

These are pure functions of the entity graph and a ``visible(graph)``
predicate (the spoiler level).  :func:`connect` finds the shortest chains
between two entities (bidirectional BFS for the length, then every simple path
of that length, ranked).  It avoids trivial links ("appears in the same
film": appearances, casts, performances) unless nothing else joins them, and
never passes through a hub (a source, a performance).  :func:`neighbourhood`
is what the graph view draws; :func:`resolve` and :func:`close_names` turn
what a fan typed into entities, by the search index's names, aliases and typos.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise

from rdflib import URIRef

from kg.namespaces import JWO, JWR, slug_of, slugify
from kg.store.catalog import EVERYTHING as EVERYTHING_READ
from kg.store.catalog import Catalog, Reading

from .entitygraph import BACKWARD, BOTH, EVERYTHING, EntityGraph, Lens, Link, Visible
from .search import SearchIndex

#: Links that only say two entities were in the same scene or event: ranked after real ties.
OCCASIONS = frozenset({JWO.featuresCharacter, JWO.participant, JWO.depictsEvent, JWO.sceneOf, JWO.shownIn})
MAX_STEPS = 4
MAX_CHAINS, MIN_CHAINS = 5, 3  # at most 5 shortest chains; fewer than 3: next-shortest ones too
MAX_PATHS = 20_000  # enumeration guard for hub-heavy fallbacks
ENTITY_PATH = re.compile(r"[a-z0-9]+(?:[-/][a-z0-9]+)*")  # a slug, or a performance's slug path


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
            max_steps: int = MAX_STEPS, canon_only: bool = False) -> Connection:
    """The best short chains from ``start`` to ``end``; trivial links only if nothing else joins them."""
    for trivial in (False, True):
        lens = Lens(graph, visible, trivial, canon_only=canon_only)
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
                  relations: frozenset[URIRef] | None = None, cap: int = 60, canon_only: bool = False) -> Neighbourhood:
    """What surrounds ``center`` within ``depth`` steps through ``relations`` (None: all), at most ``cap``
    entities: the nearest first, and real ties before shared films.  Hubs are left out (they restate)."""
    def ball(lens: Lens) -> dict[URIRef, int]:
        return {e: d for e, d in distances(lens, center, depth).items() if e == center or e not in graph.hubs}

    everything = Lens(graph, visible, canon_only=canon_only)
    if not everything.shown(center):
        return Neighbourhood(center, {}, [], {}, 0)
    counts: dict[URIRef, int] = defaultdict(int)
    for _, predicate, _, _ in _edges(everything, ball(everything)):
        counts[predicate] += 1
    lens = Lens(graph, visible, relations=relations, canon_only=canon_only)
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


def resolve(catalog: Catalog, text: str, shown: Callable[[URIRef], bool] = lambda e: True,
            index: SearchIndex | None = None, reading: Reading = EVERYTHING_READ) -> list[URIRef]:
    """The entities ``text`` names, best first: a slug (or our IRI, or page path), else a name the fan sees.

    With the search ``index``, a name is any name or alias, as search compares them ("rooney" is Eve
    Macarro; "continental" The Continental): names before aliases, the entity whose slug the text
    makes first, then by importance.  Without it, a label in any case.
    """
    text = " ".join(text.split())
    path = text.removeprefix(str(JWR)).removeprefix("/id/")
    if ENTITY_PATH.fullmatch(path) and catalog.is_entity(JWR[path]):
        return [JWR[path]]
    if index is not None:
        return [entity for entity in index.resolve(text, reading) if shown(entity)]
    wanted = text.casefold()
    named = [e for e in catalog.classes if catalog.label(e).casefold() == wanted and shown(e)]
    return sorted(named, key=lambda e: (slug_of(e) != slugify(text), str(e)))


def close_names(catalog: Catalog, text: str, shown: Callable[[URIRef], bool] = lambda e: True,
                n: int = 5, index: SearchIndex | None = None, reading: Reading = EVERYTHING_READ) -> list[URIRef]:
    """Shown entities whose name is close to ``text`` (for "did you mean"): with the search ``index``, the
    best of a search for it, typos forgiven ("macaro", "eve-macaro": Eve Macarro); without it, the names
    and slugs :mod:`difflib` finds close."""
    if index is not None:
        hits = index.search(text.replace("-", " "), reading, limit=n * 2, count=False).hits
        return [hit.iri for hit in hits if shown(hit.iri)][:n]
    keys: dict[str, URIRef] = {}
    for entity in sorted(catalog.classes, key=str):
        if shown(entity):
            keys.setdefault(catalog.label(entity).casefold(), entity)
            keys.setdefault(str(entity).removeprefix(str(JWR)), entity)
    found = difflib.get_close_matches(" ".join(text.split()).casefold()[:100], keys, n=n * 2, cutoff=0.6)
    return list(dict.fromkeys(keys[key] for key in found))[:n]
