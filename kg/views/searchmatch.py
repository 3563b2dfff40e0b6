"""One query against the search tables (:mod:`kg.views.searchindex`): which entities match, and how well.

A :class:`Query` fills ``found`` (entry number -> :class:`Found`) tier by
tier, best first, each tier in its own order, so that when only the first
``wanted`` are asked for it stops as soon as it has them (the suggestions);
otherwise it finds every match (the results page counts them).  The tiers are
listed in :mod:`kg.views.search`.  Every text must be visible to the fan's
reading and every entity named for it, typos included.
"""

from __future__ import annotations

import heapq
from array import array
from dataclasses import dataclass

from kg.store.catalog import Reading

from .folding import bare
from .searchindex import LABEL, Entry, Tables, Text, word_range
from .searchtypos import Near, Speller

EXACT, PREFIX, ACROSS, NEAR_EXACT, NEAR, INSIDE_NAME, INSIDE_DESCRIPTION = range(7)
FEW = 64  # candidates of a typo scored one by one without narrowing them by another word typed first
NARROWING = 50  # ... unless that word's names outnumber them by more (a set is made at C speed)
EMPTY = array("l")


@dataclass(frozen=True, slots=True)
class Found:
    key: tuple  # (tier, ...): smaller is better
    text: Text  # the text shown as why it matched


def exact_ranks(tables: Tables, q: str) -> list[int]:
    """The names (ranks) whose whole text is ``q``, a leading "the" aside on either side; labels first."""
    ranks = set(tables.exact.get(q, ())) | set(tables.exact.get(bare(q), ()))
    return sorted(ranks, key=lambda rank: (tables.names[rank].text.field != LABEL, rank))


