"""What each release changed, as a fan may read it: ``/changes`` and an entity page's "last changed".

The history comes from the dumps (``changes.json``, written by ``kg dump
--changes-from``: :mod:`kg.publish.history`), terms in their N-Triples forms.
Here it is shaped for the pages: each release's entities with their changed
facts, only those the fan sees (a fact's source graph says which work reveals
it; :class:`~kg.store.catalog.Catalog` knows whether the fan has seen it), and
an entity whose every change is hidden left out whole, name included, with a
count of how many were.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import URIRef
from rdflib.term import Node
from rdflib.util import from_n3

from kg.store.catalog import Catalog, Reading


@lru_cache(maxsize=1 << 16)
def term(text: str) -> Node:
    """An N-Triples term of the history as an rdflib term."""
    return from_n3(text)


@dataclass(frozen=True)
class FactChange:
    op: str  # "+" added, "-" removed, "~" its qualifiers changed
    predicate: URIRef
    value: Node
    graph: URIRef | None
    source: URIRef | None  # the source the graph holds facts of
    qualifiers: tuple[tuple[str, URIRef, Node], ...] = ()


@dataclass
class EntityChanges:
    entity: URIRef
    facts: list[FactChange]


@dataclass
class ReleaseChanges:
    version: str
    released: str | None
    since: str
    since_released: str | None
    added: int
    removed: int
    patch: str | None
    entities: list[EntityChanges] = field(default_factory=list)
    hidden: int = 0  # entities whose every change the fan does not see

    @property
    def anchor(self) -> str:
        return "release-" + self.version


def _facts(raw: Iterable[dict], catalog: Catalog, reading: Reading) -> list[FactChange]:
    facts = []
    for fact in raw:
        graph = term(fact["graph"]) if fact.get("graph") else None
        if graph is not None and not catalog.visible(graph, reading):
            continue
        info = catalog.graphs.get(graph)
        qualifiers = tuple((q["op"], term(q["predicate"]), term(q["object"])) for q in fact.get("qualifiers", ()))
        facts.append(FactChange(fact["op"], term(fact["predicate"]), term(fact["object"]), graph,
                                info.source if info else None, qualifiers))
    return facts


def _release(entry: dict) -> ReleaseChanges:
    return ReleaseChanges(entry["version"], entry.get("released"), entry["since"], entry.get("since_released"),
                          entry.get("added", 0), entry.get("removed", 0), entry.get("patch"))


def releases(history: list[dict], catalog: Catalog, reading: Reading) -> list[ReleaseChanges]:
    """Every release of the history, newest first, with the changes of entities (not of graphs or statements)
    that the fan sees."""
    shaped = []
    for entry in history:
        release = _release(entry)
        for raw in entry.get("entities", ()):
            entity = term(raw["entity"])
            if not catalog.is_entity(entity):
                continue
            facts = _facts(raw.get("facts", ()), catalog, reading)
            if facts:
                release.entities.append(EntityChanges(entity, facts))
            else:
                release.hidden += 1
        shaped.append(release)
    return shaped


def last_changed(history: list[dict], entity: URIRef, catalog: Catalog, reading: Reading) -> ReleaseChanges | None:
    """The newest release that changed a fact of ``entity`` the fan sees (None if none did)."""
    text = f"<{entity}>"
    for entry in history:
        for raw in entry.get("entities", ()):
            if raw["entity"] == text and _facts(raw.get("facts", ()), catalog, reading):
                return _release(entry)
    return None
