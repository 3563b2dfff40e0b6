"""Browse lists (/browse/<section>) and the appearance matrix (/matrix): thin views over kg.views.lists and .matrix.

Every state of a list is its URL (``?work=&org=&sort=&order=``, plus ``seen``);
each page has a JSON twin with the same rows (``/browse/<section>.json``,
``/matrix.json``).
"""

from __future__ import annotations

from flask import Blueprint, g, jsonify, render_template, request
from werkzeug.exceptions import NotFound

from kg.namespaces import slug_of
from kg.store import Remembering
from kg.views import lists
from kg.views import matrix as appearances
from kg.views.sections import SECTIONS, SPECS
from kg.views.works import work_options

from .filters import exporting
from .site import site
from .variants import key_of, merged, readings

bp = Blueprint("lists", __name__)


def _listing(section: str):
    s = site()
    if section not in SPECS:
        raise NotFound(f"There is no list of '{section[:60]}'. The lists are: {', '.join(SECTIONS)}.")
    params = lists.read_query(s.catalog, s.model, section, request.args)
    return params, lists.browse(s.store, s.catalog, params, g.reading)


def state(params: lists.Query, **changes) -> dict:
    """The URL arguments of a list's state (defaults left out), with some changed."""
    args = {"work": params.work.slug if params.work else None, "org": slug_of(params.org) if params.org else None,
            "sort": params.sort if params.sort != "name" else None, "order": "desc" if params.descending else None}
    args.update(changes)
    return {k: v for k, v in args.items() if v is not None}


@bp.get("/browse/<section>")
def browse(section: str):
    params, listing = _listing(section)
    s = site()

    def sort_args(key: str) -> dict:
        """Sort by this column; the current one flips, a count starts with the most."""
        first_desc = any(m.key == key and not m.earliest for m in params.spec.measures)
        descending = not params.descending if key == params.sort else first_desc
        return state(params, sort=key if key != "name" else None, order="desc" if descending else None)

    orgs = lists.organizations(s.catalog, s.model) if params.spec.in_org is not None else {}
    at_each = {}
    if exporting() and (every := readings()):  # the export's page: every reading's counts and rows (web/variants.py)
        store = Remembering(s.store)  # the readings ask the same questions
        listed = {key_of(reading): listing if reading == g.reading else lists.browse(store, s.catalog, params, reading)
                  for reading in every}
        at_each = {"summaries": merged({k: [found] for k, found in listed.items()}, _counts),
                   "rows": merged({k: found.entries for k, found in listed.items()}, _row)}
    return render_template("list.html", listing=listing, params=params, spec=params.spec, sections=SECTIONS,
                           works=work_options(s.catalog), orgs=orgs, args=state(params), sort_args=sort_args,
                           unfiltered=state(params, work=None, org=None), **at_each)


def _counts(listing: lists.Listing) -> tuple:
    """What a list's summary says: how many are listed, and hidden."""
    return listing.total, listing.hidden, len(listing.entries)


def _row(entry: lists.Entry) -> tuple:
    """What a row shows: the entity, its description, marks and values (a spoiler level can change them)."""
    return entry.iri, entry.description, entry.marks, tuple(entry.values.items())


@bp.get("/browse/<section>.json")
def browse_json(section: str):
    params, listing = _listing(section)
    catalog = site().catalog
    return jsonify(section=section, sort=params.sort, order="desc" if params.descending else "asc",
                   work=params.work.slug if params.work else None, org=slug_of(params.org) if params.org else None,
                   total=listing.total, hidden=listing.hidden,
                   entries=[{"id": str(e.iri), "label": e.label, "kind": catalog.label(e.cls),
                             "description": e.description, "marks": e.marks.words,
                             **{key: _plain(value) for key, value in e.values.items()}} for e in listing.entries])


def _plain(value):
    return value if value is None or isinstance(value, int) else str(value)


def _matrix() -> appearances.Matrix:
    s = site()
    return appearances.matrix(s.store, s.catalog, request.args.get("order", "release"), g.reading)


@bp.get("/matrix")
def matrix():
    table, rows = _matrix(), None
    if exporting() and (every := readings()):  # the export's page: every reading's rows (web/variants.py)
        s, store = site(), Remembering(site().store)
        rows = merged({key_of(reading): (table if reading == g.reading else appearances.matrix(
            store, s.catalog, table.order, reading)).rows for reading in every}, _appearances)
    return render_template("matrix.html", matrix=table, rows=rows)


def _appearances(row: appearances.Appearances) -> tuple:
    """What a row of the matrix shows (a spoiler level can change it)."""
    return row.character, tuple(sorted(row.cells.items())), row.works, row.marks


@bp.get("/matrix.json")
def matrix_json():
    table = _matrix()
    return jsonify(order=table.order, total=table.total,
                   works=[{"id": str(c.work.iri), "label": c.work.label, "episodes": [str(e.iri) for e in c.episodes]}
                          for c in table.columns],
                   characters=[{"id": str(r.character), "label": r.label, "works": r.works, "marks": r.marks.words,
                                "appearances": {str(w): list(names) for w, names in sorted(r.cells.items())}}
                               for r in table.rows])
