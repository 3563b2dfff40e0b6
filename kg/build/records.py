"""The records the data files compile from: entities, facts, cast entries and plot parts.

Each record keeps the YAML location it came from and the context (sources,
revealing work) that applies to it.  :mod:`kg.build.collect` makes them from the
YAML; :mod:`kg.build.check` checks them against each other; :mod:`kg.build.compile` turns
them into RDF, routing each fact to its graphs with :meth:`Universe.routes`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from rdflib import Literal, URIRef
from rdflib.term import Node as Term

from kg.errors import Location

from . import values, vocab

Said = tuple[str, Location]  # a slug and where it was written


@dataclass(frozen=True)
class Context:
    """The sources and the revealing work that apply to a fact."""

    sources: tuple[Said, ...] = ()
    revealed_in: Said | None = None


@dataclass
class Entity:
    slug: str
    kind: vocab.Kind
    cls: URIRef
    loc: Location
    context: Context


@dataclass
class Fact:
    subject: str
    key: vocab.Key
    value: Term | str  # a slug for references
    loc: Location
    context: Context
    story: bool
    start: Said | None = None
    end: Said | None = None
    note: Literal | None = None
    confirmation: URIRef | None = None

    @property
    def is_ref(self) -> bool:
        return isinstance(self.key.type, values.Ref)

    @property
    def qualified(self) -> bool:
        return any((self.start, self.end, self.note, self.confirmation))


@dataclass
class CastEntry:
    work: str
    performer: Said
    character: Said
    loc: Location
    context: Context
    credited_as: Literal | None = None
    note: Literal | None = None
    confirmation: URIRef | None = None


@dataclass
class PlotPart:
    """One act of a work's plot: its number and its text, each with where it was written."""

    work: str
    act: int
    act_loc: Location
    text: Literal
    text_loc: Location
    loc: Location
    context: Context  # its revealed work is never None: the plot's own work by default
    note: Literal | None = None
    confirmation: URIRef | None = None


@dataclass
class Universe:
    entities: dict[str, Entity] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    cast: list[CastEntry] = field(default_factory=list)
    plot: list[PlotPart] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def is_work(self, slug: str) -> bool:
        entity = self.entities.get(slug)
        return entity is not None and entity.kind.section == "works"

    @cached_property
    def _about(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for f in self.facts:
            if f.key.name == "about" and self.entities[f.subject].kind is vocab.SOURCE_KIND:
                found.setdefault(f.subject, []).append(f.value)
        return found

    def about(self, source: str) -> list[str]:
        """The works a source says it is about (read once collection is complete)."""
        return self._about.get(source, [])

    def routes(self, context: Context, story: bool) -> list[tuple[str, str | None]]:
        """(source, revealed work) for each source of a fact; the work is None for
        real-world facts, and for story facts whose work cannot be told (an error)."""
        out = []
        for source, _ in context.sources:
            revealed = None
            if story:
                if context.revealed_in is not None:
                    revealed = context.revealed_in[0]
                elif self.is_work(source):
                    revealed = source
                elif len(about := self.about(source)) == 1:
                    revealed = about[0]
            out.append((source, revealed))
        return out
