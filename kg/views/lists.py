"""Lists of entities by kind (``/browse/<section>``) and the appearance matrix (``/matrix``).

A list is every entity of one vocabulary section with its name, kind, a short
description and the counts that matter for the kind, sorted and filtered by a
work and an organization.  The counts and filters are :class:`Relation` s:
fixed SPARQL whose rows pair an entity with what is counted (or filtered on)
and name the graphs that hold the facts (``?g``, ``?g2``).  A row counts only
if every graph it names is visible at the fan's spoiler level, so a membership
revealed in Chapter 3 neither counts nor filters before Chapter 3, and scenes
and events of unseen works (named by their story) are not listed at all.
Values chosen by the fan (section, work, organization, sort) are resolved
against the catalog here and never reach a query.

The matrix is characters x works from ``jwo:appearsIn`` and the performances:
real-world cast facts, shown at every spoiler level.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from rdflib import Literal, URIRef

from kg.model import Model
from kg.namespaces import JWO, slug_of
from kg.store import Store
from kg.store.catalog import Catalog, Work

GRAPHS = ("g", "g2")  # the variables that name the graphs a row's facts are in
KIND_ORDER = {"canon": 0, "reference": 1, "interpretation": 2}
SHORT = 160  # characters of a description shown in a list


@dataclass(frozen=True)
class Relation:
    """Fixed SPARQL pairing ``?e`` (a listed entity) with ``?x`` (what it is counted or filtered by)."""

    query: str
    bindings: Mapping[str, URIRef] = field(default_factory=dict)
    entity: str = "e"
    other: str = "x"


@dataclass(frozen=True)
class Measure:
    key: str  # the ``sort`` value in the URL
    heading: str
    relation: Relation
    earliest: bool = False  # show the earliest value instead of counting them
    fold: bool = False  # an episode counts as its series


@dataclass(frozen=True)
class Spec:
    cls: URIRef  # the class every entity of the section has
    measures: tuple[Measure, ...]
    in_work: tuple[Relation, ...]  # ?e with a work ?x it appears in, is part of or is set in
    in_org: Relation | None = None  # ?e with an organization ?x it belongs to
    org_label: str = ""


def rel(query: str, entity: str = "e", other: str = "x", **bindings: URIRef) -> Relation:
    return Relation(query, bindings, entity, other)


TYPED = "SELECT ?e ?g WHERE { GRAPH ?g { ?e a ?cls } }"
DESCRIPTIONS = "SELECT ?e ?x ?g WHERE { ?e a ?cls . GRAPH ?g { ?e schema:description ?x } }"
POINTS_TO = "SELECT ?e ?x ?g WHERE { GRAPH ?g { ?e ?p ?x } }"
POINTED_AT = "SELECT ?e ?x ?g WHERE { GRAPH ?g { ?x ?p ?e } }"
POINTED_AT_BY = "SELECT ?e ?x ?g WHERE { GRAPH ?g { ?x ?p ?e } ?x a ?cls }"
IN_SCENES_OF = "SELECT ?e ?x ?g ?g2 WHERE { GRAPH ?g { ?s ?p ?e } GRAPH ?g2 { ?s jwo:sceneOf ?x } }"
#: Something about ?e is told in a graph that work ?x reveals: ?e is part of that work's story.
REVEALED = """SELECT DISTINCT ?e ?x ?g WHERE {
  ?e a ?cls . GRAPH ?g { ?e ?p ?o } GRAPH jwg:provenance { ?g jwo:revealedIn ?x } }"""
#: Members, leaders, managers, concierges and office holders of an organization.
MEMBERSHIP = """SELECT ?member ?org ?g ?g2 WHERE {
  { GRAPH ?g { ?member jwo:memberOf ?org } }
  UNION { GRAPH ?g { ?org jwo:leader|jwo:manager|jwo:concierge ?member } }
  UNION { GRAPH ?g { ?member jwo:holdsOffice ?office } GRAPH ?g2 { ?office jwo:officeOf ?org } }
  ?member a jwo:Character . ?org a jwo:Organization }"""
CREW = rel("""SELECT ?e ?x ?g WHERE {
  GRAPH ?g { ?x jwo:castMember|jwo:director|jwo:writer|jwo:creator|jwo:producer|jwo:composer ?e } }""")
COMPANY = rel("""SELECT ?e ?x ?g WHERE {
  GRAPH ?g { ?x jwo:distributor|jwo:productionCompany|jwo:originalBroadcaster ?e } }""")
WORK_PLACE = rel("SELECT ?e ?x ?g WHERE { GRAPH ?g { ?x jwo:setIn|jwo:filmingLocation ?e } ?x a jwo:Work }")
RELEASED = rel("""SELECT ?e ?x ?g WHERE {
  { GRAPH ?g { ?e jwo:releaseDate ?x } } UNION { GRAPH ?g { ?ep jwo:partOfSeries ?e ; jwo:releaseDate ?x } } }""")
CAST = rel("""SELECT ?e ?x ?g WHERE {
  { GRAPH ?g { ?e jwo:castMember ?x } } UNION { ?ep jwo:partOfSeries ?e . GRAPH ?g { ?ep jwo:castMember ?x } } }""")
ITSELF = rel("SELECT ?e ?x WHERE { ?e a jwo:Work BIND(?e AS ?x) }")
DESCRIBED = rel("""SELECT DISTINCT ?e ?x ?g WHERE {
  GRAPH jwg:provenance { ?g prov:wasDerivedFrom ?e } GRAPH ?g { ?x ?p ?o } FILTER(STRSTARTS(STR(?x), STR(jwr:))) }""")
ABOUT = rel("SELECT ?e ?x WHERE { GRAPH jwg:provenance { ?e jwo:about ?x } }")


def to(p: URIRef) -> Relation:
    return rel(POINTS_TO, p=p)


def by(p: URIRef, cls: URIRef | None = None) -> Relation:
    return rel(POINTED_AT, p=p) if cls is None else rel(POINTED_AT_BY, p=p, cls=cls)


def in_scenes(p: URIRef) -> Relation:
    return rel(IN_SCENES_OF, p=p)


def revealed(cls: URIRef) -> Relation:
    return rel(REVEALED, cls=cls)


def count(key: str, heading: str, relation: Relation, fold: bool = False) -> Measure:
    return Measure(key, heading, relation, fold=fold)


def earliest(key: str, heading: str, relation: Relation) -> Measure:
    return Measure(key, heading, relation, earliest=True)


def _feature(cls: URIRef, p: URIRef) -> Spec:
    """Motifs and themes: in works and in scenes."""
    return Spec(cls, (count("works", "works", by(p, JWO.Work), fold=True), count("scenes", "scenes", by(p, JWO.Scene))),
                (by(p, JWO.Work), in_scenes(p), revealed(cls)))


#: Each section: its class, its columns, how it is filtered by work and by organization.
SPECS: dict[str, Spec] = {
    "characters": Spec(
        JWO.Character,
        (count("works", "works", to(JWO.appearsIn), fold=True), count("scenes", "scenes", by(JWO.featuresCharacter))),
        (to(JWO.appearsIn), in_scenes(JWO.featuresCharacter)), rel(MEMBERSHIP, "member", "org"), "member of"),
    "works": Spec(
        JWO.Work,
        (earliest("released", "released", RELEASED), count("cast", "cast", CAST), count("scenes", "scenes", by(JWO.sceneOf))),
        (ITSELF, by(JWO.partOfSeries))),
    "people": Spec(
        JWO.Person,
        (count("works", "works", CREW, fold=True), count("roles", "characters played", by(JWO.playedBy))), (CREW,)),
    "organizations": Spec(
        JWO.Organization, (count("members", "members", rel(MEMBERSHIP, "org", "member")),),
        (revealed(JWO.Organization),), to(JWO.parentOrganization), "part of"),
    "places": Spec(
        JWO.Place,
        (count("scenes", "scenes set here", by(JWO.setIn, JWO.Scene)),
         count("works", "works set or filmed here", WORK_PLACE, fold=True)),
        (WORK_PLACE, in_scenes(JWO.setIn), revealed(JWO.Place)), by(JWO.location, JWO.Organization), "location of"),
    "scenes": Spec(
        JWO.Scene,
        (earliest("work", "work", to(JWO.sceneOf)), earliest("number", "no.", to(JWO.sceneNumber)),
         count("characters", "characters", to(JWO.featuresCharacter))),
        (to(JWO.sceneOf),)),
    "events": Spec(
        JWO.Event,
        (earliest("work", "first shown in", to(JWO.shownIn)), count("participants", "participants", to(JWO.participant)),
         count("scenes", "scenes", by(JWO.depictsEvent))),
        (to(JWO.shownIn), in_scenes(JWO.depictsEvent))),
    "motifs": _feature(JWO.Motif, JWO.motif),
    "themes": _feature(JWO.Theme, JWO.theme),
    "artifacts": Spec(
        JWO.Artifact, (count("scenes", "scenes", by(JWO.featuresArtifact)), count("holders", "held by", to(JWO.heldBy))),
        (in_scenes(JWO.featuresArtifact), revealed(JWO.Artifact)), to(JWO.heldBy), "held by"),
    "rules": Spec(
        JWO.Rule, (count("subjects", "subject to it", by(JWO.subjectTo)), count("breakers", "broken by", by(JWO.breaksRule))),
        (revealed(JWO.Rule),), to(JWO.enforcedBy), "enforced by"),
    "offices": Spec(
        JWO.Office, (count("holders", "holders", by(JWO.holdsOffice)),), (revealed(JWO.Office),), to(JWO.officeOf),
        "office of"),
    "companies": Spec(JWO.Company, (count("works", "works", COMPANY, fold=True),), (COMPANY,)),
    "sources": Spec(JWO.Source, (count("entities", "entities described", DESCRIBED),), (ABOUT,)),
}
SECTIONS = tuple(SPECS)


# ---------------------------------------------------------------- what the fan asks


@dataclass(frozen=True)
class Query:
    """One state of a list, as its URL says it (``?sort=works&order=desc&work=SLUG&org=SLUG``)."""

    section: str
    sort: str = "name"
    descending: bool = False
    work: Work | None = None
    org: URIRef | None = None
    ignored: tuple[tuple[str, str], ...] = ()  # (parameter, value) naming nothing we know

    @property
    def spec(self) -> Spec:
        return SPECS[self.section]


def organizations(catalog: Catalog, model: Model) -> dict[str, URIRef]:
    """Slug -> organization, by name."""
    found = [(e, slug_of(e)) for e, cls in catalog.classes.items() if model.is_a(cls, JWO.Organization)]
    return {slug: e for e, slug in sorted(found, key=lambda pair: catalog.label(pair[0]).casefold()) if slug}


def work_options(catalog: Catalog) -> list[Work]:
    """Every work, films and series in release order, each series followed by its episodes."""
    top = sorted((w for w in catalog.works.values() if w.series is None), key=lambda w: release_key(w))
    return [x for w in top for x in (w, *episodes(catalog, w))]


def read_query(catalog: Catalog, model: Model, section: str, args: Mapping[str, str]) -> Query:
    """The query a URL asks for; unknown values are dropped (and said), never an error."""
    spec = SPECS[section]
    sort = args.get("sort") or "name"
    if sort not in ("name", *(m.key for m in spec.measures)):
        sort = "name"
    ignored = []
    work = org = None
    if slug := args.get("work"):
        work = next((w for w in catalog.works.values() if w.slug == slug), None)
        if work is None:
            ignored.append(("work", slug))
    if (slug := args.get("org")) and spec.in_org is not None:
        org = organizations(catalog, model).get(slug)
        if org is None:
            ignored.append(("org", slug))
    return Query(section, sort, args.get("order") == "desc", work, org, tuple(ignored))


# ---------------------------------------------------------------- the list


@dataclass(frozen=True)
class Entry:
    iri: URIRef
    label: str
    cls: URIRef
    description: str | None
    values: dict[str, object]  # measure key -> a count, or the earliest value (None: none)


@dataclass
class Listing:
    query: Query
    entries: list[Entry]
    total: int  # entities listed before the filters
    hidden: int  # entities not listed at this spoiler level
    kinds: bool  # do the entities have several kinds (worth a column)?


def browse(store: Store, catalog: Catalog, query: Query, seen: int | None) -> Listing:
    spec = query.spec
    typed: dict[URIRef, list[URIRef]] = defaultdict(list)
    for row in store.select(TYPED, {"cls": spec.cls}):
        typed[row["e"]].append(row["g"])
    shown = {e for e, graphs in typed.items() if e in catalog.classes
             and any(catalog.visible(g, seen) for g in graphs)}
    kept = set(shown)
    if query.work is not None:
        works = {query.work.iri, *(w.iri for w in episodes(catalog, query.work))}
        kept &= {e for relation in spec.in_work for e, xs in pairs(store, catalog, relation, seen).items() if xs & works}
    if query.org is not None and spec.in_org is not None:
        kept &= {e for e, xs in pairs(store, catalog, spec.in_org, seen).items() if query.org in xs}
    values: dict[str, dict] = {m.key: _measure(store, catalog, m, seen) for m in spec.measures}
    descriptions = _descriptions(store, catalog, spec.cls, seen)
    entries = [Entry(e, catalog.label(e), catalog.classes[e], descriptions.get(e),
                     {m.key: values[m.key].get(e, None if m.earliest else 0) for m in spec.measures})
               for e in kept]
    return Listing(query, _sorted(catalog, entries, query), len(shown), len(typed) - len(shown),
                   len({catalog.classes[e] for e in shown}) > 1)


def pairs(store: Store, catalog: Catalog, relation: Relation, seen: int | None) -> dict[URIRef, set]:
    """Entity -> what the relation pairs it with, from facts visible at this spoiler level."""
    found: dict[URIRef, set] = defaultdict(set)
    for row in store.select(relation.query, relation.bindings):
        if all(catalog.visible(row[g], seen) for g in GRAPHS if g in row):
            found[row[relation.entity]].add(row[relation.other])
    return found


def _measure(store: Store, catalog: Catalog, measure: Measure, seen: int | None) -> dict[URIRef, object]:
    found = pairs(store, catalog, measure.relation, seen)
    if measure.earliest:
        return {e: min(xs, key=lambda x: order_key(catalog, x)) for e, xs in found.items()}
    if measure.fold:
        found = {e: {series_of(catalog, x) for x in xs} for e, xs in found.items()}
    return {e: len(xs) for e, xs in found.items()}


def _descriptions(store: Store, catalog: Catalog, cls: URIRef, seen: int | None) -> dict[URIRef, str]:
    """Each entity's description from its strongest visible source, cut short."""
    best: dict[URIRef, tuple] = {}
    for row in store.select(DESCRIPTIONS, {"cls": cls}):
        if catalog.visible(row["g"], seen):
            info = catalog.graphs.get(row["g"])
            rank = (KIND_ORDER.get(info.kind if info else "reference", 9), str(row["x"]))
            if row["e"] not in best or rank < best[row["e"]]:
                best[row["e"]] = rank
    return {e: shorten(text) for e, (_, text) in best.items()}


