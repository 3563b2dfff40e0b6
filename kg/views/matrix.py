"""The appearance matrix (``/matrix``): characters x works, who appears where, played by whom.

Read from ``jwo:appearsIn`` and the performances: real-world cast facts,
shown at every spoiler level.  Columns are films and series in release (or
story) order, a series with the episodes that have appearances; rows are the
characters, most appearances first, at most :data:`MAX_ROWS` of them (at a
million triples all 14,000 made a page of a gigabyte, four minutes to render;
the list of characters has every one).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import URIRef

from kg.store import Store
from kg.store.catalog import EVERYTHING, Catalog, Reading, Work

from .marks import PLAIN_MARKS, Marks, entity_marks
from .works import episodes, release_key, series_of, story_key

APPEARANCES = """SELECT DISTINCT ?c ?w ?person ?g WHERE {
  { GRAPH ?g { ?c jwo:appearsIn ?w } }
  UNION { GRAPH ?g { ?perf jwo:asCharacter ?c ; jwo:inWork ?w ; jwo:performedBy ?person } } }"""


@dataclass(frozen=True)
class Column:
    work: Work  # a film or a series
    episodes: tuple[Work, ...] = ()

    def unseen(self, seen: int | None) -> bool:
        return seen is not None and (self.work.level is None or self.work.level > seen)


@dataclass
class Appearances:
    character: URIRef
    label: str
    cells: dict[URIRef, tuple[str, ...]] = field(default_factory=dict)  # work -> performers' names (maybe none)
    works: int = 0  # films and series (an episode counts as its series)
    marks: Marks = PLAIN_MARKS  # a character only readings name, or whose existence a source doubts


MAX_ROWS = 200  # characters shown, most appearances first


@dataclass
class Matrix:
    columns: list[Column]
    rows: list[Appearances]
    order: str  # release | story
    total: int = 0  # characters with an appearance, before the cap


def matrix(store: Store, catalog: Catalog, order: str = "release", reading: Reading = EVERYTHING) -> Matrix:
    """Characters x works: who appears where, played by whom; most appearances first.  Casts are real-world
    facts, so every spoiler level sees them; canon only leaves out what readings alone say."""
    found: dict[URIRef, dict[URIRef, set[str]]] = defaultdict(dict)
    for row in store.select(APPEARANCES):
        if row["w"] in catalog.works and catalog.visible(row["g"], reading):
            for work in {row["w"], series_of(catalog, row["w"])}:  # an episode's cast is in its series too
                performers = found[row["c"]].setdefault(work, set())
                if "person" in row:
                    performers.add(catalog.label(row["person"]))
    rows = {c: Appearances(c, catalog.label(c), {w: tuple(sorted(names)) for w, names in cells.items()},
                           sum(1 for w in cells if catalog.works[w].series is None), entity_marks(catalog, c, reading))
            for c, cells in found.items() if not (reading.canon_only and entity_marks(catalog, c, reading).flags)}
    used = {w for cells in found.values() for w in cells}
    top = [w for w in catalog.works.values() if w.series is None and (w.iri in used or w.release is not None)]
    top.sort(key=story_key if order == "story" else release_key)
    columns = [Column(w, tuple(e for e in episodes(catalog, w) if e.iri in used)) for w in top]
    ranked = sorted(rows.values(), key=lambda r: (-r.works, -len(r.cells), r.label.casefold(), r.label))
    return Matrix(columns, ranked[:MAX_ROWS], "story" if order == "story" else "release", len(ranked))
