"""The static export in Chromium, served by a plain static server: search and its suggestions work without a
server of ours (names, aliases, accents and case, typos) and give the server's first results."""

from __future__ import annotations

import sys

import lxml.html
import pytest

from kg.namespaces import JWO
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
        offline = page.evaluate("async (q) => (await window.kgOfflineSearch('search-index.js'))"
                                ".search(q, {seen: null, canon: false}, 8).hits.map(h => [h.label, h.field])", q)
        online = [[r["label"], r["field"]] for r in server.get("/api/search", query_string={"q": q, "limit": 8})
                  .get_json()["results"]]
        assert offline == online, q


def test_suggestions_come_from_the_search_tables(page, site):
    page.goto(f"{site}/id/villain.html?seen=all")
    page.locator("#q").press_sequentially("boogeyman", delay=20)
    first = page.locator("#q-suggestions li").first
    first.wait_for()
    assert "Hero" in first.inner_text() and "also known as The Boogeyman" in first.inner_text()
    first.click()
    page.wait_for_url("**/id/hero.html?seen=all")


def test_the_search_page_lists_results_for_its_query(page, site):
    page.goto(f"{site}/search.html?q=villan&seen=all")
    page.locator("ol.results li").first.wait_for()
    assert page.locator("ol.results li a.name").first.inner_text() == "Villain"
    assert "nearest" in page.locator("p.near").inner_text()
    page.locator("ol.results li a.name").first.click()
    page.wait_for_url("**/id/villain.html?seen=all")


SLUGS = ("hero", "villain", "wife", "sister", "elder", "film-one", "film-two", "clan-a", "series-one")
READINGS = (("0", "0"), ("1", "0"), ("2", "1"), ("all", "0"), ("all", "1"))
SHOWN_FACTS = "Array.from(document.querySelectorAll('[data-fact]')).filter(e => !e.closest('[hidden]'))" \
              ".map(e => e.dataset.fact)"


@pytest.fixture(scope="module")
def annotated(universe_nquads):
    """The server's pages with the export's annotations, as a fan at some level reads them."""
    app = make_app(EmbeddedStore.from_nquads(universe_nquads), out_dir=universe_nquads.parent, data_dir=UNIVERSE)
    app.config["KG_EXPORT"] = True
    client = app.test_client()

    def facts(slug: str, seen: str, canon: str) -> set[str]:
        client.set_cookie("seen", seen)
        client.set_cookie("canon", canon)
        document = lxml.html.document_fromstring(client.get(f"/id/{slug}").get_data())
        return {e.get("data-fact") for e in document.xpath("//*[@data-fact]")
                if not e.xpath("ancestor::*[contains(@class, 'hidden-facts') or contains(@class, 'left-out')]")}

    yield facts
    app.extensions["kg-queries"].close()


def test_static_entity_pages_show_the_servers_facts_at_each_spoiler_level(page, site, annotated):
    counts = {}
    for slug in SLUGS:
        for seen, canon in READINGS:
            page.goto(f"{site}/id/{slug}.html?seen={seen}&canon={canon}")
            shown = set(page.evaluate(SHOWN_FACTS))
            assert shown == annotated(slug, seen, canon), (slug, seen, canon)
            counts[(slug, seen, canon)] = len(shown)
    assert counts[("hero", "0", "0")] < counts[("hero", "all", "0")]  # spoilers were hidden, not nothing shown
    assert counts[("hero", "all", "1")] < counts[("hero", "all", "0")]  # and readings, for canon only


def test_a_first_visit_asks_and_the_answer_is_kept_in_the_browser(page, site):
    page.goto(f"{site}/id/hero.html")
    question = page.locator("section.first-visit")
    assert question.is_visible()
    everything = len(page.evaluate("Array.from(document.querySelectorAll('[data-fact]')).map(e => e.dataset.fact)"))
    assert len(page.evaluate(SHOWN_FACTS)) < everything  # nothing seen yet: no story fact
    question.locator("select").select_option("all")
    question.locator("button").click()
    assert not question.is_visible()
    assert len(page.evaluate(SHOWN_FACTS)) == everything
    page.goto(f"{site}/id/villain.html")  # kept for the next page
    assert not page.locator("section.first-visit").is_visible()
    page.locator("form.spoilers select[name=seen]").select_option("0")  # applies at once, on this page
    assert page.url.split("?")[0].endswith("/id/villain.html")
    assert "hidden on this page" in page.locator("p.offline-hidden").inner_text()


