"""``kg export-site``: the whole site as static files anyone can host, or read from a folder offline.

The pages are the site's own: the app (``create_app``, over the build's embedded
store) answers every page a fan can reach from the home page, every entity,
list state, ontology term, twin and download, through Flask's test client, in
a sorted breadth-first crawl; each answer is written where
:mod:`web.exportfiles` says, its links made relative, with the site's CSP in a
``<meta>`` (a static host sends no headers of ours).  ``/sparql`` cannot be
static: its links lead to ``--sparql-endpoint`` or to a page saying none is
configured.  The same data gives the same bytes; the folder is written under a
temporary name and renamed into place, so a failed export leaves the old one.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import posixpath
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import click
import lxml.html
from flask import Flask, render_template

from kg.cli.base import build_option, data_option
from kg.cli.progress import for_terminal
from kg.errors import OutputError, UsageError
from kg.namespaces import JWR
from kg.progress import SILENT, Stages
from kg.publish.serving import prepare
from kg.settings import Settings
from kg.store import Store
from kg.views.graphoffline import offline_graph
from kg.views.searchoffline import offline_index

from . import CONTENT_SECURITY_POLICY, create_app
from .connections import CAP, DEPTHS, MAX_RELATIONS, entity_graph, group
from .exportfiles import canonical, exported, file_for, relative
from .filters import EXPORT, href, kind, label
from .search import index as search_index
from .site import site

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
#: The graph view's bounds, for the browser to draw it as the server does (web/static/offline-graph.js).
GRAPH_VIEW = {"depths": list(DEPTHS), "cap": CAP, "max_relations": MAX_RELATIONS}
#: Server routes whose every query the export answers with one page and a script reading the query.
READ_BY_SCRIPT = {"/suggest": SUGGEST_PAGE, "/connections": CONNECTIONS_PAGE}
SEEDS = ("/", "/search", "/connections", "/matrix", "/ontology", "/downloads", "/changes", *SCRIPTS, *CONNECT_SCRIPTS,
         *GRAPH_SCRIPTS)


@dataclass
class Export:
    """What an export wrote: files by URL, and the links that led nowhere (there should be none)."""

    files: dict[str, str] = field(default_factory=dict)  # canonical URL -> file
    broken: list[tuple[str, str, int]] = field(default_factory=list)  # (page, link, status)


#: Where our pages link: lxml's iterlinks also reads every style for url(), which ours never have (the CSP),
#: and took a third of the export's own time.
LINKED = "//*[@href or @src or @action]"
LINK_ATTRIBUTES = ("href", "src", "action")


def _links(document) -> list[tuple]:
    """(element, attribute, link) for each link of a parsed page."""
    return [(element, name, link) for element in document.xpath(LINKED) for name in LINK_ATTRIBUTES
            if (link := element.get(name)) is not None]


_app: Flask | None = None  # the app a crawling process renders with (inherited by fork)


def _fetch(url: str) -> tuple[str, int, bytes, bool, list[str]]:
    """One URL rendered by the app: its status, body, whether it is a page, and the same-site URLs it links."""
    client = _app.test_client()
    client.set_cookie("seen", "all")
    answer = client.get(url)
    body, html = answer.get_data(), answer.mimetype == "text/html"
    found = sorted({key for _, _, link in _links(lxml.html.document_fromstring(body))
                    if (key := canonical(link)) and exported(key)}) if html else []
    return url, answer.status_code, body if answer.status_code == 200 else b"", html, found


def crawl(app: Flask, seeds: list[str], processes: int = 1) -> tuple[dict[str, tuple[bytes, bool]], Export]:
    """Every same-site URL reachable from ``seeds``: its body and whether it is a page (HTML).

    Breadth first, a level at a time; each level is rendered by ``processes`` forked copies of the app
    (rendering is the export's cost, and one process uses one core)."""
    global _app
    _app = app
    answers: dict[str, tuple[bytes, bool]] = {}
    report = Export()
    queued = {canonical(url) for url in seeds}
    level = [(url, "/") for url in sorted(queued)]
    pool = multiprocessing.get_context("fork").Pool(processes) if processes > 1 else None
    try:
        while level:
            referrers = dict(level)
            urls = sorted(referrers)
            results = pool.imap(_fetch, urls, chunksize=8) if pool else map(_fetch, urls)
            level = []
            for url, status, body, html, found in results:
                if status != 200:
                    report.broken.append((referrers[url], url, status))
                    continue
                answers[url] = (body, html)
                for key in found:
                    if key not in queued:
                        queued.add(key)
                        level.append((key, url))
    finally:
        if pool:
            pool.close()
            pool.join()
        _app = None
    return answers, report


_job: tuple = ()  # what a writing process writes: (answers, files, links, staging), inherited by fork


def _write(url: str) -> None:
    answers, files, links, staging = _job
    body, html = answers[url]
    path = staging / files[url]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_rewrite(body, files[url], links) if html else body)


