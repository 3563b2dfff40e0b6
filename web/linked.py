"""Linked Data views: a page and its machine-readable twins, registered once from one URL rule.

A :class:`Resource` says how to find what a URL names, and how to show it as
a page (HTML), as the page's data (JSON) and as RDF statements.
:func:`register` adds its two rules (Datasette's habit: one view, every
format): ``/X``, which negotiates, and ``/X.<ext>`` for each twin (the RDF
formats of :mod:`kg.rdf.formats`, quad formats only where the resource has
graphs, and ``.json``).  ``/X`` answers an ``Accept`` naming one of those
media types with it, at that URL, with ``200``, ``Vary: Accept`` and
``Content-Location: /X.ttl``; anything else (a browser, ``*/*``, no header, a
type we do not serve) gets the HTML page.  Page and twins name each other in
``Link`` headers (and the page in ``<link rel="alternate">``), so a tool
finds them without guessing.  An error on a twin answers in the twin's
format (:func:`error_response`).  docs/linked-data.md says what URL gives what.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, current_app, g, make_response, request, url_for
from rdflib import URIRef
from werkzeug.exceptions import HTTPException

from kg.rdf.formats import RDF_FORMATS, RdfFormat, serialize

HTML = "text/html"
JSON = "application/json"
TWIN = "kg-twin"  # where a request keeps the twin it asked for (g), so that its errors answer in that format


@dataclass(frozen=True)
class Twin:
    extension: str
    media_type: str
    label: str
    rdf: RdfFormat | None  # None: the page's data as JSON


JSON_TWIN = Twin("json", JSON, "JSON", None)


def twins(graphs: bool = True, json: bool = True) -> tuple[Twin, ...]:
    """The twins a surface offers: every RDF format (quad formats if it has graphs), then JSON."""
    found = [Twin(f.extension, f.media_type, f.label, f) for f in RDF_FORMATS if graphs or not f.graphs]
    return (*found, *((JSON_TWIN,) if json else ()))


@dataclass(frozen=True)
class Resource:
    """What one URL rule names, and how it is shown in each format."""

    endpoint: str  # the page's endpoint; its twins' is endpoint + "_twin"
    offered: tuple[Twin, ...]
    find: Callable[..., Any]  # the rule's values -> what they name; raises NotFound
    page: Callable[[Any, list], str]  # the rendered page, given its twins' links
    data: Callable[[Any], dict]  # the page's data, for .json
    statements: Callable[[Any], tuple[Iterable[tuple], URIRef | None]]  # RDF triples or quads, and the subject first


def register(bp: Blueprint, rule: str, resource: Resource) -> None:
    """Serve ``resource`` at ``rule`` (negotiated) and at ``rule.<ext>`` (one format each)."""
    def negotiated(**values):
        chosen = negotiate(resource.offered)
        return _answer(bp.name, resource, values, chosen, negotiated=chosen is not None)

    def suffixed(ext: str, **values):
        return _answer(bp.name, resource, values, twin(ext, resource.offered), negotiated=False)

    extensions = ", ".join(t.extension for t in resource.offered)
    bp.add_url_rule(rule, resource.endpoint, negotiated)
    bp.add_url_rule(f"{rule}.<any({extensions}):ext>", resource.endpoint + "_twin", suffixed)


def _answer(blueprint: str, resource: Resource, values: dict, chosen: Twin | None, negotiated: bool) -> Response:
    g.setdefault(TWIN, chosen)
    thing = resource.find(**values)
    endpoint = f"{blueprint}.{resource.endpoint}"
    links = alternates(endpoint, values, resource.offered)
    if chosen is None:
        return page(make_response(resource.page(thing, links)), links)
    if chosen.rdf is None:
        body: bytes | str = current_app.json.dumps(resource.data(thing))
    else:
        statements, first = resource.statements(thing)
        body = serialize(statements, chosen.rdf, first=first)
    return respond(body, chosen, links, url_for(endpoint, **values), negotiated)


def twin(extension: str, offered: tuple[Twin, ...]) -> Twin:
    return next(t for t in offered if t.extension == extension)


def negotiate(offered: tuple[Twin, ...]) -> Twin | None:
    """The twin the request's ``Accept`` prefers over the page, or None for the page.

    The page (HTML) is offered first, so it wins ties, ``*/*``, a missing or
    unreadable header and types we do not serve; aliases (``application/x-turtle``)
    count as their format.
    """
    offers = {HTML: None}
    for t in offered:
        for media_type in (t.rdf.media_types if t.rdf else (t.media_type,)):
            offers.setdefault(media_type, t)
    best = request.accept_mimetypes.best_match(list(offers))
    return offers.get(best) if best else None


def alternates(endpoint: str, values: dict, offered: tuple[Twin, ...]) -> list[tuple[str, str, str]]:
    """(url, media type, label) of each twin of the page ``url_for(endpoint, **values)``."""
    base = url_for(endpoint, **values)
    return [(_with_suffix(base, t.extension), t.media_type, t.label) for t in offered]


def _with_suffix(url: str, extension: str) -> str:
    path, query = (url.split("?", 1) + [""])[:2]
    return f"{path}.{extension}" + (f"?{query}" if query else "")


def link_header(links: list[tuple[str, str, str]], page: str | None = None) -> str:
    """``Link: </id/hero.ttl>; rel="alternate"; type="text/turtle", ...`` (the page too, from a twin)."""
    parts = [f'<{page}>; rel="alternate"; type="{HTML}"'] if page else []
    parts += [f'<{url}>; rel="alternate"; type="{media_type}"' for url, media_type, _ in links]
    return ", ".join(parts)


def respond(body: bytes | str, chosen: Twin, links: list, page_url: str, negotiated: bool) -> Response:
    """A twin's response, naming the page and the other twins.

    Negotiated at the page's URL, it varies by ``Accept`` and names its own URL in ``Content-Location``.
    """
    response = Response(body, mimetype=chosen.media_type)
    response.headers["Link"] = link_header([link for link in links if link[1] != chosen.media_type], page=page_url)
    if negotiated:
        response.vary.add("Accept")
        response.headers["Content-Location"] = next(url for url, media_type, _ in links
                                                    if media_type == chosen.media_type)
    return response


def page(response: Response, links: list) -> Response:
    """The HTML page's response, naming its twins; the page's URL negotiates, so it varies by Accept."""
    response.headers["Link"] = link_header(links)
    response.vary.add("Accept")
    return response


def asked_twin() -> Twin | None:
    """The twin the current request asked for (by suffix or by Accept), if any."""
    return g.get(TWIN)


def error_response(error: HTTPException, chosen: Twin) -> Response:
    """An error in the twin's own format: JSON as the API says it, RDF as a document holding no statement
    and saying what went wrong in a comment, so a tool that asked for Turtle still reads Turtle."""
    said = f"{error.code} {error.name}: {error.description}"
    if chosen.rdf is None:
        body = json.dumps({"error": error.name, "message": error.description})
    elif chosen.rdf.name == "jsonld":
        body = json.dumps({"@context": {}, "@graph": [], "error": said})
    elif chosen.rdf.name == "rdfxml":
        comment = said.replace("--", "- -")
        body = ('<?xml version="1.0" encoding="utf-8"?>\n'
                f'<!-- {comment} -->\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n')
    else:  # Turtle, N-Triples, N-Quads, TriG: a comment line
        body = "# " + " ".join(said.split()) + "\n"
    response = Response(body, status=error.code, mimetype=chosen.media_type)
    response.vary.add("Accept")
    return response
