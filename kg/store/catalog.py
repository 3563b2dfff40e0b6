"""What the app knows up front, read once from the store: names, kinds, works, graphs.

Every page needs entity names for its links, the works in release and story
order, and for every named graph its source, its kind and the work that
reveals it (which is what spoiler control hides).  The catalog reads them
with a few SPARQL queries when the app starts, so pages ask the store only
for what is particular to them.

What a fan sees is a :class:`Reading`: "I have seen the first N releases"
(a graph whose revealing work comes later in release order is hidden; an
episode counts as its series; real-world graphs reveal nothing and are always
shown; N counts the releases a fan can choose, :attr:`Catalog.releases`, so a
work's place among them, :attr:`Work.level`, is what N is compared with, not
its release number: those may skip numbers), and whether to read canon only
(no graph of an interpretive source, and no claim marked unconfirmed or
disputed).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cached_property

from rdflib import Graph, Literal, URIRef

from kg.model import Model, model_of
from kg.namespaces import JWO, ONTOLOGY_IRI, slug_of

from .base import Store

#: Source kinds as the pages name them.
KIND_NAMES = {JWO.CanonSource: "canon", JWO.ReferenceSource: "reference", JWO.InterpretiveSource: "interpretation"}


@dataclass(frozen=True)
class Reading:
    """What one fan has chosen to see."""

    seen: int | None = None  # the first N releases seen; None: everything
    canon_only: bool = False  # hide readings (interpretive sources) and claims marked unconfirmed or disputed

    def admits(self, confirmation: URIRef | None) -> bool:
        """May a claim with this confirmation mark (None: none) show?"""
        return confirmation is None or not self.canon_only


EVERYTHING = Reading()


@dataclass(frozen=True)
class Work:
    iri: URIRef
    slug: str
    label: str
    cls: URIRef
    release: int | None  # position in release order (an episode: its series')
    story: int | None
    date: str | None
    series: URIRef | None = None
    after: URIRef | None = None  # the work whose story this one follows (jwo:followsInStory)
    gap: str | None = None  # when, relative to it: "four days after" (jwo:storyGap)
    level: int | None = None  # the spoiler level it is seen from (see _levels)


@dataclass(frozen=True)
class GraphInfo:
    iri: URIRef
    source: URIRef
    kind: str  # canon | reference | interpretation
    revealed_in: URIRef | None  # None: real-world facts, never hidden
    rank: int | None  # the spoiler level of the revealing work (its Work.level)


@dataclass
class Catalog:
    labels: dict[URIRef, str] = field(default_factory=dict)  # entities, sources and ontology terms
    named_in: dict[URIRef, frozenset[URIRef]] = field(default_factory=dict)  # term -> the graphs labelling it
    classes: dict[URIRef, URIRef] = field(default_factory=dict)  # entity -> its most specific jwo class
    types: dict[URIRef, frozenset[URIRef]] = field(default_factory=dict)  # entity -> all its classes
    works: dict[URIRef, Work] = field(default_factory=dict)
    graphs: dict[URIRef, GraphInfo] = field(default_factory=dict)
    counts: dict[URIRef, int] = field(default_factory=dict)  # entities per class (with subclasses)
    places: dict[URIRef, tuple[URIRef, int | None]] = field(default_factory=dict)  # scene/event -> (work, number)
    urls: dict[URIRef, URIRef] = field(default_factory=dict)  # source -> where it can be read
    doubts: dict[URIRef, dict[URIRef, URIRef]] = field(default_factory=dict)  # entity -> graph -> its mark

    @cached_property  # the catalog is complete once load_catalog returns it, and every page asks
    def releases(self) -> list[Work]:
        """What a fan can have seen, in release order: films and series (not episodes)."""
        return _ladder(self.works.values())

    def visible(self, graph: URIRef, reading: Reading) -> bool:
        """Is this graph shown to this fan: revealed by a release they have seen, and canon enough?"""
        info = self.graphs.get(graph)
        if info is None:
            return True
        if reading.canon_only and info.kind == "interpretation":
            return False
        return reading.seen is None or info.rank is None or info.rank <= reading.seen

    def revealing_work(self, graph: URIRef) -> Work | None:
        info = self.graphs.get(graph)
        return self.works.get(info.revealed_in) if info and info.revealed_in is not None else None

    def label(self, term) -> str:
        if isinstance(term, Literal):
            return str(term)
        return self.labels.get(term) or slug_of(term) or str(term).rsplit("/", 1)[-1]

    def is_entity(self, term) -> bool:
        return isinstance(term, URIRef) and term in self.classes


LABELS = "SELECT ?x ?label ?g WHERE { GRAPH ?g { ?x rdfs:label ?label } }"
TYPES = "SELECT ?e ?class WHERE { ?e a ?class . FILTER(isIRI(?class) && STRSTARTS(STR(?e), STR(jwr:))) }"
SUPERCLASSES = "SELECT ?class ?super WHERE { ?class a owl:Class ; rdfs:subClassOf+ ?super }"
WORKS = """
SELECT ?w ?class ?release ?story ?date ?series ?seriesRelease ?after ?gap WHERE {
  ?w a ?class . VALUES ?class { jwo:Film jwo:Series jwo:Episode }
  OPTIONAL { ?w jwo:followsInStory ?after }
  OPTIONAL { ?w jwo:storyGap ?gap }
  OPTIONAL { ?w jwo:releaseOrder ?release }
  OPTIONAL { ?w jwo:storyOrder ?story }
  OPTIONAL { ?w jwo:releaseDate ?date }
  OPTIONAL { ?w jwo:partOfSeries ?series . OPTIONAL { ?series jwo:releaseOrder ?seriesRelease } }
}"""
#: Where a scene or an event is in the stories: its work (an event: the first work showing it) and number.
PLACES = """
SELECT ?e ?w ?n WHERE {
  { ?e jwo:sceneOf ?w OPTIONAL { ?e jwo:sceneNumber ?n } } UNION { ?e jwo:shownIn ?w }
}"""
URLS = "SELECT ?s ?url WHERE { GRAPH ?g { ?s jwo:url ?url } }"
#: Entities a source marks themselves unconfirmed or disputed (their existence, not one fact of theirs).
DOUBTS = "SELECT ?e ?g ?c WHERE { GRAPH ?g { ?e jwo:confirmation ?c } FILTER(STRSTARTS(STR(?e), STR(jwr:))) }"
GRAPHS = """
SELECT ?g ?source ?kind ?revealed WHERE {
  GRAPH jwg:provenance { ?g a jwo:SourceGraph ; prov:wasDerivedFrom ?source ; jwo:sourceKind ?kind .
                         OPTIONAL { ?g jwo:revealedIn ?revealed } }
}"""


ONTOLOGY = "SELECT ?s ?p ?o WHERE { GRAPH ?ontology { ?s ?p ?o } }"  # a SELECT: a server's cap is paged past


def load_model(store: Store) -> Model:
    """The ontology's model as the store holds it (the build puts the ontology in a graph of its own)."""
    graph = Graph()
    for row in store.select(ONTOLOGY, {"ontology": ONTOLOGY_IRI}):
        graph.add((row["s"], row["p"], row["o"]))
    return model_of(graph)


