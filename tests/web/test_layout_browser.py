"""Pages that hold their shape at 1280, 768 and 390 px, measured in a real browser (Debian's Chromium, Playwright,
against `kg serve` of the fixture universe): entity pages whose infobox overlaps nothing, the home page's two
orders readable on a phone, matrix headings that break only between words and marks that show their words
when tapped, and a graph view whose names are readable.  Screenshots go to tests/artifacts/ (layout-*.png).
"""

from __future__ import annotations

import pytest

from ..conftest import shot

pytestmark = pytest.mark.slow  # a real Chromium against a real kg serve

WIDTHS = (1280, 768, 390)
NARROW = 390

#: Entity pages with an infobox and what could run under it: notes, hidden-fact boxes, references, few facts.
ENTITY_PAGES = ("/id/scene-b", "/id/wife?seen=1", "/id/clan-a", "/id/villain?seen=1", "/id/hero?seen=0",
                "/id/film-one?seen=0")


def overlap(a: dict, b: dict, slack: float = 0.5) -> bool:
    """Do two bounding boxes (Playwright's x, y, width, height) share more than a hair?"""
    return (a["x"] + slack < b["x"] + b["width"] and b["x"] + slack < a["x"] + a["width"]
            and a["y"] + slack < b["y"] + b["height"] and b["y"] + slack < a["y"] + a["height"])


def boxes(page, selector: str) -> list[tuple[str, dict]]:
    """The rendered boxes of what the selector matches, each with a short name of what it is."""
    found = []
    for element in page.locator(selector).all():
        box = element.bounding_box()
        if box and box["width"] and box["height"]:
            found.append((element.evaluate("e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.')"), box))
    return found


