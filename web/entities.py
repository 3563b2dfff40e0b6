"""Entity pages: /id/<slug>, one template family for every class, and their machine-readable twins.

``/id/<slug>`` negotiates (web.linked): a browser gets the page, an RDF
``Accept`` gets the entity's description (kg.views.linked) at the same URL;
``/id/<slug>.ttl`` (``.nt``, ``.jsonld``, ``.rdf``, ``.nq``, ``.trig``, ``.json``)
name one format each.  All honour the spoiler level, as the page does.
"""

from __future__ import annotations

import difflib

from flask import Blueprint, g, render_template, request
from rdflib import URIRef
from werkzeug.exceptions import NotFound

from kg.namespaces import JWO, JWR, slug_of
from kg.views.citations import References, bibtex, cite_as
from kg.views.describe import about_query, describe, performances, schema_org
from kg.views.infobox import infobox, shown_in_infobox
from kg.views.linked import description_json, entity_quads
from kg.views.plot import plot
from kg.views.sources import provenance, supported
from kg.views.timeline import timeline

from .changes import entity_last_changed
from .linked import Resource, register, twins
from .site import data_reading, dataset_version, site

bp = Blueprint("entities", __name__)

COLLAPSE_AFTER = 8  # statements shown in a group before "show all"
#: What a page shows in a section of its own rather than among the groups: the premise and the plot.
ON_THEIR_OWN = {JWO.premise, JWO.hasPlotPart}


def known(slug: str) -> URIRef:
    """The IRI of the entity ``slug``, or a 404 suggesting the closest slugs."""
    iri = JWR[slug]
    if not site().catalog.is_entity(iri):
        error = NotFound(f"Nothing in the universe is called '{slug}'.")
        slugs = [slug_of(e) for e in site().catalog.classes if slug_of(e)]
        error.suggestions = [JWR[c] for c in difflib.get_close_matches(slug, slugs, n=5, cutoff=0.6)]
        raise error
    return iri


def _page(iri: URIRef, links: list) -> str:
    s = site()
    desc = describe(s.store, s.catalog, s.model, iri, g.reading, _order() or "release")
    rows = infobox(desc, s.catalog, s.model, performances(s.store, s.catalog, iri, g.reading))
    in_infobox = shown_in_infobox(desc.cls, s.model) if rows else set()
    groups = [group for group in desc.groups if (group.predicate, group.incoming) not in in_infobox
              and group.predicate not in ON_THEIR_OWN]
    source = provenance(s.catalog, iri)
    slug = slug_of(iri) or str(iri)[len(JWR):]
    label = desc.label if not desc.name_hidden else f"A hidden {s.catalog.label(desc.cls)}"
    version = dataset_version()
    chapters = timeline(desc, s.catalog, story=_order() != "release") if s.model.is_a(desc.cls, JWO.Character) else []
    acts = plot(s.store, s.catalog, iri, g.reading) if s.model.is_a(desc.cls, JWO.Work) else []
    return render_template("entity.html", desc=desc, rows=rows, groups=groups, collapse_after=COLLAPSE_AFTER,
                           jsonld=schema_org(desc, s.catalog), slug=slug, about_query=about_query(iri),
                           alternates=links, refs=References(s.catalog, iri), source=source, chapters=chapters,
                           order=_order(), acts=[a for a in acts if a.statement.visible],
                           hidden_acts=[a.statement for a in acts if not a.statement.visible],
                           last_changed=entity_last_changed(iri), cite_text=cite_as(label, str(iri), version),
                           bibtex=bibtex(label, str(iri), slug, version),
                           supported=supported(s.store, s.catalog, s.model, iri, g.reading) if source else None)


def _order() -> str | None:
    """?order=story lists works, scenes and events in story order, ?order=release in release order; None: the
    page's own choice (lists in release order, a character's timeline in story order)."""
    return request.args.get("order") if request.args.get("order") in ("story", "release") else None


def _data(iri: URIRef) -> dict:
    s = site()
    return description_json(describe(s.store, s.catalog, s.model, iri, g.reading), s.catalog)


def _statements(iri: URIRef):
    s = site()
    return entity_quads(s.store, s.catalog, iri, data_reading()), iri


#: Every RDF format (with source graphs for N-Quads and TriG) and the page's JSON.
register(bp, "/id/<path:slug>", Resource("entity", twins(), known, _page, _data, _statements))
