"""What search knows, read once from the store: every entity's texts, how important it is, and word lists.

:func:`read_tables` asks the store two SELECTs (every label, alias and
description with the graphs stating it; how many links each entity has) and
takes the rest from the catalog.  The tables it returns let a query touch only
what it matches (:mod:`kg.views.search` ranks):

* ``entries``, best first by **importance**: the kind's band (characters,
  works and organizations; then people, places, motifs and every other kind;
  then scenes and events; performances, sources and the acts of a plot last), then how connected
  the entity is (the facts linking it to other things, in either direction);
* ``names``, every name and alias, in the order a name match ranks: the band,
  then the fewer words (a leading "the" aside: "John Wick" before "John Wick:
  Chapter 4"), then the links; ``exact`` finds them by their whole text;
* ``name_words`` and ``name_postings``: each word of a name, with the names
  holding it (ascending rank); ``short``, the same merged for every prefix of
  one or two letters, so that "j" reads one list, not hundreds;
* ``words`` and ``postings``: each word of any text (descriptions too), with
  the entries holding it.

Spoilers are not decided here: each text keeps the release from which it is
visible (and from which a source that is not a reading states it), and the
query checks them against the fan's :class:`~kg.store.catalog.Reading`.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import RDFS, SKOS

from kg.namespaces import JWO, SCHEMA
from kg.store import Store
from kg.store.catalog import Catalog, Reading

from .folding import bare, fold
from .marks import entity_marks

LABEL, ALIAS, DESCRIPTION = "label", "alias", "description"
FIELDS = {RDFS.label: LABEL, SKOS.altLabel: ALIAS, SCHEMA.description: DESCRIPTION}
ALWAYS = 0  # visible_from of a text stated in a real-world graph
#: The kinds' bands, best first; an entity of none of them is in the band of people and places (1).
BANDS = ((3, (JWO.Performance, JWO.Source, JWO.PlotPart)), (2, (JWO.Scene, JWO.Event)),
         (0, (JWO.Character, JWO.Work, JWO.Organization)))
OTHER_BAND = 1
SHORT = 2  # prefixes up to this length have their merged list of names

TEXTS = """
SELECT ?e ?p ?text ?g WHERE {
  GRAPH ?g { ?e ?p ?text } VALUES ?p { rdfs:label skos:altLabel schema:description }
  FILTER(STRSTARTS(STR(?e), STR(jwr:)))
}"""
#: How connected each thing is: the facts (triples of the union of the graphs) linking it to another thing,
#: either way; its types aside.  Counted by the store, so that only one row per entity comes back.
LINKS = """
SELECT ?e (COUNT(*) AS ?n) WHERE {
  { ?e ?p ?o } UNION { ?o ?p ?e }
  FILTER(isIRI(?e) && isIRI(?o) && ?p != rdf:type)
} GROUP BY ?e"""


@dataclass(frozen=True, slots=True)
class Text:
    """A label, alias or description of an entity, folded, with the level from which it is visible."""

    field: str
    text: str
    folded: str
    words: tuple[str, ...]
    visible_from: int  # ALWAYS, or the release that reveals its earliest graph
    canon_from: int | None  # the same, of its graphs that are not readings; None: only readings state it

    def visible(self, reading: Reading) -> bool:
        return shown(self.canon_from if reading.canon_only else self.visible_from, reading)

    @property
    def name(self) -> bool:
        return self.field != DESCRIPTION


@dataclass(frozen=True, slots=True)
class Entry:
    iri: URIRef
    label: str
    sort_key: str
    cls: URIRef
    types: tuple[URIRef, ...]
    texts: tuple[Text, ...]
    named_from: int  # the level from which its name is shown (the earliest of its labels)
    canon_named_from: int | None  # the same, by sources that are not readings (None: only readings name it)
    band: int  # 0 characters, works, organizations; 1 the other kinds; 2 scenes, events; 3 performances, sources, acts
    links: int  # facts linking it to other things
    doubted: bool  # a source marks the entity itself unconfirmed or disputed (kg.views.marks)

    def named(self, reading: Reading) -> bool:
        return shown(self.canon_named_from if reading.canon_only else self.named_from, reading)


@dataclass(frozen=True, slots=True)
class Name:
    """A name or alias of ``entries[entry]``, with its number of words (a leading "the" aside)."""

    entry: int
    text: Text
    size: int


@dataclass(frozen=True)
class Tables:
    catalog: Catalog
    entries: tuple[Entry, ...]
    names: tuple[Name, ...]
    exact: dict[str, tuple[int, ...]]
    name_words: tuple[str, ...]
    name_postings: tuple[array, ...]
    short: dict[str, array]
    words: tuple[str, ...]
    postings: tuple[array, ...]

    def name_ranks(self, prefix: str) -> list[array]:
        """The rank lists of the names holding a word that starts with ``prefix`` (each ascending)."""
        if prefix in self.short:
            return [self.short[prefix]]
        lo, hi = word_range(self.name_words, prefix)
        return list(self.name_postings[lo:hi])

    def entries_with(self, prefix: str) -> set[int]:
        """The entries holding a word (of any text) that starts with ``prefix``."""
        lo, hi = word_range(self.words, prefix)
        found: set[int] = set()
        for posting in self.postings[lo:hi]:
            found.update(posting)
        return found

    def admits(self, entry: Entry, reading: Reading) -> bool:
        """Is the entity named for this fan, and, for canon only, doubted by no source they see (as lists do)?"""
        return entry.named(reading) and not (reading.canon_only and entry.doubted and
                                             entity_marks(self.catalog, entry.iri, reading).flags)

    def holding(self, prefix: str) -> int:
        """How many (word, entry) pairs :meth:`entries_with` would read: what it costs."""
        lo, hi = word_range(self.words, prefix)
        return sum(len(posting) for posting in self.postings[lo:hi])


def shown(start: int | None, reading: Reading) -> bool:
    """Is something shown from level ``start`` (None: never) shown to this fan?"""
    return start is not None and (reading.seen is None or start <= reading.seen)


def word_range(words: tuple[str, ...], prefix: str) -> tuple[int, int]:
    """The slice of the sorted ``words`` that start with ``prefix``."""
    lo = bisect_left(words, prefix)
    return lo, bisect_left(words, prefix + "\U0010ffff", lo)


def band(types: frozenset[URIRef]) -> int:
    return next((number for number, kinds in BANDS if any(kind in types for kind in kinds)), OTHER_BAND)


def read_tables(store: Store, catalog: Catalog) -> Tables:
    """Read every entity's labels, aliases, descriptions, types and links, and make the tables."""
    texts = _texts(store, catalog)
    links: dict[URIRef, int] = {}
    for row in store.select(LINKS):
        if catalog.is_entity(row["e"]):
            links[row["e"]] = int(row["n"])
    entries = []
    bands: dict[URIRef, int] = {}  # by most specific class (rdflib's hashing is slow: once per class)
    for entity, cls in catalog.classes.items():
        label = catalog.label(entity)
        types = catalog.types.get(entity, frozenset())
        others = sorted(t for t in types if t != cls)
        mine = tuple(texts.get(entity, ()))
        labels = [t for t in mine if t.field == LABEL]
        named_from = min((t.visible_from for t in labels), default=ALWAYS)
        canon_named = [t.canon_from for t in labels if t.canon_from is not None]
        canon_named_from = min(canon_named) if canon_named else (None if labels else ALWAYS)
        entries.append(Entry(entity, label, fold(label), cls, (cls, *others), mine, named_from, canon_named_from,
                             bands[cls] if cls in bands else bands.setdefault(cls, band(types)),
                             links.get(entity, 0), entity in catalog.doubts))
    entries.sort(key=lambda e: (e.band, -e.links, e.sort_key, str(e.iri)))
    return _tables(catalog, tuple(entries))


