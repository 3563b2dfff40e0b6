"""Records -> an rdflib Dataset: one named graph per source (and revealing work).

Where a fact goes:

* a real-world fact (cast, dates, crew, names) -> ``graph/SOURCE``;
* a story fact -> ``graph/SOURCE/WORK``, WORK being the work that reveals it;
* source descriptions and the metadata of every graph -> ``graph/provenance``
  (PROV-O: what each graph was derived from, its kind, its revealing work);
* the ontology itself -> the graph named by the ontology IRI.

What the compiler adds, all in the graph of the fact it comes from:

* the superclasses and super-properties the ontology declares (so every entity
  carries its schema.org type and ``schema:name``);
* the inverse of a property with ``owl:inverseOf``, the mirror of a symmetric one;
* for a cast entry: the performance node, ``castMember``, ``playedBy``,
  ``appearsIn`` and the ``Performer`` type;
* for a part of a work's plot: the ``PlotPart`` node ``jwr:plot/WORK/N`` with its
  work, act number and text, in the story graph of each of its sources (the
  act number keeps the order, which RDF would not);
* for a value with ``from``/``until``/``note``/``confirmation``: a
  ``jwo:QualifiedStatement`` (an ``rdf:Statement``) in the same graph.

The result is a set of quads, so the same YAML always gives the same dataset;
serializations sort it (see :mod:`kg.build.output`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from kg import namespaces as ns
from kg.errors import Location
from kg.model import Model, ontology_graph
from kg.namespaces import JWO, JWR, SCHEMA

from .records import Context, Universe
from .vocab import SOURCE_KIND, SOURCE_KINDS

Triple = tuple[URIRef, URIRef, object]


@dataclass
class Index:
    """Where each triple and node came from, to map SHACL results back to YAML."""

    triples: dict[Triple, list[Location]] = field(default_factory=dict)
    nodes: dict[URIRef, tuple[Location, str, str]] = field(default_factory=dict)  # loc, slug, noun


@dataclass
class Compiled:
    dataset: Dataset
    index: Index | None


class Compiler:
    def __init__(self, universe: Universe, model: Model, track: bool = False):
        self.u, self.m = universe, model
        self.index = Index() if track else None
        self.quads: list[tuple] = []
        self.graphs: dict[URIRef, tuple[str, str | None]] = {}
        self.name_facts: dict[str, list] = {}
        for f in universe.facts:
            if f.key.name == "name":
                self.name_facts.setdefault(f.subject, []).append(f)
        self.names = {slug: str(facts[0].value) for slug, facts in self.name_facts.items()}

    # -- emitting

    def emit(self, s, p, o, g: URIRef, loc: Location | None) -> None:
        self.quads.append((s, p, o, g))
        if self.index is not None and loc is not None:
            self.index.triples.setdefault((s, p, o), []).append(loc)

    def state(self, s, p: URIRef, o, g, loc) -> None:
        """A triple with what the ontology entails: super-properties, inverse, mirror."""
        for prop in (p, *sorted(self.m.superproperties.get(p, ()))):
            self.emit(s, prop, o, g, loc)
        inverse = self.m.inverse.get(p)
        if inverse is not None:
            for prop in (inverse, *sorted(self.m.superproperties.get(inverse, ()))):
                self.emit(o, prop, s, g, loc)
        if p in self.m.symmetric:
            for prop in (p, *sorted(self.m.superproperties.get(p, ()))):
                self.emit(o, prop, s, g, loc)

    def types(self, s: URIRef, cls: URIRef, g, loc) -> None:
        for t in self.m.types_of(cls):
            self.emit(s, RDF.type, t, g, loc)

    def graph(self, source: str, revealed: str | None) -> URIRef:
        g = ns.source_graph(source, revealed)
        self.graphs[g] = (source, revealed)
        return g

    def graphs_for(self, context: Context, story: bool) -> list[URIRef]:
        return [self.graph(source, revealed) for source, revealed in self.u.routes(context, story)]

    # -- records

    def run(self) -> Compiled:
        for entity in self.u.entities.values():
            s = JWR[entity.slug]
            if self.index is not None:
                self.index.nodes[s] = (entity.loc, entity.slug, entity.kind.noun)
            if entity.kind is SOURCE_KIND:
                self.types(s, entity.cls, ns.PROVENANCE_GRAPH, entity.loc)
                self.emit(s, JWO.sourceKind, SOURCE_KINDS[entity.cls], ns.PROVENANCE_GRAPH, entity.loc)
                continue
            story = entity.kind.world == "story"
            graphs = {*self.graphs_for(entity.context, story),
                      *(g for name in self.name_facts.get(entity.slug, ()) for g in self.graphs_for(name.context, story))}
            for g in sorted(graphs):  # an entity's type goes wherever it is defined or named
                self.types(s, entity.cls, g, entity.loc)
        for fact in self.u.facts:
            self.fact(fact)
        for entry in self.u.cast:
            self.cast(entry)
        for part in self.u.plot:
            self.plot(part)
        self.provenance()
        return Compiled(self.dataset(), self.index)

    def fact(self, fact) -> None:
        s = JWR[fact.subject]
        o = JWR[fact.value] if fact.is_ref else fact.value
        if self.u.entities[fact.subject].kind is SOURCE_KIND:
            targets = [ns.PROVENANCE_GRAPH]
        else:
            targets = self.graphs_for(fact.context, fact.story)
        also = getattr(fact.key.type, "also", None)
        for g in targets:
            for p in fact.key.predicates:
                self.state(s, p, o, g, fact.loc)
            for p, extra in also(o) if also else ():
                self.emit(s, p, extra, g, fact.loc)
            if fact.qualified:
                self.qualify(s, fact.key.predicates[0], o, g, fact)

    def qualify(self, s, p, o, g, fact) -> None:
        qualifiers = tuple(x for x in (fact.start and JWR[fact.start[0]], fact.end and JWR[fact.end[0]],
                                        fact.note, fact.confirmation) if x is not None)
        st = ns.statement(s, p, o, g, *qualifiers)
        if self.index is not None:
            self.index.nodes[st] = (fact.loc, fact.subject, self.u.entities[fact.subject].kind.noun)
        self.types(st, JWO.QualifiedStatement, g, fact.loc)
        for prop, value in ((RDF.subject, s), (RDF.predicate, p), (RDF.object, o)):
            self.emit(st, prop, value, g, fact.loc)
        for prop, said in ((JWO.fromWork, fact.start), (JWO.untilWork, fact.end)):
            if said is not None:
                self.emit(st, prop, JWR[said[0]], g, said[1])
        if fact.note is not None:
            self.emit(st, SKOS.note, fact.note, g, fact.loc)
        if fact.confirmation is not None:
            self.emit(st, JWO.confirmation, fact.confirmation, g, fact.loc)

    def cast(self, entry) -> None:
        work, person, character = JWR[entry.work], JWR[entry.performer[0]], JWR[entry.character[0]]
        perf = ns.performance(entry.work, entry.performer[0], entry.character[0])
        if self.index is not None:
            self.index.nodes[perf] = (entry.loc, entry.work, "work")
        loc = entry.loc
        label = Literal(" ".join((self.names.get(entry.performer[0], entry.performer[0]), "as",
                                  self.names.get(entry.character[0], entry.character[0]), "in",
                                  self.names.get(entry.work, entry.work))))
        for g in self.graphs_for(entry.context, story=False):
            self.types(perf, JWO.Performance, g, loc)
            self.emit(perf, RDFS.label, label, g, loc)
            self.emit(perf, SCHEMA.name, label, g, loc)
            self.types(person, JWO.Performer, g, loc)
            self.state(perf, JWO.performedBy, person, g, entry.performer[1])
            self.state(perf, JWO.asCharacter, character, g, entry.character[1])
            self.state(perf, JWO.inWork, work, g, loc)
            self.state(work, JWO.castMember, person, g, loc)
            self.state(character, JWO.playedBy, person, g, loc)
            self.state(character, JWO.appearsIn, work, g, loc)
            for p, value in ((JWO.creditedAs, entry.credited_as), (SKOS.note, entry.note),
                             (JWO.confirmation, entry.confirmation)):
                if value is not None:
                    self.state(perf, p, value, g, loc)

    def plot(self, part) -> None:
        node, work = ns.plot_part(part.work, part.act), JWR[part.work]
        if self.index is not None:
            self.index.nodes[node] = (part.loc, part.work, "work")
        label = Literal(f"Act {part.act} of {self.names.get(part.work, part.work)}")
        for g in self.graphs_for(part.context, story=True):
            self.types(node, JWO.PlotPart, g, part.loc)
            self.emit(node, RDFS.label, label, g, part.loc)
            self.emit(node, SCHEMA.name, label, g, part.loc)
            self.state(node, JWO.partOfPlot, work, g, part.loc)
            self.state(node, JWO.actNumber, Literal(part.act), g, part.act_loc)
            self.state(node, JWO.summary, part.text, g, part.text_loc)
            for p, value in ((SKOS.note, part.note), (JWO.confirmation, part.confirmation)):
                if value is not None:
                    self.state(node, p, value, g, part.loc)

    def provenance(self) -> None:
        pg = ns.PROVENANCE_GRAPH
        for g, (source, revealed) in sorted(self.graphs.items()):
            entity = self.u.entities.get(source)
            if entity is None:
                continue  # an unknown source is reported by the checks
            kind = JWO.CanonSource if self.u.is_work(source) else SOURCE_KINDS[entity.cls]
            self.types(g, JWO.SourceGraph, pg, None)
            self.emit(g, PROV.wasDerivedFrom, JWR[source], pg, None)
            self.emit(g, JWO.sourceKind, kind, pg, None)
            label = f"Facts from {self.names.get(source, source)}"
            if revealed is not None:
                self.emit(g, JWO.revealedIn, JWR[revealed], pg, None)
                label += f", revealed in {self.names.get(revealed, revealed)}"
            self.emit(g, RDFS.label, Literal(label), pg, None)

    def dataset(self) -> Dataset:
        ds = ns.bind_prefixes(Dataset(default_union=True))
        contexts: dict[URIRef, object] = {}

        def context(g: URIRef):
            if g not in contexts:
                contexts[g] = ds.graph(g)
            return contexts[g]

        ontology = context(ns.ONTOLOGY_IRI)
        ds.addN((s, p, o, ontology) for s, p, o in ontology_graph())
        ds.addN((s, p, o, context(g)) for s, p, o, g in self.quads)
        return ds


def compile_universe(universe: Universe, model: Model, track: bool = False) -> Compiled:
    """Compile checked records; ``track`` also records where every triple came from."""
    return Compiler(universe, model, track).run()
