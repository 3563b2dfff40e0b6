"""Remembering: a store that asks each SELECT once (the export's pages, worked out at every reading)."""

from __future__ import annotations

from kg.namespaces import JWO
from kg.store import EmbeddedStore, Remembering

NAMES = "SELECT ?e ?name WHERE { ?e a ?cls ; rdfs:label ?name }"


class Counting(EmbeddedStore):
    asked = 0

    def select(self, query, bindings=None):
        Counting.asked += 1
        return super().select(query, bindings)


def test_each_select_is_asked_once_and_answered_alike(universe_nquads):
    store = Counting.from_nquads(universe_nquads)
    remembering = Remembering(store)
    first = remembering.select(NAMES, {"cls": JWO.Character})
    again = remembering.select(NAMES, {"cls": JWO.Character})
    other = remembering.select(NAMES, {"cls": JWO.Film})
    assert first == again == store.select(NAMES, {"cls": JWO.Character}) and first
    assert other != first
    assert Counting.asked == 3  # two questions asked of the store by Remembering, and one by the test
    assert remembering.ask("ASK { ?e a jwo:Character }")
