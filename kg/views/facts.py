"""A fact as a page shows it: a statement about an entity, with every source that states it.

A :class:`Statement` is one (predicate, value) of an entity, outgoing or
incoming; each :class:`Source` is a graph stating it, with the qualifiers
stated there (from / until a work, a note, a confirmation mark) and whether
the fan sees it (the work revealing it seen, and shown in their reading).
Its marks are read once, by :mod:`kg.views.marks`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.namespace import RDFS, SKOS

from kg.namespaces import SCHEMA
from kg.store.catalog import Work

from .marks import Marks, marks

#: The names of the few properties from outside our ontology that carry an entity's texts.
TEXT_NAMES = {RDFS.label: "name", SKOS.altLabel: "also known as", SCHEMA.description: "description",
              SKOS.note: "note"}


@dataclass
class Source:
    """One graph a statement is in, with the qualifiers stated there.

    ``seen``: the fan has seen the work that reveals it; ``visible``: seen, and shown in the fan's reading
    (canon only leaves out interpretive sources and what a source marks unconfirmed or disputed).
    """

    graph: URIRef
    source: URIRef
    kind: str
    revealed_in: Work | None
    visible: bool
    seen: bool = True
    start: URIRef | None = None
    end: URIRef | None = None
    note: str | None = None
    confirmation: URIRef | None = None


@dataclass
class Statement:
    predicate: URIRef
    value: object  # the other end: object of an outgoing statement, subject of an incoming one
    incoming: bool
    sources: list[Source] = field(default_factory=list)

    @property
    def visible(self) -> bool:
        return any(s.visible for s in self.sources)

    @property
    def marks(self) -> Marks:
        """Its tier and flags, as its visible sources say (:mod:`kg.views.marks`)."""
        shown = [s for s in self.sources if s.visible] or self.sources
        return marks((s.kind, s.confirmation) for s in shown)

    @property
    def status(self) -> str:
        """canon, reference or interpretation: the strongest kind among its sources."""
        return self.marks.tier

    @property
    def flags(self) -> list[str]:
        """'unconfirmed' / 'disputed' as the statement's strongest sources say it."""
        return list(self.marks.flags)

    @property
    def revealed_by(self) -> Work | None:
        """The earliest work that would show this statement (for a hidden one)."""
        works = [s.revealed_in for s in self.sources if s.revealed_in is not None and s.revealed_in.release]
        return min(works, key=lambda w: w.release) if works else None

    @property
    def periods(self) -> list[tuple[URIRef | None, URIRef | None]]:
        """When it holds (from, until a work), as its visible sources say, each said once."""
        return list(dict.fromkeys((s.start, s.end) for s in self.sources if s.visible and (s.start or s.end)))

    @property
    def notes(self) -> list[str]:
        """What its visible sources note about it, each note once."""
        return list(dict.fromkeys(s.note for s in self.sources if s.visible and s.note))

    @property
    def spoiler(self) -> bool:
        """Hidden because the fan has not seen the work that reveals it (not because of canon only)?"""
        return not self.visible and not any(s.seen for s in self.sources)
