"""Search: ``/search?q=`` (a page) and ``/api/search?q=`` (JSON for the as-you-type box).

Both ask the search index (:mod:`kg.views.search`, which ranks and forgives typos), built
once from the store in the background when the app starts (:mod:`web.warm`, under the name
"kg-search"); a query never reaches SPARQL.  Whatever the fan types, the answer is a normal
one: the index folds the text and cuts it to :data:`kg.views.search.MAX_QUERY`.  Each result
carries the entity's marks (``marks``: "interpretation", "unconfirmed", "disputed"; none when
plain) and, for a scene or an event, its work (``context``); the box's suggestions and the page
show them, so that a reading is never shown as plain canon.
"""

from __future__ import annotations

from flask import Blueprint, g, jsonify, render_template, request

from kg.views.search import MAX_QUERY, NEARLY, SearchIndex, build_index

from .filters import href, kind
from .site import site
from .warm import ready, warmer

bp = Blueprint("search", __name__)

EXTENSION = "kg-search"
PAGE_LIMIT = 100  # results listed on the page
API_LIMIT, API_MAX = 10, 50


@bp.record_once
def _build(state) -> None:
    """The index of the store the app serves, built in the background (web.warm)."""
    kg = state.app.extensions["kg"]
    warmer(state.app).add(EXTENSION, lambda: build_index(kg.store, kg.catalog))


def index() -> SearchIndex:
    return ready(EXTENSION)


def _query() -> str:
    """The text searched for: what the fan typed, cut to a sane length (the page echoes this much)."""
    return request.args.get("q", "")[:MAX_QUERY]


def _limit() -> int:
    """The ``limit`` asked for, within 1..API_MAX; anything unreadable is the default."""
    text = request.args.get("limit", "")
    if not (text.isascii() and text.isdigit()):
        return API_LIMIT
    return max(1, min(int(text) if len(text) <= 3 else API_MAX, API_MAX))


@bp.get("/search")
def search():
    query = _query()
    results = index().search(query, g.reading, PAGE_LIMIT)
    return render_template("search.html", query=query, hits=results.hits, total=results.total, more=results.more,
                           near=bool(results.hits) and results.hits[0].rank in NEARLY,
                           shown=site().catalog.releases[:g.seen] if g.seen is not None else None)


@bp.get("/api/search")
def api():
    hits = index().search(_query(), g.reading, _limit(), count=False).hits
    return jsonify(results=[{
        "iri": str(hit.iri), "label": hit.label, "types": [str(t) for t in hit.types], "url": href(hit.iri),
        "kind": kind(hit.iri), "field": hit.field, "text": hit.before + hit.match + hit.after,
        "marks": list(hit.marks), "context": hit.context,
    } for hit in hits])
