"""``kg export-site``: the whole site as static files anyone can host, or read from a folder offline.

The pages are the site's own: the app (``create_app``, over the build's embedded
store) answers every page a fan can reach from the home page, every entity,
list state, ontology term, twin and download, through Flask's test client, in
a sorted breadth-first crawl; each answer is written where
:mod:`web.exportfiles` says by the process that renders it, its links made
relative in the parse that finds them (where each link's target will be
written is known from its URL: :func:`web.exportpages.predicted`, checked
once the crawl is done), with the site's CSP in a ``<meta>`` (a static host
sends no headers of ours).  ``/sparql`` cannot be
static: its links lead to ``--sparql-endpoint`` or to a page saying none is
configured.  The same data gives the same bytes; the folder is written under a
temporary name and renamed into place, so a failed export leaves the old one.
"""

from __future__ import annotations

import json
import multiprocessing
import os
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

from . import create_app
from .connections import CAP, DEPTHS, MAX_RELATIONS, entity_graph, group
from .exportfiles import canonical, exported, file_for
from .exportpages import (
    CONNECT_SCRIPTS,
    GRAPH_INDEX,
    GRAPH_SCRIPTS,
    SCRIPTS,
    SEARCH_INDEX,
    SPARQL_PAGE,
    SUGGEST_PAGE,
    Links,
    finish,
    links_of,
    predicted,
    rewrite,
)
from .filters import EXPORT, href, kind, label
from .search import index as search_index
from .site import site

#: The graph view's bounds, for the browser to draw it as the server does (web/static/offline-graph.js).
GRAPH_VIEW = {"depths": list(DEPTHS), "cap": CAP, "max_relations": MAX_RELATIONS}
SEEDS = ("/", "/search", "/connections", "/matrix", "/ontology", "/downloads", "/changes", *SCRIPTS, *CONNECT_SCRIPTS,
         *GRAPH_SCRIPTS)


@dataclass
class Export:
    """What an export wrote: files by URL, and the links that led nowhere (there should be none)."""

    files: dict[str, str] = field(default_factory=dict)  # canonical URL -> file
    broken: list[tuple[str, str, int]] = field(default_factory=list)  # (page, link, status)


_crawler: tuple = ()  # (app, staging, links): what a rendering process renders with, writes into and links by
#                       (inherited by fork)


def _fetch(url: str) -> tuple[str, int, str | None, list[str]]:
    """One URL rendered by the app and written where the export keeps it (a page with its links made relative):
    its status, the file it went into, and the same-site URLs it links (the body stays in the rendering
    process)."""
    app, staging, links = _crawler
    client = app.test_client()
    client.set_cookie("seen", "all")
    answer = client.get(url)
    body, html = answer.get_data(), answer.mimetype == "text/html"
    if answer.status_code != 200:
        return url, answer.status_code, None, []
    found: list[str] = []
    file = file_for(url, html)
    if html:
        document = lxml.html.document_fromstring(body)
        found = sorted({key for _, _, link in links_of(document) if (key := canonical(link)) and exported(key)})
        body = finish(document, file, links)
    path = staging / file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    return url, 200, file, found


def crawl(app: Flask, seeds: list[str], staging: Path, links: Links, processes: int = 1) -> Export:
    """Every same-site URL reachable from ``seeds``, written into ``staging`` as the app answers it; the report
    says where each went.

    Breadth first, a level at a time; each level is rendered by ``processes`` forked copies of the app
    (rendering is the export's cost, and one process uses one core), each writing what it renders: only URLs
    cross, and no process holds the site (at a million triples it is gigabytes)."""
    global _crawler
    _crawler = (app, staging, links)
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
            for url, status, file, found in results:
                if status != 200:
                    report.broken.append((referrers[url], url, status))
                    continue
                report.files[url] = file
                for key in found:
                    if key not in queued:
                        queued.add(key)
                        level.append((key, url))
    finally:
        if pool:
            pool.close()
            pool.join()
        _crawler = ()
    return report


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
    processes = processes or min(4, os.cpu_count() or 1)
    staging = out.with_name(f".{out.name}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        entities = sorted(f"/id/{e[len(JWR):]}" for e in app.extensions["kg"].catalog.classes if e.startswith(JWR))
        links = Links(sparql_endpoint)
        with stages.stage(f"rendering every page (from {len(entities):,} entities and the links of each)") as stage:
            report = crawl(app, [*SEEDS, *entities], staging, links, processes)
            stage.note(f"{len(report.files):,} pages and files")
        misplaced = [url for url, file in report.files.items() if file != predicted(url)]
        if misplaced:  # a page's links to it were made before it was written: they would lead nowhere
            raise OutputError(f"{misplaced[0]} was written as {report.files[misplaced[0]]}, not where the pages "
                              f"link it ({predicted(misplaced[0])}): a route answered a page at a file's name")
        with stages.stage("writing the tables of search and connections") as stage:
            for name, script in browser_tables(app, report.files).items():
                (staging / name).write_bytes(script)
        if sparql_endpoint is None:
            with app.test_request_context("/sparql"):
                page = render_template("export_sparql.html").encode("utf-8")
            (staging / SPARQL_PAGE).write_bytes(rewrite(page, SPARQL_PAGE, links))
        with app.test_request_context("/suggest"):
            page = render_template("export_suggest.html").encode("utf-8")
        (staging / SUGGEST_PAGE).write_bytes(rewrite(page, SUGGEST_PAGE, links))
        _replace(staging, out)
    except OSError as exc:
        raise OutputError(f"cannot write the export into {out}: {exc.strerror}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # gone once renamed into place; else what a failure left
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
