"""The fans' web browser of the John Wick universe: ``create_app()``.

The factory builds (or reuses the last build of) the universe, loads it into
the embedded store unless a store is given, reads the catalog, registers
one blueprint per surface, and starts building the blueprints' indexes in the
background (:mod:`web.warm`).  Errors are translated here, once: an HTML page for
browsers, JSON under ``/api/``; an unexpected error is logged and shown as a
plain 500 page, never a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from flask import Flask, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from kg.build import ensure_built
from kg.heap import gc_paused
from kg.model import model
from kg.publish.dumps import ensure_dumps, ensure_remote_dumps
from kg.settings import DEFAULTS
from kg.sparql.fairuse import Limits
from kg.sparql.service import InProcess, Remote, ServiceConfig, Unavailable
from kg.store import EmbeddedStore
from kg.store.catalog import load_catalog
from kg.store.remote import RemoteStore, StoreError, StoreUnavailable

from . import filters
from .site import Site, carry_spoiler_level, resolve_spoiler_level
from .warm import warmer

log = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
))

#: Headers a script on another origin may read.
EXPOSED_HEADERS = ", ".join(("Content-Location", "ETag", "Link", "Retry-After", "X-Result-Limit", "X-Result-Rows",
                             "X-Result-Truncated"))


def create_app(config: Mapping | None = None) -> Flask:
    """Config: DATA_DIR and OUT_DIR (build from there), or ENDPOINT (a remote SPARQL server holding the
    universe, with ENDPOINT_CREDENTIALS and STORE_TIMEOUT), or STORE (serve that store as it is).

    SPARQL queries go to QUERY_SERVICE (the address of ``kg serve``'s query
    service) if given, else to executors this app starts on the first query,
    over NQUADS (the build's N-Quads) or the remote store.
    """
    app = Flask(__name__)
    app.config.from_mapping(DATA_DIR=DEFAULTS.data_dir, OUT_DIR=DEFAULTS.out_dir, STORE=None, NQUADS=None,
                            ENDPOINT=None, ENDPOINT_CREDENTIALS=None, STORE_TIMEOUT=DEFAULTS.store_timeout,
                            QUERY_SERVICE=None, SPARQL_TIMEOUT=DEFAULTS.query_timeout,
                            SPARQL_ROW_LIMIT=DEFAULTS.row_limit, SPARQL_EXECUTORS=DEFAULTS.query_workers,
                            SPARQL_LIMITS=Limits())
    app.config.update(config or {})
    store = app.config["STORE"]
    if store is None and app.config["ENDPOINT"]:
        store = RemoteStore.connect(app.config["ENDPOINT"], timeout=app.config["STORE_TIMEOUT"],
                                    credentials=app.config["ENDPOINT_CREDENTIALS"])
        if app.config.get("DUMPS_DIR") is None and app.config.get("OUT_DIR"):  # the store's contents, dumped
            app.config["DUMPS_DIR"] = ensure_remote_dumps(store, Path(app.config["OUT_DIR"]))
    elif store is None:
        app.config["NQUADS"] = ensure_built(Path(app.config["DATA_DIR"]), Path(app.config["OUT_DIR"]))
        store = EmbeddedStore.from_nquads(app.config["NQUADS"])
        if app.config.get("DUMPS_DIR") is None:  # the downloads: written by kg serve, checked here (cheap)
            app.config["DUMPS_DIR"] = Path(app.config["OUT_DIR"]) / "downloads"
        ensure_dumps(Path(app.config["NQUADS"]).parent, Path(app.config["DUMPS_DIR"]))
    app.extensions["kg-queries"] = _query_service(app.config, store)

    filters.register(app)
    app.before_request(resolve_spoiler_level)
    app.url_defaults(carry_spoiler_level)
    app.after_request(_security_headers)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(StoreError, _store_error)
    app.register_error_handler(Exception, _unexpected_error)

    from . import (
        connections,
        downloads,
        entities,
        lists,
        ontology,
        pages,
        search,
        sparql,
    )

    with gc_paused(freeze=True):  # the catalog and the blueprints' indexes live as long as the app
        app.extensions["kg"] = Site(store, load_catalog(store), model())
        for blueprint in (pages.bp, entities.bp, search.bp, connections.bp, lists.bp, sparql.bp, ontology.bp,
                          downloads.bp):
            app.register_blueprint(blueprint)
    warmer(app).start()  # the search index and the entity graph, built while pages are served
    return app


def _query_service(config, store):
    if config["QUERY_SERVICE"] is not None:
        return Remote(config["QUERY_SERVICE"])
    source = Path(config["NQUADS"]) if config["NQUADS"] is not None else store
    if not isinstance(source, Path | RemoteStore):
        return Unavailable()
    return InProcess(ServiceConfig(source, config["SPARQL_EXECUTORS"], config["SPARQL_TIMEOUT"],
                                   config["SPARQL_LIMITS"]))


def _security_headers(response):
    """Every response, errors included: our CSP, and CORS (the site is public, read-only and cookie-free
    for machines, so any origin may read it)."""
    response.headers.setdefault("Access-Control-Allow-Origin", "*")
    response.headers.setdefault("Access-Control-Expose-Headers", EXPOSED_HEADERS)
    if request.method == "OPTIONS":  # a preflight, e.g. before a POST of application/sparql-query
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
        response.headers["Access-Control-Max-Age"] = "86400"
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _http_error(error: HTTPException):
    if _wants_json():
        return jsonify(error=error.name, message=error.description), error.code
    return render_template("error.html", error=error, suggestions=getattr(error, "suggestions", [])), error.code


def _store_error(error: StoreError):
    """The remote store failed, refused us or was too slow: a 503 saying when to try again (not a 500)."""
    log.warning("the store failed on %s: %s", request.path, error)
    unavailable = ServiceUnavailable("The server that holds the universe is not answering right now; "
                                     "please try again in a few seconds.")
    response = make_response(_http_error(unavailable))
    response.headers["Retry-After"] = str(StoreUnavailable.retry_after)
    return response


def _unexpected_error(error: Exception):
    if isinstance(error, HTTPException):
        return _http_error(error)
    if isinstance(error, StoreError):
        return _store_error(error)
    log.exception("unexpected error on %s", request.path)
    return _http_error(InternalServerError("Something went wrong on our side; it has been logged."))
