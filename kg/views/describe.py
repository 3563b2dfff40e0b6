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
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.model import Model
from kg.namespaces import JWO, SCHEMA
from kg.store import Store, bind
from kg.store.catalog import Catalog, Reading, Work

from .marks import Marks, marks

SHOWN_ELSEWHERE = {RDF.type, RDFS.label, SCHEMA.name, SKOS.altLabel, SCHEMA.description, SKOS.note,
                   JWO.confirmation, RDF.subject, RDF.predicate, RDF.object}
EXTERNAL = {OWL.sameAs, SCHEMA.sameAs, JWO.url}


@dataclass
class Source:
    """One graph a statement is in, with the qualifiers stated there."""

    graph: URIRef
    source: URIRef
    kind: str
    revealed_in: Work | None
    visible: bool
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


@dataclass
class Group:
    predicate: URIRef
    label: str
    incoming: bool
    statements: list[Statement]
    hidden: list[Statement]


@dataclass
class Description:
    iri: URIRef
    label: str
    cls: URIRef
    statements: list[Statement]
    groups: list[Group]
    hidden: list[Statement]

    def values(self, predicate: URIRef, incoming: bool = False) -> list[Statement]:
        return [s for s in self.statements if s.predicate == predicate and s.incoming == incoming and s.visible]

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

    @property
    def confirmations(self) -> list[Statement]:
        """'unconfirmed' or 'disputed' said of the entity itself."""
        return self.values(JWO.confirmation)


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


def describe(store: Store, catalog: Catalog, model: Model, iri: URIRef, reading: Reading) -> Description:
    qualifiers: dict[tuple, dict] = {}
    for row in store.select(QUALIFIERS, {"this": iri}):
        qualifiers[(row["s"], row["p"], row["o"], row["g"])] = row
    statements: dict[tuple, Statement] = {}

    def add(predicate, value, incoming, graph, key):
        info = catalog.graphs.get(graph)
        if info is None:  # the ontology or provenance graph: not a fact about the entity
            return
        statement = statements.setdefault((predicate, value, incoming), Statement(predicate, value, incoming))
        q = qualifiers.get(key, {})
        statement.sources.append(Source(
            graph, info.source, info.kind, catalog.revealing_work(graph),
            catalog.visible(graph, reading) and reading.admits(q.get("conf")),
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
                                                         catalog.label(s.value)))
    groups: dict[tuple, Group] = {}
    for statement in ordered:
        if statement.predicate in SHOWN_ELSEWHERE:
            continue
        key = (statement.predicate, statement.incoming)
        if key not in groups:
            label = _group_label(catalog, model, statement.predicate, statement.incoming)
            groups[key] = Group(statement.predicate, label, statement.incoming, [], [])
        (groups[key].statements if statement.visible else groups[key].hidden).append(statement)
    noise = {RDF.type, SCHEMA.name}  # a hidden entity's type and schema:name say nothing its label does not
    return Description(iri, catalog.label(iri), catalog.classes.get(iri, JWO.Work), ordered,
                       [g for g in groups.values() if g.statements or g.hidden],
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
    for row in rows:
        entry = found[row["perf"]]
        entry.update(perf=row["perf"], person=row["person"], character=row["character"], work=row["work"],
                     credit=str(row["credit"]) if "credit" in row else None)
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