def shorten(text: str, limit: int = SHORT) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _sorted(catalog: Catalog, entries: list[Entry], query: Query) -> list[Entry]:
    """By name, or by a column with entries lacking a value last; ties by name."""
    entries = sorted(entries, key=lambda e: (e.label.casefold(), e.label, str(e.iri)))
    if query.sort == "name":
        return entries[::-1] if query.descending else entries
    present = [e for e in entries if e.values.get(query.sort) is not None]
    present.sort(key=lambda e: order_key(catalog, e.values[query.sort]), reverse=query.descending)
    return present + [e for e in entries if e.values.get(query.sort) is None]


def order_key(catalog: Catalog, value) -> tuple:
    """A sort key for a column value: numbers and dates as such, works in release order, else names."""
    if isinstance(value, URIRef):
        work = catalog.works.get(value)
        return ("~work", *release_key(work)) if work else ("~term", catalog.label(value).casefold())
    if isinstance(value, Literal):
        value = value.toPython()
    return (type(value).__name__, value)


def release_key(work: Work) -> tuple:
    return (work.release if work.release is not None else 10**6, work.date or "9999", work.label)


def story_key(work: Work) -> tuple:
    return (work.story if work.story is not None else 10**6, *release_key(work))


def episodes(catalog: Catalog, series: Work) -> list[Work]:
    return sorted((w for w in catalog.works.values() if w.series == series.iri), key=lambda w: (w.date or "9999", w.label))


