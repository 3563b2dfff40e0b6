"""Entity pages: /id/<slug>, one template family for every class."""

from __future__ import annotations

import difflib

from flask import Blueprint, g, render_template
from werkzeug.exceptions import NotFound

from kg.describe import about_query, describe, performances, schema_org
from kg.infobox import infobox, shown_in_infobox
from kg.namespaces import JWR, slug_of

from .site import site

bp = Blueprint("entities", __name__)

COLLAPSE_AFTER = 8  # statements shown in a group before "show all"


@bp.get("/id/<path:slug>")
def entity(slug: str):
    s = site()
    iri = JWR[slug]
    if not s.catalog.is_entity(iri):
        error = NotFound(f"Nothing in the universe is called '{slug}'.")
        known = [slug_of(e) for e in s.catalog.classes if slug_of(e)]
        error.suggestions = [JWR[c] for c in difflib.get_close_matches(slug, known, n=5, cutoff=0.6)]
        raise error
    desc = describe(s.store, s.catalog, s.model, iri, g.seen)
    perfs = performances(s.store, s.catalog, iri, g.seen)
    rows = infobox(desc, s.catalog, s.model, perfs)
    in_infobox = shown_in_infobox(desc.cls, s.model) if rows else set()
    groups = [group for group in desc.groups if (group.predicate, group.incoming) not in in_infobox]
    return render_template("entity.html", desc=desc, rows=rows, groups=groups, collapse_after=COLLAPSE_AFTER,
                           jsonld=schema_org(desc, s.catalog), slug=slug, about_query=about_query(iri))