def write(answers: dict[str, tuple[bytes, bool]], files: dict[str, str], links: Links, staging: Path,
          processes: int, advance=lambda: None) -> None:
    """Each answer into its file, pages with their links made relative, by ``processes`` forked writers (the
    pages are theirs from the fork: only URLs cross)."""
    global _job
    _job = (answers, files, links, staging)
    pool = multiprocessing.get_context("fork").Pool(processes) if processes > 1 else None
    try:
        for _ in (pool.imap_unordered(_write, sorted(answers), chunksize=16) if pool else map(_write, sorted(answers))):
            advance()
    finally:
        if pool:
            pool.close()
            pool.join()
        _job = ()


class Links:
    """Each link of the site as a page in one folder of the export writes it, worked out once per folder
    (the pages of a folder share most of their links: a memo halves the export's time)."""

    def __init__(self, files: dict[str, str], sparql: str | None):
        self.files, self.sparql = files, sparql
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
        if key in self.files:
            return relative(page, self.files[key], fragment)
        if key.split("?")[0] == "/sparql":
            return self.sparql or relative(page, SPARQL_PAGE)
        path, _, query = key.partition("?")
        if path in READ_BY_SCRIPT:  # the query is what the page's script reads (a fact to correct, a chain's end)
            return relative(page, READ_BY_SCRIPT[path]) + (f"?{query}" if query else "")
        return relative(page, "index.html")  # a server-only route: the export's home


def _rewrite(body: bytes, page: str, links: Links) -> bytes:
    document = lxml.html.document_fromstring(body)
    for element, name, link in _links(document):
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
        for script in (*SCRIPTS, *_scripts_of(page)):
            body.append(lxml.html.Element("script", {"src": links(page, script), "defer": ""}))
    return lxml.html.tostring(document, doctype="<!DOCTYPE html>", encoding="utf-8")


def _scripts_of(page: str) -> tuple[str, ...]:
    """What a page walks the entity graph with in the browser, besides what every page runs."""
    if page == CONNECTIONS_PAGE:
        return CONNECT_SCRIPTS
    return GRAPH_SCRIPTS if page.startswith("graph/") else ()


def browser_tables(app: Flask, files: dict[str, str]) -> dict[str, bytes]:
    """What the browser searches and walks (kg.views.searchoffline, kg.views.graphoffline), each entity by its
    page as a file of the export: scripts setting a global, not JSON files, for a browser loads a script from
    file://, where it refuses fetch()."""
    with app.test_request_context("/"):
        def url_of(iri) -> str | None:
            return files.get(canonical(href(iri) or ""))

        tables = {SEARCH_INDEX: ("kgSearchTables", offline_index(search_index(), url_of, kind)),
                  GRAPH_INDEX: ("kgGraphTables", {**offline_graph(entity_graph(), site().catalog, url_of, kind, label,
                                                                     group), "view": GRAPH_VIEW})}
    return {name: f"window.{variable} = {json.dumps(data, ensure_ascii=False, separators=(',', ':'), sort_keys=True)};\n"
            .encode() for name, (variable, data) in tables.items()}


