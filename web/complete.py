"""``/api/complete``: names from the data for the query editor (docs/sparql.md), and for any other editor.

    /api/complete?kind=entity&q=eve                      entities, by name or alias
    /api/complete?kind=entity&q=&predicate=jwo:memberOf  the values that property has most
    /api/complete?kind=property&subject=jwr:eve-macarro  the properties that entity has
    /api/complete?kind=property&class=jwo:Character&q=me the properties characters have
    /api/complete?kind=class&q=char                      classes, by instances

Answers ``{"results": [...]}`` as ``/api/search`` does, each with ``iri``, ``name`` (the prefixed name to
insert), ``label``, ``kind``, ``type``, ``count`` and ``prefix`` (its declaration).  The completer
(:mod:`kg.views.complete`) is built in the background when the app starts, beside the search index it
uses; nothing of the request reaches SPARQL but names, bound as values.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from rdflib import URIRef

from kg.errors import UsageError
from kg.namespaces import PREFIXES
from kg.views.complete import KINDS, LIMIT, MAX_LIMIT, Completer, read_stats

from . import search
from .warm import ready, warmer

bp = Blueprint("complete", __name__)

EXTENSION = "kg-complete"
MAX_NAME = 300  # characters of a name given as context


@bp.record_once
def _build(state) -> None:
    app = state.app
    kg = app.extensions["kg"]
    warmer(app).add(EXTENSION, lambda: Completer(kg.store, kg.catalog, ready(search.EXTENSION, app),
                                                 read_stats(kg.store)))


def _term(parameter: str) -> URIRef | None:
    """A name given as context: a prefixed name of ours (``jwr:eve-macarro``) or a whole IRI."""
    text = request.args.get(parameter, "").strip()[:MAX_NAME]
    if not text:
        return None
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if text.startswith(("http://", "https://")):
        return URIRef(text)
    prefix, colon, local = text.partition(":")
    if not colon or prefix not in PREFIXES:
        raise UsageError(f"{parameter}: {text!r} is neither an IRI nor a name with one of our prefixes "
                         f"({', '.join(PREFIXES)})")
    return PREFIXES[prefix][local]


def _limit() -> int:
    text = request.args.get("limit", "")
    if not (text.isascii() and text.isdigit()):
        return LIMIT
    return max(1, min(int(text[:3]), MAX_LIMIT))


@bp.get("/api/complete")
def complete():
    kind = request.args.get("kind", "entity")
    if kind not in KINDS:
        raise UsageError(f"kind: {kind!r} is not one of {', '.join(KINDS)}")
    q = request.args.get("q", "")
    if ":" in q:  # "jwr:eve": the text after the prefix is what is completed
        q = q.split(":", 1)[1]
    completer: Completer = ready(EXTENSION)
    limit = _limit()
    if kind == "entity":
        found = completer.entities(q, _term("class"), _term("predicate"), limit)
    elif kind == "property":
        found = completer.properties(q, _term("subject"), _term("class"), limit)
    else:
        found = completer.classes(q, limit)
    return jsonify(results=[completion.as_json() for completion in found])
