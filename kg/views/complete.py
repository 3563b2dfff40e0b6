"""Completion from the data, for the query editor at /sparql and any other editor: ``/api/complete``.

Three kinds of names are completed, each with its label, its kind and a count, ranked by use:

* **entities** (``jwr:…``): by the start of their name in the IRI, or of a name or alias (the search
  index's names: ``rooney`` finds Eve Macarro, ``baba`` John Wick), ranked by how connected they are;
  in an object position, only things of the classes the predicate's values have in the data;
* **properties**: by the start of their local name or label, counted by use, or, in context, by the
  subjects of a class that use them, or by the uses of one subject;
* **classes**: by the start of their local name or label, counted by instances.

The counts are read from the store once, through the store interface (so the same completion works
over a remote store), by :func:`read_stats`; a subject's own properties are asked of the store when
asked for.  No query text of a user's ever reaches the store: only names, bound as values.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rdflib import URIRef

from kg.namespaces import PREFIXES, curie, slug_of
from kg.store import Store
from kg.store.catalog import Catalog

from .folding import fold
from .search import SearchIndex
from .searchindex import DESCRIPTION

KINDS = ("entity", "property", "class")
MAX_Q = 100  # characters of the typed text that count
LIMIT, MAX_LIMIT = 15, 50

PROPERTY_USE = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"
CLASS_USE = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"
CLASS_PROPERTIES = "SELECT ?c ?p (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c ; ?p ?o } GROUP BY ?c ?p"
OBJECT_CLASSES = """SELECT ?p ?c (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?o a ?c FILTER(?p != rdf:type) }
GROUP BY ?p ?c"""
OBJECT_USE = "SELECT ?o (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?o)) } GROUP BY ?o"
SUBJECT_PROPERTIES = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"


@dataclass(frozen=True)
class Completion:
    iri: URIRef
    name: str  # the prefixed name to insert
    label: str
    kind: str  # entity, property or class
    type: str  # what it is: an entity's class, "property", "class"
    count: int

    def as_json(self) -> dict:
        prefix = self.name.split(":", 1)[0]
        return {"iri": str(self.iri), "name": self.name, "label": self.label, "kind": self.kind,
                "type": self.type, "count": self.count,
                "prefix": {prefix: str(PREFIXES[prefix])} if prefix in PREFIXES else {}}


#: A local name a prefixed name may have as it is (SPARQL's PN_LOCAL, without its escapes).
PN_LOCAL = re.compile(r"[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


def name_of(term: URIRef) -> str:
    """The prefixed name to write (``jwr:eve-macarro``), or the IRI in brackets when its local part needs
    escapes (``<…/performance/film-one/…>``)."""
    prefix, colon, local = curie(term).partition(":")
    return f"{prefix}:{local}" if colon and prefix in PREFIXES and PN_LOCAL.fullmatch(local) else f"<{term}>"


@dataclass
class Stats:
    """How the data uses its terms: read once (:func:`read_stats`)."""

    properties: Counter = field(default_factory=Counter)  # property -> triples using it
    classes: Counter = field(default_factory=Counter)  # class -> its instances
    class_properties: dict[URIRef, Counter] = field(default_factory=dict)  # class -> property -> subjects
    object_classes: dict[URIRef, Counter] = field(default_factory=dict)  # property -> class of values -> uses


def read_stats(store: Store) -> Stats:
    stats = Stats(Counter({row["p"]: int(row["n"]) for row in store.select(PROPERTY_USE)}),
                  Counter({row["c"]: int(row["n"]) for row in store.select(CLASS_USE)}))
    by_class: dict[URIRef, Counter] = defaultdict(Counter)
    for row in store.select(CLASS_PROPERTIES):
        by_class[row["c"]][row["p"]] = int(row["n"])
    by_property: dict[URIRef, Counter] = defaultdict(Counter)
    for row in store.select(OBJECT_CLASSES):
        by_property[row["p"]][row["c"]] = int(row["n"])
    stats.class_properties, stats.object_classes = dict(by_class), dict(by_property)
    return stats


class Completer:
    def __init__(self, store: Store, catalog: Catalog, search: SearchIndex, stats: Stats):
        self.store, self.catalog, self.search, self.stats = store, catalog, search, stats
        self.links = {entry.iri: entry.links for entry in search.entries}
        self.slugs = sorted((slug, iri) for iri in catalog.classes if (slug := slug_of(iri)))
        terms = set(stats.properties) | set(stats.classes)
        self.keys = {term: _keys(term, self._label(term)) for term in terms}
        self.values: dict[URIRef, list[URIRef]] = {}  # property -> the entities it points to, most often first

    # --- entities -------------------------------------------------------------------------------------

    def entities(self, q: str, cls: URIRef | None = None, predicate: URIRef | None = None,
                 limit: int = LIMIT) -> list[Completion]:
        wanted = self._wanted_classes(cls, predicate)
        q = q[:MAX_Q]
        if not fold(q):
            found = self._most_used(predicate, wanted, limit)
        else:
            found = self._named(q, wanted, limit)
        return [self._entity(iri) for iri in found[:limit]]

    def _wanted_classes(self, cls: URIRef | None, predicate: URIRef | None) -> frozenset[URIRef] | None:
        if cls is not None:
            return frozenset({cls})
        if predicate is not None and predicate in self.stats.object_classes:
            return frozenset(self.stats.object_classes[predicate])
        return None

    def _fits(self, iri: URIRef, wanted: frozenset[URIRef] | None) -> bool:
        return wanted is None or not wanted.isdisjoint(self.catalog.types.get(iri, ()))

    def _named(self, q: str, wanted, limit: int) -> list[URIRef]:
        """By the start of the IRI's name first, then by name or alias (the search index), by use in each."""
        typed = q.strip().lower()
        start = bisect_left(self.slugs, (typed,))
        by_iri: list[URIRef] = []
        for slug, iri in self.slugs[start:start + 500]:  # a bounded look: enough to rank the first few by use
            if not slug.startswith(typed):
                break
            if self._fits(iri, wanted):
                by_iri.append(iri)
        by_iri.sort(key=lambda iri: -self.links.get(iri, 0))
        hits = self.search.search(q.replace("-", " "), limit=max(limit * 4, 40), count=False).hits
        by_name = sorted((hit for hit in hits if hit.field != DESCRIPTION and self._fits(hit.iri, wanted)),
                         key=lambda hit: (hit.rank, -self.links.get(hit.iri, 0)))
        return list(dict.fromkeys([*by_iri, *(hit.iri for hit in by_name)]))

    def _most_used(self, predicate: URIRef | None, wanted, limit: int) -> list[URIRef]:
        if predicate is not None:  # the things this property points to most often
            return [iri for iri in self._values(predicate) if self._fits(iri, wanted)][:limit]
        ranked = sorted((entry for entry in self.search.entries if self._fits(entry.iri, wanted)),
                        key=lambda entry: (-entry.links, entry.iri))
        return [entry.iri for entry in ranked[:limit]]

    def _values(self, predicate: URIRef) -> list[URIRef]:
        """The entities a property points to, most often first: asked of the store once per property (the
        data does not change while it is served; there are as many as the ontology has properties)."""
        known = self.values.get(predicate)
        if known is None:
            rows = self.store.select(OBJECT_USE, {"p": predicate})
            ranked = sorted(((row["o"], int(row["n"])) for row in rows), key=lambda item: (-item[1], item[0]))
            known = self.values[predicate] = [iri for iri, _ in ranked if self.catalog.is_entity(iri)][:MAX_LIMIT * 4]
        return known

    def _entity(self, iri: URIRef) -> Completion:
        cls = self.catalog.classes.get(iri)
        return Completion(iri, name_of(iri), self.catalog.label(iri), "entity",
                          self.catalog.label(cls) if cls is not None else "thing", self.links.get(iri, 0))

    # --- properties and classes -------------------------------------------------------------------------

    def properties(self, q: str, subject: URIRef | None = None, cls: URIRef | None = None,
                   limit: int = LIMIT) -> list[Completion]:
        if subject is not None:
            counts = Counter({row["p"]: int(row["n"]) for row in self.store.select(SUBJECT_PROPERTIES,
                                                                                   {"s": subject})})
        elif cls is not None:
            counts = self.stats.class_properties.get(cls, Counter())
        else:
            counts = self.stats.properties
        return self._terms(q, counts, "property", limit)

    def classes(self, q: str, limit: int = LIMIT) -> list[Completion]:
        return self._terms(q, self.stats.classes, "class", limit)

    def _terms(self, q: str, counts: Counter, kind: str, limit: int) -> list[Completion]:
        typed = _squash(q[:MAX_Q])
        found = [term for term in counts if not typed or any(key.startswith(typed) for key in self._keys(term))]
        found = [term for term in found if isinstance(term, URIRef)]
        found.sort(key=lambda term: (-counts[term], name_of(term)))
        return [Completion(term, name_of(term), self._label(term), kind, kind, counts[term]) for term in found[:limit]]

    def _label(self, term: URIRef) -> str:
        """Its label in the data, else its local name (``rdfs:comment``: "comment")."""
        return self.catalog.labels.get(term) or curie(term).rsplit(":", 1)[-1].rsplit("/", 1)[-1]

    def _keys(self, term: URIRef) -> tuple[str, ...]:
        keys = self.keys.get(term)
        if keys is None:
            keys = self.keys[term] = _keys(term, self._label(term))
        return keys


def _squash(text: str) -> str:
    """Text as names are compared here: folded, without spaces, hyphens or underscores ("member of" ->
    "memberof", which ``memberOf`` also becomes)."""
    return fold(text).replace(" ", "")


def _keys(term: URIRef, label: str) -> tuple[str, ...]:
    """What a typed text may start: the local name, the label, and each word of the label."""
    local = curie(term).split(":", 1)[-1]
    return tuple(dict.fromkeys([_squash(local), _squash(label), *(_squash(w) for w in fold(label).split())]))
