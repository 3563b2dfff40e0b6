"""The chains of a connection drawn as one small map, and the marks of each fact on them.

:func:`chain_map` lays the entities of every chain out in columns, as
RelFinder does: the start on the left, the end on the right, each entity in
the column of its place along the first chain that passes through it, so
that chains sharing an entity share its spot and the map shows where they
meet and part.  Within a column, entities keep the order of the ranked
chains (the best chain on top), and every column is centred on the others.
A :class:`Span` joins two spots with the facts of one step between them; the
template draws it (``web/templates/chainmap.svg``) in the same lines as the
graph view: solid when a canon or reference source states one of the facts,
dashed when only readings do, dotted when a source doubts every one of them.

:func:`link_marks` is how one fact of a chain or of the graph view is marked
for a fan (:mod:`kg.views.marks`): by the kinds of the graphs they see it in,
and what each of them says of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import URIRef

from kg.store.catalog import Catalog, Reading

from .entitygraph import Lens, Link
from .marks import Marks, entity_marks, marks

COLUMN = 210  # px between the centres of two columns
ROW = 78  # px between two entities of a column
MARGIN_X = 105  # px left and right of the outer centres: half a column, room for a name
MARGIN_Y = 34  # px above the first row (a relation's name) and below the last (an entity's name)
ARC = 28  # px between the tops of two arcs
NAME = 26  # characters of a name drawn; a longer one is cut with "…" (its whole name is its tooltip)


@dataclass(frozen=True)
class Spot:
    entity: URIRef
    x: int
    y: int
    marks: Marks  # the entity's own (an interpretation's character, a disputed scene)
    end: bool  # the start or the end of the chains


@dataclass(frozen=True)
class Span:
    source: Spot
    target: Spot
    links: tuple[tuple[Link, Marks], ...]  # seen from ``source``, each with its marks
    marks: Marks  # the best supported of them: how solidly the two are tied
    bend: int | None = None  # a span past a column arcs over the map: the y of its curve's control point

    @property
    def middle(self) -> tuple[int, int]:
        """Where its relation's name goes: half way, or the top of its arc."""
        x, y = (self.source.x + self.target.x) // 2, (self.source.y + self.target.y) // 2
        return (x, y) if self.bend is None else (x, (y + self.bend) // 2)


@dataclass(frozen=True)
class ChainMap:
    spots: tuple[Spot, ...]
    spans: tuple[Span, ...]
    width: int
    height: int


def link_marks(lens: Lens, catalog: Catalog, link: Link) -> Marks:
    """How a fact is marked for the fan this lens is of: from each graph they see it in (kind, doubt)."""
    return marks((catalog.graphs[graph].kind, link.doubted_in(graph))
                 for graph in lens.sources(link) if graph in catalog.graphs)


def chain_map(chains: Sequence, lens: Lens, catalog: Catalog, reading: Reading) -> ChainMap:
    """The spots and spans that draw ``chains`` (:class:`kg.views.connections.Chain`, best first)."""
    last = max(len(chain.steps) for chain in chains)
    column: dict[URIRef, int] = {}
    for chain in chains:
        for place, entity in enumerate(chain.entities):
            column.setdefault(entity, last if entity == chains[0].entities[-1] else place)
    columns: list[list[URIRef]] = [[] for _ in range(last + 1)]
    for entity, place in column.items():
        columns[place].append(entity)
    rows = max(len(entities) for entities in columns)
    passing = {(source, step.to) for chain in chains for source, step in zip(chain.entities, chain.steps)
               if abs(column[step.to] - column[source]) > 1}
    above = MARGIN_Y + len(passing) * ARC  # the arcs' room, over the first row
    ends = {chains[0].start, chains[0].entities[-1]}
    spots: dict[URIRef, Spot] = {}
    for place, entities in enumerate(columns):
        top = above + (rows - len(entities)) * ROW // 2
        for row, entity in enumerate(entities):
            spots[entity] = Spot(entity, MARGIN_X + place * COLUMN, top + row * ROW,
                                 entity_marks(catalog, entity, reading), entity in ends)
    spans: dict[tuple[URIRef, URIRef], Span] = {}
    for chain in chains:
        for source, step in zip(chain.entities, chain.steps):
            if (source, step.to) not in spans:
                marked = tuple((link, link_marks(lens, catalog, link)) for link in step.links)
                bend = None
                if (source, step.to) in passing:  # the top of the curve at MARGIN_Y, ARC, 2 ARC... down
                    apex = MARGIN_Y + sum(1 for span in spans.values() if span.bend is not None) * ARC
                    bend = 2 * apex - (spots[source].y + spots[step.to].y) // 2
                spans[(source, step.to)] = Span(spots[source], spots[step.to], marked, _best(marked), bend)
    return ChainMap(tuple(spots.values()), tuple(spans.values()), 2 * MARGIN_X + last * COLUMN,
                    above + MARGIN_Y + (rows - 1) * ROW + MARGIN_Y // 2)


def _best(marked: tuple[tuple[Link, Marks], ...]) -> Marks:
    """The marks of the best supported fact: a plain one if any, else the fewest flags, canon before readings."""
    return min((m for _, m in marked), key=lambda m: (not m.plain, m.tier == "interpretation", len(m.flags)))
