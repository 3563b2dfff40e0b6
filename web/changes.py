"""Release changes: ``/changes`` lists each release and what it changed, by entity, linked to the entity pages.

The history is the one ``kg dump --changes-from`` ships with the downloads
(:mod:`kg.publish.history`), read again only when its file changes.  Spoiler
control holds as everywhere: a changed fact revealed in a work the fan has not
seen is left out, and an entity whose every change is hidden is left out whole
(:mod:`kg.views.changes`).  ``/changes.json`` answers the same as data.
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Blueprint, g, jsonify, render_template
from rdflib import URIRef

from kg.publish.history import HISTORY, read_history
from kg.views.changes import ReleaseChanges, last_changed, releases

from .site import settings, site

bp = Blueprint("changes", __name__)

_lock = threading.Lock()
_kept: dict[str, tuple[tuple, list[dict]]] = {}


def history() -> list[dict]:
    """The dumps' release history, newest first (empty without one); re-read when its file changes."""
    path = settings().dumps_dir / HISTORY
    try:
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        return []
    with _lock:
        kept = _kept.get(str(path))
        if kept is None or kept[0] != key:
            kept = _kept[str(path)] = (key, read_history(Path(path).parent))
    return kept[1]


def _shaped() -> list[ReleaseChanges]:
    return releases(history(), site().catalog, g.reading)


def entity_last_changed(entity: URIRef) -> ReleaseChanges | None:
    """The newest release that changed a fact of the entity that the fan sees, for its page."""
    return last_changed(history(), entity, site().catalog, g.reading)


@bp.get("/changes")
def index():
    return render_template("changes.html", releases=_shaped())


@bp.get("/changes.json")
def as_json():
    def fact(f) -> dict:
        return {"op": f.op, "predicate": str(f.predicate), "value": f.value.n3(), "graph": str(f.graph) if f.graph else None,
                "source": str(f.source) if f.source else None,
                "qualifiers": [{"op": op, "predicate": str(p), "value": v.n3()} for op, p, v in f.qualifiers]}

    return jsonify({"releases": [
        {"version": r.version, "released": r.released, "since": r.since, "since_released": r.since_released,
         "added": r.added, "removed": r.removed, "patch": r.patch, "hidden_entities": r.hidden,
         "entities": [{"entity": str(e.entity), "facts": [fact(f) for f in e.facts]} for e in r.entities]}
        for r in _shaped()]})