def export_site(settings, out: Path, sparql_endpoint: str | None = None, store: Store | None = None,
                processes: int | None = None, stages: Stages = SILENT) -> Export:
    """Write the site of ``settings``' build into ``out`` (replaced whole, atomically)."""
    app = create_app(settings, store)
    app.config[EXPORT] = True  # every fact says from which spoiler level it shows (web/filters.py)
    try:
        entities = sorted(f"/id/{e[len(JWR):]}" for e in app.extensions["kg"].catalog.classes if e.startswith(JWR))
        with stages.stage(f"rendering every page (from {len(entities):,} entities and the links of each)") as stage:
            answers, report = crawl(app, [*SEEDS, *entities], processes or min(4, os.cpu_count() or 1))
            stage.note(f"{len(answers):,} pages and files")
        report.files = {url: file_for(url, html) for url, (_, html) in answers.items()}
        staging = out.with_name(f".{out.name}.tmp")
        shutil.rmtree(staging, ignore_errors=True)
        links = Links(report.files, sparql_endpoint)
        try:
            with stages.stage(f"writing the files into {out}", len(answers)) as stage:
                write(answers, report.files, links, staging, processes or min(4, os.cpu_count() or 1), stage.advance)
            with stages.stage("writing the tables of search and connections") as stage:
                for name, script in browser_tables(app, report.files).items():
                    (staging / name).write_bytes(script)
            if sparql_endpoint is None:
                with app.test_request_context("/sparql"):
                    page = render_template("export_sparql.html").encode("utf-8")
                (staging / SPARQL_PAGE).write_bytes(_rewrite(page, SPARQL_PAGE, links))
            with app.test_request_context("/suggest"):
                page = render_template("export_suggest.html").encode("utf-8")
            (staging / SUGGEST_PAGE).write_bytes(_rewrite(page, SUGGEST_PAGE, links))
            _replace(staging, out)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise OutputError(f"cannot write the export into {out}: {exc.strerror}") from None
    finally:
        app.extensions["kg-queries"].close()
    return report


def _replace(staging: Path, out: Path) -> None:
    """Put the new export in place of the old one: renames, so a reader never sees half of one."""
    old = out.with_name(f".{out.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)


@click.command("export-site")
@data_option
@build_option
@click.option("--out", "target", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="the folder to write the site into (replaced whole)")
@click.option("--sparql-endpoint", metavar="URL", help="a public SPARQL endpoint the pages' SPARQL links lead to")
@click.option("--processes", type=click.IntRange(1, 64), default=None,
              help="processes rendering pages  [default: the cores, at most 4]")
def export_command(data_dir: Path, build_dir: Path, target: Path, sparql_endpoint: str | None,
                   processes: int | None) -> None:
    """Write the whole site as static files: host them anywhere, or open them from a folder.

    Every page a fan reaches (home, entities, lists in each state their pages
    link to, the matrix, the ontology, downloads, changes) with its JSON twin,
    and the dumps; links are relative, so the folder works at any address and
    from file://.  The data is built first if it changed.

    \b
    Example:
      kg export-site --out site/ --sparql-endpoint https://query.example.org/sparql
    """
    if sparql_endpoint is not None and urlsplit(sparql_endpoint).scheme not in ("http", "https"):
        raise UsageError(f"--sparql-endpoint must be an http(s) URL, not {sparql_endpoint!r}")
    settings = Settings(data_dir=data_dir, out_dir=build_dir)
    prepare(settings)
    report = export_site(settings, target, sparql_endpoint, processes=processes, stages=for_terminal("kg export-site"))
    if report.broken:
        for page, link, status in report.broken[:20]:
            click.echo(f"{page}: a link to {link} answered {status}", err=True)
        raise OutputError(f"{len(report.broken)} links of the site lead nowhere; the export was written anyway")
    click.echo(f"exported {len(report.files)} files into {target}", err=True)
