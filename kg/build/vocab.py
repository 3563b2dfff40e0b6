"""The YAML vocabulary: which sections, keys and values a data file may hold.

This module is a registry written as data.  Each :class:`Kind` is a top-level
section of a data file (``characters:``, ``works:`` ...) and maps to an
ontology class; each :class:`Key` maps a YAML key to the RDF predicate(s) it
states and says what its value must be (one of :mod:`kg.build.values`).  The loader reads it to check files,
the compiler to emit triples, ``data/README.md`` documents it, and a test
checks it against the ontology and the shapes.

Whether a fact is a **story fact** (a spoiler, kept in a graph that names the
work revealing it) or a **real-world fact** (cast, dates, crew: never a
spoiler) is decided here too: by the kind, and for in-universe kinds by the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal as Lit

from rdflib import URIRef
from rdflib.namespace import OWL, RDFS, SKOS

from kg.namespaces import JWO, SCHEMA

from .values import (
    CONFIRMATION,
    COUNT,
    DATE,
    IMDB,
    NAME,
    PROSE,
    STATUS,
    URL,
    WIKIDATA,
    YEAR,
    Cast,
    Plot,
    ref,
)

# ---------------------------------------------------------------- keys and kinds


@dataclass(frozen=True)
class Key:
    name: str
    predicates: tuple[URIRef, ...]
    type: object
    many: bool = False
    story: bool | None = None  # None: as the kind says
    only: tuple[URIRef, ...] = ()  # allowed only on entities of these classes
    help: str = ""


def key(name, predicate, type_, help="", *, many=False, story=None, only=()):
    predicates = predicate if isinstance(predicate, tuple) else (predicate,)
    return Key(name, predicates, type_, many, story, tuple(JWO[o] for o in only), help)


@dataclass(frozen=True)
class Kind:
    section: str
    noun: str
    classes: tuple[tuple[str, URIRef], ...]  # (type name, class); a lone "" entry needs no type
    keys: dict[str, Key]
    world: Lit["real", "story", "mixed"]
    real_keys: frozenset[str] = frozenset()  # in a mixed kind: keys that are real-world facts here

    def class_for(self, type_name: str | None) -> URIRef | None:
        return dict(self.classes).get(type_name or "")

    @property
    def type_names(self) -> list[str]:
        return [name for name, _ in self.classes if name]

    def is_story(self, k: Key) -> bool:
        """Is a fact of this key a story fact (a spoiler) for entities of this kind?"""
        if self.world == "story":
            return True  # everything about a scene or event, its name included
        if k.name in self.real_keys:
            return False
        if k.story is not None:
            return k.story
        return self.world == "mixed"


#: Keys any entity may have.  Names and identifiers are never spoilers.
COMMON = (
    key("name", (RDFS.label, SCHEMA.name), NAME, "the display name (required)", story=False),
    key("aliases", (SKOS.altLabel, SCHEMA.alternateName), NAME, "other names and titles", many=True),
    key("description", SCHEMA.description, PROSE, "a sentence or two, in our own words"),
    key("note", SKOS.note, PROSE, "a remark for readers, such as why something is disputed"),
    key("confirmation", JWO.confirmation, CONFIRMATION, "unconfirmed or disputed, when sources do not back it"),
    key("wikidata", OWL.sameAs, WIKIDATA, "the Wikidata item (same-as link); never guess one", story=False),
)

#: Keys a value written long-hand as a mapping may have besides ``value``.
QUALIFIERS = ("source", "revealed_in", "from", "until", "note", "confirmation")
#: Keys that set the source and revealed work for the facts below them.
CONTEXT_KEYS = ("source", "revealed_in")
FROM_UNTIL = ref("Work")
SOURCE_REF = ref("Source", "Work")


def _kind(section, noun, classes, world, *keys, common=True, real=()):
    all_keys = (*COMMON, *keys) if common else keys
    return Kind(section, noun, tuple(classes), {k.name: k for k in all_keys}, world, frozenset(real))


PERSON, CHARACTER, WORK = ref("Person"), ref("Character"), ref("Work")

KINDS: tuple[Kind, ...] = (
    _kind(
        "works", "work",
        (("film", JWO.Film), ("series", JWO.Series), ("episode", JWO.Episode), ("video-game", JWO.VideoGame),
         ("comic-series", JWO.ComicSeries), ("comic-issue", JWO.ComicIssue)),
        "real",
        key("released", JWO.releaseDate, DATE, "date of the general release"),
        key("premiered", JWO.premiereDate, DATE, "date of the world premiere"),
        key("runtime", JWO.runtimeMinutes, COUNT, "running time in minutes"),
        key("release_order", JWO.releaseOrder, COUNT, "1 for the first work released"),
        key("story_order", JWO.storyOrder, COUNT, "1 for the earliest story in the universe"),
        key("follows_in_story", JWO.followsInStory, WORK, "the work whose story this one comes after"),
        key("precedes_in_story", JWO.precedesInStory, WORK, "works whose story this one comes before (a prequel)",
            many=True),
        key("story_gap", JWO.storyGap, PROSE, "when, relative to that work, as the source says: 'four days after'"),
        key("setting_year", JWO.settingYear, YEAR, "the year the story is set in"),
        key("status", JWO.productionStatus, STATUS, "released or announced"),
        key("directors", JWO.director, PERSON, many=True),
        key("writers", JWO.writer, PERSON, many=True),
        key("creators", JWO.creator, PERSON, many=True),
        key("producers", JWO.producer, PERSON, many=True),
        key("composers", JWO.composer, PERSON, many=True),
        key("distributors", JWO.distributor, ref("Company"), many=True),
        key("studios", JWO.productionCompany, ref("Company"), many=True),
        key("broadcasters", JWO.originalBroadcaster, ref("Company"), many=True),
        key("series", JWO.partOfSeries, ref("Series"), "the series of an episode", only=("Episode",)),
        key("episode_number", JWO.episodeNumber, COUNT, only=("Episode",)),
        key("developers", JWO.developer, ref("Company"), many=True, only=("VideoGame",)),
        key("publishers", JWO.publisher, ref("Company"), many=True),
        key("platforms", JWO.platform, NAME, "the platforms the game came out on", many=True, only=("VideoGame",)),
        key("artists", JWO.artist, PERSON, "who drew a comic", many=True),
        key("comic_series", JWO.issueOf, ref("ComicSeries"), "the series of a comic issue", only=("ComicIssue",)),
        key("issue_number", JWO.issueNumber, COUNT, only=("ComicIssue",)),
        key("set_in", JWO.setIn, ref("Place"), "places of the story", many=True),
        key("filmed_in", JWO.filmingLocation, ref("Place"), many=True),
        key("themes", JWO.theme, ref("Theme"), many=True),
        key("motifs", JWO.motif, ref("Motif"), many=True),
        key("imdb", JWO.imdbId, IMDB, "the IMDb title id"),
        key("cast", JWO.hasPerformance, Cast(), "performer: character, one line each", many=True),
        key("other_cast", JWO.castMember, PERSON, "credited performers whose role no source names", many=True),
        key("ending", JWO.ending, PROSE, "how the work ends, or a reading of its ending", many=True, story=True),
        key("premise", JWO.premise, PROSE, "the setup as the official synopsis gives it, never the outcome"),
        key("plot", JWO.hasPlotPart, Plot(), "the story act by act: '- act: 1' with its 'text:'", many=True,
            story=True),
    ),
    _kind(
        "people", "person", (("", JWO.Person),), "real",
        key("born", JWO.birthDate, DATE),
        key("died", JWO.deathDate, DATE),
        key("imdb", JWO.imdbId, IMDB, "the IMDb name id"),
    ),
    _kind("companies", "company", (("", JWO.Company),), "real"),
    _kind(
        "characters", "character", (("", JWO.Character),), "mixed",
        key("birth_name", JWO.birthName, NAME),
        key("appears_in", JWO.appearsIn, WORK, "works the character is in (casts add these too)", many=True, story=False),
        key("member_of", JWO.memberOf, ref("Organization"), many=True),
        key("parents", JWO.parent, CHARACTER, many=True),
        key("siblings", JWO.sibling, CHARACTER, many=True),
        key("spouses", JWO.spouse, CHARACTER, many=True),
        key("relatives", JWO.relative, CHARACTER, "other family; say which in a note", many=True),
        key("mentors", JWO.mentor, CHARACTER, many=True),
        key("allies", JWO.ally, CHARACTER, many=True),
        key("enemies", JWO.enemy, CHARACTER, many=True),
        key("killed_by", JWO.killedBy, CHARACTER, many=True),
        key("dies_in", JWO.diesIn, WORK),
        key("offices", JWO.holdsOffice, ref("Office"), many=True),
        key("works_for", JWO.worksFor, ref("Character", "Organization"), many=True),
        key("subject_to", JWO.subjectTo, ref("Rule"), "sanctions such as excommunicado", many=True),
        key("breaks", JWO.breaksRule, ref("Rule"), many=True),
        key("motivated_by", JWO.motivatedBy, ref("Event"), many=True),
        key("narrative_role", JWO.narrativeRole, PROSE, many=True),
        key("arc", JWO.characterArc, PROSE, "how the character changes; sources may read it differently", many=True),
        key("symbolizes", JWO.symbolizes, PROSE, many=True),
    ),
    _kind(
        "organizations", "organization",
        (("", JWO.Organization), ("council", JWO.Council), ("hotel-chain", JWO.HotelChain),
         ("hotel-branch", JWO.HotelBranch), ("crime-syndicate", JWO.CrimeSyndicate),
         ("clan", JWO.Clan), ("cult", JWO.Cult), ("network", JWO.Network)),
        "mixed",
        key("part_of", JWO.parentOrganization, ref("Organization")),
        key("location", JWO.location, ref("Place"), many=True),
        key("leaders", JWO.leader, CHARACTER, many=True),
        key("managers", JWO.manager, CHARACTER, many=True, only=("HotelBranch",)),
        key("concierges", JWO.concierge, CHARACTER, many=True, only=("HotelBranch",)),
        key("subject_to", JWO.subjectTo, ref("Rule"), "sanctions such as deconsecration", many=True),
    ),
    _kind("offices", "office", (("", JWO.Office),), "mixed",
          key("office_of", JWO.officeOf, ref("Organization"))),
    _kind(
        "places", "place",
        (("", JWO.Place), ("country", JWO.Country), ("city", JWO.City),
         ("landmark", JWO.Landmark), ("venue", JWO.Venue)),
        "mixed",
        key("located_in", JWO.locatedIn, ref("Place"), story=False),
        key("symbolizes", JWO.symbolizes, PROSE, many=True),
        real=("aliases",),  # other names of a place are geography, not spoilers
    ),
    _kind(
        "scenes", "scene", (("", JWO.Scene),), "story",
        key("work", JWO.sceneOf, WORK, "the work the scene is in (required)"),
        key("number", JWO.sceneNumber, COUNT, "its place among the scenes we list for the work"),
        key("characters", JWO.featuresCharacter, CHARACTER, many=True),
        key("set_in", JWO.setIn, ref("Place"), many=True),
        key("artifacts", JWO.featuresArtifact, ref("Artifact"), many=True),
        key("events", JWO.depictsEvent, ref("Event"), many=True),
        key("motifs", JWO.motif, ref("Motif"), many=True),
        key("themes", JWO.theme, ref("Theme"), many=True),
        key("symbolizes", JWO.symbolizes, PROSE, many=True),
    ),
    _kind(
        "events", "event", (("", JWO.Event),), "story",
        key("participants", JWO.participant, CHARACTER, many=True),
        key("location", JWO.location, ref("Place"), many=True),
        key("shown_in", JWO.shownIn, WORK, many=True),
    ),
    _kind(
        "motifs", "motif", (("", JWO.Motif),), "mixed",
        key("symbolizes", JWO.symbolizes, PROSE, many=True),
        key("themes", JWO.theme, ref("Theme"), many=True),
        key("embodied_by", JWO.embodiedBy, ref("Artifact", "Character", "Place", "Rule"), many=True),
    ),
    _kind("themes", "theme", (("", JWO.Theme),), "mixed"),
    _kind(
        "artifacts", "artifact", (("", JWO.Artifact),), "mixed",
        key("held_by", JWO.heldBy, ref("Character", "Organization"), many=True),
        key("symbolizes", JWO.symbolizes, PROSE, many=True),
    ),
    _kind("rules", "rule", (("", JWO.Rule),), "mixed",
          key("enforced_by", JWO.enforcedBy, ref("Organization"), many=True)),
    _kind(
        "sources", "source", (("reference", JWO.Reference), ("analysis", JWO.Analysis)), "real",
        key("name", (RDFS.label, SCHEMA.name), NAME, "the title and outlet, e.g. 'Wikipedia: Ballerina (2025 film)'"),
        key("url", JWO.url, URL, "where it can be read (required)"),
        key("about", JWO.about, WORK, "the work it is about: its story facts default to that work", many=True),
        key("description", SCHEMA.description, PROSE),
        key("note", SKOS.note, PROSE, "a remark on its reliability, mirrors, language"),
        common=False,
    ),
)

KINDS_BY_SECTION = {k.section: k for k in KINDS}
SOURCE_KIND = KINDS_BY_SECTION["sources"]
SOURCE_KINDS = {JWO.Reference: JWO.ReferenceSource, JWO.Analysis: JWO.InterpretiveSource}
#: Top-level keys of a data file besides the sections.
FILE_KEYS = (*CONTEXT_KEYS, "facts")
