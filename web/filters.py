"""Template helpers: names, links and literals, safe by construction.

A link made from data points to one of our entity pages or to an http(s)
address, never elsewhere: an IRI with any other scheme (``javascript:``,
``data:``) is shown as text.  Text is escaped by Jinja's autoescaping; the
only markup made here is data attributes, their values escaped by Markup.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from flask import Flask, current_app, url_for
from markupsafe import Markup
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS, XSD

from kg.namespaces import BASE, JWO, JWR, SCHEMA, curie, is_slug
from kg.views.citations import TIER_NAMES
from kg.views.facts import TEXT_NAMES
from kg.views.marks import flag

from .site import site

ENTITY_PREFIX = str(JWR)


def label(term) -> str:
    return site().catalog.label(term)


def entity_path(term) -> str | None:
    """The slug path of one of our entities (performances have slashes), else None."""
    text = str(term)
    if isinstance(term, URIRef) and text.startswith(ENTITY_PREFIX) and site().catalog.is_entity(term):
        return text[len(ENTITY_PREFIX):]
    return None


def href(term) -> str | None:
    """Where a link to this term goes: its page here, an http(s) address elsewhere, or nowhere.

    Ontology terms go to their documentation; our other IRIs that are not
    entities (statements, graphs) have no page: they are shown by name, not linked.
    (Worked out again for each link: keeping them per request saved nothing measurable,
    4.85 against 4.42 ms a page, noise; bench notes in docs/benchmarks.md.)
    """
    path = entity_path(term)
    if path is not None:
        return url_for("entities.entity", slug=path)
    text = str(term)
    if text.startswith(str(JWO)) and has_endpoint("ontology.term") and (term, None, None) in site().model.graph:
        return url_for("ontology.term", name=text[len(JWO):])
    if isinstance(term, URIRef) and urlsplit(text).scheme in ("http", "https") and not text.startswith(BASE):
        return text
    return None


def property_label(term) -> str:
    """A property's name: our ontology's label, or what the page calls a name, an alias, a description, a note."""
    return TEXT_NAMES.get(term) or label(term)


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def is_date(term) -> bool:
    return isinstance(term, Literal) and term.datatype == XSD.date


def as_date(term) -> str:
    """2025-06-06 -> "6 June 2025"."""
    day = date.fromisoformat(str(term))
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def kind(term) -> str:
    cls = site().catalog.classes.get(term)
    return site().catalog.label(cls) if cls is not None else ""


def literal_text(term) -> str:
    return str(term) if isinstance(term, Literal) else label(term)


def has_endpoint(name: str) -> bool:
    return name in current_app.view_functions


#: The site's navigation: endpoint, its arguments, its text (shown once the surface exists).
NAVIGATION = (
    ("lists.browse", {"section": "characters"}, "Characters"),
    ("lists.browse", {"section": "works"}, "Works"),
    ("lists.browse", {"section": "organizations"}, "Organizations"),
    ("lists.browse", {"section": "places"}, "Places"),
    ("lists.browse", {"section": "motifs"}, "Motifs"),
    ("lists.matrix", {}, "Who appears where"),
    ("connections.connections", {}, "Connections"),
    ("sparql.endpoint", {}, "SPARQL"),
    ("downloads.index", {}, "Downloads"),
)


def navigation() -> dict:
    links = [(url_for(endpoint, **args), text) for endpoint, args, text in NAVIGATION if has_endpoint(endpoint)]
    return {"navigation": links}


def is_term(value) -> bool:
    """An RDF term (linked or shown as a value), as opposed to plain text around it."""
    return isinstance(value, (URIRef, Literal))


#: The app's setting that pages are rendered for the static export (web/export.py): every fact then says from
#: which spoiler level it shows, so that the browser hides what the fan has not seen (web/static/offline-pages.js).
EXPORT = "KG_EXPORT"


def exporting() -> bool:
    """Is this page rendered for the static export (web/export.py)?"""
    return bool(current_app.config.get(EXPORT))


def _levels(statements) -> tuple[int, int | None]:
    """The lowest spoiler level at which one of these statements shows, to every fan and to one reading canon
    only (None: never), as :meth:`kg.store.catalog.Catalog.visible` and the canon rule decide."""
    graphs = site().catalog.graphs
    every, canon = [], []
    for statement in statements:
        for source in statement.sources:
            info = graphs.get(source.graph)
            level = 0 if info is None or info.rank is None else info.rank
            every.append(level)
            if source.kind != "interpretation" and source.confirmation is None:
                canon.append(level)
    return min(every, default=0), min(canon, default=None)


def _data(attributes: dict) -> Markup:
    return Markup("").join(Markup(' {}="{}"').format(k, v) for k, v in attributes.items() if v is not None)


def fact_attrs(statement) -> Markup:
    """In the export, what the browser needs to hide a fact: its key and the levels from which it shows."""
    if not exporting() or statement is None:
        return Markup("")
    every, canon = _levels([statement])
    key = f"{'^' if statement.incoming else ''}{statement.predicate.n3()} {statement.value.n3()}"
    return _data({"data-fact": key, "data-from": every, "data-canon-from": canon})


def name_attrs(desc, hidden_title: str) -> Markup:
    """In the export, the levels from which the entity's name shows, and what the page says before that."""
    if not exporting():
        return Markup("")
    names = [s for s in desc.statements if s.predicate == RDFS.label and not s.incoming]
    if not names:
        return Markup("")
    every, canon = _levels(names)
    return _data({"data-name-from": every, "data-name-canon-from": canon, "data-hidden-title": hidden_title})


def suggest_href(page, statement) -> str | None:
    """The "suggest a correction" link of a fact of ``page`` (the fact is on the entity that states it: the
    page's own, or the other end of an incoming one); None where there is no such form.  The export writes it
    as a page of its own, which makes the text of an issue (web/export.py)."""
    subject = statement.value if statement.incoming else page
    about = entity_path(subject)
    if about is None or not is_slug(about) or not has_endpoint("suggest.form"):  # performances have no YAML of their own
        return None
    value = statement.value
    return url_for("suggest.form", about=about, property=curie(statement.predicate),
                   value=entity_path(value) or str(value) if not statement.incoming else entity_path(page))


def register(app: Flask) -> None:
    app.jinja_env.globals.update(label=label, href=href, kind=kind, literal_text=literal_text,
                                 property_label=property_label, tier_names=TIER_NAMES, has_endpoint=has_endpoint, flag=flag, jwo=JWO,
                                 fact_attrs=fact_attrs, name_attrs=name_attrs, base_iri=BASE, suggest_href=suggest_href, entity_path=entity_path,
                                 is_slug=is_slug,
                                 schema=SCHEMA, skos=SKOS)
    app.jinja_env.tests["term"] = is_term
    app.jinja_env.tests["date"] = is_date
    app.jinja_env.filters["as_date"] = as_date
    app.context_processor(navigation)
