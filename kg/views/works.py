"""Works in order: release order, story order, a series with its episodes.

Lists, the appearance matrix and the pages that show works read them through
these helpers, so a work sorts the same everywhere: by its place in release
(or story) order, then by date, then by name; an episode counts as its series.
"""

from __future__ import annotations

from rdflib import Literal, URIRef

from kg.store.catalog import Catalog, Work


def work_options(catalog: Catalog) -> list[Work]:
    """Every work, films and series in release order, each series followed by its episodes."""
    top = sorted((w for w in catalog.works.values() if w.series is None), key=lambda w: release_key(w))
    return [x for w in top for x in (w, *episodes(catalog, w))]


def order_key(catalog: Catalog, value) -> tuple:
    """A sort key for a column value: numbers and dates as such, works in release order, else names."""
    if isinstance(value, URIRef):
        work = catalog.works.get(value)
        return ("~work", *release_key(work)) if work else ("~term", catalog.label(value).casefold())
    if isinstance(value, Literal):
        value = value.toPython()
    return (type(value).__name__, value)


def release_key(work: Work) -> tuple:
    return (work.release if work.release is not None else 10**6, work.date or "9999", work.label)


def story_key(work: Work) -> tuple:
    return (work.story if work.story is not None else 10**6, *release_key(work))


def episodes(catalog: Catalog, series: Work) -> list[Work]:
    return sorted((w for w in catalog.works.values() if w.series == series.iri), key=lambda w: (w.date or "9999", w.label))


def series_of(catalog: Catalog, term):
    """An episode counts as its series; anything else as itself."""
    work = catalog.works.get(term)
    return work.series if work is not None and work.series is not None else term


def value_key(catalog: Catalog, term, story: bool = False) -> tuple:
    """Where a value sorts in a list of them: works in release (or story) order, then scenes and events by
    their work and number, then everything else by name."""
    work_key = story_key if story else release_key
    work = catalog.works.get(term)
    if work is not None:
        return (0, *work_key(work))
    place = catalog.places.get(term)
    if place is not None:
        number = place[1] if place[1] is not None else 10**6
        return (1, *work_key(catalog.works[place[0]]), number, catalog.label(term).casefold())
    return (2, catalog.label(term).casefold(), str(term))
