"""The spoiler level each work is seen from: its place among the releases a fan chooses from, even when release
numbers skip (the synthetic universes' episodes have numbers of their own; the ladder lists films and series)."""

from __future__ import annotations

from rdflib import URIRef

from kg.namespaces import JWO, JWR
from kg.store.catalog import Catalog, GraphInfo, Reading, Work, _levels


def work(slug: str, release: int | None, series: str | None = None) -> Work:
    return Work(iri=JWR[slug], slug=slug, label=slug, cls=JWO.Episode if series else JWO.Film, release=release,
                story=None, date=None, series=JWR[series] if series else None)


def test_places_count_the_releases_a_fan_chooses_from_not_release_numbers():
    works = [work("one", 1), work("e1", 2, "show"), work("e2", 3, "show"), work("two", 4), work("three", 9),
             work("game", None), work("late", 12, "show")]
    levels = {w.slug: w.level for w in _levels({w.iri: w for w in works}).values()}
    assert levels == {"one": 1, "two": 2, "three": 3, "game": None,
                      "e1": 2, "e2": 2,  # between "one" and "two": seen by whoever has seen "two"
                      "late": 4}  # after every release on the ladder: seen only by who has seen everything


def test_an_episode_of_a_series_on_the_ladder_is_seen_with_its_series():
    works = [work("one", 1), work("series", 2), work("ep", 7, "series"), work("two", 3)]
    levels = {w.slug: w.level for w in _levels({w.iri: w for w in works}).values()}
    assert levels == {"one": 1, "series": 2, "ep": 2, "two": 3}


def test_a_fact_revealed_in_the_third_release_shows_to_a_fan_who_has_seen_three_releases():
    catalog = Catalog()
    catalog.works = _levels({w.iri: w for w in (work("one", 1), work("two", 5), work("three", 40))})
    graph = URIRef("https://example.org/g")
    catalog.graphs[graph] = GraphInfo(graph, JWR.src, "canon", JWR.three, catalog.works[JWR.three].level)
    assert [w.slug for w in catalog.releases] == ["one", "two", "three"]
    assert not catalog.visible(graph, Reading(2)) and catalog.visible(graph, Reading(3))
