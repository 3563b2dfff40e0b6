"""``/sparql``: the SPARQL 1.1 Protocol, its service description, and the query editor.

The view reads the protocol (GET, form POST, ``application/sparql-query``
POST), refuses updates, gates the text (:func:`kg.sparql.gate.gate`: size and
nesting, before any parser), negotiates the answer's format, and hands the
query to the query service (:mod:`kg.sparql.service`), which parses and runs it in a
killable executor process under the site's fair-use rules.  No user query is
parsed or run in this process.

Errors are plain text with their status (a client library shows the text);
429 carries ``Retry-After``.  A browser asking for HTML gets the editor, with
the query of the URL in it: every query is a URL to share.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, current_app, render_template, request, url_for
from rdflib import URIRef

from kg.errors import QueryRefused
from kg.namespaces import PREFIXES
from kg.rdf.formats import (
    RDF_FORMATS,
    RESULT_FORMATS,
    TURTLE,
    rdf_format,
    result_format,
    serialize,
)
from kg.sparql.description import GRAPH_SIZES, SD, describe_service
from kg.sparql.engine import QueryRequest
from kg.sparql.gate import MAX_QUERY_BYTES, gate

from .site import settings, site

bp = Blueprint("sparql", __name__)

QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
MAX_BODY = 4 * MAX_QUERY_BYTES  # percent-encoding can make a 64 KiB query three times longer


@dataclass(frozen=True)
class Protocol:
    """What a request asks, read from its URL, form or body."""

    query: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    format: str | None


@bp.route("/sparql/", methods=["GET", "POST"])  # the same endpoint (the W3C protocol tests ask /sparql/)
@bp.route("/sparql", methods=["GET", "POST"])  # registered first: the address links are made to
def endpoint():
    asked = _read_protocol()
    if asked.query is None:
        if request.method == "POST":
            raise QueryRefused(400, "a POST to the endpoint must carry a query: a 'query' form field, or the "
                                    f"query itself as {QUERY_TYPE}")
        return _editor(None) if _wants_html() else _service_description()
    if request.method == "GET" and asked.format is None and _wants_html():
        return _editor(asked.query)
    gate(asked.query)
    result, rdf = _formats(asked.format)
    query = QueryRequest(asked.query, result.name, rdf.name, asked.default_graphs, asked.named_graphs,
                         settings().row_limit, base=url_for("sparql.endpoint", _external=True))
    answer = current_app.extensions["kg-queries"].run(request.remote_addr or "-", query)
    written = answer.written
    response = Response(written.body, content_type=written.media_type)
    response.headers["X-Result-Rows"] = str(written.rows)
    response.headers["X-Result-Limit"] = str(query.row_limit)
    if written.truncated:
        response.headers["X-Result-Truncated"] = f"true; the answer stops at {written.rows} rows"
    response.vary.add("Accept")
    return response


@bp.errorhandler(QueryRefused)
def _refused(error: QueryRefused):
    response = Response(error.message + "\n", status=error.status, content_type="text/plain; charset=utf-8")
    if error.retry_after is not None:
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def _read_protocol() -> Protocol:
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise QueryRefused(413, f"the request body is over {MAX_BODY // 1024} KiB")
    args = request.args
    if request.method == "POST":
        media_type = request.mimetype
        if media_type == QUERY_TYPE:
            _one_operation(args)
            charset = request.mimetype_params.get("charset", "utf-8").lower()
            if charset not in ("utf-8", "utf8"):
                raise QueryRefused(415, f"send the query as UTF-8, not {charset[:40]}: the protocol allows no other")
            query = _utf8(request.get_data())
        elif media_type in FORM_TYPES:
            args = request.values
            _one_operation(args)
            query = request.form.get("query")
        elif media_type == UPDATE_TYPE:
            raise _read_only()
        else:
            raise QueryRefused(415, f"POST a query as {QUERY_TYPE} or as a form ({FORM_TYPES[0]}) "
                                    "with a 'query' field")
    else:
        _one_operation(args)
        query = args.get("query")
    return Protocol(query, tuple(args.getlist("default-graph-uri")), tuple(args.getlist("named-graph-uri")),
                    _format_asked(args))


def _format_asked(args) -> str | None:
    """``format=`` (Virtuoso's, ours), else ``output=`` (Joseki's, Fuseki's), else ``results=``: SPARQLWrapper
    sends all three, and repeats one as a name and a media type (``format=tsv&format=text/tab-separated-values``),
    read here as the comma list it means."""
    for key in ("format", "output", "results"):
        if values := [v for v in args.getlist(key) if v.strip()]:
            return ",".join(values)
    return None


def _one_operation(args) -> None:
    """One query, or else one update (refused: read-only): never two of them, nor both (the protocol's 400)."""
    queries, updates = len(args.getlist("query")), len(args.getlist("update"))
    if queries > 1 or updates > 1 or (queries and updates):
        raise QueryRefused(400, "give exactly one 'query' parameter (or one 'update'), not "
                                f"{queries} queries and {updates} updates")
    if updates:
        raise _read_only()


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise QueryRefused(400, f"the query is not UTF-8 (byte {exc.start} of the body): send it as UTF-8, "
                                "as the protocol asks") from None


def _read_only() -> QueryRefused:
    return QueryRefused(403, "this endpoint is read-only: SPARQL Update is not allowed")


def _wants_html() -> bool:
    """A browser: it names text/html, and prefers it to every format we answer in (curl's */* does not)."""
    accept = request.accept_mimetypes
    if not any(value == "text/html" for value, _ in accept):
        return False
    return accept.best_match(["text/html", *(t for f in RESULT_FORMATS + RDF_FORMATS for t in f.media_types)]) \
        == "text/html"


def _formats(name: str | None):
    """The result format (SELECT, ASK) and RDF format (CONSTRUCT, DESCRIBE) to answer in."""
    if name is not None:
        return _named_formats(name)
    accept = request.accept_mimetypes
    result = accept.best_match([t for f in RESULT_FORMATS for t in f.media_types])
    rdf = accept.best_match([t for f in RDF_FORMATS for t in f.media_types])
    return (result_format(result) if result else RESULT_FORMATS[0]), (rdf_format(rdf) if rdf else TURTLE)


#: ``format=`` values other clients send (SPARQLWrapper, Jena, YASGUI, Virtuoso's and Fuseki's forms): the
#: result format for SELECT and ASK, the RDF format for CONSTRUCT and DESCRIBE.
FORMAT_ALIASES = {
    "xml": ("xml", "rdfxml"), "json": ("json", "jsonld"), "rdf+xml": (None, "rdfxml"), "rdf": (None, "rdfxml"),
    "json-ld": (None, "jsonld"), "n3": (None, "turtle"), "text/n3": (None, "turtle"), "text": ("tsv", "ntriples"),
    "nt": (None, "ntriples"), "n-triples": (None, "ntriples"), "ttl": (None, "turtle"), "nquads": (None, "nquads"),
    "application/x-json+ld": (None, "jsonld"),  # JSON-LD's old media type, which SPARQLWrapper still lists
}


def _named_formats(names: str):
    """The formats a ``format=`` value names: ours (``json``, ``turtle``), a media type, a common alias, or a
    comma-separated list of them.  The first result format and the first RDF format named win, a name of ours
    or a media type before an alias (``json,turtle``: JSON results, Turtle graphs).  A list is read as Accept
    is: names we do not know are passed over, and only a value naming nothing we know is refused."""
    listed = [part.split(";")[0].strip().lower() for part in names.split(",")]
    unknown = [n for n in listed if result_format(n) is None and rdf_format(n) is None and n not in FORMAT_ALIASES]
    if len(unknown) == len(listed):
        choices = ", ".join(f.name for f in RESULT_FORMATS + RDF_FORMATS)
        raise QueryRefused(400, f"unknown format {unknown[0][:40]!r}; use one of: {choices}, or a media type")
    results = [result_format(n) for n in listed] + [result_format(FORMAT_ALIASES.get(n, ("", ""))[0] or "")
                                                     for n in listed]
    graphs = [rdf_format(n) for n in listed] + [rdf_format(FORMAT_ALIASES.get(n, ("", ""))[1] or "") for n in listed]
    return (next((f for f in results if f is not None), RESULT_FORMATS[0]),
            next((f for f in graphs if f is not None), TURTLE))


def _service_description() -> Response:
    endpoint_iri = url_for("sparql.endpoint", _external=True)
    graph = describe_service(endpoint_iri, _graph_sizes(), RESULT_FORMATS, RDF_FORMATS)
    graph.add((URIRef(endpoint_iri), SD.endpoint, URIRef(endpoint_iri + "/")))  # the other address, same service
    accept = request.accept_mimetypes.best_match([t for f in RDF_FORMATS for t in f.media_types])
    fmt = rdf_format(accept) if accept else TURTLE
    response = Response(serialize(graph, fmt), content_type=f"{fmt.media_type}; charset=utf-8")
    response.vary.add("Accept")
    return response


def _graph_sizes() -> list:
    sizes = current_app.extensions.get("kg-graph-sizes")
    if sizes is None:  # the store never changes while the app runs
        sizes = current_app.extensions["kg-graph-sizes"] = [
            (row["g"], int(row["n"])) for row in site().store.select(GRAPH_SIZES)]
    return sizes


def _editor(query: str | None):
    from kg.sparql.examples import load_examples

    text = query if query is not None and len(query) <= MAX_QUERY_BYTES else None
    # not `query`: base.html fills the header's search box with `query`
    return render_template("sparql.html", sparql_query=text, examples=load_examples(), settings=settings(),
                           prefixes={p: str(ns) for p, ns in PREFIXES.items()})
