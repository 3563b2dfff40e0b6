"""The files of one saga: sources, works with casts, people, characters,
organizations and places, the story (scenes, events, artifacts, rules), and
an analysis's readings in ``interpretations/``.

Every entity names its source; a work's story facts come from sources that are
``about`` it (so they are revealed in it), from the work itself, or from a
general source with an explicit ``revealed_in``.  Long-hand values carry the
qualifiers fans use: ``from``/``until``, ``note``, ``confirmation``.
"""

from __future__ import annotations

from .names import ADJECTIVES, NOUNS, Namer, title
from .plan import CAST_ROLES, SagaPlan, UniversePlan, WorkPlan
from .story import StoryWriter
from .world import FAN_WIKI, RULES

Files = dict[str, tuple[str, dict]]  # path -> (header comment, document)

ROLE_LINES = {
    "boss": "the tyrant", "heir": "the spoiled son", "lieutenant": "the enforcer", "assassin": "the rival",
    "ally": "the friend", "sibling": "the witness", "spouse": "the hostage", "manager": "the host",
    "concierge": "the gatekeeper", "witness": "the survivor", "bystander": "the bystander",
}


def saga_files(saga: SagaPlan, universe: UniversePlan, namer: Namer) -> Files:
    folder, writer, story = saga.folder, SagaWriter(saga, universe, namer), StoryWriter(saga, universe, namer)
    return {
        f"{folder}/sources.yaml": (f"Sources of {saga.name}: three per work.", writer.sources()),
        f"{folder}/works.yaml": (f"The works of {saga.name}; dates, crew and casts are real-world facts.",
                                 writer.works()),
        f"{folder}/people.yaml": ("Cast and crew.", writer.people()),
        f"{folder}/characters.yaml": ("Characters; later works add facts about the recurring ones.",
                                      writer.characters()),
        f"{folder}/world.yaml": ("Organizations, offices and places.", story.world_doc()),
        f"{folder}/story.yaml": ("Scenes, events, artifacts and rules: all story facts.", story.story_doc()),
        f"interpretations/{folder}.yaml": ("Readings by each work's analysis; never canon.", story.readings_doc()),
    }


