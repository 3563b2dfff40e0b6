"""What each list of ``/browse/<section>`` is: its class, its columns, how it is filtered.

A section's counts and filters are :class:`Relation` s: fixed SPARQL whose rows
pair an entity (``?e``) with what is counted or filtered on (``?x``) and name
the graphs that hold the facts (``?g``, ``?g2``), so that :mod:`kg.views.lists`
can count a row only when every graph it names is visible at the fan's
spoiler level.  This module is a registry written as data (:data:`SPECS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rdflib import URIRef

from kg.namespaces import JWO

GRAPHS = ("g", "g2")  # the variables that name the graphs a row's facts are in


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
