"""The static export in Chromium, served by a plain static server: search and its suggestions work without a
server of ours (names, aliases, accents and case, typos) and give the server's first results."""

from __future__ import annotations

import sys

import pytest

from kg.store import EmbeddedStore

from ..conftest import UNIVERSE, free_port, make_app, running
from .test_export import exported  # noqa: F401 - the fixture: the fixture universe exported

QUERIES = ["hero", "HERO", "boogeyman", "the boogeyman", "villan", "herp", "film", "clan", "elder", "sister", "fixture",
           "one"]


@pytest.fixture(scope="module")
def site(exported):  # noqa: F811
    port = free_port()
    argv = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(exported)]
    with running(argv, port, "http.server") as url:
        yield url


@pytest.fixture(scope="module")
def server(universe_nquads):
    app = make_app(EmbeddedStore.from_nquads(universe_nquads), out_dir=universe_nquads.parent,
                   data_dir=UNIVERSE)
    yield app.test_client()
    app.extensions["kg-queries"].close()


def test_the_browser_finds_what_the_server_finds_first(page, site, server):
    page.goto(f"{site}/index.html")
    page.wait_for_function("window.kgOfflineSearch !== undefined")
    for q in QUERIES:
        offline = page.evaluate("async (q) => (await window.kgOfflineSearch('search-index.json'))"
                                ".search(q, {seen: null, canon: false}, 8).hits.map(h => [h.label, h.field])", q)
        online = [[r["label"], r["field"]] for r in server.get("/api/search", query_string={"q": q, "limit": 8})
                  .get_json()["results"]]
        assert offline == online, q


def test_suggestions_come_from_the_search_tables(page, site):
    page.goto(f"{site}/id/villain.html")
    page.locator("#q").press_sequentially("boogeyman", delay=20)
    first = page.locator("#q-suggestions li").first
    first.wait_for()
    assert "Hero" in first.inner_text() and "also known as The Boogeyman" in first.inner_text()
    first.click()
    page.wait_for_url("**/id/hero.html")


def test_the_search_page_lists_results_for_its_query(page, site):
    page.goto(f"{site}/search.html?q=villan")
    page.locator("ol.results li").first.wait_for()
    assert page.locator("ol.results li a.name").first.inner_text() == "Villain"
    assert "nearest" in page.locator("p.near").inner_text()
    page.locator("ol.results li a.name").first.click()
    page.wait_for_url("**/id/villain.html")
