"""HTTP as caches and browsers expect it: validators, ``304``, ``Cache-Control``, compression, a page cache.

The data served never changes while a process runs, and what a GET answers
depends only on its path and query, the fan's reading (spoiler level and
canon only, from the URL or a cookie) and, where the answer is negotiated, the
``Accept`` header.  So every GET/HEAD answer of ``200`` gets:

* a strong ``ETag``: a digest of the data and code served (:func:`served_digest`:
  the build's file digests and every source file of the site, read once) and
  of the request's key (:func:`request_key`), so two workers, and two runs over
  the same build, give the same tag; and ``Last-Modified``, the build's time;
* ``304 Not Modified`` for a matching ``If-None-Match`` (or, with none,
  ``If-Modified-Since``);
* a ``Cache-Control`` by kind of answer (:data:`KEEP`), ``Vary: Cookie`` where the
  reading may come from a cookie; ``no-store`` on refusals that must not be kept
  (``429``, ``5xx``).

Rendered pages and JSON answers are kept in each worker (:class:`PageCache`,
bounded by bytes, least recently used out first), so a page asked for again is
sent without running its view; its ``304`` costs no rendering either.
Compression is Flask-Compress's (gzip, brotli, zstd, by ``Accept-Encoding``;
it appends the encoding to the ETag, ``"tag:br"``, which we accept back);
it keeps its compressed bodies in a cache of the same kind, so a page is
compressed once per encoding.  Downloads answer with their own validators
(their files' digests) and their ready ``.gz`` files.

Static files are addressed with ``?v=`` the code's digest (:func:`static_version`),
and kept a year when asked for with the current one.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, Response, current_app, g, request
from flask_compress import Compress

from kg import __version__
from kg.publish.history import HISTORY
from kg.settings import MANIFEST, NQUADS, REMOTE, Settings

from .pagecache import CompressedBodies, PageCache
from .site import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
CODE = ("kg", "web")  # the folders whose files make the pages: any change gives new ETags
LARGEST_KEPT = 2 << 20  # bytes of an answer kept at most (a big JSON list is made again)
YEAR = 365 * 24 * 3600
#: How long each kind of answer may be kept, by the start of its endpoint (the first that matches).
KEEP = (
    ("static", "public, max-age=3600"),  # without ?v=, or an old one; with the current one: a year, immutable
    ("sparql.", "public, max-age=300"),
    ("entities.", "public, max-age=300"),
    ("ontology.", "public, max-age=3600"),
    ("downloads.", "public, max-age=3600"),
    ("", "public, max-age=300"),
)
#: Answers never kept by the page cache: their own validators (downloads), user queries, files.
NOT_KEPT = ("static", "sparql.", "downloads.", "pages.health")
ENCODINGS = ("br", "zstd", "gzip")
EXTENSION = "kg-http"


class HttpState:
    """What one app computes once: the digest of what it serves, its time, and its caches."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.pages = PageCache()
        self.compressed = CompressedBodies()
        self._digest: str | None = None
        self._modified: datetime | None = None
        self._seen_history: tuple | None = None
        self._history_path = str(settings.dumps_dir / HISTORY)

    def digest(self) -> str:
        """The digest of what is served; made again (and the caches emptied) when the release history the
        downloads ship appears or changes (it may be written after the site starts), found by one stat."""
        history = self._history()
        if self._digest is None or history != self._seen_history:
            self._digest, self._modified = served_digest(self.settings, history)
            if self._seen_history is not None:
                self.pages.clear()
                self.compressed.clear()
            self._seen_history = history
        return self._digest

    def _history(self) -> tuple:
        try:
            stat = os.stat(self._history_path)  # once per request: a plain string, not a Path made each time
        except OSError:
            return ()
        return (stat.st_mtime_ns, stat.st_size)

    def modified(self) -> datetime:
        self.digest()
        return self._modified


def served_digest(settings: Settings, history: tuple = ()) -> tuple[str, datetime]:
    """A digest of the data (the build's record of its files' digests, the release history's state) and of the
    code, and the build's time.

    With no build record (a test's store, a remote store not yet fetched), the data part is a random
    token: correct, only not shared between processes."""
    digest = hashlib.sha256(__version__.encode())
    build = settings.out_dir / REMOTE if settings.endpoint else settings.out_dir
    try:
        record = (build / MANIFEST).read_bytes()
        modified = datetime.fromtimestamp(int((build / NQUADS).stat().st_mtime), UTC)
    except OSError:
        record, modified = secrets.token_bytes(16), datetime.now(UTC).replace(microsecond=0)
    digest.update(record)
    digest.update(repr(history).encode())
    digest.update(code_digest().encode())
    return digest.hexdigest()[:24], modified


_code: str | None = None


