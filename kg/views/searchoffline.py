"""Search's tables as compact JSON, for the browser: the static export searches without a server.

The export (``kg export-site``) writes this next to its pages, and
``web/static/offline-search.js`` runs the same tiers on it as
:mod:`kg.views.searchmatch` does (exact, prefix, across, near, inside), over the
same names in the same rank order, with the same spoiler rule per text: so a
fan gets the same first results from the export as from the server.  Each
text carries its folded form (folding is Python's, never re-done differently
in the browser) and the levels from which it is visible, to every fan and to
one reading canon only.
"""

from __future__ import annotations

from collections.abc import Callable

from rdflib import URIRef

from kg.store.catalog import Reading

from .marks import entity_marks
from .search import SearchIndex
from .searchindex import LABEL

FORMAT = 1
EVERYTHING, CANON_ONLY = Reading(None, False), Reading(None, True)


def offline_index(index: SearchIndex, url_of: Callable[[URIRef], str | None], kind_of: Callable[[URIRef], str]) -> dict:
    """The tables as lists (entries best first, names in rank order); ``url_of`` gives each entity's page."""
    tables = index.tables
    catalog = tables.catalog
    entries = []
    for entry in tables.entries:
        place = catalog.places.get(entry.iri)
        canon_marks = entity_marks(catalog, entry.iri, CANON_ONLY)
        entries.append({
            "url": url_of(entry.iri), "label": entry.label, "kind": kind_of(entry.iri),
            "context": catalog.label(place[0]) if place else None,
            "named": [entry.named_from, entry.canon_named_from],
            "canonHidden": bool(entry.doubted and canon_marks.flags),
            "marks": [list(entity_marks(catalog, entry.iri, EVERYTHING).words), list(canon_marks.words)],
            "texts": [[text.field, text.text, text.folded, text.visible_from, text.canon_from]
                      for text in entry.texts],
        })
    names = [[name.entry, tables.entries[name.entry].texts.index(name.text), name.size, int(name.text.field != LABEL)]
             for name in tables.names]
    return {"format": FORMAT, "entries": entries, "names": names}