class SagaWriter:
    def __init__(self, saga: SagaPlan, universe: UniversePlan, namer: Namer):
        self.saga, self.world, self.n = saga, universe.world, namer
        self.first, self.last = saga.works[0], saga.works[-1]

    # -- sources, works, people

    def sources(self) -> dict:
        out = {}
        if self.saga.series:
            out[self.saga.series_ref] = {"type": "reference", "name": f"Wikipedia: {self.saga.series_name}",
                                         "url": f"https://wiki.example.org/{self.saga.series}",
                                         "about": self.saga.series}
        for w in self.saga.works:
            out[w.ref] = {"type": "reference", "name": f"Wikipedia: {w.name}",
                          "url": f"https://wiki.example.org/{w.slug}", "about": w.slug}
            out[w.review] = {"type": "reference", "name": f"A review of {w.name}",
                             "url": f"https://reviews.example.org/{w.slug}?page=1", "about": w.slug}
            out[w.analysis] = {"type": "analysis", "name": f"Reading {w.name}",
                               "url": f"https://essays.example.org/{w.slug}", "about": [w.slug]}
        return {"sources": out}

    def works(self) -> dict:
        saga, n, out = self.saga, self.n, {}
        if saga.series:
            out[saga.series] = {"type": "series", "source": saga.series_ref, "name": saga.series_name,
                                "setting_year": str(n.rng.randint(1950, 1990)),
                                "creators": saga.crew[:2], "broadcasters": [n.pick(self.world.companies)]}
        episode = 0
        for w in saga.works:
            entry = {"type": w.type, "source": w.ref, "name": w.name}
            if w.type == "episode":
                episode += 1
                entry.update(series=saga.series, episode_number=str(episode))
            announced = w.type == "film" and w.index % 10 == 9
            if announced:
                entry["status"] = "announced"
            else:
                released = n.date(1995, 2030)
                entry.update(released=released, runtime=str(n.rng.randint(45, 180)))
                if n.chance(0.4):
                    entry["premiered"] = released[:8] + "01"  # a festival premiere that month
            entry["release_order"] = str(w.order)
            entry["story_order"] = (str(w.order) if n.chance(0.6) else
                                    {"value": str(w.order), "source": [w.ref, w.review]})
            entry.update(directors=[n.pick(self.world.veterans)], writers=n.sample(saga.crew, 2),
                         producers=[saga.crew[2]], composers=[saga.crew[3]],
                         distributors=[n.pick(self.world.companies)], studios=n.sample(self.world.companies, 2),
                         set_in=[w.places["city"]], filmed_in=[w.places["landmark"]],
                         themes=n.sample(self.world.themes, 2), imdb=n.imdb_title())
            if n.chance(0.3):
                entry["wikidata"] = n.wikidata()
            entry["cast"] = self._cast(w)
            out[w.slug] = entry
        return {"works": out}

    def _cast(self, w: WorkPlan) -> dict:
        cast: dict = {self.saga.star: self.saga.hero}
        if w.index % 2 == 0:
            cast[self.saga.mentor_actor] = {"character": self.saga.mentor, "source": w.review}
        for role in CAST_ROLES:
            performer, character = w.performers[role], w.chars[role]
            if role == "boss":
                cast[performer] = {"character": character, "credited_as": f"The {title(character).split()[-1]}"}
            elif role == "spouse" and self.n.chance(0.5):
                cast[performer] = {"character": character, "note": "Uncredited in the end titles.",
                                   "confirmation": "unconfirmed"}
            else:
                cast[performer] = character
        return cast

    def people(self) -> dict:
        n, out = self.n, {}
        for slug in (*self.saga.crew, self.saga.star, self.saga.mentor_actor):
            out[slug] = {"name": title(slug), "born": n.date(1940, 1995), "imdb": n.imdb_name()}
        for w in self.saga.works:
            for role in CAST_ROLES:
                person = {"source": w.ref, "name": title(w.performers[role])}
                if n.chance(0.7):
                    person["born"] = n.date(1940, 2005)
                if n.chance(0.05):
                    person["died"] = n.date(2010, 2024)
                if n.chance(0.8):
                    person["imdb"] = n.imdb_name()
                out[w.performers[role]] = person
        return {"source": self.first.ref, "people": out}

    # -- characters

    def characters(self) -> dict:
        saga, n, w0 = self.saga, self.n, self.first
        out = {
            saga.hero: {"source": w0.ref, "name": title(saga.hero), "aliases": ["The Ghost", "Baba Yaga"],
                        "birth_name": n.person(), "description": "A retired assassin pulled back in.",
                        "wikidata": n.wikidata(), "member_of": [saga.clan], "narrative_role": ["the avenger"],
                        "arc": "From grief to vengeance, and back.", "symbolizes": ["Grief"],
                        "subject_to": [{"value": RULES[0], "from": w0.slug, "until": self.last.slug}]},
            saga.mentor: {"source": w0.ref, "name": title(saga.mentor), "description": "The hero's old teacher.",
                          "offices": [saga.office], "member_of": [saga.clan]},
        }
        for w in saga.works:
            out.update(self._work_characters(w))
        return {"characters": out, "facts": self._recurring_facts()}

    def _work_characters(self, w: WorkPlan) -> dict:
        c, n, saga = w.chars, self.n, self.saga
        roles = {
            "boss": {"killed_by": [saga.hero], "dies_in": w.slug, "enemies": [saga.hero]},
            "heir": {"parents": [c["boss"]], "killed_by": [saga.hero], "member_of": [w.syndicate]},
            "lieutenant": {"works_for": [w.syndicate], "member_of": [w.syndicate], "enemies": [c["ally"]]},
            "assassin": {"member_of": [saga.clan], "mentors": [saga.mentor], "allies": [c["ally"]],
                         "subject_to": [{"value": RULES[0], "from": w.slug}], "breaks": [saga.rules[0]]},
            "ally": {"allies": [saga.hero], "siblings": [c["sibling"]], "aliases": [n.person().split()[0]]},
            "sibling": {"spouses": [c["spouse"]], "motivated_by": [w.events[0]]},
            "spouse": {"works_for": [c["boss"]], "birth_name": n.person()},
            "manager": {"offices": [saga.office] if w.index == 0 else [], "member_of": [saga.cult]},
            "concierge": {"member_of": [saga.network]},
            "witness": {"appears_in": [w.slug], "relatives": [{"value": c["sibling"], "note": "A cousin."}],
                        "confirmation": "unconfirmed", "note": "Only one source names this character."},
            "bystander": {"appears_in": [w.slug]},
        }
        out = {}
        for role, keys in roles.items():
            entry = {"source": w.ref, "name": title(c[role]),
                     "description": f"{ROLE_LINES[role].capitalize()} of {w.name}."}
            entry.update((k, v) for k, v in keys.items() if v)
            if n.chance(0.1):
                entry["wikidata"] = n.wikidata()
            out[c[role]] = entry
        return out

    def _recurring_facts(self) -> list[dict]:
        saga, facts = self.saga, []
        for w in saga.works[1:]:
            facts.append({"about": saga.hero, "source": w.ref,
                          "aliases": [f"The {self.n.pick(ADJECTIVES)} {self.n.pick(NOUNS)}"],
                          "member_of": {"value": saga.network, "confirmation": "unconfirmed"}})
            if w.index % 3 == 0:
                facts.append({"about": saga.mentor, "source": [w.ref, FAN_WIKI], "revealed_in": w.slug,
                              "symbolizes": [f"The price of {self.n.pick(NOUNS).lower()}"]})
        for w in saga.works:
            facts.append({"about": w.chars["boss"], "source": w.slug, "aliases": [f"Boss {title(w.chars['boss'])}"]})
        return facts
