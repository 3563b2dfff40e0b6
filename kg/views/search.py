"""Finding entities by name: an in-memory index over labels, aliases and descriptions.

The index is read from the store once (one SELECT, and the catalog) and answers a query with
no further SPARQL, so a query's text never reaches the store at all.  Text is
compared *folded* (:mod:`kg.views.folding`), so "sacre coeur" finds
"Sacré-Cœur" and "brandstrom" finds "Brändström".

Ranking, best first:

0. the label is the query;            1. an alias is the query;
2. the label starts with it;          3. a later word of the label does;
4. an alias starts with it;           5. a later word of an alias does;
6. the label or an alias contains it;
7. a word of a description starts with it;  8. a description contains it;
9. every word of the query starts a word of the label or of an alias.

Within a rank, the universe's own entities come before performances and
sources (whose long labels name everything they are about), then by label.

Spoilers: each text remembers the graphs that state it; it matches only if
one of them is visible at the fan's level (:meth:`Catalog.visible`).  An
entity whose every label is hidden (scenes and events are named by their
story) is not found at all, whatever else matches.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass
from operator import itemgetter

from rdflib import URIRef
from rdflib.namespace import RDFS, SKOS

from kg.namespaces import JWO, SCHEMA
from kg.store import Store
from kg.store.catalog import EVERYTHING, Catalog, Reading

from .folding import fold, fold_with_positions

#: Longer queries are cut to this many characters before matching.
MAX_QUERY = 200
#: Characters of a description shown on either side of a match.
CONTEXT = 60

LABEL, ALIAS, DESCRIPTION = "label", "alias", "description"
FIELDS = {RDFS.label: LABEL, SKOS.altLabel: ALIAS, SCHEMA.description: DESCRIPTION}
ALWAYS = 0  # visible_from of a text stated in a real-world graph
SECONDARY = {JWO.Performance, JWO.Source}

TEXTS = """
SELECT ?e ?p ?text ?g WHERE {
  GRAPH ?g { ?e ?p ?text } VALUES ?p { rdfs:label skos:altLabel schema:description }
  FILTER(STRSTARTS(STR(?e), STR(jwr:)))
}"""

@dataclass(frozen=True)
class Text:
    """A label, alias or description of an entity, folded, with the level from which it is visible."""

    field: str
    text: str
    folded: str
    visible_from: int  # ALWAYS, or the release that reveals its earliest graph
    canon_from: int | None  # the same, of its graphs that are not readings; None: only readings state it

    def visible(self, reading: Reading) -> bool:
        return _shown(self.canon_from if reading.canon_only else self.visible_from, reading)

    def span(self, start: int, length: int) -> tuple[int, int]:
        """The original text's span of the folded span [start, start+length).

        Worked out again when asked (only for the hits shown), not kept for every text.
        """
        positions = fold_with_positions(self.text)[1]
        return positions[start], positions[start + length - 1] + 1


@dataclass(frozen=True)
class Entry:
    iri: URIRef
    label: str
    sort_key: str
    cls: URIRef
    types: tuple[URIRef, ...]
    texts: tuple[Text, ...]

    named_from: int  # the level from which its name is shown (the earliest of its labels)
    canon_named_from: int | None  # the same, by sources that are not readings (None: only readings name it)
    secondary: bool  # a performance or a source: after the universe's own entities of the same rank

    def named(self, reading: Reading) -> bool:
        return _shown(self.canon_named_from if reading.canon_only else self.named_from, reading)


def _shown(start: int | None, reading: Reading) -> bool:
    """Is something shown from level ``start`` (None: never) shown to this fan?"""
    return start is not None and (reading.seen is None or start <= reading.seen)


@dataclass(frozen=True)
class Hit:
    """An entity found, with why: the text that matched and the matched part of it."""

    iri: URIRef
    label: str
    cls: URIRef
    types: tuple[URIRef, ...]
    rank: int
    field: str
    text: str
    before: str  # the matched text cut around the match: before + match + after
    match: str
    after: str


@dataclass(frozen=True)
class Results:
    """The best ``hits`` of a search, and how many entities matched in all."""

    hits: list[Hit]
    total: int


@dataclass(frozen=True)
class SearchIndex:
    entries: tuple[Entry, ...]

    def __len__(self) -> int:
        return len(self.entries)

    def search(self, query: str, reading: Reading = EVERYTHING, limit: int | None = None) -> Results:
        """The entities matching ``query`` as this fan reads, best first (the first ``limit``)."""
        q = fold(query[:MAX_QUERY])
        if not q:
            return Results([], 0)
        words = q.split(" ")
        found = []
        for entry in self.entries:
            if not entry.named(reading):
                continue
            best = None
            for text in entry.texts:
                if text.visible(reading):
                    match = _match(text, q, words)
                    if match is not None and (best is None or match[0] < best[0]):
                        best = match
                        if best[0] == 0:
                            break
            if best is not None:
                found.append((best[0], entry.secondary, entry.sort_key, str(entry.iri), entry, best))
        key = itemgetter(0, 1, 2, 3)
        best_first = sorted(found, key=key) if limit is None else heapq.nsmallest(limit, found, key=key)
        return Results([_hit(entry, *best) for *_, entry, best in best_first], len(found))


def _match(text: Text, q: str, words: list[str]) -> tuple[int, Text, int, int] | None:
    """(rank, text, start, length) of the best way ``q`` matches ``text``, or None."""
    folded, field = text.folded, text.field
    if folded.startswith(q):
        at, word_start = 0, True
    else:
        at = folded.find(" " + q)
        word_start = at >= 0
        at = at + 1 if word_start else folded.find(q)
    if at < 0:
        if len(words) > 1 and field != DESCRIPTION:
            padded = " " + folded
            if all(" " + word in padded for word in words):
                return 9, text, 0, 0
        return None
    if field == DESCRIPTION:
        rank = 7 if word_start else 8
    elif len(folded) == len(q):
        rank = 0 if field == LABEL else 1
    elif word_start:
        rank = (2 if field == LABEL else 4) + (at > 0)
    else:
        rank = 6
    return rank, text, at, len(q)


def _hit(entry: Entry, rank: int, text: Text, start: int, length: int) -> Hit:
    if length == 0:
        return Hit(entry.iri, entry.label, entry.cls, entry.types, rank, text.field, text.text, text.text, "", "")
    begin, end = text.span(start, length)
    original = text.text
    if text.field != DESCRIPTION:
        before, after = original[:begin], original[end:]
    else:
        before, after = _cut_before(original[:begin]), _cut_after(original[end:])
    return Hit(entry.iri, entry.label, entry.cls, entry.types, rank, text.field, original,
               before, original[begin:end], after)


def _cut_before(text: str) -> str:
    if len(text) <= CONTEXT:
        return text
    cut = text[-CONTEXT:]
    space = cut.find(" ")
    return "…" + (cut[space + 1:] if 0 <= space < CONTEXT // 2 else cut)


def _cut_after(text: str) -> str:
    if len(text) <= CONTEXT:
        return text
    cut = text[:CONTEXT]
    space = cut.rfind(" ")
    return (cut[:space] if space > CONTEXT // 2 else cut) + "…"


def build_index(store: Store, catalog: Catalog) -> SearchIndex:
    """Read every entity's labels, aliases, descriptions and types, with the graphs that state them."""
    graphs: dict[tuple, set[URIRef]] = defaultdict(set)
    for row in store.select(TEXTS):
        entity = row["e"]
        if catalog.is_entity(entity):
            graphs[(entity, FIELDS[row["p"]], str(row["text"]))].add(row["g"])
    texts: dict[URIRef, list[Text]] = defaultdict(list)
    for (entity, field, text), sources in sorted(graphs.items(), key=_plain):
        folded = fold(text)
        if folded:
            texts[entity].append(Text(field, text, folded, _visible_from(catalog, sources),
                                      _visible_from(catalog, sources, canon=True)))
    entries = []
    for entity, cls in catalog.classes.items():
        label = catalog.label(entity)
        types = catalog.types.get(entity, frozenset())
        others = sorted(t for t in types if t != cls)
        mine = tuple(texts.get(entity, ()))
        named_from = min((t.visible_from for t in mine if t.field == LABEL), default=ALWAYS)
        canon_named = [t.canon_from for t in mine if t.field == LABEL and t.canon_from is not None]
        canon_named_from = min(canon_named) if canon_named else (None if any(t.field == LABEL for t in mine) else ALWAYS)
        secondary = bool(SECONDARY & types)
        entries.append(Entry(entity, label, fold(label), cls, (cls, *others), mine, named_from, canon_named_from,
                             secondary))
    entries.sort(key=lambda e: (e.sort_key, str(e.iri)))
    return SearchIndex(tuple(entries))


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