def series_of(catalog: Catalog, term):
    """An episode counts as its series; anything else as itself."""
    work = catalog.works.get(term)
    return work.series if work is not None and work.series is not None else term


# ---------------------------------------------------------------- the appearance matrix

APPEARANCES = """SELECT DISTINCT ?c ?w ?person WHERE {
  { ?c jwo:appearsIn ?w } UNION { ?perf jwo:asCharacter ?c ; jwo:inWork ?w ; jwo:performedBy ?person } }"""


@dataclass(frozen=True)
class Column:
    work: Work  # a film or a series
    episodes: tuple[Work, ...] = ()

    def unseen(self, seen: int | None) -> bool:
        return seen is not None and (self.work.release is None or self.work.release > seen)


@dataclass
class Appearances:
    character: URIRef
    label: str
    cells: dict[URIRef, tuple[str, ...]] = field(default_factory=dict)  # work -> performers' names (maybe none)
    works: int = 0  # films and series (an episode counts as its series)


@dataclass
class Matrix:
    columns: list[Column]
    rows: list[Appearances]
    order: str  # release | story


def matrix(store: Store, catalog: Catalog, order: str = "release") -> Matrix:
    """Characters x works: who appears where, played by whom; most appearances first."""
    found: dict[URIRef, dict[URIRef, set[str]]] = defaultdict(dict)
    for row in store.select(APPEARANCES):
        if row["w"] in catalog.works:
            for work in {row["w"], series_of(catalog, row["w"])}:  # an episode's cast is in its series too
                performers = found[row["c"]].setdefault(work, set())
                if "person" in row:
                    performers.add(catalog.label(row["person"]))
    rows = {c: Appearances(c, catalog.label(c), {w: tuple(sorted(names)) for w, names in cells.items()},
                           sum(1 for w in cells if catalog.works[w].series is None)) for c, cells in found.items()}
    used = {w for cells in found.values() for w in cells}
    top = [w for w in catalog.works.values() if w.series is None and (w.iri in used or w.release is not None)]
    top.sort(key=story_key if order == "story" else release_key)
    columns = [Column(w, tuple(e for e in episodes(catalog, w) if e.iri in used)) for w in top]
    ranked = sorted(rows.values(), key=lambda r: (-r.works, -len(r.cells), r.label.casefold(), r.label))
    return Matrix(columns, ranked, "story" if order == "story" else "release")