def code_digest() -> str:
    """The digest of every file of the site's code, templates and static files (read once per process)."""
    global _code
    if _code is None:
        digest = hashlib.sha256()
        for folder in CODE:
            for path in sorted((ROOT / folder).rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
        _code = digest.hexdigest()[:16]
    return _code


def static_version() -> str:
    return code_digest()[:10]


def request_key() -> tuple:
    """What a GET's answer depends on: the address it was asked at (absolute links are made from it), path and
    query, the fan's reading, and Accept."""
    return (request.scheme, request.host, request.root_path, request.path, request.query_string, g.get("reading"),
            g.get("answered"), request.headers.get("Accept", ""))


def state() -> HttpState:
    return current_app.extensions[EXTENSION]


def register(app: Flask) -> None:
    """Validators, Cache-Control and the page cache, then compression (Flask-Compress) after them."""
    http = app.extensions[EXTENSION] = HttpState(app.extensions[SETTINGS])
    app.config.update(COMPRESS_ALGORITHM=list(ENCODINGS), COMPRESS_MIN_SIZE=1024, COMPRESS_BR_LEVEL=4,
                      COMPRESS_EVALUATE_CONDITIONAL_REQUEST=True, COMPRESS_REGISTER=True,
                      COMPRESS_CACHE_KEY=_compressed_key, COMPRESS_CACHE_BACKEND=lambda: http.compressed,
                      COMPRESS_MIMETYPES=["text/html", "text/plain", "text/css", "text/csv", "text/tab-separated-values",
                                          "text/turtle", "text/javascript", "application/javascript",
                                          "application/json", "application/ld+json", "application/n-triples",
                                          "application/n-quads", "application/trig", "application/rdf+xml",
                                          "application/sparql-results+json", "application/sparql-results+xml",
                                          "image/svg+xml"])
    Compress(app)  # its after_request runs after ours (Flask runs them in reverse order of registration)
    app.before_request(_from_cache)
    app.after_request(_validate)
    app.url_defaults(_static_version)


def _compressed_key(req) -> str:
    """Flask-Compress keeps a compressed body by our ETag (data, code and request); "" when it has none."""
    return g.get("kg_etag") or ""


def _cacheable() -> bool:
    endpoint = request.endpoint or ""
    return request.method in ("GET", "HEAD") and not endpoint.startswith(NOT_KEPT)


def _from_cache():
    """Before the view: a page kept from before, answered without running the view."""
    if not _cacheable():
        return None
    http = state()
    http.digest()  # empties the caches first if what is served has changed
    kept = http.pages.get(request_key())
    if kept is None:
        return None
    status, headers, body = kept
    g.kg_from_cache = True
    response = Response(body, status=status, headers=headers)
    encoding = request.accept_encodings.best_match(ENCODINGS) if request.accept_encodings else None
    packed = http.compressed.get(f"{encoding};{response.get_etag()[0]}") if encoding else None
    if packed is not None:  # compressed before: sent as it is (Flask-Compress leaves an encoded answer alone)
        response.set_data(packed)
        response.headers["Content-Encoding"] = encoding
        response.set_etag(f"{response.get_etag()[0]}:{encoding}")
        response.vary.add("Accept-Encoding")
    return response


def _validate(response: Response) -> Response:
    if response.status_code in (429,) or response.status_code >= 500:
        response.headers["Cache-Control"] = "no-store"
        return response
    if (request.method not in ("GET", "HEAD") or response.status_code != 200 or response.headers.getlist("Set-Cookie")
            or "no-store" in response.headers.get("Cache-Control", "")):
        return response
    if not g.get("kg_from_cache"):  # a kept answer has its headers already
        _describe(response)
    g.kg_etag = response.get_etag()[0]
    matched = _matched(response)
    if matched:
        response.set_etag(matched)  # the tag the client holds (with its encoding, if compressed)
        response.status_code = 304
        response.set_data(b"")
        for header in ("Content-Type", "Content-Length"):
            response.headers.pop(header, None)
    return response


def _describe(response: Response) -> None:
    """Validators, Vary and Cache-Control on a fresh answer; then it is kept, if it may be."""
    http = state()
    tagged = "ETag" not in response.headers and not response.is_streamed
    if tagged:
        key = request_key()
        response.set_etag(hashlib.sha256(repr((http.digest(), key, response.mimetype)).encode()).hexdigest()[:32])
    if response.last_modified is None:
        response.last_modified = http.modified()
    if request.endpoint not in ("downloads.download", "static") and "Cookie" not in response.vary:
        response.vary.add("Cookie")
    if request.endpoint == "static":  # Flask's own says "no-cache"
        response.headers["Cache-Control"] = _keep("static")
    response.headers.setdefault("Cache-Control", _keep(request.endpoint or ""))
    if tagged and _cacheable() and len(response.get_data()) <= LARGEST_KEPT:
        http.pages.set(key, (response.status_code, list(response.headers.items()), response.get_data()))


def _keep(endpoint: str) -> str:
    if endpoint == "static" and request.args.get("v") == static_version():
        return f"public, max-age={YEAR}, immutable"
    return next(value for start, value in KEEP if endpoint.startswith(start))


def _matched(response: Response) -> str | None:
    """The tag of the request's If-None-Match that names this answer (or, without one, its own tag if
    If-Modified-Since is not before it); a tag sent back with the encoding Flask-Compress appended
    (``"tag:br"``) names it too."""
    etag, _ = response.get_etag()
    if etag is None:
        return None
    if request.if_none_match:
        if request.if_none_match.star_tag:
            return etag
        return next((tag for tag in request.if_none_match
                     if tag == etag or (tag.startswith(etag + ":") and tag[len(etag) + 1:] in ENCODINGS)), None)
    since, modified = request.if_modified_since, response.last_modified
    return etag if since is not None and modified is not None and modified <= since else None


def _static_version(endpoint: str, values: dict) -> None:
    """Links to static files carry the code's digest, so they may be kept a year (a new version, a new URL)."""
    if endpoint == "static" and "v" not in values:
        values["v"] = static_version()
