"""``/suggest``: "suggest a correction", from a fact of an entity page to a checked patch of the YAML.

``GET /suggest?about=SLUG[&property=PROPERTY&value=VALUE]`` is the form, about one fact (the link beside each
fact of a page) or about the page ("something is missing").  ``POST /suggest`` turns what the reader
says into a patch (:mod:`kg.build.suggest`: the exact file and line, a new value with its source),
checks the edited data in a temporary folder and shows the diff with what the checks say, a
download of it, and the text of an issue to file.  Nothing is written to the data folder, ever.
Each client may ask for a few checks a minute (the same fair use as ``/sparql``): a check builds
the whole universe.
"""

from __future__ import annotations

import threading
import time

from flask import Blueprint, Response, abort, current_app, render_template, request

from kg.errors import KGError
from kg.namespaces import JWR, PREFIXES
from kg.publish.suggest import (
    KINDS,
    MAX_TEXT,
    Suggestion,
    fact_named,
    keys_of,
    make_patch,
    read_data,
)
from kg.sparql.fairuse import FairUse, Limits

from .site import settings

bp = Blueprint("suggest", __name__)

EXTENSION = "kg-suggest"
FIELDS = ("kind", "about", "key", "old", "new", "source", "note", "revealed_in")
CHECKS = Limits(concurrent=1, budget=12.0, window=60.0)  # about five checks a minute per client


class Suggestions:
    """The data as the build reads it (for the form's choices), read once, and the fair use of checks."""

    def __init__(self) -> None:
        self._universe = None
        self._lock = threading.Lock()
        self.fair = FairUse(CHECKS)

    def universe(self):
        with self._lock:
            if self._universe is None:
                self._universe = read_data(settings().data_dir)
            return self._universe


def state() -> Suggestions:
    return current_app.extensions.setdefault(EXTENSION, Suggestions())


@bp.get("/suggest")
def form():
    about = request.args.get("about", "")[:200]
    try:
        universe = state().universe()
    except (KGError, OSError):
        universe = None  # no data folder here (a site over a remote store): the issue text still helps
    entity = universe.entities.get(about) if universe else None
    if universe is not None and entity is None:
        abort(404, f"no entity {about!r} to suggest a correction for")
    key, old = _fact(universe, about, request.args.get("property", "")[:200], request.args.get("value", "")[:MAX_TEXT])
    keys = keys_of(universe, about) if universe else []
    return render_template("suggest.html", about=about, key=key, old=old, keys=keys, kinds=KINDS,
                           iri=JWR[about], entity=entity, result=None, values={})


def _fact(universe, about: str, predicate: str, value: str) -> tuple[str | None, str | None]:
    """The YAML key and value of the fact a page's link names by its property (a prefixed name) and value."""
    prefix, _, local = predicate.partition(":")
    if universe is None or prefix not in PREFIXES:
        return None, None
    return fact_named(universe, about, PREFIXES[prefix][local], value)


@bp.post("/suggest")
def check():
    values = {name: request.values.get(name) or None for name in FIELDS}
    # bounded and checked before any work or fair use is spent on it (make_patch checks it again, as any caller)
    suggestion = Suggestion(**{**values, "kind": values["kind"] or "", "about": values["about"] or ""}).checked()
    client = request.remote_addr or "-"
    fair = state().fair
    fair.admit(client)
    started = time.monotonic()
    try:
        patch = make_patch(settings().data_dir, suggestion)
    finally:
        fair.done(client, time.monotonic() - started)
    if request.values.get("download"):
        return Response(patch.diff, content_type="text/x-diff; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="suggestion-{suggestion.about}.patch"'})
    universe = state().universe()
    entity = universe.entities.get(suggestion.about)
    return render_template("suggest.html", about=suggestion.about, key=suggestion.key, old=suggestion.old,
                           keys=keys_of(universe, suggestion.about), kinds=KINDS, iri=JWR[suggestion.about],
                           entity=entity, result=patch, values=values)
