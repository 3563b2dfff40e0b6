"""Finding entities by name: an in-memory index over names, aliases and descriptions, best match first.

The index is read from the store once (:func:`build_index`: two SELECTs, and
the catalog) and answers a query with no further SPARQL, so a query's text
never reaches the store at all.  Text is compared *folded*
(:mod:`kg.views.folding`), so "sacre coeur" finds "Sacré-Cœur" and
"brandstrom" finds "Brändström".

Ranking, best first (``Hit.rank`` is the tier):

0. **exact**: a name or an alias is the query ("rooney"; a leading "the" aside:
   "continental" is "The Continental"), names before aliases;
1. **prefix**: every word typed starts a word of one name or alias ("eve",
   "john w", "two marker");
2. every word typed starts a word of the entity's names, aliases or
   descriptions, across them (a description's word, mostly);
3. **near, whole**: a name or alias is the query but for a few typos ("winstn",
   "contintal"), names before aliases; 4. **near**: words of one name are what
   was typed but for a few typos ("macaro" for "Eve Macarro"); fewest edits
   first in both (:mod:`kg.views.searchtypos`);
5. the query inside a name or alias ("marker" in "Trademarkers"); 6. inside a
   description.

Within a tier, by **importance** (:mod:`kg.views.searchindex`): the kind's
band (characters, works and organizations; then people, places, motifs and the
other kinds; then scenes and events; performances, sources and a plot's acts last), then, for
a name, the fewer words in it ("John Wick" before "John Wick: Chapter 4"), then
how connected the entity is (the facts linking it to other things).

Spoilers and canon only: each text remembers the graphs that state it; it
matches only if one of them is visible to the fan's reading (and not a reading
itself, for canon only).  An entity whose every label is hidden (scenes and
events are named by their story) is not found at all, whatever else matches;
nor, for canon only, one that a source doubts exists (as lists leave it out).
A hit carries the entity's marks (:func:`kg.views.marks.entity_marks`:
"interpretation" when only readings name it, "unconfirmed" or "disputed" when
a source says so of it) and, for a scene or an event, the work it is in, so
that two of the same name are told apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from kg.namespaces import slug_of, slugify
from kg.store import Store
from kg.store.catalog import EVERYTHING, Catalog, Reading

from .folding import fold, fold_with_positions
from .marks import entity_marks
from .searchindex import DESCRIPTION, Entry, Tables, Text, read_tables
from .searchmatch import NEAR, NEAR_EXACT, Found, Query, exact_ranks
from .searchtypos import Speller

__all__ = ["MAX_QUERY", "NEARLY", "Hit", "Results", "SearchIndex", "build_index", "fold", "fold_with_positions"]

#: Longer queries are cut to this many characters before matching.
MAX_QUERY = 200
#: Characters of a description shown on either side of a match.
CONTEXT = 60
#: Matches counted at most, when only the first few are listed (the page says "more than").
COUNT_MAX = 1000
#: The tiers of names found only by forgiving typos.
NEARLY = frozenset({NEAR_EXACT, NEAR})


@dataclass(frozen=True)
class Hit:
    """An entity found, with why: the text that matched and the matched part of it."""

    iri: URIRef
    label: str
    cls: URIRef
    types: tuple[URIRef, ...]
    rank: int  # the tier (module docstring)
    field: str
    text: str
    before: str  # the matched text cut around the match: before + match + after
    match: str
    after: str
    marks: tuple[str, ...] = ()  # Marks.words of the entity, as this fan reads: [] when plain
    context: str | None = None  # a scene's or an event's work


@dataclass(frozen=True)
class Results:
    """The best ``hits`` of a search, and how many entities matched in all (None: not counted; with
    ``more``, at least that many: counting stops past :data:`COUNT_MAX`)."""

    hits: list[Hit]
    total: int | None
    more: bool = False


class SearchIndex:
    def __init__(self, tables: Tables):
        self.tables = tables
        self.speller = Speller(tables.name_words)

    @property
    def entries(self) -> tuple[Entry, ...]:
        return self.tables.entries

    def __len__(self) -> int:
        return len(self.tables.entries)

    def search(self, query: str, reading: Reading = EVERYTHING, limit: int | None = None,
               count: bool = True) -> Results:
        """The entities matching ``query`` as this fan reads, best first (the first ``limit``).

        With a ``limit``, matches are counted up to :data:`COUNT_MAX` (then ``more``); ``count=False``
        stops once the best ``limit`` are known and leaves the total uncounted: what the as-you-type
        suggestions want.  Without a limit, every match is found and counted.
        """
        q = fold(query[:MAX_QUERY])
        if not q:
            return Results([], 0)
        wanted = None if limit is None else max(limit, COUNT_MAX + 1) if count else limit
        search = Query(self.tables, self.speller, q, reading, wanted)
        found = search.run()
        best = sorted(found.items(), key=lambda item: item[1].key)[:limit]
        near = {word for words in search.near.values() for word in words}
        hits = [self._hit(self.tables.entries[number], match, q, search.words, near, reading)
                for number, match in best]
        if not count and limit is not None:
            return Results(hits, None)
        more = limit is not None and len(found) > COUNT_MAX
        return Results(hits, min(len(found), COUNT_MAX) if more else len(found), more)

    def named(self, text: str, reading: Reading = EVERYTHING) -> list[URIRef]:
        """The entities this fan sees whose name or alias is ``text`` (folded; a leading "the" aside):
        by name before by alias, then by importance.  What a form reads a typed name as."""
        found: list[URIRef] = []
        for rank in exact_ranks(self.tables, fold(text[:MAX_QUERY])):
            name = self.tables.names[rank]
            entry = self.tables.entries[name.entry]
            if name.text.visible(reading) and self.tables.admits(entry, reading) and entry.iri not in found:
                found.append(entry.iri)
        return found

    def resolve(self, text: str, reading: Reading = EVERYTHING) -> list[URIRef]:
        """:meth:`named`, the entity whose slug the text would make first ("john wick": the character)."""
        return sorted(self.named(text, reading), key=lambda e: slug_of(e) != slugify(text))

    def _hit(self, entry: Entry, found: Found, q: str, words: tuple[str, ...], near: set[str],
             reading: Reading) -> Hit:
        text = found.text
        start, length = _where(text, q, words, near)
        original = text.text
        before, match, after = original, "", ""
        if length:
            begin, end = _original_span(text, start, length)
            before, match, after = original[:begin], original[begin:end], original[end:]
            if text.field == DESCRIPTION:
                before, after = _cut_before(before), _cut_after(after)
        catalog = self.tables.catalog
        place = catalog.places.get(entry.iri)
        return Hit(entry.iri, entry.label, entry.cls, entry.types, found.key[0], text.field, original,
                   before, match, after, tuple(entity_marks(catalog, entry.iri, reading).words),
                   catalog.label(place[0]) if place else None)


def build_index(store: Store, catalog: Catalog) -> SearchIndex:
    """Read every entity's labels, aliases, descriptions, types and links, with the graphs stating them."""
    return SearchIndex(read_tables(store, catalog))


def _where(text: Text, q: str, words: tuple[str, ...], near: set[str]) -> tuple[int, int]:
    """(start, length) in the folded text of what to show as matched: the query at the start of a word,
    else inside one, else the first word that a word typed starts (or that a typo was taken for)."""
    folded = text.folded
    at = 0 if folded.startswith(q) else folded.find(" " + q) + 1 or folded.find(q)
    if at >= 0:
        return at, len(q)
    offset = 0
    for word in text.words:
        typed = next((w for w in words if word.startswith(w)), None)
        if typed is not None or word in near:
            return offset, len(typed) if typed is not None else len(word)
        offset += len(word) + 1
    return 0, 0


def _original_span(text: Text, start: int, length: int) -> tuple[int, int]:
    """The original text's span of the folded span [start, start+length), worked out again when asked
    (only for the hits shown), not kept for every text."""
    positions = fold_with_positions(text.text)[1]
    return positions[start], positions[start + length - 1] + 1


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
