"""An entity's description: its statements with their sources, grouped for a page.

Each statement (outgoing or incoming) lists the graphs that hold it: which
source, what kind (canon, reference, interpretation), the work that reveals
it, and the qualifiers stated in that graph (from, until, note, confirmation).
A statement is shown to a fan if any of its graphs is visible at their
spoiler level; otherwise it is counted as hidden with the earliest work that
would reveal it.  Materialized duplicates (schema.org super-properties, the
inverse side of an inverse property) are left out: the page shows each fact
once, in our vocabulary.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.model import Model
from kg.namespaces import JWO, PROVENANCE_GRAPH, SCHEMA
from kg.store import Store, bind
from kg.store.catalog import Catalog, Reading, Work

from .facts import Source, Statement
from .marks import Marks, flag, marks
from .works import value_key

SHOWN_ELSEWHERE = {RDF.type, RDFS.label, SCHEMA.name, SKOS.altLabel, SCHEMA.description, SKOS.note,
                   JWO.confirmation, RDF.subject, RDF.predicate, RDF.object}
EXTERNAL = {OWL.sameAs, SCHEMA.sameAs, JWO.url}


@dataclass
class Group:
    predicate: URIRef
    label: str
    incoming: bool
    statements: list[Statement]  # those the fan sees, in order
    hidden: list[Statement]
    by_work: list[tuple[Work, list[Statement]]] = field(default_factory=list)  # scenes and events: by their work


@dataclass
class Description:
    iri: URIRef
    label: str
    cls: URIRef
    statements: list[Statement]
    groups: list[Group]
    hidden: list[Statement]

    def values(self, predicate: URIRef, incoming: bool = False) -> list[Statement]:
        return self._visible_by_predicate.get((predicate, incoming), [])

    @cached_property
    def _visible_by_predicate(self) -> dict[tuple[URIRef, bool], list[Statement]]:
        """The visible statements by (predicate, direction), made once: the infobox asks for a row at a time
        (a scan of every statement per row was 2,500 rdflib comparisons a page)."""
        found: dict[tuple[URIRef, bool], list[Statement]] = {}
        for s in self.statements:
            if s.visible:
                found.setdefault((s.predicate, s.incoming), []).append(s)
        return found

    def literals(self, predicate: URIRef) -> list[Statement]:
        return [s for s in self.values(predicate) if isinstance(s.value, Literal)]

    @property
    def name_hidden(self) -> bool:
        """Is even the name a spoiler at this level (scenes and events are named by their story)?"""
        names = [s for s in self.statements if s.predicate == RDFS.label and not s.incoming]
        return bool(names) and not any(s.visible for s in names)

    @property
    def aliases(self) -> list[Statement]:
        return self.values(SKOS.altLabel)

    @property
    def descriptions(self) -> list[Statement]:
        return self.values(SCHEMA.description)

    @property
    def notes(self) -> list[Statement]:
        return self.values(SKOS.note)

    def hidden_of(self, *predicates: URIRef) -> list[Statement]:
        """Hidden statements among these predicates (for the header's and notes' placeholders)."""
        return [s for s in self.hidden if s.predicate in predicates and not s.incoming]

    def hidden_by_work(self, more: list[Statement] = ()) -> list[tuple[Work | None, list[Statement]]]:
        """The spoilers of the page (and ``more``, such as hidden acts of a plot) gathered by the earliest work
        that reveals each, in release order (one box a work: it names neither their properties nor how many
        of each kind)."""
        found: dict = {}
        for statement in [*self.hidden, *more]:
            if statement.spoiler:
                found.setdefault(statement.revealed_by, []).append(statement)
        return sorted(found.items(), key=lambda item: item[0].release if item[0] else 10**6)

    @property
    def left_out(self) -> list[Statement]:
        """What canon only leaves out of the page (readings, claims marked unconfirmed or disputed)."""
        return [s for s in self.hidden if not s.spoiler]

    @property
    def confirmations(self) -> list[Statement]:
        """'unconfirmed' or 'disputed' said of the entity itself."""
        return self.values(JWO.confirmation)

    @property
    def marks(self) -> Marks:
        """The entity's own marks: 'interpretation' if only readings name it, and the flags put on it."""
        names = [source for s in self.values(RDFS.label) for source in s.sources if source.visible]
        tier = marks((source.kind, None) for source in names).tier
        return Marks(tier, tuple(sorted({flag(c.value) for c in self.confirmations})))


