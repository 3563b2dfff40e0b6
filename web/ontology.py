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

from flask import Blueprint, current_app, g, make_response, render_template, url_for
from rdflib import Literal, URIRef
from werkzeug.exceptions import NotFound

from kg.model import shapes_graph
from kg.namespaces import JWO, ONTOLOGY_IRI, curie
from kg.rdf.formats import serialize
from kg.views import ontodoc
from kg.views.ontodoc import as_json, document, is_ours, local_name, overview, suggest

from .filters import href
from .linked import Twin, alternates, negotiate, page, respond, suffix_rule, twin, twins
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


@bp.get("/ontology", endpoint="overview")
def overview_page():
    links = alternates("ontology.overview", {}, TWINS)
    chosen = negotiate(TWINS)
    if chosen is not None:
        return _overview_twin(chosen, links, negotiated=True)
    catalog = site().catalog
    return page(make_response(render_template("ontology.html", doc=overview(site().model), counts=catalog.counts,
                                              alternates=links)), links)


@bp.get(suffix_rule("/ontology", TWINS), endpoint="overview_twin")
def overview_suffixed(ext: str):
    return _overview_twin(twin(ext, TWINS), alternates("ontology.overview", {}, TWINS), negotiated=False)


def _overview_twin(chosen: Twin, links: list, negotiated: bool):
    if chosen.rdf is None:
        body: bytes | str = current_app.json.dumps(as_json(overview(site().model)))
    else:
        body = serialize(ontodoc.ontology_triples(site().model), chosen.rdf, first=ONTOLOGY_IRI)
    return respond(body, chosen, links, url_for("ontology.overview"), negotiated)


def _known(name: str) -> URIRef:
    """The term called ``name``, or a 404 naming the closest terms."""
    term = JWO[name]
    if (term, None, None) not in site().model.graph:
        close = suggest(site().model, name)
        hint = f" Did you mean {', '.join(curie(t) for t in close)}?" if close else ""
        raise NotFound(f"The ontology has no term jwo:{name}.{hint}")
    return term


@bp.get("/ontology/<name>")
def term(name: str):
    iri = _known(name)
    links = alternates("ontology.term", {"name": name}, TWINS)
    chosen = negotiate(TWINS)
    if chosen is not None:
        return _term_twin(iri, name, chosen, links, negotiated=True)
    s = site()
    doc = document(s.model, shapes_graph(), iri)
    examples, total, statements = [], 0, []
    if doc.is_class:
        examples, total = ontodoc.class_examples(s.catalog, iri, g.seen)
    elif doc.is_property:
        statements = ontodoc.property_examples(s.store, s.catalog, iri, g.seen)
    return page(make_response(render_template("term.html", doc=doc, examples=examples, total=total,
                                              statements=statements, alternates=links)), links)


@bp.get(suffix_rule("/ontology/<name>", TWINS))
def term_twin(name: str, ext: str):
    iri = _known(name)
    return _term_twin(iri, name, twin(ext, TWINS), alternates("ontology.term", {"name": name}, TWINS), negotiated=False)


def _term_twin(iri: URIRef, name: str, chosen: Twin, links: list, negotiated: bool):
    if chosen.rdf is None:
        body: bytes | str = current_app.json.dumps(as_json(document(site().model, shapes_graph(), iri)))
    else:
        body = serialize(ontodoc.term_triples(site().model, iri), chosen.rdf)
    return respond(body, chosen, links, url_for("ontology.term", name=name), negotiated)


