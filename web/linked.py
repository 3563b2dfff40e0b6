"""Content negotiation and machine-readable twins, shared by the surfaces that serve Linked Data.

A page at ``/X`` has twins at ``/X.ttl``, ``.nt``, ``.jsonld``, ``.rdf``,
``.nq``, ``.trig`` (the RDF formats of :mod:`kg.rdf.formats`, quad formats only
where the surface has graphs) and ``.json`` (the page's data).  ``/X`` itself
negotiates directly: an ``Accept`` naming one of those media types gets it at
that URL, with ``200``, ``Vary: Accept`` and ``Content-Location: /X.ttl``;
anything else (a browser, ``*/*``, no header, a type we do not serve) gets the
HTML page.  Page and twins name each other in ``Link`` headers (and the page
in ``<link rel="alternate">``), so a tool finds them without guessing.
docs/linked-data.md says what URL gives what.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response, request, url_for

from kg.rdf.formats import RDF_FORMATS, RdfFormat

HTML = "text/html"
JSON = "application/json"


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


def suffix_rule(base: str, offered: tuple[Twin, ...]) -> str:
    """The URL rule of the twins of ``base``: ``/id/<path:slug>.<any(ttl, nt, ...):ext>``."""
    return f"{base}.<any({', '.join(t.extension for t in offered)}):ext>"


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
