"""A character's timeline: the works, scenes and events they are in, in story order (or release order).

Read from the facts the page already has (:class:`~kg.views.describe.Description`):
the works the character appears in, the scenes they appear in, the events they
take part in.  Scenes and events are placed in their work (the catalog's
places), and numbered scenes in their order; works come in story order, the
order the universe's own chronology gives them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

from kg.namespaces import JWO
from kg.store.catalog import Catalog, Work

from .describe import Description
from .facts import Statement
from .works import release_key, story_key, value_key


@dataclass
class Chapter:
    """One work of a timeline, with the character's scenes and events in it."""

    work: Work
    statement: Statement | None  # "appears in", when a source says so of the work itself
    moments: list[Statement] = field(default_factory=list)


def timeline(desc: Description, catalog: Catalog, story: bool = True) -> list[Chapter]:
    chapters: dict[URIRef, Chapter] = {}
    for s in desc.values(JWO.appearsIn):
        if s.value in catalog.works:
            chapters[s.value] = Chapter(catalog.works[s.value], s)
    for s in [*desc.values(JWO.appearsInScene), *desc.values(JWO.participant, incoming=True)]:
        place = catalog.places.get(s.value)
        if place is None:
            continue
        work = catalog.works[place[0]]
        chapters.setdefault(work.iri, Chapter(work, None)).moments.append(s)
    for chapter in chapters.values():
        chapter.moments.sort(key=lambda s: value_key(catalog, s.value, story))
    key = story_key if story else release_key
    return sorted(chapters.values(), key=lambda c: key(c.work))
