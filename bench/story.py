"""The in-universe files of one saga: organizations, offices and places; scenes,
events, artifacts and rules; and the readings of each work's analysis.

Nearly everything here is a story fact, revealed in the work whose sources
state it; the readings are interpretation, some of it marked ``disputed``.
"""

from __future__ import annotations

from .names import Namer, title
from .plan import SagaPlan, UniversePlan, WorkPlan
from .world import CONTINENTAL, FAN_WIKI, GOLD_COIN, HIGH_TABLE, RULES


class StoryWriter:
    def __init__(self, saga: SagaPlan, universe: UniversePlan, namer: Namer):
        self.saga, self.world, self.n = saga, universe.world, namer
        self.first = saga.works[0]

    # -- organizations, offices, places

    def world_doc(self) -> dict:
        saga, w0 = self.saga, self.first
        orgs = {
            saga.council: {"type": "council", "source": w0.ref, "name": title(saga.council),
                           "part_of": {"value": HIGH_TABLE, "source": FAN_WIKI, "revealed_in": w0.slug}},
            saga.clan: {"type": "clan", "source": w0.ref, "name": title(saga.clan), "leaders": [saga.mentor]},
            saga.cult: {"type": "cult", "source": w0.ref, "name": title(saga.cult), "subject_to": [RULES[2]]},
            saga.network: {"type": "network", "source": w0.ref, "name": title(saga.network),
                           "leaders": [w0.chars["concierge"]]},
        }
        places = {}
        for w in saga.works:
            orgs.update(self._work_orgs(w))
            places.update(self._work_places(w))
        return {
            "organizations": orgs,
            "offices": {saga.office: {"source": w0.ref, "name": title(saga.office), "office_of": saga.council}},
            "places": places,
            "facts": [{"about": CONTINENTAL, "source": w0.ref,
                       "description": f"In {w0.name}, the hotels that keep the peace."}],
        }

    def _work_orgs(self, w: WorkPlan) -> dict:
        return {
            w.syndicate: {"type": "crime-syndicate", "source": w.ref, "name": title(w.syndicate),
                          "part_of": self.saga.council, "location": [w.places["city"]],
                          "leaders": [w.chars["boss"]], "subject_to": [RULES[1]]},
            w.branch: {"type": "hotel-branch", "source": w.ref, "name": title(w.branch),
                       "part_of": {"value": CONTINENTAL, "source": [w.ref, FAN_WIKI], "revealed_in": w.slug},
                       "location": w.places["city"],
                       "managers": [{"value": w.chars["manager"], "from": w.slug}],
                       "concierges": [w.chars["concierge"]]},
        }

    def _work_places(self, w: WorkPlan) -> dict:
        p, n = w.places, self.n
        city = {"type": "city", "source": w.ref, "name": title(p["city"]),
                "located_in": n.pick(self.world.countries)}
        if n.chance(0.3):
            city["aliases"] = [f"Old {title(p['city'])}"]
        return {
            p["city"]: city,
            p["landmark"]: {"type": "landmark", "source": w.ref, "name": title(p["landmark"]),
                            "located_in": p["city"]},
            p["venue"]: {"type": "venue", "source": w.ref, "name": title(p["venue"]), "located_in": p["landmark"],
                         "symbolizes": ["Danger"]},
            p["club"]: {"type": "venue", "source": w.ref, "name": title(p["club"]), "located_in": p["city"]},
            p["hideout"]: {"source": w.ref, "name": title(p["hideout"]),
                           "description": "Where the syndicate keeps what it steals."},
        }

    # -- scenes, events, artifacts, rules

    def story_doc(self) -> dict:
        saga, scenes, events, artifacts = self.saga, {}, {}, {}
        for w in saga.works:
            scenes.update(self._scenes(w))
            c = w.chars
            for i, event in enumerate(w.events):
                events[event] = {"source": w.ref, "name": title(event),
                                 "participants": [c["boss"], c["sibling"], saga.hero][: 2 + i % 2],
                                 "location": [w.places["venue"] if i % 2 else w.places["hideout"]],
                                 "shown_in": [w.slug]}
            holders = ([c["boss"]], [w.syndicate, CONTINENTAL])
            for artifact, held_by in zip(w.artifacts, holders):
                artifacts[artifact] = {"source": w.ref, "name": title(artifact), "held_by": held_by,
                                       "symbolizes": ["A debt that must be paid"]}
        rules = {rule: {"source": self.first.ref, "name": title(rule), "enforced_by": [saga.council]}
                 for rule in saga.rules}
        return {"scenes": scenes, "events": events, "artifacts": artifacts, "rules": rules}

    def _scenes(self, w: WorkPlan) -> dict:
        n, saga, out = self.n, self.saga, {}
        cast = [w.chars[r] for r in ("boss", "heir", "lieutenant", "assassin", "ally", "manager")]
        for i, scene in enumerate(w.scenes):
            entry = {"source": w.ref, "name": f"{title(w.places['club'])}, part {i + 1}", "work": w.slug,
                     "number": str(i + 1), "characters": [saga.hero, *n.sample(cast, 1 + i % 3)],
                     "set_in": [n.pick((w.places["venue"], w.places["club"], w.places["landmark"]))]}
            if i % 2 == 0:
                entry["events"] = [w.events[i % len(w.events)]]
            if i % 3 == 0:
                entry["artifacts"] = [w.artifacts[0], GOLD_COIN]
            if i % 4 == 1:
                entry["motifs"] = [n.pick(saga.motifs)]
                entry["themes"] = [n.pick(self.world.themes)]
            if i == len(w.scenes) - 1:
                entry["symbolizes"] = ["An ending that is a beginning"]
            out[scene] = entry
        return out

    # -- readings

    def readings_doc(self) -> dict:
        saga, w0, n = self.saga, self.first, self.n
        motifs = {m: {"name": title(m), "description": f"{title(m)} recur through {saga.name}.",
                      "symbolizes": [f"What {saga.hero.split('-')[0].capitalize()} cannot leave behind"],
                      "themes": [saga.themes[i % len(saga.themes)]],
                      "embodied_by": [(w0.artifacts[0], saga.hero, w0.places["city"], saga.rules[0])[i]]}
                  for i, m in enumerate(saga.motifs)}
        themes = {t: {"name": title(t), "description": f"A theme of {saga.name}, as the analyses read it."}
                  for t in saga.themes}
        facts = []
        for w in saga.works:
            facts.append({"about": w.slug, "source": w.analysis, "motifs": [n.pick(saga.motifs)],
                          "themes": [saga.themes[w.index % len(saga.themes)]]})
            facts.append({"about": w.chars["boss"], "source": w.analysis,
                          "narrative_role": {"value": "the mirror of the hero", "confirmation": "disputed",
                                             "note": "Other readings see only a villain."}})
            if w.index % 2:
                facts.append({"about": saga.hero, "source": w.analysis, "symbolizes": [f"Grief, in {w.name}"]})
        return {"source": w0.analysis, "motifs": motifs, "themes": themes, "facts": facts}
