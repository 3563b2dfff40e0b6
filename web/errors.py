"""Errors become answers here, once: an HTML page for browsers, JSON under ``/api/``, a twin's own format
on a Linked Data twin (:func:`web.linked.error_response`).

The status comes from the library's one table (:func:`kg.errors.http_status`):
a store that failed us is a 503 with ``Retry-After`` (never a 500, and never
its address), a refused query answers its own status (``/sparql`` words it as
plain text, :mod:`web.sparql`).  Anything else is a bug: logged, and shown as a
plain 500 page without a traceback.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from kg.errors import KGError, StoreError, StoreUnavailable, http_status

from .linked import asked_twin, error_response

log = logging.getLogger(__name__)


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(StoreError, _store_error)
    app.register_error_handler(KGError, _library_error)
    app.register_error_handler(Exception, _unexpected_error)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def http_error(error: HTTPException):
    if request.path.rstrip("/") == "/sparql" and error.code != 404:  # SPARQL clients show the text they get
        return Response(f"{error.code} {error.name}: {error.description}\n", status=error.code,
                        content_type="text/plain; charset=utf-8", headers=error.get_headers()[1:])
    chosen = asked_twin()
    if chosen is not None:  # /id/nope.ttl, or /id/nope asked for Turtle: the answer is Turtle too
        return error_response(error, chosen)
    if _wants_json():
        response = make_response(jsonify(error=error.name, message=error.description), error.code)
    else:
        response = make_response(render_template("error.html", error=error,
                                                 suggestions=getattr(error, "suggestions", [])), error.code)
    for name, value in error.get_headers():  # Retry-After, Allow: what the error says of itself
        if name.lower() in ("retry-after", "allow"):
            response.headers[name] = value
    return response


def _store_error(error: StoreError):
    """The remote store failed, refused us or was too slow: a 503 saying when to try again."""
    log.warning("the store failed on %s: %s", request.path, error)
    unavailable = ServiceUnavailable("The server that holds the universe is not answering right now; "
                                     "please try again in a few seconds.")
    response = make_response(http_error(unavailable))
    response.headers["Retry-After"] = str(StoreUnavailable.retry_after)
    return response


def _library_error(error: KGError):
    """An error the library raised on purpose, with the status the table gives it."""
    status = http_status(error)
    if status >= 500:
        log.error("%s on %s: %s", type(error).__name__, request.path, error)
        return http_error(InternalServerError("Something went wrong on our side; it has been logged."))
    answer = HTTPException(str(error))
    answer.code = status
    response = make_response(http_error(answer))
    if getattr(error, "retry_after", None):  # a refusal for now (fair use): when to come back
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def _unexpected_error(error: Exception):
    log.exception("unexpected error on %s", request.path)
    return http_error(InternalServerError("Something went wrong on our side; it has been logged."))
