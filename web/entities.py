"""Entity pages: /id/<slug>, one template family for every class, and their machine-readable twins.

``/id/<slug>`` negotiates directly (web.linked): a browser gets the page, an
RDF ``Accept`` gets the entity's description (kg.views.linked) at the same URL;
``/id/<slug>.ttl`` (``.nt``, ``.jsonld``, ``.rdf``, ``.nq``, ``.trig``, ``.json``)
name one format each.  All honour the spoiler level, as the page does.
"""

from __future__ import annotations

import difflib

from flask import Blueprint, current_app, g, make_response, render_template, url_for
from rdflib import URIRef
from werkzeug.exceptions import NotFound

from kg.namespaces import JWR, slug_of
from kg.rdf.formats import serialize
from kg.views.describe import about_query, describe, performances, schema_org
from kg.views.infobox import infobox, shown_in_infobox
from kg.views.linked import description_json, entity_quads

from .linked import Twin, alternates, negotiate, page, respond, suffix_rule, twin, twins
from .site import site

bp = Blueprint("entities", __name__)

COLLAPSE_AFTER = 8  # statements shown in a group before "show all"
TWINS = twins()  # every RDF format (with source graphs for N-Quads and TriG) and the page's JSON


def known(slug: str) -> URIRef:
    """The IRI of the entity ``slug``, or a 404 suggesting the closest slugs."""
    iri = JWR[slug]
    if not site().catalog.is_entity(iri):
        error = NotFound(f"Nothing in the universe is called '{slug}'.")
        slugs = [slug_of(e) for e in site().catalog.classes if slug_of(e)]
        error.suggestions = [JWR[c] for c in difflib.get_close_matches(slug, slugs, n=5, cutoff=0.6)]
        raise error
    return iri


@bp.get("/id/<path:slug>")
def entity(slug: str):
    s = site()
    iri = known(slug)
    links = alternates("entities.entity", {"slug": slug}, TWINS)
    chosen = negotiate(TWINS)
    if chosen is not None:
        return _twin(slug, iri, chosen, links, negotiated=True)
    desc = describe(s.store, s.catalog, s.model, iri, g.seen)
    perfs = performances(s.store, s.catalog, iri, g.seen)
    rows = infobox(desc, s.catalog, s.model, perfs)
    in_infobox = shown_in_infobox(desc.cls, s.model) if rows else set()
    groups = [group for group in desc.groups if (group.predicate, group.incoming) not in in_infobox]
    return page(make_response(render_template(
        "entity.html", desc=desc, rows=rows, groups=groups, collapse_after=COLLAPSE_AFTER,
        jsonld=schema_org(desc, s.catalog), slug=slug, about_query=about_query(iri), alternates=links)), links)


@bp.get(suffix_rule("/id/<path:slug>", TWINS))
def entity_twin(slug: str, ext: str):
    iri = known(slug)
    return _twin(slug, iri, twin(ext, TWINS), alternates("entities.entity", {"slug": slug}, TWINS), negotiated=False)


def _twin(slug: str, iri: URIRef, chosen: Twin, links: list, negotiated: bool):
    s = site()
    if chosen.rdf is None:
        data = description_json(describe(s.store, s.catalog, s.model, iri, g.seen), s.catalog)
        body: bytes | str = current_app.json.dumps(data)
    else:
        body = serialize(entity_quads(s.store, s.catalog, iri, g.seen), chosen.rdf, first=iri)
    return respond(body, chosen, links, url_for("entities.entity", slug=slug), negotiated)
