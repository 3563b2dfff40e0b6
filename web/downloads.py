"""Downloads: the dumps and the dataset's description.

``/downloads`` lists the files ``kg dump`` writes (:mod:`kg.publish.dumps`) into the
folder the settings name (:attr:`kg.settings.Settings.dumps_dir`), which ``kg serve``
brings in step with what it serves before it starts; ``/downloads/<name>`` sends one with its media type (from
:mod:`kg.rdf.formats`), its SHA-256 as ETag and its modification time as
Last-Modified, so a conditional GET gets a 304 and a range request a part.

``/dataset`` and ``/.well-known/void`` (RFC 5785, as VoID asks) answer the
dataset's VoID/DCAT description (:func:`kg.publish.void.describe`, the graph in
``void.ttl``) in the RDF format the client accepts, Turtle when it says
nothing, and the downloads page to a browser, which prefers HTML.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import (
    Blueprint,
    make_response,
    render_template,
    request,
    send_file,
)
from werkzeug.exceptions import NotAcceptable, NotFound, ServiceUnavailable

from kg.publish.dumps import ANY_BY_NAME, LISTED, Manifest, read_manifest
from kg.publish.void import LICENSE, write
from kg.rdf.formats import RDF_FORMATS, RdfFormat, rdf_format
from kg.staging import busy

from .site import settings

bp = Blueprint("downloads", __name__)

HTML = "text/html"
WRITING_RETRY = 30  # s: Retry-After while the downloads are being written
#: What /dataset offers, Turtle first: the answer to "*/*" and to no Accept at all.
OFFERED = [t for fmt in RDF_FORMATS for t in fmt.media_types] + [HTML]


def _dumps_dir() -> Path:
    return settings().dumps_dir.resolve()  # send_file would read a relative path from the package, not the cwd


def _manifest() -> Manifest:
    """The dumps' manifest; a 503 with Retry-After while they are being written (kg serve writes them after
    the site is up), or before they ever were."""
    folder = _dumps_dir()
    manifest = None if busy(folder) else read_manifest(folder)
    if manifest is None:
        raise ServiceUnavailable("The downloads are being written (the site serves its pages meanwhile); "
                                 "try again in a minute.", retry_after=WRITING_RETRY)
    return manifest


@bp.get("/downloads")
def index():
    return _page(_manifest())


@bp.get("/downloads/<name>")
def download(name: str):
    manifest = _manifest()
    file = ANY_BY_NAME.get(name)
    if file is None or name not in manifest.files:
        raise NotFound(f"There is no file called '{name}' here; /downloads lists them all.")
    path = _dumps_dir() / name
    info = manifest.files[name]
    try:
        modified = path.stat().st_mtime
    except OSError:
        raise NotFound(f"The file '{name}' is missing from the downloads; kg dump writes it again.") from None
    return send_file(path, mimetype=file.served_type, as_attachment=file.compressed, download_name=name,
                     conditional=True, etag=info["sha256"], last_modified=modified)


@bp.get("/dataset")
@bp.get("/.well-known/void")
def dataset():
    """The description in the format the client accepts: Turtle for no Accept or ``*/*``, HTML for a browser."""
    manifest = _manifest()
    accept = request.accept_mimetypes
    chosen = accept.best_match(OFFERED) if accept else OFFERED[0]
    if chosen is None:
        raise NotAcceptable(f"The dataset's description is available as {', '.join(OFFERED)}.")
    if chosen == HTML:
        return make_response(_page(manifest))
    return _described(manifest, rdf_format(chosen))


@bp.get(f"/dataset.<any({', '.join(f.extension for f in RDF_FORMATS)}):ext>")
def dataset_as(ext: str):
    """The description in one format, whatever the Accept header says (``/dataset.jsonld``)."""
    return _described(_manifest(), rdf_format(ext))


def _described(manifest: Manifest, fmt: RdfFormat):
    body = _description(str(_dumps_dir()), manifest.version, fmt)
    response = make_response(body)
    response.content_type = fmt.media_type + ("; charset=utf-8" if fmt.media_type.startswith("text/") else "")
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    return response.make_conditional(request)


@bp.after_request
def _vary(response):
    """The description's answer depends on Accept, its errors (406) included."""
    if request.endpoint == "downloads.dataset":
        response.vary.add("Accept")
    return response


@lru_cache(maxsize=32)
def _description(folder: str, version: str, fmt: RdfFormat) -> bytes:
    """The description in a format; computed once per dump version (the manifest is re-read only then)."""
    manifest = read_manifest(Path(folder))
    if manifest is None or manifest.version != version:  # replaced in between: the caller's one is gone
        raise NotFound("The downloads are being rewritten; try again.")
    return write(manifest.description(), fmt)


def _page(manifest: Manifest):
    rows = [(file, manifest.files[file.name]) for file in LISTED if file.name in manifest.files]
    return render_template("downloads.html", manifest=manifest, rows=rows, counts=manifest.counts,
                           license=str(LICENSE), formats=RDF_FORMATS, size=human_size)


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n} bytes"
