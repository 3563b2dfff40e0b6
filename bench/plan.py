"""The plan of a generated universe: every slug, decided before any file is written.

A universe is a list of sagas, each a run of works (films, and for longer
sagas a series whose last works are its episodes).  Every work brings its own
sources, characters and performers, a crime syndicate, a Continental branch in
a new city, places, events, artifacts and scenes; a saga adds a hero and a
mentor who recur in its works, a council, a clan, a cult, a network, rules,
motifs and themes.  Planning all slugs first lets any file refer to any entity.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .names import LAST, Namer
from .world import World, plan_world

WORKS_PER_SAGA = 20
#: Characters of a work who are in its cast, and who only 'appears_in' it.
CAST_ROLES = ("boss", "heir", "lieutenant", "assassin", "ally", "sibling", "spouse", "manager", "concierge")
EXTRA_ROLES = ("witness", "bystander")
SCENES_PER_WORK = 8
EVENTS_PER_WORK = 3
ARTIFACTS_PER_WORK = 2
LANDMARKS = ("Tower", "Bridge", "Cathedral", "Opera")
DEEDS = ("raid", "ambush", "duel", "betrayal")
METALS = ("Gold", "Blood", "Iron", "Silver")
OBJECTS = ("Marker", "Medallion", "Ledger", "Key")
MOTIFS = ("Mirrors", "Rain", "Neon", "Stairs", "Dogs", "Cards", "Clocks", "Masks")


@dataclass
class WorkPlan:
    slug: str
    name: str
    type: str  # film | episode
    index: int  # in its saga, from 0
    order: int  # release order in the universe, from 1
    chars: dict[str, str] = field(default_factory=dict)  # role -> character
    performers: dict[str, str] = field(default_factory=dict)  # role -> person
    places: dict[str, str] = field(default_factory=dict)  # role -> place
    syndicate: str = ""
    branch: str = ""
    events: list[str] = field(default_factory=list)
    artifacts: list[str] = field(default_factory=list)
    scenes: list[str] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return f"ref-{self.slug}"

    @property
    def review(self) -> str:
        return f"review-{self.slug}"

    @property
    def analysis(self) -> str:
        return f"analysis-{self.slug}"


@dataclass
class SagaPlan:
    number: int
    name: str
    works: list[WorkPlan]
    series: str | None
    series_name: str
    hero: str
    mentor: str
    star: str  # who plays the hero
    mentor_actor: str
    crew: list[str]
    council: str
    clan: str
    cult: str
    network: str
    office: str
    rules: list[str]
    motifs: list[str]
    themes: list[str]

    @property
    def folder(self) -> str:
        return f"saga-{self.number:03d}"

    @property
    def series_ref(self) -> str:
        return f"ref-{self.series}"


@dataclass
class UniversePlan:
    world: World
    sagas: list[SagaPlan]

    @property
    def first_work(self) -> str:
        return self.sagas[0].works[0].slug


def _plan_work(namer: Namer, kind: str, index: int, order: int, saga_name: str, episode: int) -> WorkPlan:
    if kind == "film":
        name = f"{saga_name}: Chapter {index + 1}"
    else:
        name = f"{namer.title().removeprefix('The ')} (episode {episode})"
    work = WorkPlan(namer.slug(name), name, kind, index, order)
    for role in (*CAST_ROLES, *EXTRA_ROLES):
        work.chars[role] = namer.slug(namer.person())
    for role in CAST_ROLES:
        work.performers[role] = namer.slug(namer.person())
    city = namer.place()
    work.places = {
        "city": namer.slug(city),
        "landmark": namer.slug(f"{city} {namer.pick(LANDMARKS)}"),
        "venue": namer.slug(f"{namer.place(2)} Club"),
        "club": namer.slug(f"{namer.place(2)} Bar"),
        "hideout": namer.slug(f"{namer.place(2)} Warehouse"),
    }
    work.syndicate = namer.slug(f"The {namer.pick(LAST)} syndicate")
    work.branch = namer.slug(f"The Continental {city}")
    work.events = [namer.slug(f"The {namer.pick(DEEDS)} at {city}") for _ in range(EVENTS_PER_WORK)]
    work.artifacts = [namer.slug(f"{namer.pick(METALS)} {namer.pick(OBJECTS)}") for _ in range(ARTIFACTS_PER_WORK)]
    work.scenes = [namer.slug(f"{name} scene {n + 1}") for n in range(SCENES_PER_WORK)]
    return work


def _plan_saga(namer: Namer, number: int, size: int, first_order: int) -> SagaPlan:
    name = namer.title()
    episodes = min(3, size // 4)  # the last works of a saga of 4 or more are episodes of its series
    first_episode = size - episodes
    works = []
    for index in range(size):
        kind = "episode" if index >= first_episode else "film"
        works.append(_plan_work(namer, kind, index, first_order + index, name, index - first_episode + 1))
    word = name.split()[-1]
    return SagaPlan(
        number=number, name=name, works=works,
        series=namer.slug(f"{name} Chronicles") if episodes else None, series_name=f"{name} Chronicles",
        hero=namer.slug(namer.person()), mentor=namer.slug(namer.person()),
        star=namer.slug(namer.person()), mentor_actor=namer.slug(namer.person()),
        crew=[namer.slug(namer.person()) for _ in range(4)],
        council=namer.slug(f"The Council of the {word}"), clan=namer.slug(f"The {word} Clan"),
        cult=namer.slug(f"The Order of the {word}"), network=namer.slug(f"The {word} Network"),
        office=namer.slug(f"The Keeper of the {word}"),
        rules=[namer.slug(f"The rule of the {namer.pick(('blood', 'coin', 'oath', 'table'))}") for _ in range(2)],
        motifs=[namer.slug(motif) for motif in namer.sample(MOTIFS, 3)],
        themes=[namer.slug(f"{namer.pick(('Inherited', 'Borrowed', 'Broken', 'Chosen'))} {word.lower()}")
                for _ in range(2)],
    )


def plan_universe(works: int, namer: Namer) -> UniversePlan:
    """The slugs of a universe of ``works`` works (films and episodes)."""
    world = plan_world(namer)
    sagas, order = [], 1
    while order <= works:
        size = min(WORKS_PER_SAGA, works - order + 1)
        sagas.append(_plan_saga(namer, len(sagas) + 1, size, order))
        order += size
    return UniversePlan(world, sagas)
