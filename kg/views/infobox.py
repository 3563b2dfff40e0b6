"""The most important facts of an entity, chosen by its class, for the infobox.

A row is a label and items; an item is a sequence of parts, each a term (a
link on the page) or plain text, so "Ian McShane in John Wick as Winston" is
``[person, " in ", work]``.  Only statements visible at the fan's spoiler level
are used (casts are real-world facts and always visible).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.model import Model
from kg.namespaces import JWO
from kg.store.catalog import Catalog

from .describe import Description, Statement


@dataclass
class Item:
    """One value of a row: its parts (terms and text), and the statement behind it (to mark and cite)."""

    parts: list
    statement: Statement | None = None


@dataclass
class Row:
    label: str
    items: list[Item] = field(default_factory=list)


#: What each class's infobox states, so the page's groups list only the other relations.
#: (predicate, incoming); performances stand for casts, appearances and plays.
CAST = {(JWO.playedBy, False), (JWO.castMember, False), (JWO.hasPerformance, False), (JWO.performedBy, True),
        (JWO.asCharacter, True)}
SHOWN = {
    JWO.Character: CAST | {(p, False) for p in (JWO.memberOf, JWO.holdsOffice, JWO.worksFor, JWO.parent, JWO.child,
                                               JWO.sibling, JWO.spouse, JWO.relative, JWO.diesIn, JWO.killedBy)},
    JWO.Work: CAST | {(p, False) for p in (JWO.releaseDate, JWO.premiereDate, JWO.runtimeMinutes, JWO.settingYear,
                                          JWO.releaseOrder, JWO.storyOrder, JWO.productionStatus, JWO.director,
                                          JWO.writer, JWO.creator, JWO.composer, JWO.partOfSeries, JWO.hasEpisode,
                                          JWO.followsInStory, JWO.storyGap)},
    JWO.Scene: {(JWO.sceneOf, False), (JWO.sceneNumber, False)},
    JWO.HotelBranch: {(p, False) for p in (JWO.location, JWO.parentOrganization, JWO.manager, JWO.concierge)},
    JWO.Motif: {(JWO.symbolizes, False), (JWO.theme, False), (JWO.embodiedBy, False), (JWO.motif, True)},
    JWO.Person: CAST,
    JWO.Organization: {(JWO.leader, False), (JWO.parentOrganization, False), (JWO.location, False),
                       (JWO.hasMember, False)},
}


def shown_in_infobox(cls, model: Model) -> set:
    """The (predicate, incoming) pairs the infobox of this class states."""
    for base, pairs in SHOWN.items():
        if model.is_a(cls, base):
            return pairs
    return set()


def _period(statement: Statement, catalog: Catalog) -> list:
    """' (from X until Y)' from the qualifiers of a statement's visible sources."""
    for source in statement.sources:
        if source.visible and (source.start or source.end):
            parts: list = [" ("]
            if source.start:
                parts += ["from ", source.start]
            if source.end:
                parts += [" " if source.start else "", "until ", source.end]
            return parts + [")"]
    return []


def _rows_of(desc: Description, catalog: Catalog, pairs, with_period: bool = False) -> list[Row]:
    rows = []
    for label, predicate, incoming in pairs:
        items = [Item([s.value, *(_period(s, catalog) if with_period else [])], s)
                 for s in desc.values(predicate, incoming)]
        if items:
            rows.append(Row(label, items))
    return rows


def _appearances(desc: Description, catalog: Catalog) -> list[Row]:
    works = sorted((catalog.works[s.value] for s in desc.values(JWO.appearsIn) if s.value in catalog.works),
                   key=lambda w: (w.release or 99, w.date or ""))
    if not works:
        return []
    rows = [Row("First appearance", [Item([works[0].iri])])]
    if len(works) > 1:
        rows.append(Row("Last appearance", [Item([works[-1].iri])]))
    return rows


def _scene(desc: Description, catalog: Catalog) -> list[Row]:
    """The work a scene is in, and where among the scenes listed for it ("3rd of 16 listed")."""
    rows = [Row("In", [Item([s.value], s)]) for s in desc.values(JWO.sceneOf)[:1]]
    place = catalog.places.get(desc.iri)
    for s in desc.literals(JWO.sceneNumber)[:1]:
        listed = sum(1 for e, (work, _) in catalog.places.items()
                     if place and work == place[0] and catalog.classes.get(e) == JWO.Scene)
        rows.append(Row("Scene", [Item([f"{ordinal(int(s.value))} of {listed} listed"], s)]))
    return rows


def _fate(desc: Description) -> list[Row]:
    """Whether the character is dead, and in which work, by whom, from the facts the fan sees: "unknown"
    when none says (never "alive": no source here says so, and a death not yet seen stays hidden)."""
    died = desc.values(JWO.diesIn)
    killers = desc.values(JWO.killedBy)
    if not died and not killers:
        return [Row("Status", [Item(["unknown"])])]
    rows = [Row("Status", [Item(["dead"])])]
    if died:
        rows.append(Row("Died in", [Item([s.value], s) for s in died]))
    if killers:
        rows.append(Row("Killed by", [Item([s.value], s) for s in killers]))
    return rows


