"""Where each page of the site lives in the static export, and its links made relative to it.

A static host (or ``file://``) serves files, not routes: ``/id/john-wick`` becomes
``id/john-wick.html``, a page with a query (a list in one of its filter states)
a file whose name says the query, and every link a path relative to the page that
holds it, so the export works under any base path (``https://example.org/jw/``
as well as a folder on a USB stick).  Links are rewritten with lxml's
``rewrite_links`` (every ``href``, ``src``, ``action`` and CSS ``url()``), never
by editing HTML text.
"""

from __future__ import annotations

import functools
import posixpath
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

#: Query parameters that say what the fan reads: the export shows everything and leaves choosing to the browser.
READING_PARAMETERS = ("seen", "canon")
#: Query parameters that only bust caches (static files' ?v=).
CACHE_PARAMETERS = ("v",)
#: Query parameters that say where to go back to (the page of every release, /seen): the browser goes back.
RETURN_PARAMETERS = ("next",)
#: Paths the export does not write: the server's own (SPARQL, APIs, health, the spoiler form's redirect, the
#: suggestion form, which the export writes once as a page of its own).
SERVER_ONLY = ("/sparql", "/api/", "/health", "/spoilers", "/.well-known/", "/dataset", "/suggest")


@functools.lru_cache(maxsize=1 << 16)  # a site's pages share most of their links: each is read once
def canonical(url: str) -> str | None:
    """A same-site link as the export writes it (path and the query that matters), or None if it is not ours.

    ``/browse/characters?seen=2&order=story`` and ``/browse/characters?order=story`` are one page."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if k not in READING_PARAMETERS + CACHE_PARAMETERS + RETURN_PARAMETERS)
    return parts.path + ("?" + urlencode(query) if query else "")


#: The machine-readable twins the export writes: JSON (the RDF formats are in the dumps, whole).
TWINS = (".json",)
RDF_TWINS = (".ttl", ".nt", ".jsonld", ".rdf", ".nq", ".trig")


#: Pages whose answers to a question (their query) the browser works out in the export: only the page itself.
ASKED_IN_THE_BROWSER = ("/connections", "/search")


@functools.lru_cache(maxsize=1 << 16)
def exported(url: str) -> bool:
    """Is this same-site URL (a :func:`canonical` one) written by the export?  Not the server's own routes, nor
    the RDF twins of each page (every statement is in the dumps; the twins would be most of the files), nor
    the answers of connections and search to each question (the browser finds them)."""
    path, _, query = url.partition("?")
    if any(path == prefix.rstrip("/") or path.startswith(prefix) for prefix in SERVER_ONLY):
        return False
    if query and path in ASKED_IN_THE_BROWSER:
        return False
    return path.startswith("/downloads/") or not path.endswith(RDF_TWINS)


def file_for(url: str, html: bool) -> str:
    """The file (relative to the export's root) holding the answer at ``url`` (a :func:`canonical` URL).

    An HTML page gets ``.html`` (``/`` is ``index.html``); a query is written into the name with characters
    every file system and URL keep (``browse/characters--order=story.html``); other answers keep their path.
    """
    parts = urlsplit(url)
    path = parts.path.strip("/") or "index"
    name, extension = (path, ".html") if html else posixpath.splitext(path)
    if parts.query:
        name += "--" + "--".join(f"{quote(k, safe='')}={quote(v, safe='')}"
                                 for k, v in parse_qsl(parts.query, keep_blank_values=True))
    return name.replace("%", "~") + extension


def relative(from_file: str, to_file: str, fragment: str = "") -> str:
    """The link from the page ``from_file`` to ``to_file`` (both relative to the export's root)."""
    start = posixpath.dirname(from_file) or "."
    target = posixpath.relpath(to_file, start)
    return quote(target, safe="/~=-._") + (f"#{fragment}" if fragment else "")