OUTGOING = "SELECT ?p ?o ?g WHERE { GRAPH ?g { ?this ?p ?o } }"
INCOMING = "SELECT ?s ?p ?g WHERE { GRAPH ?g { ?s ?p ?this } }"
#: Each branch starts from ?this inside its GRAPH block, so the store looks the entity up in its
#: indexes; joining ?this to a pattern outside the block made Oxigraph scan every statement
#: (18 ms a page at a million triples, against 0.7 ms).
QUALIFIERS = """
SELECT ?s ?p ?o ?g ?from ?until ?note ?conf WHERE {
  { GRAPH ?g { ?st rdf:subject ?this ; rdf:predicate ?p ; rdf:object ?o . BIND(?this AS ?s)
               OPTIONAL { ?st jwo:fromWork ?from } OPTIONAL { ?st jwo:untilWork ?until }
               OPTIONAL { ?st skos:note ?note } OPTIONAL { ?st jwo:confirmation ?conf } } }
  UNION
  { GRAPH ?g { ?st rdf:object ?this ; rdf:predicate ?p ; rdf:subject ?s . BIND(?this AS ?o)
               OPTIONAL { ?st jwo:fromWork ?from } OPTIONAL { ?st jwo:untilWork ?until }
               OPTIONAL { ?st skos:note ?note } OPTIONAL { ?st jwo:confirmation ?conf } } }
}"""
#: The performances ?this is the character, work or performer of (branches as in QUALIFIERS).
PERFORMANCES = """
SELECT ?perf ?person ?character ?work ?credit ?g WHERE {
  { GRAPH ?g { ?perf jwo:asCharacter ?this ; jwo:performedBy ?person ; jwo:inWork ?work .
               BIND(?this AS ?character) OPTIONAL { ?perf jwo:creditedAs ?credit } } }
  UNION
  { GRAPH ?g { ?perf jwo:inWork ?this ; jwo:performedBy ?person ; jwo:asCharacter ?character .
               BIND(?this AS ?work) OPTIONAL { ?perf jwo:creditedAs ?credit } } }
  UNION
  { GRAPH ?g { ?perf jwo:performedBy ?this ; jwo:asCharacter ?character ; jwo:inWork ?work .
               BIND(?this AS ?person) OPTIONAL { ?perf jwo:creditedAs ?credit } } }
}"""

#: The query an entity page offers to open in SPARQL: what is said of it, and by which source graph.
ABOUT = "SELECT ?property ?value ?graph WHERE { GRAPH ?graph { ?this ?property ?value } } ORDER BY ?property ?value"


def about_query(iri: URIRef) -> str:
    """:data:`ABOUT` for one entity, the entity bound the one safe way (:func:`kg.store.bind`)."""
    return bind(ABOUT, {"this": iri})


def describe(store: Store, catalog: Catalog, model: Model, iri: URIRef, reading: Reading,
             order: str = "release") -> Description:
    """An entity's statements with their sources, grouped; values in release (or ``story``) order."""
    spoilers = Reading(reading.seen)  # the spoiler level alone: what the fan has seen
    qualifiers: dict[tuple, dict] = {}
    for row in store.select(QUALIFIERS, {"this": iri}):
        qualifiers[(row["s"], row["p"], row["o"], row["g"])] = row
    statements: dict[tuple, Statement] = {}

    def add(predicate, value, incoming, graph, key):
        info = catalog.graphs.get(graph)
        if info is None and graph == PROVENANCE_GRAPH and not incoming:  # what we record of a source itself
            statement = statements.setdefault((predicate, value, incoming), Statement(predicate, value, incoming))
            statement.sources.append(Source(graph, iri, "reference", None, True))
            return
        if info is None:  # the ontology's graph: not a fact about the entity
            return
        statement = statements.setdefault((predicate, value, incoming), Statement(predicate, value, incoming))
        q = qualifiers.get(key, {})
        seen = catalog.visible(graph, spoilers)
        statement.sources.append(Source(
            graph, info.source, info.kind, catalog.revealing_work(graph),
            seen and catalog.visible(graph, reading) and reading.admits(q.get("conf")), seen,
            q.get("from"), q.get("until"), str(q["note"]) if "note" in q else None, q.get("conf")))

    for row in store.select(OUTGOING, {"this": iri}):
        if _shown(row["p"], model, incoming=False):
            add(row["p"], row["o"], False, row["g"], (iri, row["p"], row["o"], row["g"]))
        elif row["p"] in SHOWN_ELSEWHERE:
            add(row["p"], row["o"], False, row["g"], (iri, row["p"], row["o"], row["g"]))
    for row in store.select(INCOMING, {"this": iri}):
        if _shown(row["p"], model, incoming=True) and catalog.is_entity(row["s"]):  # not statement nodes
            add(row["p"], row["s"], True, row["g"], (row["s"], row["p"], iri, row["g"]))
    ordered = sorted(statements.values(), key=lambda s: (s.incoming, catalog.label(s.predicate),
                                                         value_key(catalog, s.value, order == "story")))
    groups: dict[tuple, Group] = {}
    for statement in ordered:
        if statement.predicate in SHOWN_ELSEWHERE:
            continue
        key = (statement.predicate, statement.incoming)
        if key not in groups:
            label = _group_label(catalog, model, statement.predicate, statement.incoming)
            groups[key] = Group(statement.predicate, label, statement.incoming, [], [])
        (groups[key].statements if statement.visible else groups[key].hidden).append(statement)
    for group in groups.values():
        if group.statements and all(s.value in catalog.places for s in group.statements):
            by_work: dict[URIRef, list[Statement]] = {}
            for s in group.statements:
                by_work.setdefault(catalog.places[s.value][0], []).append(s)
            group.by_work = [(catalog.works[w], found) for w, found in by_work.items()]
    noise = {RDF.type, SCHEMA.name}  # a hidden entity's type and schema:name say nothing its label does not
    return Description(iri, catalog.label(iri), catalog.classes.get(iri, JWO.Work), ordered,
                       [g for g in groups.values() if g.statements],  # the hidden: in boxes by work
                       [s for s in ordered if not s.visible and s.predicate not in noise])