def load_catalog(store: Store) -> Catalog:
    catalog = Catalog()
    named_in: dict[URIRef, set[URIRef]] = defaultdict(set)
    for row in store.select(LABELS):  # should one term have two labels, the first in code-point order wins
        term, label = row["x"], str(row["label"])
        named_in[term].add(row["g"])
        current = catalog.labels.get(term)
        if current is None or label < current:
            catalog.labels[term] = label
    catalog.named_in = {term: frozenset(graphs) for term, graphs in named_in.items()}
    supers: dict[URIRef, set[URIRef]] = defaultdict(set)
    for row in store.select(SUPERCLASSES):
        supers[row["class"]].add(row["super"])
    types: dict[URIRef, set[URIRef]] = defaultdict(set)
    members: dict[URIRef, set[URIRef]] = defaultdict(set)
    for row in store.select(TYPES):
        entity, cls = row["e"], row["class"]
        types[entity].add(cls)
        if not cls.startswith(JWO):
            continue
        members[cls].add(entity)
        current = catalog.classes.get(entity)
        if current is None or (-len(supers[cls]), cls) < (-len(supers[current]), current):
            catalog.classes[entity] = cls
    catalog.types = {entity: frozenset(classes) for entity, classes in types.items()}
    catalog.counts = {cls: len(entities) for cls, entities in members.items()}
    for row in store.select(WORKS):
        release = row.get("release", row.get("seriesRelease"))
        catalog.works[row["w"]] = Work(
            iri=row["w"], slug=slug_of(row["w"]) or str(row["w"]), label=catalog.label(row["w"]),
            cls=row["class"], release=int(release) if release is not None else None,
            story=int(row["story"]) if "story" in row else None,
            date=str(row["date"]) if "date" in row else None, series=row.get("series"), after=row.get("after"),
            gap=str(row["gap"]) if "gap" in row else None)
    for work in list(catalog.works.values()):  # a series is dated by its first episode
        if work.date is None and work.cls == JWO.Series:
            dates = sorted(w.date for w in catalog.works.values() if w.series == work.iri and w.date)
            if dates:
                catalog.works[work.iri] = replace(work, date=dates[0])
    catalog.works = _levels(catalog.works)
    for row in store.select(PLACES):
        work = catalog.works.get(row["w"])
        if work is None:
            continue
        current = catalog.places.get(row["e"])
        if current is None or _rank(work) < _rank(catalog.works[current[0]]):  # an event: its first showing
            catalog.places[row["e"]] = (row["w"], int(row["n"]) if "n" in row else None)
    catalog.urls = {row["s"]: row["url"] for row in store.select(URLS)}
    for row in store.select(DOUBTS):
        catalog.doubts.setdefault(row["e"], {})[row["g"]] = row["c"]
    for row in store.select(GRAPHS):
        revealed = row.get("revealed")
        work = catalog.works.get(revealed) if revealed is not None else None
        catalog.graphs[row["g"]] = GraphInfo(row["g"], row["source"], KIND_NAMES.get(row["kind"], "reference"),
                                             revealed, work.level if work else None)
    return catalog


def _ladder(works) -> list[Work]:
    return sorted((w for w in works if w.release is not None and w.series is None), key=lambda w: w.release)


def _levels(works: dict[URIRef, Work]) -> dict[URIRef, Work]:
    """Each released work with the spoiler level it is seen from: its place among the releases a fan chooses
    from (films and series, :attr:`Catalog.releases`); an episode its series' place; a work released between
    two of them (an episode of a series that is not among them) the place of the next, the first a fan who has
    seen it has chosen.  Release numbers may skip (the synthetic universes' episodes have numbers of their
    own), places do not: "the first N releases" counts places."""
    ladder = _ladder(works.values())
    place = {w.iri: n for n, w in enumerate(ladder, 1)}
    numbers = [w.release for w in ladder]

    def level(work: Work) -> int | None:
        if work.series in place or work.iri in place:
            return place.get(work.series) or place[work.iri]
        return None if work.release is None else bisect_left(numbers, work.release) + 1

    return {iri: replace(work, level=level(work)) for iri, work in works.items()}


def _rank(work: Work) -> tuple:
    return (work.release if work.release is not None else 10**6, work.date or "9999")
