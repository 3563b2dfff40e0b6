"""What a page of the static export becomes: its links relative to its own file, the site's policy in a
``<meta>``, and the scripts that do in the browser what the server does per request (web/export.py)."""

from __future__ import annotations

import posixpath

import lxml.html

from . import CONTENT_SECURITY_POLICY
from .exportfiles import canonical, exported, file_for, relative

SPARQL_PAGE = "sparql.html"
SUGGEST_PAGE = "suggest.html"  # "suggest a correction" as the text of an issue: a static copy cannot check a patch
SEARCH_INDEX = "search-index.js"
#: The site's policy as a <meta> can carry it (a browser ignores frame-ancestors there, and says so).
META_POLICY = "; ".join(p for p in CONTENT_SECURITY_POLICY.split("; ") if not p.startswith("frame-ancestors"))
#: What the browser runs in the export in place of the server: search, and the fan's reading.
SCRIPTS = ("/static/offline-search.js", "/static/offline-spoilers.js", "/static/offline-pages.js",
           "/static/offline-suggest.js")
GRAPH_INDEX = "graph-index.js"
CONNECTIONS_PAGE = "connections.html"
CONNECT_SCRIPTS = ("/static/offline-connect.js", "/static/offline-connections.js")
GRAPH_SCRIPTS = ("/static/offline-connect.js", "/static/offline-graph.js")  # the graph view, walked in the browser
#: Server routes whose every query the export answers with one page and a script reading the query.
READ_BY_SCRIPT = {"/suggest": SUGGEST_PAGE, "/connections": CONNECTIONS_PAGE}
#: Where our pages link: lxml's iterlinks also reads every style for url(), which ours never have (the CSP),
#: and took a third of the export's own time.
LINKED = "//*[@href or @src or @action]"
LINK_ATTRIBUTES = ("href", "src", "action")


def links_of(document) -> list[tuple]:
    """(element, attribute, link) for each link of a parsed page."""
    return [(element, name, link) for element in document.xpath(LINKED) for name in LINK_ATTRIBUTES
            if (link := element.get(name)) is not None]


def predicted(key: str) -> str:
    """The file the export writes the exported URL ``key`` into, known before it is rendered, as the app's
    routes decide: a page, unless its path names a file by its extension (a twin, a script, a dump) or lies
    under ``/static/`` or ``/downloads/``.  The crawl checks each answer against it (web/export.py)."""
    path = key.partition("?")[0]
    return file_for(key, not path.startswith(("/static/", "/downloads/")) and not posixpath.splitext(path)[1])


class Links:
    """Each link of the site as a page in one folder of the export writes it, worked out once per folder
    (the pages of a folder share most of their links: a memo halves the export's time).  A link to a URL
    the export writes leads where :func:`predicted` says, known before that URL is rendered: so each page's
    links are made relative by the process that renders it, in the one parse that finds them."""

    def __init__(self, sparql: str | None):
        self.sparql = sparql
        self.memo: dict[tuple[str, str], str] = {}

    def __call__(self, page: str, link: str) -> str:
        folder = posixpath.dirname(page)
        found = self.memo.get((folder, link))
        if found is None:
            found = self.memo[(folder, link)] = self._target(page, link)
        return found

    def _target(self, page: str, link: str) -> str:
        key = canonical(link.split("#")[0]) if not link.startswith("#") else None
        fragment = link.split("#", 1)[1] if "#" in link else ""
        if key is None:
            return link
        if exported(key):
            return relative(page, predicted(key), fragment)
        path, _, query = key.partition("?")
        if path == "/sparql":
            return self.sparql or relative(page, SPARQL_PAGE)
        if path in READ_BY_SCRIPT:  # the query is what the page's script reads (a fact to correct, a chain's end)
            return relative(page, READ_BY_SCRIPT[path]) + (f"?{query}" if query else "")
        return relative(page, "index.html")  # a server-only route: the export's home


def rewrite(body: bytes, page: str, links: Links) -> bytes:
    return finish(lxml.html.document_fromstring(body), page, links)


def finish(document, page: str, links: Links) -> bytes:
    """A parsed page as the export writes it into ``page``: links relative, the policy and scripts added."""
    for element, name, link in links_of(document):
        element.set(name, links(page, link))
    for box in document.xpath("//input[@data-suggest]"):  # suggestions from the search tables, not /api/search
        del box.attrib["data-suggest"]
        box.set("data-suggest-index", relative(page, SEARCH_INDEX))
    head, body = document.find("head"), document.find("body")
    if head is not None:
        meta = lxml.html.Element("meta", {"http-equiv": "Content-Security-Policy", "content": META_POLICY})
        head.insert(0, meta)
    if body is not None:
        body.set("data-search-index", relative(page, SEARCH_INDEX))
        body.set("data-graph-index", relative(page, GRAPH_INDEX))
        for script in (*SCRIPTS, *scripts_of(page)):
            body.append(lxml.html.Element("script", {"src": links(page, script), "defer": ""}))
    return lxml.html.tostring(document, doctype="<!DOCTYPE html>", encoding="utf-8")


def scripts_of(page: str) -> tuple[str, ...]:
    """What a page walks the entity graph with in the browser, besides what every page runs."""
    if page == CONNECTIONS_PAGE:
        return CONNECT_SCRIPTS
    return GRAPH_SCRIPTS if page.startswith("graph/") else ()