def name_of(path: str) -> str:
    return path.strip("/").replace("/", "-").replace("?", "-").replace("=", "")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_infobox_overlaps_nothing(server, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    seen = set()
    for path in ENTITY_PAGES:
        page.goto(f"{server}{path}")
        for summary in page.locator("article.entity > .hidden-facts summary").all():
            summary.click()  # opened on purpose: an open box still stays clear of the infobox
        [(_, infobox)] = boxes(page, "article.entity > aside.infobox")
        others = boxes(page, "article.entity > :not(aside.infobox)") + boxes(page, "footer.site")
        seen.update(name.split(".")[1] for name, _ in others if "." in name)
        assert [name for name, box in others if overlap(infobox, box)] == [], f"{path} at {width} px"
        [(_, header)] = boxes(page, "article.entity > header")
        if width == NARROW:  # one column: the infobox after the header, full width
            assert infobox["y"] >= header["y"] + header["height"] - 0.5
            assert abs(infobox["width"] - header["width"]) < 1
        else:  # beside the header and the statements
            assert infobox["x"] >= header["x"] + header["width"] and infobox["y"] < header["y"] + header["height"]
        shot(page, f"layout-{name_of(path)}-{width}")
    assert {"hidden-facts", "notes", "references", "statements"} <= seen  # what the pages above hold


@pytest.mark.parametrize("width", (1280, NARROW))
def test_the_two_orders_on_the_home_page_are_readable(server, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{server}/")
    released, story = page.locator("ol.released").bounding_box(), page.locator("ol.story").bounding_box()
    if width == NARROW:  # one above the other
        assert story["y"] >= released["y"] + released["height"]
    else:  # side by side, the lines between them
        assert abs(story["y"] - released["y"]) < 1 and story["x"] >= released["x"] + released["width"]
        assert page.locator(".orders-grid svg.timeline line").count() > 0
    sizes = page.evaluate("""() => [...document.querySelectorAll('.orders-grid li, .orders-grid li *')]
        .filter((e) => e.getClientRects().length).map((e) => parseFloat(getComputedStyle(e).fontSize))""")
    assert sizes and min(sizes) >= 12
    assert page.get_by_role("link", name="Film One").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"layout-home-{width}")


#: Every word of the matrix's headings that the browser broke across lines (a Range over each word has one
#: line box per line it is on).
BROKEN_WORDS = """() => {
  const broken = [];
  for (const th of document.querySelectorAll('table.appearances thead th')) {
    const walk = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""


@pytest.mark.parametrize("width", (1280, NARROW))
def test_matrix_headings_break_between_words_and_marks_show_their_words(server, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{server}/matrix")
    assert "tap or hover a mark" in page.locator("section.matrix").inner_text()
    # the fixture's names are short: a long one shows what the browser does with a word wider than its column
    page.locator("table.appearances thead th a").first.evaluate(
        "a => { a.textContent = 'Extraordinarily Parabellum Continental'; }")
    assert page.evaluate(BROKEN_WORDS) == []
    mark = page.locator("table.appearances td.in").first
    mark.click()  # a tap or a click focuses it (site.js), as Tab does
    assert mark.evaluate("td => td === document.activeElement")
    tip = mark.locator(".tip")
    box = tip.bounding_box()
    assert box["width"] > 40 and box["height"] >= 12 and tip.evaluate("t => getComputedStyle(t).clip") == "auto"
    assert " in " in tip.inner_text()
    assert mark.get_attribute("title") is None  # not a tooltip only a mouse can open
    shot(page, f"layout-matrix-{width}")
    assert page.locator("table.appearances td.in:not([tabindex='0'])").count() == 0  # Tab reaches every mark


#: Each node's name as drawn: the text, its size on screen, and the size below which Cytoscape would hide it.
NAMES = """() => document.getElementById('graph').cy.nodes().map((node) => ({
  id: node.id(), label: node.style('label'), px: parseFloat(node.renderedStyle('font-size')),
  hidden_below: parseFloat(node.style('min-zoomed-font-size')),
}))"""


def node_at(page, node_id: str) -> tuple[float, float]:
    """Where Cytoscape drew a node, in the viewport's coordinates, once the picture is scrolled into view (and
    Cytoscape, a frame later, has heard of the scroll)."""
    page.evaluate("""() => new Promise((done) => {
        document.getElementById('graph').scrollIntoView();
        requestAnimationFrame(() => requestAnimationFrame(done));
    })""")
    return page.evaluate("""(id) => {
        const box = document.getElementById('graph'), at = box.cy.getElementById(id).renderedPosition();
        const frame = box.getBoundingClientRect();
        return [frame.left + at.x, frame.top + at.y];
    }""", node_id)


@pytest.mark.parametrize("width", (1280, NARROW))
def test_the_graph_names_every_node_readably_and_facts_on_pointing(server, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{server}/graph/film-one?depth=2")
    page.wait_for_selector("#graph[data-drawn]", timeout=10_000)
    assert page.evaluate("typeof window.cytoscapeFcose") == "function"  # the vendored layout loaded, under our CSP
    names = page.evaluate(NAMES)
    assert len(names) > 10
    assert [n["id"] for n in names if not n["label"] or n["px"] < 11 or n["px"] < n["hidden_below"]] == []
    cy = "document.getElementById('graph').cy"
    assert page.evaluate(f"{cy}.edges().map((e) => e.style('label')).filter(Boolean)") == []  # no names until lit
    # facts by their marks: a reading dashed; the doubted scene ringed with dots
    assert page.evaluate(f"{cy}.edges('.interpretation').map((e) => e.style('line-style'))") == ["dashed"]
    assert page.evaluate(f"{cy}.getElementById('scene-b').style('border-style')") == "dotted"
    assert page.locator(".key.lines").inner_text().count("\n") >= 2
    assert not page.locator("details.as-list").evaluate("d => d.open")  # the list of facts is folded
    shot(page, f"layout-graph-film-one-{width}")
    if width != NARROW:  # pointing with a mouse lights the node's facts, each with its relation's name
        x, y = node_at(page, "scene-b")
        page.mouse.move(x - 30, y - 30)
        page.mouse.move(x, y, steps=5)
        page.wait_for_function(f"{cy}.edges('.lit').length > 0")
        lit = page.evaluate(f"{cy}.edges('.lit').map((e) => [e.style('label'), e.data('label')])")
        assert lit and all(drawn == name for drawn, name in lit) and ["scene of", "scene of"] in lit
        shot(page, f"layout-graph-pointing-{width}")
    page.locator("#graph").focus()
    page.keyboard.press("ArrowRight")  # the center first
    assert page.locator("#graph-status").inner_text().startswith("Film One:")
    assert page.evaluate(f"{cy}.edges('.lit').length") > 0


def test_a_tap_on_the_graph_lights_a_node_and_a_second_tap_opens_it(server, browser):
    context = browser.new_context(viewport={"width": NARROW, "height": 800}, has_touch=True, is_mobile=True)
    context.add_cookies([{"name": "seen", "value": "all", "domain": "127.0.0.1", "path": "/"}])
    page = context.new_page()
    try:
        page.goto(f"{server}/graph/hero")
        page.wait_for_selector("#graph[data-drawn]", timeout=10_000)
        x, y = node_at(page, "clan-a")
        page.touchscreen.tap(x, y)
        status = page.locator("#graph-status")
        assert "Clan A" in status.inner_text() and "member of" in status.inner_text()
        assert page.url.endswith("/graph/hero")  # lit, not opened
        shot(page, "layout-graph-tapped-390")
        x, y = node_at(page, "clan-a")
        page.touchscreen.tap(x, y)
        page.wait_for_url("**/id/clan-a")
    finally:
        context.close()
