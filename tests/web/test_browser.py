"""A real browser (Debian's Chromium, driven by Playwright) against a real `kg serve`.

The `server`, `browser` and `page` fixtures (tests/conftest.py) start `kg
serve` (the production server) on 127.0.0.1 with the fixture universe, and
Chromium from the system (no browser download).  Screenshots of each step are
saved under tests/artifacts/.  Without Chromium these tests are skipped,
except with CI=true, where they fail: CI must run the real thing.
"""

from __future__ import annotations

import pytest

from ..conftest import shot

pytestmark = pytest.mark.slow  # a real Chromium against a real kg serve


def test_open_an_entity_page_and_follow_a_link(server, page):
    page.goto(f"{server}/id/hero")
    assert page.locator("h1").inner_text() == "Hero"
    assert page.locator(".infobox").is_visible()
    shot(page, "entity-hero")
    page.locator("main a", has_text="Clan A").first.click()
    page.wait_for_url("**/id/clan-a")
    assert page.locator("h1").inner_text() == "Clan A"


def test_set_the_spoiler_level_and_see_a_fact_disappear(server, page):
    page.goto(f"{server}/id/villain")
    alias = page.get_by_text("The Other One").first
    assert alias.is_visible()  # revealed in Episode One, the second release
    page.select_option("#seen", "1")  # "up to Film One": the form applies on change
    page.wait_for_url("**seen=1**")
    assert not page.get_by_text("The Other One").first.is_visible()
    placeholder = page.locator(".hidden-facts summary").first
    assert "hidden until you have seen Episode One" in placeholder.inner_text()
    shot(page, "spoiler-hidden")
    placeholder.click()  # opened on purpose
    assert page.get_by_text("The Other One").first.is_visible()
    page.locator("main a", has_text="Film One").first.click()  # links carry the level
    assert "seen=1" in page.url


def test_unknown_entity_shows_suggestions(server, page):
    response = page.goto(f"{server}/id/hreo")
    assert response.status == 404
    page.errors.remove("Failed to load resource: the server responded with a status of 404 (Not Found)")
    page.get_by_role("link", name="Hero").click()
    page.wait_for_url("**/id/hero")


def test_pages_work_at_phone_width(server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    page = context.new_page()
    widths = {}
    for path in ("/", "/id/film-one", "/id/hero", "/search?q=a", "/browse/characters", "/matrix",
                 "/connections?from=hero&to=villain", "/graph/hero"):
        page.goto(f"{server}{path}")
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
        shot(page, "phone" + path.replace("/", "-").split("?")[0].rstrip("-"))
    context.close()
    assert {path: width for path, width in widths.items() if width > 375} == {}  # the page itself never scrolls sideways


def test_type_in_the_header_search_and_pick_a_suggestion(server, page):
    page.goto(f"{server}/id/film-one?seen=all")
    page.locator("header #q").press_sequentially("clan")
    option = page.locator("#q-suggestions [role=option]", has_text="Clan A")
    option.wait_for()
    shot(page, "suggestions-clan")
    option.click()
    page.wait_for_url("**/id/clan-a?seen=all")  # the level in the URL goes with the link
    assert page.locator("h1").inner_text() == "Clan A"


def test_find_a_connection_with_the_suggestions_filling_the_boxes(server, page):
    page.goto(f"{server}/connections")
    page.locator("#connect-from").press_sequentially("her")
    page.locator("#connect-from-suggestions [role=option]", has_text="Hero").first.click()
    assert page.locator("#connect-from").input_value() == "Hero"  # filled in by name, still on this page
    assert page.url == f"{server}/connections"
    page.locator("#connect-to").press_sequentially("clan")
    page.locator("#connect-to-suggestions [role=option]", has_text="Clan A").wait_for()
    page.locator("#connect-to").press("ArrowDown")
    page.locator("#connect-to").press("Enter")  # picks the suggestion, does not submit yet
    assert page.locator("#connect-to").input_value() == "Clan A"
    page.locator("#connect-to").press("Enter")  # the list is closed: now the form submits the slugs
    page.wait_for_url("**/connections?from=hero&to=clan-a")
    chain = page.locator("ol.chains li.chain").first
    assert " ".join(chain.inner_text().split()) == "1 step Hero → member of → Clan A"
    shot(page, "connection-hero-clan-a")
    chain.get_by_role("link", name="Clan A").click()
    page.wait_for_url("**/id/clan-a")


def test_open_the_graph_view_and_click_a_node(server, page):
    page.goto(f"{server}/id/hero")
    page.locator("main a", has_text="Graph").first.click()
    page.wait_for_url("**/graph/hero")
    page.wait_for_selector("#graph[data-drawn]", timeout=10_000)
    shot(page, "graph-hero")
    # where Cytoscape drew Clan A, in page coordinates (the instance hangs on its container)
    x, y = page.evaluate("""() => {
        const box = document.getElementById("graph"), cy = box._cyreg.cy, node = cy.getElementById("clan-a");
        const at = node.renderedPosition(), frame = box.getBoundingClientRect();
        return [frame.left + at.x, frame.top + at.y];
    }""")
    page.mouse.click(x, y)
    page.wait_for_url("**/id/clan-a")
    assert page.locator("h1").inner_text() == "Clan A"