def _shown(predicate: URIRef, model: Model, incoming: bool) -> bool:
    ours = predicate in model.properties
    if incoming:  # the other side of an inverse or symmetric property is shown as its outgoing twin
        return ours and predicate not in model.inverse and predicate not in model.symmetric
    return ours or predicate in EXTERNAL


#: Names for the few predicates from outside our ontology that pages show.
EXTERNAL_LABELS = {OWL.sameAs: "same as", SCHEMA.sameAs: "also on the web"}


def _group_label(catalog: Catalog, model: Model, predicate: URIRef, incoming: bool) -> str:
    if predicate in EXTERNAL_LABELS:
        return EXTERNAL_LABELS[predicate]
    if incoming:
        inverse = model.graph.value(predicate, JWO.inverseLabel)
        return str(inverse) if inverse is not None else f"← {catalog.label(predicate)}"
    return catalog.label(predicate)


def performances(store: Store, catalog: Catalog, iri: URIRef, reading: Reading) -> list[dict]:
    """The performances an entity takes part in (as character, work or performer), sorted by release."""
    rows = store.select(PERFORMANCES, {"this": iri})
    found: dict[URIRef, dict] = defaultdict(dict)
    spoilers = Reading(reading.seen)
    for row in rows:
        entry = found[row["perf"]]
        entry.update(perf=row["perf"], person=row["person"], character=row["character"], work=row["work"],
                     credit=str(row["credit"]) if "credit" in row else None)
        statement = entry.setdefault("statement", Statement(JWO.hasPerformance, row["perf"], True))
        if all(s.graph != row["g"] for s in statement.sources):
            info = catalog.graphs.get(row["g"])
            if info is not None:
                seen = catalog.visible(row["g"], spoilers)
                statement.sources.append(Source(row["g"], info.source, info.kind, catalog.revealing_work(row["g"]),
                                                seen and catalog.visible(row["g"], reading), seen))
        entry["visible"] = entry.get("visible", False) or catalog.visible(row["g"], reading)

    def order(entry):
        work = catalog.works.get(entry["work"])
        return (work.release or 99 if work else 99, work.date or "" if work else "", catalog.label(entry["person"]))

    return sorted(found.values(), key=order)


def schema_org(desc: Description, catalog: Catalog) -> dict:
    """The entity as schema.org JSON-LD, for search engines and tools that read pages."""
    types = sorted({str(s.value)[len(str(SCHEMA)):] for s in desc.values(RDF.type)
                    if str(s.value).startswith(str(SCHEMA))})
    data: dict = {"@context": "https://schema.org", "@id": str(desc.iri), "@type": types or "Thing"}
    if not desc.name_hidden:
        data["name"] = desc.label
    for key, statements in (("alternateName", desc.aliases), ("description", desc.descriptions)):
        if statements:
            data[key] = [str(s.value) for s in statements]
    same = [str(s.value) for s in desc.statements if s.predicate in (OWL.sameAs, SCHEMA.sameAs) and s.visible]
    if same:
        data["sameAs"] = same
    return data