class Query:
    def __init__(self, tables: Tables, speller: Speller, q: str, reading: Reading, wanted: int | None):
        self.tables, self.speller, self.q, self.reading, self.wanted = tables, speller, q, reading, wanted
        self.words = tuple(dict.fromkeys(q.split(" ")))
        self.found: dict[int, Found] = {}
        self.near: dict[str, dict[str, Near]] = {}  # typed word -> the words it was taken for

    def run(self) -> dict[int, Found]:
        for tier in (self._exact, self._prefix, self._across, self._near, self._inside):
            tier()
            if self._full():
                break
        return self.found

    def _full(self) -> bool:
        return self.wanted is not None and len(self.found) >= self.wanted

    def _shown(self, entry: Entry, text: Text) -> bool:
        return text.visible(self.reading) and self.tables.admits(entry, self.reading)

    def _exact(self) -> None:
        names, entries = self.tables.names, self.tables.entries
        for rank in exact_ranks(self.tables, self.q):
            name = names[rank]
            if name.entry not in self.found and self._shown(entries[name.entry], name.text):
                self.found[name.entry] = Found((EXACT, name.text.field != LABEL, rank), name.text)

    def _prefix(self) -> None:
        """Names in which every word typed starts a word, in rank order (so it may stop early)."""
        names, entries, found = self.tables.names, self.tables.entries, self.found
        lists = {word: self.tables.name_ranks(word) for word in self.words}
        rarest = min(self.words, key=lambda word: sum(len(ranks) for ranks in lists[word]))
        others = [word for word in self.words if word != rarest]
        ranks = lists[rarest]
        for rank in ranks[0] if len(ranks) == 1 else heapq.merge(*ranks):
            name = names[rank]
            if name.entry in found or not name.text.visible(self.reading):
                continue
            if others and not all(any(w.startswith(word) for w in name.text.words) for word in others):
                continue
            if self.tables.admits(entries[name.entry], self.reading):
                found[name.entry] = Found((PREFIX, rank), name.text)
                if self._full():
                    return

    def _near(self) -> None:
        """Names within a few edits of what was typed: a whole name first, then by edits, then by rank."""
        self.near = {word: near for word in self.words if (near := self.speller.near(word))}
        if not self.near:
            return
        if len(self.words) == 1:
            self._near_word(*self.words)
            return
        options = {word: self._options(word) for word in self.words}
        sizes = {word: sum(len(posting) for posting in options[word]) for word in self.words}
        order = sorted(self.words, key=sizes.__getitem__)
        candidates = set().union(*options[order[0]])
        if FEW < len(candidates) and sizes[order[1]] < NARROWING * len(candidates):
            candidates &= set().union(*options[order[1]])  # cheaper than scoring each candidate
        names, entries, size = self.tables.names, self.tables.entries, len(bare(self.q).split(" "))
        scored = []
        for rank in candidates:
            name = names[rank]
            if name.entry in self.found or not self._shown(entries[name.entry], name.text):
                continue
            cost = self._cost(name.text)
            if cost is not None:
                edits, whole = cost
                if whole and name.size == size:  # as exact names: names before aliases
                    scored.append(((NEAR_EXACT, edits, name.text.field != LABEL, rank), rank))
                else:
                    scored.append(((NEAR, edits, False, rank), rank))
        for key, rank in sorted(scored):
            if self._take(rank, key):
                return

    def _near_word(self, word: str) -> None:
        """One word typed: the names that are a word near it, then those holding one, by edits and rank (so
        that it may stop early)."""
        near, exact, names = self.near[word], self.tables.exact, self.tables.names
        whole = sorted((near[other].cost, names[rank].text.field != LABEL, rank)
                       for other in near if near[other].whole for rank in exact.get(other, ()))
        for cost, alias, rank in whole:
            if self._take(rank, (NEAR_EXACT, cost, alias, rank)):
                return
        for cost in sorted({n.cost for n in near.values()}):
            postings = [self._posting(other) for other in near if near[other].cost == cost]
            for rank in heapq.merge(*postings):
                if self._take(rank, (NEAR, cost, False, rank)):
                    return

    def _take(self, rank: int, key: tuple) -> bool:
        """Add the name of this rank (if not found yet and shown); is that enough?"""
        name = self.tables.names[rank]
        if name.entry not in self.found and self._shown(self.tables.entries[name.entry], name.text):
            self.found[name.entry] = Found(key, name.text)
            return self._full()
        return False

    def _posting(self, word: str) -> array:
        """The ranks of the names holding this whole word."""
        lo, hi = word_range(self.tables.name_words, word)
        return self.tables.name_postings[lo] if hi > lo and self.tables.name_words[lo] == word else EMPTY

    def _options(self, word: str) -> list[array]:
        """The rank lists of the names holding a word that starts with ``word`` or is near it."""
        return [*self.tables.name_ranks(word), *(self._posting(near) for near in self.near.get(word, ()))]

    def _cost(self, text: Text) -> tuple[int, bool] | None:
        """(edits, every word whole) of the best way each word typed matches a word of ``text``; None: no way."""
        edits, whole = 0, True
        for word in self.words:
            near = self.near.get(word, {})
            best = None
            for candidate in text.words:
                if candidate.startswith(word):
                    option = (0, candidate == word)
                elif candidate in near:
                    option = (near[candidate].cost, near[candidate].whole)
                else:
                    continue
                if best is None or (option[0], not option[1]) < (best[0], not best[1]):
                    best = option
            if best is None:
                return None
            edits, whole = edits + best[0], whole and best[1]
        return edits, whole

    def _across(self) -> None:
        """Every word typed starts a word of some text of the entity: names, aliases, descriptions."""
        entries, found, reading = self.tables.entries, self.found, self.reading
        candidates = self._narrowed(self.words)
        for number in sorted(candidates):
            entry = entries[number]
            if number in found or not self.tables.admits(entry, reading):
                continue
            texts = [text for text in entry.texts if text.visible(reading)]
            if all(any(w.startswith(word) for text in texts for w in text.words) for word in self.words):
                first = next(t for t in texts if any(w.startswith(self.words[0]) for w in t.words))
                found[number] = Found((ACROSS, number), first)
                if self._full():
                    return

    def _narrowed(self, words) -> set[int]:
        """The entries holding a word that starts with each of ``words``: those of the rarest, narrowed by the
        next rarest when that is cheaper than checking each (the caller checks them all)."""
        order = sorted(set(words), key=self.tables.holding)
        candidates = self.tables.entries_with(order[0])
        if len(order) > 1 and FEW < len(candidates) and self.tables.holding(order[1]) < NARROWING * len(candidates):
            candidates &= self.tables.entries_with(order[1])
        return candidates

    def _inside(self) -> None:
        """The query inside a name or alias, else inside a description (within a word, or across words)."""
        entries, found, reading = self.tables.entries, self.found, self.reading
        # the first word typed ends a word of the text (or is inside one), and each of the others starts one
        first, *after = self.q.split(" ")
        holders: set[int] = set()
        for word, posting in zip(self.tables.words, self.tables.postings):
            if word.endswith(first) if after else first in word:
                holders.update(posting)
        if after and FEW < len(holders):
            rarest = min(after, key=self.tables.holding)
            if self.tables.holding(rarest) < NARROWING * len(holders):
                holders &= self.tables.entries_with(rarest)
        scored: dict[int, Found] = {}
        for number in holders:
            if number in found or not self.tables.admits(entries[number], reading):
                continue
            for text in entries[number].texts:
                if self.q in text.folded and text.visible(reading):
                    key = (INSIDE_NAME if text.name else INSIDE_DESCRIPTION, number)
                    if number not in scored or key < scored[number].key:
                        scored[number] = Found(key, text)
        for number, match in sorted(scored.items(), key=lambda item: item[1].key):
            found[number] = match
            if self._full():
                return
