"""How a fact is marked, said once: its tier (canon, reference, interpretation) and its flags.

A fact may be stated by several sources.  Its **tier** is the strongest kind
among the sources the fan can see (canon > reference > interpretation); its
**flags** ("unconfirmed", "disputed") are those its sources of that tier put on
it.  An analysis disputing the wording of what canon sources state does not
make the fact disputed: its flag stays with the analysis's own statement
(:class:`kg.views.describe.Statement`, connections, the graph view, lists and
search all read marks through :func:`marks`).  A fact shows without a mark when
its tier is canon or reference and it has no flag.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import URIRef

from kg.store.catalog import Catalog, Reading

TIERS = ("canon", "reference", "interpretation")
PLAIN = frozenset({"canon", "reference"})  # shown without a mark


def flag(confirmation: URIRef) -> str:
    """jwo:Unconfirmed -> 'unconfirmed'."""
    return confirmation.rsplit("/", 1)[-1].lower()


@dataclass(frozen=True)
class Marks:
    tier: str  # canon | reference | interpretation
    flags: tuple[str, ...] = ()  # unconfirmed, disputed

    @property
    def plain(self) -> bool:
        """Shown without a mark: backed by a canon or reference source, flagged by none of them."""
        return self.tier in PLAIN and not self.flags

    @property
    def words(self) -> list[str]:
        """What a mark says, for a badge or a JSON field: [] for a plain fact."""
        return [] if self.plain else [*([self.tier] if self.tier not in PLAIN else []), *self.flags]


PLAIN_MARKS = Marks("reference")


def marks(sources: Iterable[tuple[str, URIRef | None]]) -> Marks:
    """The marks of a fact from its (kind, confirmation) per visible source; no source: a reference."""
    sources = list(sources)
    kinds = {kind for kind, _ in sources}
    tier = next((k for k in TIERS if k in kinds), "reference")
    return Marks(tier, tuple(sorted({flag(c) for kind, c in sources if kind == tier and c is not None})))


def entity_marks(catalog: Catalog, entity: URIRef, reading: Reading) -> Marks:
    """An entity's own marks, as this fan reads: 'interpretation' when only readings name it, and the flags
    sources put on the entity itself (the Red Room, disputed), from the graphs the fan sees."""
    named = [catalog.graphs[g].kind for g in catalog.named_in.get(entity, ()) if g in catalog.graphs
             and catalog.visible(g, reading)]
    doubts = catalog.doubts.get(entity, {})
    return marks([*((kind, None) for kind in named),
                  *((catalog.graphs[g].kind, c) for g, c in doubts.items() if g in catalog.graphs
                    and catalog.visible(g, reading))])