def infobox(desc: Description, catalog: Catalog, model: Model, performances: list[dict]) -> list[Row]:
    shown = [p for p in performances if p["visible"]]
    cls = desc.cls
    if model.is_a(cls, JWO.Character):
        played = [Item([p["person"], " in ", p["work"], *([f" (as {p['credit']})"] if p["credit"] else [])],
                       p["statement"]) for p in shown if p["character"] == desc.iri]
        return [*([Row("Played by", played)] if played else []),
                *_rows_of(desc, catalog, [("Member of", JWO.memberOf, False), ("Offices", JWO.holdsOffice, False),
                                          ("Works for", JWO.worksFor, False)], with_period=True),
                *_rows_of(desc, catalog, [("Parents", JWO.parent, False), ("Children", JWO.child, False),
                                          ("Siblings", JWO.sibling, False), ("Spouses", JWO.spouse, False),
                                          ("Other family", JWO.relative, False)]),
                *_appearances(desc, catalog), *_fate(desc)]
    if model.is_a(cls, JWO.Work):
        work = catalog.works.get(desc.iri)
        facts = []
        for label, predicate, unit in (("Released", JWO.releaseDate, ""), ("Premiered", JWO.premiereDate, ""),
                                       ("Runtime", JWO.runtimeMinutes, " min"),
                                       ("Set in year", JWO.settingYear, "")):
            facts += [Row(label, [Item([s.value if not unit else f"{s.value}{unit}"], s)])
                      for s in desc.literals(predicate)[:1]]
        if work is not None and work.release is not None:
            facts.append(Row("Release order", [Item([f"{ordinal(work.release)} of {len(catalog.releases)} released"])]))
        if work is not None and work.story is not None:
            told = sum(1 for w in catalog.works.values() if w.story is not None and w.series is None)
            facts.append(Row("Story order", [Item([f"{ordinal(work.story)} of {told} in story order"])]))
        for after in desc.values(JWO.followsInStory)[:1]:  # "In the story: four days after John Wick"
            gap = desc.literals(JWO.storyGap)[:1]
            facts.append(Row("In the story", [Item([f"{gap[0].value} " if gap else "after ", after.value],
                                                   gap[0] if gap else after)]))
        facts += [Row("Status", [Item([s.value], s)]) for s in desc.values(JWO.productionStatus)[:1]]
        cast = [Item([p["person"], " as ", p["character"], *([f" ({p['credit']})"] if p["credit"] else [])],
                     p["statement"]) for p in shown if p["work"] == desc.iri]
        return [*facts,
                *_rows_of(desc, catalog, [("Directed by", JWO.director, False), ("Written by", JWO.writer, False),
                                          ("Created by", JWO.creator, False), ("Music by", JWO.composer, False),
                                          ("Series", JWO.partOfSeries, False), ("Episodes", JWO.hasEpisode, False)]),
                *([Row("Cast", cast)] if cast else [])]
    if model.is_a(cls, JWO.Scene):
        return _scene(desc, catalog)
    if model.is_a(cls, JWO.HotelBranch):
        return _rows_of(desc, catalog, [("City", JWO.location, False), ("Part of", JWO.parentOrganization, False),
                                        ("Managers", JWO.manager, False), ("Concierges", JWO.concierge, False)],
                        with_period=True)
    if model.is_a(cls, JWO.Motif):
        symbolizes = [Item([str(s.value)], s) for s in desc.literals(JWO.symbolizes)]
        scenes = [s for s in desc.values(JWO.motif, incoming=True) if catalog.classes.get(s.value) == JWO.Scene]
        works = [s for s in desc.values(JWO.motif, incoming=True) if s.value in catalog.works]
        return [*([Row("Symbolizes", symbolizes)] if symbolizes else []),
                *_rows_of(desc, catalog, [("Themes", JWO.theme, False), ("Embodied by", JWO.embodiedBy, False)]),
                *([Row("Scenes", [Item([s.value], s) for s in scenes])] if scenes else []),
                *([Row("Works", [Item([s.value], s) for s in works])] if works else [])]
    if model.is_a(cls, JWO.Person):
        roles = [Item([p["character"], " in ", p["work"]], p["statement"]) for p in shown if p["person"] == desc.iri]
        return [Row("Plays", roles)] if roles else []
    if model.is_a(cls, JWO.Organization):
        return _rows_of(desc, catalog, [("Leaders", JWO.leader, False), ("Part of", JWO.parentOrganization, False),
                                        ("Location", JWO.location, False), ("Members", JWO.hasMember, False)])
    return []


def ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
