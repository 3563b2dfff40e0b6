"""A work's story as its page tells it: the premise (what the official synopsis says) and the plot, act by act.

Each act is a :class:`~kg.views.facts.Statement` of its summary with the sources
that tell it, so the page marks and cites it like any fact, and spoiler
control works on it like any story fact: an act is shown once the fan has
seen the work that reveals it, and otherwise waits in that work's box of
hidden facts.  The premise is a real-world fact, shown to everyone.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from kg.namespaces import JWO
from kg.store import Store
from kg.store.catalog import Catalog, Reading

from .facts import Source, Statement

#: The acts of ?this work's plot, each with its number, its text and the qualifiers of its sources.
ACTS = """
SELECT ?part ?n ?text ?g ?note ?conf WHERE {
  GRAPH ?g { ?part jwo:partOfPlot ?this ; jwo:actNumber ?n ; jwo:summary ?text
             OPTIONAL { ?part skos:note ?note } OPTIONAL { ?part jwo:confirmation ?conf } }
}"""


@dataclass
class Act:
    number: int
    part: URIRef  # its node, jwr:plot/WORK/N
    statement: Statement  # its summary, with its sources


def plot(store: Store, catalog: Catalog, work: URIRef, reading: Reading) -> list[Act]:
    """The acts of a work's plot in order, each with its sources as this fan reads them."""
    spoilers = Reading(reading.seen)
    acts: dict[URIRef, Act] = {}
    for row in store.select(ACTS, {"this": work}):
        info = catalog.graphs.get(row["g"])
        if info is None:
            continue
        act = acts.setdefault(row["part"], Act(int(row["n"]), row["part"],
                                               Statement(JWO.summary, row["text"], False)))
        if any(s.graph == row["g"] for s in act.statement.sources):
            continue
        seen = catalog.visible(row["g"], spoilers)
        act.statement.sources.append(Source(
            row["g"], info.source, info.kind, catalog.revealing_work(row["g"]),
            seen and catalog.visible(row["g"], reading) and reading.admits(row.get("conf")), seen,
            note=str(row["note"]) if "note" in row else None, confirmation=row.get("conf")))
    return sorted(acts.values(), key=lambda act: act.number)
