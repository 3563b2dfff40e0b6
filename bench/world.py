"""The files shared by every saga of a generated universe: the franchise-wide
sources, companies, veteran crew, and the world (High Table, Continental,
countries, rules, themes, artifacts).

Facts here come from general sources that are about no single work, so the
world file sets ``revealed_in:`` to the first work of the universe.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .names import THEMES, Namer, title
from .yamltext import Commented

COUNTRIES = 24
COMPANIES = 12
VETERANS = 8

FRANCHISE = "wikipedia-franchise"
FAN_WIKI = "fan-wiki"
ESSAYS = "essays-on-the-franchise"
HIGH_TABLE = "high-table"
CONTINENTAL = "continental"
ADJUDICATOR = "adjudicator"
RULES = ("excommunicado", "marker-oath", "consecrated-ground")
GOLD_COIN = "gold-coin"


@dataclass
class World:
    """Slugs of the shared entities, for the sagas to refer to."""

    countries: list[str] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    veterans: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)


def plan_world(namer: Namer) -> World:
    world = World()
    world.countries = [namer.slug(namer.place(2) + "ia") for _ in range(COUNTRIES)]
    world.companies = [namer.slug(f"{namer.place(2)} Pictures") for _ in range(COMPANIES)]
    world.veterans = [namer.slug(namer.person()) for _ in range(VETERANS)]
    world.themes = [namer.slug(theme) for theme in THEMES]
    return world


def world_files(world: World, first_work: str, namer: Namer) -> dict[str, tuple[str, dict]]:
    """path -> (header comment, document) of the shared files."""
    sources = {
        FRANCHISE: {"type": "reference", "name": "Wikipedia: John Wick (franchise)",
                    "url": "https://en.wikipedia.org/wiki/John_Wick"},
        FAN_WIKI: {"type": "reference", "name": "The fan wiki", "url": "https://johnwick.example.org/wiki",
                   "note": "Edited by fans; cite it only with another source."},
        ESSAYS: {"type": "analysis", "name": "Essays on the franchise",
                 "url": "https://essays.example.org/john-wick"},
    }
    companies = {slug: {"name": title(slug)} for slug in world.companies}
    veterans = {}
    for slug in world.veterans:
        veterans[slug] = {"name": title(slug), "born": namer.date(1950, 1980), "imdb": namer.imdb_name()}
        if namer.chance(0.5):
            veterans[slug]["wikidata"] = namer.wikidata()
    countries = {slug: {"type": "country", "name": title(slug)} for slug in world.countries}
    world_doc = {
        "source": FRANCHISE,
        "revealed_in": Commented("the source is about no single work: say which work reveals", first_work),
        "organizations": {
            HIGH_TABLE: {"type": "council", "name": "The High Table",
                         "description": "The council that rules the underworld."},
            CONTINENTAL: {"type": "hotel-chain", "name": "The Continental",
                          "aliases": ["The Hotel"], "wikidata": namer.wikidata()},
        },
        "offices": {ADJUDICATOR: {"name": "The Adjudicator", "office_of": HIGH_TABLE}},
        "places": countries,
        "rules": {slug: {"name": title(slug), "enforced_by": [HIGH_TABLE]} for slug in RULES},
        "themes": {slug: {"name": title(slug), "source": ESSAYS} for slug in world.themes},
        "artifacts": {GOLD_COIN: {"name": "Gold coin", "held_by": [CONTINENTAL],
                                  "symbolizes": ["The economy of favors"]}},
    }
    return {
        "sources.yaml": ("The franchise-wide sources; each saga has its own in its folder.",
                         {"sources": sources}),
        "companies.yaml": ("Studios and distributors.", {"source": FRANCHISE, "companies": companies}),
        "people.yaml": ("Crew who work across sagas.", {"source": FRANCHISE, "people": veterans}),
        "world.yaml": ("The underworld every saga shares.", world_doc),
    }
