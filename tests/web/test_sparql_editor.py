"""The query editor page at /sparql, as the server renders it (the browser side is in test_sparql_browser.py)."""

from __future__ import annotations

import html
import json
import re
import tomllib
from fnmatch import fnmatch
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from kg.namespaces import PREFIXES
from kg.sparql.examples import load_examples

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "web" / "static" / "vendor" / "yasgui-4.6.2"
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}  # what Chromium sends


def editor(client, **params):
    response = client.get("/sparql", query_string=params, headers=HTML)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def textarea(page: str) -> str:
    match = re.search(r'<textarea id="sparql-query"[^>]*>\n(.*?)</textarea>', page, re.DOTALL)
    assert match, "the editor's textarea is missing"
    return html.unescape(match.group(1))


def test_the_editor_lists_every_example(client):
    page = editor(client)
    examples = load_examples()
    assert len(examples) >= 20
    text = html.unescape(page)
    for example in examples:
        assert example.title in text
        # each one is a link that opens the editor with its query (and runs it): it works without JavaScript too
        link = re.search(rf'<a href="([^"]+)" data-example="{re.escape(example.name)}"', page)
        assert link, f"no link for the example {example.name}"
        assert parse_qs(urlsplit(html.unescape(link.group(1))).query)["query"] == [example.query]


def test_the_editor_offers_our_prefixes(client):
    page = editor(client)
    starter = textarea(page)
    for prefix in ("jwo", "jwr", "rdfs", "schema"):
        assert f"PREFIX {prefix}: <{PREFIXES[prefix]}>" in starter
    assert "SELECT" in starter
    settings = json.loads(re.search(r'<script type="application/json" id="sparql-settings">(.*?)</script>',
                                    page, re.DOTALL).group(1))
    assert settings["prefixes"] == {p: str(ns) for p, ns in PREFIXES.items()}
    for prefix, ns in PREFIXES.items():  # and lists them for people
        assert f"<dt>{prefix}:</dt><dd><code>{ns}</code></dd>" in page


def test_the_query_in_the_url_is_in_the_editor(client):
    query = "SELECT ?name WHERE { ?c a jwo:Character ; rdfs:label ?name } ORDER BY ?name"
    page = editor(client, query=query)
    assert textarea(page) == query
    assert re.search(r'<input id="q"[^>]*value="([^"]*)"', page).group(1) == ""  # not in the header's search box


def test_the_query_text_is_escaped(client):
    query = 'SELECT * WHERE { ?s ?p "</script><script>alert(1)</script>" } # <img src=x onerror=alert(2)>'
    page = editor(client, query=query)
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert textarea(page) == query


def test_the_editor_uses_only_our_own_files_and_keeps_the_csp(client):
    from web import CONTENT_SECURITY_POLICY

    response = client.get("/sparql", headers=HTML)
    page = response.get_data(as_text=True)
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY  # not relaxed for the editor
    scripts = [src.split("?v=")[0] for src in re.findall(r'<script src="([^"]+)"', page)]  # ?v=: web/caching.py
    assert "/static/vendor/yasgui-4.6.2/yasgui.min.js" in scripts
    assert "/static/sparql.js" in scripts
    assert all(src.startswith("/static/") for src in scripts)
    sheets = [href.split("?v=")[0] for href in re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', page)]
    assert "/static/vendor/yasgui-4.6.2/yasgui.min.css" in sheets
    assert all(href.startswith("/static/") for href in sheets)
    assert '<script>' not in page and ' style="' not in page  # nothing inline


def test_the_navigation_links_to_the_editor(client):
    page = client.get("/", headers=HTML).get_data(as_text=True)
    assert '<a href="/sparql">SPARQL</a>' in page


def test_yasgui_is_vendored_with_its_licence_and_packaged():
    assert {p.name for p in VENDOR.iterdir()} == {"yasgui.min.js", "yasgui.min.css", "LICENSE"}
    assert "MIT" in (VENDOR / "LICENSE").read_text(encoding="utf-8")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = project["tool"]["setuptools"]["package-data"]["web"]
    for path in VENDOR.iterdir():
        relative = path.relative_to(ROOT / "web").as_posix()
        assert any(fnmatch(relative, glob) for glob in globs), f"{relative} is not in the package data"
