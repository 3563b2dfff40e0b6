"""Near words, for the typos search forgives: "macaro" is one edit from "macarro", "contint" from "contine…".

A :class:`Speller` holds the words of every name and alias; :meth:`Speller.near`
gives those within a few edits of a word typed, as a whole word or (from five
letters typed) as the start of one, a fan still typing; not those the word
typed starts, which match as they are.  Distances are rapidfuzz's optimal string
alignment (Levenshtein, with two neighbouring letters swapped counting as one
edit), computed in C over the whole vocabulary at once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

START_FROM = 5  # a word typed of fewer letters is not taken for the start of a longer one


def allowed(word: str) -> int:
    """How many edits a typed word may be from the word meant: none under 3 letters, 1 up to 5, else 2."""
    return 0 if len(word) < 3 else 1 if len(word) <= 5 else 2


@dataclass(frozen=True, slots=True)
class Near:
    cost: int  # edits
    whole: bool  # near the whole word (else near its start)


class Speller:
    def __init__(self, words: tuple[str, ...]):
        self.words = words
        self._starts: dict[int, tuple[list[str], dict[str, list[str]]]] = {}

    def near(self, word: str) -> dict[str, Near]:
        """The words within :func:`allowed` edits of ``word``, whole or by their first ``len(word)`` letters."""
        limit = allowed(word)
        if not limit:
            return {}
        found = {match: Near(int(cost), True) for match, cost, _ in
                 process.extract(word, self.words, scorer=OSA.distance, score_cutoff=limit, limit=None)
                 if not match.startswith(word)}
        if len(word) < START_FROM:
            return found
        starts, holders = self._starts_of(len(word))
        for start, cost, _ in process.extract(word, starts, scorer=OSA.distance, score_cutoff=limit, limit=None):
            for match in holders[start]:
                if cost and (match not in found or found[match].cost > cost):
                    found[match] = Near(int(cost), False)
        return found

    def _starts_of(self, length: int) -> tuple[list[str], dict[str, list[str]]]:
        """The distinct first ``length`` letters of the longer words, and the words starting so
        (made once per length; two threads making it at once make the same thing)."""
        made = self._starts.get(length)
        if made is None:
            holders: dict[str, list[str]] = defaultdict(list)
            for word in self.words:
                if len(word) > length:
                    holders[word[:length]].append(word)
            made = self._starts[length] = (list(holders), dict(holders))
        return made
