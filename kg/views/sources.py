"""A source as a good reference list shows it: what it is, where to read it, and every fact it supports.

Every named graph of the dataset is derived from one source
(``prov:wasDerivedFrom`` in the provenance graph), so what a source supports
is what its graphs state.  :func:`supported` reads those statements once,
folds each materialized twin back into the fact that was written (an inverse
pair reads as its declaring side, a symmetric fact once), and groups the
facts by the entity they are about, with their qualifiers (a confirmation
mark, a note, from / until).  It honours the fan's reading like every page:
spoilers are counted per revealing work and not shown; in canon only, an
interpretive source's facts, and the claims a source marks, are left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from rdflib import URIRef
from rdflib.namespace import OWL, RDFS, SKOS

from kg.model import Model
from kg.namespaces import SCHEMA
from kg.store import Store
from kg.store.catalog import Catalog, Reading, Work

from .facts import Source, Statement
from .works import value_key

#: Every statement of every graph derived from ?this, with the qualifiers stated beside it.
SUPPORTED = """
SELECT ?s ?p ?o ?g ?conf ?note ?from ?until WHERE {
  GRAPH jwg:provenance { ?g prov:wasDerivedFrom ?this }
  GRAPH ?g { ?s ?p ?o
             OPTIONAL { ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
                        OPTIONAL { ?st jwo:confirmation ?conf } OPTIONAL { ?st skos:note ?note }
                        OPTIONAL { ?st jwo:fromWork ?from } OPTIONAL { ?st jwo:untilWork ?until } } }
}"""
#: What a source page lists besides our ontology's properties: names, aliases, descriptions, notes.
TEXTS = {RDFS.label, SKOS.altLabel, SCHEMA.description, SKOS.note}


@dataclass
class About:
    """The facts a source supports about one entity."""

    entity: URIRef
    statements: list[Statement] = field(default_factory=list)


@dataclass
class Supported:
    entities: list[About]  # in order of the entities' names
    hidden: list[tuple[Work | None, int]]  # spoilers per revealing work, in release order
    left_out: int  # what canon only leaves out

    @property
    def facts(self) -> int:
        return sum(len(a.statements) for a in self.entities)


def supported(store: Store, catalog: Catalog, model: Model, source: URIRef, reading: Reading) -> Supported:
    """The facts ``source`` supports, by entity, as this fan reads them."""
    secondary = {inverse for primary, inverse in model.graph.subject_objects(OWL.inverseOf)
                 if primary in model.properties}
    spoilers = Reading(reading.seen)
    facts: dict[tuple, Statement] = {}
    for row in store.select(SUPPORTED, {"this": source}):
        s, p, o, graph = row["s"], row["p"], row["o"], row["g"]
        if not (catalog.is_entity(s) and (p in model.properties or p in TEXTS)) or p in secondary:
            continue
        if p in model.symmetric and str(o) < str(s):
            continue  # a symmetric fact is stated both ways: listed once
        info = catalog.graphs[graph]
        seen = catalog.visible(graph, spoilers)
        statement = facts.setdefault((s, p, o), Statement(p, o, False))
        statement.sources.append(Source(
            graph, source, info.kind, catalog.revealing_work(graph),
            seen and catalog.visible(graph, reading) and reading.admits(row.get("conf")), seen,
            row.get("from"), row.get("until"), str(row["note"]) if "note" in row else None, row.get("conf")))
    by_entity: dict[URIRef, About] = {}
    hidden: dict[Work | None, int] = defaultdict(int)
    left_out = 0
    for (s, _, _), statement in sorted(facts.items(), key=lambda item: _order(catalog, item)):
        if statement.visible:
            by_entity.setdefault(s, About(s)).statements.append(statement)
        elif statement.spoiler:
            hidden[statement.revealed_by] += 1
        else:
            left_out += 1
    entities = sorted(by_entity.values(), key=lambda a: value_key(catalog, a.entity))
    return Supported(entities, sorted(hidden.items(), key=lambda item: item[0].release if item[0] else 10**6),
                     left_out)


def _order(catalog: Catalog, item: tuple) -> tuple:
    (s, p, o), _ = item
    return (str(s), p not in TEXTS, catalog.label(p), value_key(catalog, o))


@dataclass(frozen=True)
class Provenance:
    """What a source is: its tier and kind in words, and where it can be read."""

    tier: str  # canon | reference | interpretation
    url: str | None
    site: str | None


def provenance(catalog: Catalog, source: URIRef) -> Provenance | None:
    """The tier and address of a source; None for an entity no graph is derived from."""
    kinds = {info.kind for info in catalog.graphs.values() if info.source == source}
    if not kinds:
        return None
    tier = next(k for k in ("canon", "reference", "interpretation") if k in kinds)
    url = catalog.urls.get(source)
    return Provenance(tier, str(url) if url else None, urlsplit(str(url)).hostname if url else None)
