"""Lists of entities by kind (``/browse/<section>``): each section's entities, counted, sorted and filtered.

A list is every entity of one section (:mod:`kg.views.sections`) with its
name, kind, a short description and the counts that matter for the kind,
sorted and filtered by a work and an organization.  A row of a section's
relations counts only if every graph it names is visible at the fan's spoiler
level, so a membership revealed in Chapter 3 neither counts nor filters before
Chapter 3, and scenes and events of unseen works (named by their story) are
not listed at all.  Values chosen by the fan (section, work, organization,
sort) are resolved against the catalog here and never reach a query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import URIRef

from kg.model import Model
from kg.namespaces import JWO, slug_of
from kg.store import Store
from kg.store.catalog import Catalog, Reading, Work

from .marks import PLAIN_MARKS, Marks, entity_marks
from .sections import DESCRIPTIONS, GRAPHS, SPECS, TYPED, Measure, Relation, Spec
from .works import episodes, order_key, series_of

KIND_ORDER = {"canon": 0, "reference": 1, "interpretation": 2}
SHORT = 160  # characters of a description shown in a list


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
    marks: Marks = PLAIN_MARKS  # a reading, or what a source doubts exists, is marked so


@dataclass
class Listing:
    query: Query
    entries: list[Entry]
    total: int  # entities listed before the filters
    hidden: int  # entities not listed at this spoiler level
    kinds: bool  # do the entities have several kinds (worth a column)?


def browse(store: Store, catalog: Catalog, query: Query, reading: Reading) -> Listing:
    spec = query.spec
    typed: dict[URIRef, list[URIRef]] = defaultdict(list)
    for row in store.select(TYPED, {"cls": spec.cls}):
        typed[row["e"]].append(row["g"])
    marked = {e: entity_marks(catalog, e, reading) for e in typed}
    shown = {e for e, graphs in typed.items() if e in catalog.classes
             and any(catalog.visible(g, reading) for g in graphs)
             and not (reading.canon_only and marked[e].flags)}  # canon only: not what a source doubts exists
    kept = set(shown)
    if query.work is not None:
        works = {query.work.iri, *(w.iri for w in episodes(catalog, query.work))}
        kept &= {e for relation in spec.in_work for e, xs in pairs(store, catalog, relation, reading).items() if xs & works}
    if query.org is not None and spec.in_org is not None:
        kept &= {e for e, xs in pairs(store, catalog, spec.in_org, reading).items() if query.org in xs}
    values: dict[str, dict] = {m.key: _measure(store, catalog, m, reading) for m in spec.measures}
    descriptions = _descriptions(store, catalog, spec.cls, reading)
    entries = [Entry(e, catalog.label(e), catalog.classes[e], descriptions.get(e),
                     {m.key: values[m.key].get(e, None if m.earliest else 0) for m in spec.measures}, marked[e])
               for e in kept]
    return Listing(query, _sorted(catalog, entries, query), len(shown), len(typed) - len(shown),
                   len({catalog.classes[e] for e in shown}) > 1)


def pairs(store: Store, catalog: Catalog, relation: Relation, reading: Reading) -> dict[URIRef, set]:
    """Entity -> what the relation pairs it with, from facts visible at this spoiler level."""
    found: dict[URIRef, set] = defaultdict(set)
    for row in store.select(relation.query, relation.bindings):
        if all(catalog.visible(row[g], reading) for g in GRAPHS if g in row):
            found[row[relation.entity]].add(row[relation.other])
    return found


def _measure(store: Store, catalog: Catalog, measure: Measure, reading: Reading) -> dict[URIRef, object]:
    found = pairs(store, catalog, measure.relation, reading)
    if measure.earliest:
        return {e: min(xs, key=lambda x: order_key(catalog, x)) for e, xs in found.items()}
    if measure.fold:
        found = {e: {series_of(catalog, x) for x in xs} for e, xs in found.items()}
    return {e: len(xs) for e, xs in found.items()}


def _descriptions(store: Store, catalog: Catalog, cls: URIRef, reading: Reading) -> dict[URIRef, str]:
    """Each entity's description from its strongest visible source, cut short."""
    best: dict[URIRef, tuple] = {}
    for row in store.select(DESCRIPTIONS, {"cls": cls}):
        if catalog.visible(row["g"], reading):
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
