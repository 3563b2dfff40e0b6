"""The fans' web browser of the John Wick universe: ``create_app(settings, store=None)``.

The factory does no work (flaskr's habit): it attaches the store (the one
given, else the one the settings name: :func:`kg.store.connect`, which only
reads), the query service for ``/sparql``, the site's shared state (read
from the store on first use, :mod:`web.site`), the error handlers
(:mod:`web.errors`) and one blueprint per surface.  It builds nothing and
writes nothing: ``kg serve`` (:mod:`web.cli`) prepares the build and the
downloads before it, and :func:`web.warm.warm_up` reads the catalog and starts
the indexes once a worker is ready to serve.

Surfaces: pages and entities, search, connections and graphs, lists and the
matrix, the ontology, downloads, and ``/sparql``.  Every view reads the graph
only through the store, and user SPARQL only through the query service.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from kg.settings import DEFAULTS, Settings
from kg.sparql.service import in_process
from kg.store import Store, connect

from . import (
    caching,
    changes,
    complete,
    connections,
    downloads,
    entities,
    errors,
    filters,
    lists,
    ontology,
    pages,
    search,
    sparql,
    suggest,
)
from .site import SETTINGS, Site, carry_reading, resolve_reading

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
))

#: Headers a script on another origin may read.
EXPOSED_HEADERS = ", ".join(("Content-Location", "ETag", "Link", "Retry-After", "X-Result-Limit", "X-Result-Rows",
                             "X-Result-Truncated"))
BLUEPRINTS = (pages.bp, entities.bp, search.bp, complete.bp, connections.bp, lists.bp, sparql.bp, ontology.bp, downloads.bp,
              changes.bp, suggest.bp)


def create_app(settings: Settings = DEFAULTS, store: Store | None = None, queries=None) -> Flask:
    """The app serving ``store`` (default: the store the settings name).

    ``queries`` runs /sparql's queries: ``kg serve``'s query service (:class:`kg.sparql.service.Remote`);
    without it, the app starts executors of its own on its first query (:func:`kg.sparql.service.in_process`).
    """
    app = Flask(__name__)
    store = store if store is not None else connect(settings)
    app.extensions[SETTINGS] = settings
    app.extensions["kg"] = Site(store)
    app.extensions["kg-queries"] = queries if queries is not None else in_process(settings, store)
    filters.register(app)
    errors.register(app)
    app.before_request(resolve_reading)
    app.url_defaults(carry_reading)
    app.after_request(_security_headers)
    caching.register(app)  # after the reading is resolved (its before_request), before the views
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    if settings.proxies:  # the client's address (fair use on /sparql) as the proxy saw it, from it alone
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.proxies, x_proto=settings.proxies)
    return app


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