def _tables(catalog: Catalog, entries: tuple[Entry, ...]) -> Tables:
    names = []
    for number, entry in enumerate(entries):
        for text in entry.texts:
            if text.name:
                names.append(Name(number, text, len(bare(text.folded).split(" "))))
    names.sort(key=lambda n: (entries[n.entry].band, n.size, n.entry, n.text.field != LABEL, n.text.folded))
    exact: dict[str, list[int]] = defaultdict(list)
    name_words: dict[str, list[int]] = defaultdict(list)
    for rank, name in enumerate(names):
        for key in {name.text.folded, bare(name.text.folded)}:
            exact[key].append(rank)
        for word in set(name.text.words):
            name_words[word].append(rank)
    holders: dict[str, set[int]] = defaultdict(set)
    for number, entry in enumerate(entries):
        for text in entry.texts:
            for word in text.words:
                holders[word].add(number)
    ordered = tuple(sorted(name_words))
    postings = tuple(array("l", name_words[word]) for word in ordered)
    by_prefix: dict[str, list[array]] = defaultdict(list)
    for word, posting in zip(ordered, postings):
        for length in range(1, min(SHORT, len(word)) + 1):
            by_prefix[word[:length]].append(posting)
    short = {prefix: array("l", _merged(lists)) for prefix, lists in by_prefix.items() if len(lists) > 1}
    every = tuple(sorted(holders))
    return Tables(catalog, entries, tuple(names), {key: tuple(ranks) for key, ranks in exact.items()},
                  ordered, postings, short, every, tuple(array("l", sorted(holders[word])) for word in every))


def _merged(lists: list[array]) -> list[int]:
    """Ascending lists merged into one, each number once."""
    return sorted(set().union(*lists))


def _texts(store: Store, catalog: Catalog) -> dict[URIRef, list[Text]]:
    graphs: dict[tuple, set[URIRef]] = defaultdict(set)
    for row in store.select(TEXTS):
        entity = row["e"]
        if catalog.is_entity(entity):
            graphs[(entity, FIELDS[row["p"]], str(row["text"]))].add(row["g"])
    texts: dict[URIRef, list[Text]] = defaultdict(list)
    for (entity, field, text), sources in sorted(graphs.items(), key=_plain):
        folded = fold(text)
        if folded:
            texts[entity].append(Text(field, text, folded, tuple(folded.split(" ")), _visible_from(catalog, sources),
                                      _visible_from(catalog, sources, canon=True)))
    return texts


def _plain(item: tuple) -> tuple[str, str, str]:
    """A text's sort key as plain strings (str's own comparison is far faster than rdflib's)."""
    (entity, field, text), _ = item
    return str.__str__(entity), field, text


def _visible_from(catalog: Catalog, sources: set[URIRef], canon: bool = False) -> int | None:
    """The lowest spoiler level at which one of these graphs is shown (``canon``: of those that are not
    readings; None if there is none)."""
    levels = []
    for graph in sources:
        info = catalog.graphs.get(graph)
        if canon and info is not None and info.kind == "interpretation":
            continue
        levels.append(ALWAYS if info is None or info.rank is None else info.rank)
    return min(levels, default=None if canon and sources else ALWAYS)
