"""Checks that need the whole universe, run before the graph is compiled.

SHACL sees a finished graph; these checks see the YAML, so they can say which
line to fix and suggest the slug that was meant:

* every reference names an entity that exists ("did you mean"), of the right
  kind (a character where a character is expected);
* every source is a source entity or a work, every revealed work a work;
* every fact has a source, and every story fact a work that reveals it;
* the acts of a work's plot are numbered 1, 2, 3 ... once each, with no gap.

Duplicate slugs are caught while collecting (:mod:`kg.build.collect`).
"""

from __future__ import annotations

from rdflib import URIRef

from kg.errors import Location, Problem, did_you_mean
from kg.model import Model, shape_message
from kg.namespaces import JWO, JWSH

from .records import Context, Said, Universe
from .vocab import FROM_UNTIL, KINDS, SOURCE_REF


class Checker:
    def __init__(self, universe: Universe, model: Model):
        self.universe, self.model = universe, model
        self.problems: list[Problem] = []

    def run(self) -> list[Problem]:
        u = self.universe
        for fact in u.facts:
            entity = u.entities[fact.subject]
            where = (entity.slug, entity.kind.noun, fact.key.name)
            if fact.is_ref:
                self.reference((fact.value, fact.loc), fact.key.type.classes, where)
            for said in (fact.start, fact.end):
                if said is not None:
                    self.reference(said, FROM_UNTIL.classes, where)
            self.context(fact.context, where)
        for entry in u.cast:
            where = (entry.work, "work", "cast")
            self.reference(entry.performer, (JWO.Person,), where)
            self.reference(entry.character, (JWO.Character,), where)
            self.context(entry.context, where)
        for part in u.plot:
            self.context(part.context, (part.work, "work", "plot"))
        self.names_present()
        self.unique_positions()
        self.sources_present()
        self.revealed_works()
        self.plot_acts()
        return list(dict.fromkeys(self.problems))  # one report per distinct problem

    def add(self, message, loc, where, hint=None, reference=None):
        entity, noun, key = where
        self.problems.append(Problem(message, loc, entity, noun, key, hint, reference))

    def reference(self, said: Said, classes: tuple[URIRef, ...], where) -> None:
        slug, loc = said
        target = self.universe.entities.get(slug)
        if target is not None and self._fits(target.cls, classes):
            return  # the common case: no message to build
        wanted = " or ".join(self.model.label(c) for c in classes)
        if target is None:
            fitting = [s for s, e in self.universe.entities.items() if self._fits(e.cls, classes)]
            hint = did_you_mean(slug, fitting)  # a slug of the kind asked for, never another kind's
            self.add(f"unknown {wanted} '{slug}'", loc, where,
                     hint or f"define it in a '{self._section(classes)}:' section, or check the spelling",
                     reference=slug)
        else:
            fitting = [s for s, e in self.universe.entities.items() if self._fits(e.cls, classes)]
            self.add(f"'{slug}' is {self.model.article_label(target.cls)}, not {self._article(wanted)}",
                     loc, where, did_you_mean(slug, fitting, f"give the slug of {self._article(wanted)} here"))

    def context(self, context: Context, where) -> None:
        for said in context.sources:
            self.reference(said, SOURCE_REF.classes, (*where[:2], "source"))
        if context.revealed_in is not None:
            self.reference(context.revealed_in, FROM_UNTIL.classes, (*where[:2], "revealed_in"))

    def names_present(self) -> None:
        """Every entity is named: its name carries its type, which every shape starts from."""
        named = {f.subject for f in self.universe.facts if f.key.name == "name"}
        for slug, entity in self.universe.entities.items():
            if slug not in named:
                self.add(shape_message(JWSH.name), entity.loc, (slug, entity.kind.noun, "name"))

    def unique_positions(self) -> None:
        """No two works share a place in the release order or in the story order.

        Checked here, not in SHACL: a SHACL-SPARQL constraint costs pySHACL a
        query parse per work, the most expensive check of the build."""
        for key in ("release_order", "story_order"):
            holders: dict[str, dict[str, Location]] = {}
            for fact in self.universe.facts:
                if fact.key.name == key:
                    holders.setdefault(str(fact.value), {}).setdefault(fact.subject, fact.loc)
            for works in holders.values():
                for slug, loc in works.items():
                    for other in sorted(works.keys() - {slug}):
                        self.add(f"is also the {key.replace('_', ' ')} of '{other}'", loc, (slug, "work", key),
                                 "each work needs its own place: renumber one of them")

    def sources_present(self) -> None:
        missing: dict[tuple[str, Context], list] = {}
        for fact in self.universe.facts:
            if not fact.context.sources and self.universe.entities[fact.subject].kind.section != "sources":
                missing.setdefault((fact.subject, fact.context), []).append(fact)
        for entry in self.universe.cast:
            if not entry.context.sources:
                self.add("no source for this cast entry", entry.loc, (entry.work, "work", "cast"),
                         "add 'source: <slug>' to the work or at the top of the file")
        for part in self.universe.plot:
            if not part.context.sources:
                self.add(f"no source for act {part.act} of the plot", part.loc, (part.work, "work", "plot"),
                         "add 'source: <slug>' to the part, the work or the top of the file")
        for (slug, _), facts in missing.items():
            entity = self.universe.entities[slug]
            keys = ", ".join(dict.fromkeys(f.key.name for f in facts))
            self.add(f"no source for: {keys}", facts[0].loc, (slug, entity.kind.noun, None),
                     "add 'source: <slug>' to the entity, the facts block or the top of the file")

    def revealed_works(self) -> None:
        reported = set()
        for fact in self.universe.facts:
            if not fact.story:
                continue
            for source, revealed in self.universe.routes(fact.context, story=True):
                if source not in self.universe.entities:
                    continue  # already reported as an unknown source
                if revealed is None and (fact.subject, source) not in reported:
                    reported.add((fact.subject, source))
                    entity = self.universe.entities[fact.subject]
                    about = self.universe.about(source)
                    why = "it is about several works" if about else "it is not about one work"
                    self.add(f"story fact from '{source}' with no work that reveals it ({why})", fact.loc,
                             (fact.subject, entity.kind.noun, fact.key.name),
                             "add 'revealed_in: <work>' to the value, the entity or the file, "
                             "so fans who have not seen that work can hide it")

    def plot_acts(self) -> None:
        """Each act of a plot once, numbered from 1 with no gap, wherever its parts are written.

        The act number is the part's place in the story, and part of its IRI: an act told twice
        would merge two texts into one part."""
        acts: dict[str, dict[int, Location]] = {}
        for part in self.universe.plot:
            first = acts.setdefault(part.work, {}).setdefault(part.act, part.act_loc)
            if first != part.act_loc:
                self.add(f"act {part.act} is told twice (first at {first})", part.act_loc, (part.work, "work", "plot"),
                         "number the acts 1, 2, 3 ... once each; one act from several sources takes "
                         "'source: [a, b]'")
        for work, numbers in acts.items():
            missing = [n for n in range(1, max(numbers) + 1) if n not in numbers]
            if missing:
                after = min(n for n in numbers if n > missing[0])
                told = ", ".join(str(n) for n in sorted(numbers))
                self.add(f"act {missing[0]} is missing (the acts are {told})", numbers[after], (work, "work", "plot"),
                         "number the acts 1, 2, 3 ... with no gap")

    def _fits(self, cls: URIRef, classes) -> bool:
        return any(self.model.is_a(cls, c) for c in classes)

    def _section(self, classes) -> str:
        for kind in KINDS:
            if any(self._fits(cls, classes) for _, cls in kind.classes):
                return kind.section
        return "the right"

    @staticmethod
    def _article(label: str) -> str:
        return ("an " if label[:1] in "aeiou" else "a ") + label


def check(universe: Universe, model: Model) -> list[Problem]:
    return Checker(universe, model).run()