def test_without_javascript_the_page_warns_of_spoilers(exported):  # noqa: F811
    assert "shows every fact, spoilers included" in (exported / "id" / "hero.html").read_text()


def test_the_export_read_from_a_folder_searches_and_hides_spoilers_too(page, exported):  # noqa: F811
    page.goto((exported / "id" / "villain.html").as_uri() + "?seen=all")
    page.locator("#q").press_sequentially("boogeyman", delay=20)
    page.locator("#q-suggestions li").first.wait_for()
    assert "Hero" in page.locator("#q-suggestions li").first.inner_text()
    page.goto((exported / "id" / "hero.html").as_uri() + "?seen=0")
    assert "hidden on this page" in page.locator("p.offline-hidden").inner_text()


PAIRS = (("hero", "villain"), ("hero", "clan-a"), ("wife", "sister"), ("elder", "villain"), ("sister", "film-one"),
         ("villain", "syndicate-a"), ("wife", "film-two"))
OFFLINE_CHAINS = """async ([a, z, seen, canon]) => {
  const t = await window.kgOfflineGraph('graph-index.js');
  const found = window.kgOfflineConnect.connect(t, t.byPath.get(a), t.byPath.get(z),
                                                {seen: seen === 'all' ? null : Number(seen), canon: canon === '1'});
  return found.chains.map(chain => [chain.entities.map(e => t.entities[e].path), chain.steps.map(links => links.map(
    l => [t.predicates[l[1]].iri, window.kgOfflineConnect.DIRECTION[l[2]], found.lens.linkMarks(l)]))]);
}"""


def test_the_browser_finds_the_servers_chains_at_each_reading(page, site, server):
    page.goto(f"{site}/connections.html")
    page.wait_for_function("window.kgOfflineConnect !== undefined")
    found = 0
    for seen, canon in READINGS:
        server.set_cookie("seen", seen)
        server.set_cookie("canon", canon)
        for a, z in PAIRS:
            offline = page.evaluate(OFFLINE_CHAINS, [a, z, seen, canon])
            answer = server.get("/api/connections", query_string={"from": a, "to": z}).get_json()
            online = [[[e["url"].removeprefix("/id/") for e in chain["entities"]],
                       [[[str(JWO[link["relation"]]), link["direction"], link["marks"]] for link in step]
                        for step in chain["steps"]]] for chain in answer["chains"]]
            assert offline == online, (a, z, seen, canon)
            found += len(online)
    assert found > len(PAIRS)  # chains were found, not none on both sides


def test_the_connections_page_reads_names_and_lists_the_chains(page, site):
    page.goto(f"{site}/connections.html?from=the+boogeyman&to=villain&seen=all")
    page.locator("ol.chains li").first.wait_for()
    assert page.locator("#connect-from").input_value() == "Hero"
    first = page.locator("ol.chains li").first.inner_text()
    assert first.startswith("1 step") and "Hero" in first and "Villain" in first
    page.goto(f"{site}/connections.html?from=nobody-at-all&to=villain&seen=all")
    assert "No entity you can see is called" in page.locator("p.message.unknown").inner_text()


def test_suggest_a_correction_in_the_export_makes_the_text_of_an_issue(page, site):
    page.goto(f"{site}/id/hero.html")
    page.locator("a.suggest-link:visible").first.click()
    page.wait_for_url("**/suggest.html?about=hero*")
    issue = page.locator("textarea[name=issue]")
    assert "Suggested correction for hero, the fact jwo:" in issue.input_value()
    page.fill("input[name=new]", "cousin-a")
    page.fill("input[name=source]", "https://example.org/family")
    text = issue.input_value()
    assert "The right value should be: cousin-a" in text and "Source: https://example.org/family" in text
