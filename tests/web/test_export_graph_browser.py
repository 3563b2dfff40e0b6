"""The graph view of the static export in Chromium: walked in the browser at the fan's reading, it draws and
lists what the server's graph view draws and lists at that reading (entities, facts, marks, relation choices,
summary), hides an entity named only by a work not yet seen, and shows nothing of a later work before."""

from __future__ import annotations

import lxml.html
import pytest

from .test_export import exported  # noqa: F401 - the fixture universe exported
from .test_export_browser import READINGS, server, site  # noqa: F401 - a static server of it, and the app

SLUGS = ("hero", "villain", "wife", "sister", "film-one", "film-two", "clan-a", "series-one")
STATES = ({}, {"depth": "2"}, {"depth": "2", "rel": ["memberOf", "sibling"]})

OFFLINE = """() => {
  const section = document.querySelector('section.graph-view');
  const box = document.getElementById('graph');
  const text = (e) => e.textContent.replace(/\\s+/g, ' ').trim();
  return {
    hidden: !box,
    heading: text(section.querySelector('h1')),
    nodes: box && box.cy ? box.cy.nodes().map((n) => [n.id(), n.data('depth'), n.data('marks')]) : [],
    edges: box && box.cy ? box.cy.edges().map((e) => [e.id(), e.data('symmetric'), e.data('marks')]) : [],
    relations: Array.from(section.querySelectorAll('fieldset.relations label'))
      .map((l) => [l.querySelector('input').value, text(l.querySelector('.count')), l.querySelector('input').checked]),
    summary: box ? text(section.querySelector('p.summary')) : null,
    list: Array.from(section.querySelectorAll('details.as-list li')).map(text),
    keys: Array.from(section.querySelectorAll('ul.key:not(.lines) li')).map(text),
  };
}"""


def _server_view(server, slug: str, state: dict) -> dict:  # noqa: F811
    api = server.get(f"/api/graph/{slug}", query_string=state).get_json()
    page = lxml.html.document_fromstring(server.get(f"/graph/{slug}", query_string=state).get_data())
    text = lambda e: " ".join(e.text_content().split())
    section = page.xpath("//section[@class='graph-view']")[0]
    return {
        "hidden": api["hidden"],
        "heading": text(section.xpath(".//h1")[0]),
        "nodes": [[n["id"], n["depth"], n["marks"]] for n in api["nodes"]],
        "edges": [[e["id"], e["symmetric"], e["marks"]] for e in api["edges"]],
        "relations": [[r["name"], str(r["count"]), r["checked"]] for r in api["relations"]],
        "summary": None if api["hidden"] else text(section.xpath(".//p[@class='summary']")[0]),
        "list": [text(li) for li in section.xpath(".//details[@class='as-list']//li")],
        "keys": [text(li) for li in section.xpath(".//ul[@class='key']/li")],
    }


@pytest.mark.parametrize("state", STATES, ids=["depth 1", "depth 2", "two relations"])
def test_the_static_graph_view_is_the_servers_at_each_reading(page, site, server, state):  # noqa: F811
    hidden = drawn = 0
    query = "&".join(f"{k}={v}" for k, values in state.items() for v in ([values] if isinstance(values, str) else values))
    for slug in SLUGS:
        for seen, canon in READINGS:
            server.set_cookie("seen", seen)
            server.set_cookie("canon", canon)
            online = _server_view(server, slug, state)
            page.goto(f"{site}/graph/{slug}.html?seen={seen}&canon={canon}&{query}")
            page.wait_for_selector("section.graph-view[data-ready], section.graph-view > p.hidden-end")
            offline = page.evaluate(OFFLINE)
            assert offline == online, (slug, seen, canon)
            hidden += online["hidden"]
            drawn += len(online["nodes"]) > 1
    assert hidden and drawn  # some entity was hidden at some reading, and pictures were drawn


def test_a_works_facts_are_not_in_the_picture_before_it_is_seen(page, site):  # noqa: F811
    def drawn(seen: str) -> set[str]:
        page.goto(f"{site}/graph/hero.html?seen={seen}")
        page.wait_for_selector("section.graph-view[data-ready]")
        return set(page.evaluate("document.getElementById('graph').cy.nodes().map((n) => n.data('label'))"))

    later = drawn("1") - drawn("0")
    assert later  # the first film links the hero to more than nothing seen does
    listed = page.locator("details.as-list").inner_text()
    assert not any(name in listed for name in later)


def test_how_is_it_connected_leads_to_the_connections_page_with_its_end_named(page, site):  # noqa: F811
    page.goto(f"{site}/graph/villain.html?seen=all")
    page.locator("a.connect-link").click()
    page.wait_for_url("**/connections.html?from=villain*")
    page.wait_for_function("document.getElementById('connect-from').value === 'Villain'")
