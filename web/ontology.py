"""The ontology's documentation: /ontology and /ontology/<Term>, generated from the ontology itself.

The ontology IRI (``https://kg.johnwick.example/ontology``) and every term IRI
(``.../ontology/Work``) dereference here: HTML for browsers (kg.views.ontodoc puts
the ontology and the shapes in words), RDF by ``Accept`` or suffix
(``/ontology.ttl`` is the ontology's named graph as the store holds it;
``/downloads/ontology.ttl`` is the file as written, comments and all; a term's
``.ttl`` holds its own triples), and ``.json`` the page's data, negotiated as
entity pages are (web.linked).  Read from the model the app reads from its
store (:func:`kg.store.catalog.load_model`, so over a remote store the pages
show what that store holds) and from the SHACL shapes, which are not in the
dataset (kg.model reads them from ontology/shapes.ttl); example entities come
from the store, at the fan's spoiler level.
"""

from __future__ import annotations

from flask import Blueprint, g, render_template, url_for
from rdflib import Literal, URIRef
from werkzeug.exceptions import NotFound

from kg.model import shapes_graph
from kg.namespaces import JWO, ONTOLOGY_IRI, curie
from kg.views import ontodoc
from kg.views.ontodoc import as_json, document, is_ours, local_name, overview, suggest

from .filters import href
from .linked import Resource, register, twins
from .site import site

bp = Blueprint("ontology", __name__)

TWINS = twins(graphs=False)  # Turtle, N-Triples, JSON-LD, RDF/XML and the page's JSON


@bp.app_template_global()
def term_href(term) -> str | None:
    """Where a term's documentation is: our ontology's terms here, entities on their pages, others on the web."""
    if term == ONTOLOGY_IRI:
        return url_for("ontology.overview")
    if is_ours(term) and (term, None, None) in site().model.graph:
        return url_for("ontology.term", name=local_name(term))
    return href(term)


@bp.app_template_global()
def term_name(term) -> str:
    """A term's name on the documentation pages: our labels, entities' names, others' prefixed names."""
    if isinstance(term, Literal):
        return str(term)
    if is_ours(term):
        return site().model.label(term)
    if site().catalog.is_entity(term):
        return site().catalog.label(term)
    return curie(term)


@bp.app_template_global("curie")
def curie_global(term) -> str:
    return curie(term)


def _overview_page(_, links: list) -> str:
    return render_template("ontology.html", doc=overview(site().model), counts=site().catalog.counts,
                           alternates=links)


def _term_page(iri: URIRef, links: list) -> str:
    s = site()
    doc = document(s.model, shapes_graph(), iri)
    examples, total, statements = [], 0, []
    if doc.is_class:
        examples, total = ontodoc.class_examples(s.catalog, iri, g.reading)
    elif doc.is_property:
        statements = ontodoc.property_examples(s.store, s.catalog, iri, g.reading)
    return render_template("term.html", doc=doc, examples=examples, total=total, statements=statements,
                           alternates=links)


def _known(name: str) -> URIRef:
    """The term called ``name``, or a 404 naming the closest terms."""
    term = JWO[name]
    if (term, None, None) not in site().model.graph:
        close = suggest(site().model, name)
        hint = f" Did you mean {', '.join(curie(t) for t in close)}?" if close else ""
        raise NotFound(f"The ontology has no term jwo:{name}.{hint}")
    return term


register(bp, "/ontology", Resource(
    "overview", TWINS, lambda: None, _overview_page, lambda _: as_json(overview(site().model)),
    lambda _: (ontodoc.ontology_triples(site().model), ONTOLOGY_IRI)))
register(bp, "/ontology/<name>", Resource(
    "term", TWINS, _known, _term_page, lambda iri: as_json(document(site().model, shapes_graph(), iri)),
    lambda iri: (ontodoc.term_triples(site().model, iri), iri)))
