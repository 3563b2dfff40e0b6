"""The query editor at /sparql in a real browser (Chromium, Playwright) against a real `kg serve`.

The `server`, `browser` and `page` fixtures come from tests/conftest.py; `page` fails the test on any
console error, so a request the CSP blocks (a call to prefix.cc or LOV, an inline style) fails it too.
The fixture universe is tiny: the queries here ask what it holds (Hero, Villain, Clan A, Film One).
"""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from ..conftest import free_port, kg_serve, running, shot

pytestmark = pytest.mark.slow  # a real Chromium against a real kg serve

MEMBERS = """PREFIX jwo: <https://kg.johnwick.example/ontology/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?character ?characterLabel ?organization WHERE {
  ?character jwo:memberOf ?organization ; rdfs:label ?characterLabel .
}"""

AROUND_HERO = """PREFIX jwo: <https://kg.johnwick.example/ontology/>
PREFIX jwr: <https://kg.johnwick.example/id/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { jwr:hero ?p ?o . ?o rdfs:label ?name . jwr:hero rdfs:label ?hero }
WHERE { jwr:hero ?p ?o ; rdfs:label ?hero . ?o rdfs:label ?name . FILTER(isIRI(?o)) }"""

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 1,276³ rows: far over 0.5 s


def open_editor(page, base: str, query: str | None = None):
    """Open /sparql (with a query, as a shared link) and wait for YASGUI's editor."""
    outside = []
    page.on("request", lambda request: None if request.url.startswith(base) else outside.append(request.url))
    if query is None:
        page.goto(f"{base}/sparql")
    else:
        page.goto(f"{base}/sparql?query={quote(query, safe='')}")
    page.wait_for_selector(".sparql-yasqe .CodeMirror")
    return outside


def editor_text(page) -> str:
    return page.evaluate("() => document.querySelector('.sparql-yasqe .CodeMirror').CodeMirror.getValue()")


def write(page, query: str) -> None:
    page.evaluate("(q) => document.querySelector('.sparql-yasqe .CodeMirror').CodeMirror.setValue(q)", query)


def run(page) -> None:
    page.locator(".sparql-actions button.run").click()


def forget(page, status: int) -> None:
    """The console reports a failed request; a test that expects the failure removes it."""
    page.errors[:] = [e for e in page.errors if f"status of {status}" not in e]


def test_the_editor_opens_with_our_prefixes_and_completes_them(server, page):
    outside = open_editor(page, server)
    text = editor_text(page)
    assert "PREFIX jwo: <https://kg.johnwick.example/ontology/>" in text
    assert "PREFIX jwr: <https://kg.johnwick.example/id/>" in text
    assert page.locator(".sparql-examples li").count() >= 20
    # typing a prefix of ours in the query adds its PREFIX line (from our list, not from prefix.cc)
    write(page, "SELECT * WHERE {\n  ?s ")
    page.evaluate("() => { const cm = document.querySelector('.sparql-yasqe .CodeMirror').CodeMirror; "
                  "cm.focus(); cm.setCursor(1, 5); }")
    page.keyboard.type("skos:", delay=30)
    page.wait_for_function("() => document.querySelector('.sparql-yasqe .CodeMirror').CodeMirror.getValue()"
                           ".includes('PREFIX skos:')")
    assert "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>" in editor_text(page)
    # after PREFIX, Ctrl+Space lists ours
    write(page, "")
    page.keyboard.type("PREFIX jw", delay=30)
    page.keyboard.press("Control+Space")
    hints = page.locator(".CodeMirror-hints")
    hints.wait_for()
    assert "jwo: <https://kg.johnwick.example/ontology/>" in hints.inner_text()
    shot(page, "sparql-editor")
    assert outside == []  # nothing left our origin
    assert page.evaluate("() => window.localStorage.length") == 0  # and nothing was stored


def test_click_an_example_and_follow_an_entity_link(server, page):
    outside = open_editor(page, server)
    page.locator(".sparql-examples a", has_text="Who dies in which work").click()
    villain = page.locator(".sparql-results table.results a", has_text="Villain")
    villain.wait_for()
    shot(page, "sparql-example-deaths")
    # ?characterLabel names ?character, which links to its page here
    assert villain.get_attribute("href") == "/id/villain"
    assert villain.get_attribute("title") == "https://kg.johnwick.example/id/villain"
    headers = page.locator(".sparql-results table.results th").all_inner_texts()
    assert not any("Label" in h for h in headers)
    assert "1 result" in page.locator(".sparql-actions .status").inner_text()
    # the page's address holds the query
    query = parse_qs(urlsplit(page.url).query)["query"][0]
    assert query == editor_text(page)
    assert "Who dies" in page.locator(".sparql-examples a[aria-current]").inner_text()
    # downloads: links to the endpoint in each format, and YASR's own button
    csv_link = page.locator(".downloads a[data-format=csv]")
    assert csv_link.get_attribute("download") == "john-wick-query.csv"
    answer = page.request.get(server + csv_link.get_attribute("href"))
    assert answer.ok and answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text())))
    assert rows[0]["characterLabel"] == "Villain" and rows[0]["killerLabel"] == "Hero"
    with page.expect_download() as download:
        page.locator(".yasr_downloadIcon").click()
    assert download.value.suggested_filename == "john-wick-query.csv"
    assert "Villain" in download.value.path().read_text(encoding="utf-8")
    villain.click()
    page.wait_for_url("**/id/villain")
    assert page.locator("h1").inner_text() == "Villain"
    assert outside == []


def test_a_shared_link_opens_and_runs_the_same_query(server, page, browser):
    open_editor(page, server)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    write(page, MEMBERS)
    run(page)
    page.locator(".sparql-results table.results a", has_text="Hero").wait_for()
    assert parse_qs(urlsplit(page.url).query)["query"] == [MEMBERS]
    page.get_by_role("button", name="Copy link").click()
    page.get_by_role("button", name="Link copied").wait_for()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == page.url
    # someone else opens the link: the same query, run at once
    other = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        friend = other.new_page()
        errors = []
        friend.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        friend.goto(copied)
        friend.locator(".sparql-results table.results a", has_text="Hero").wait_for()
        assert editor_text(friend) == MEMBERS
        cells = friend.locator(".sparql-results table.results tbody tr").first.locator("td").all_inner_texts()
        assert cells == ["1", "Hero", "jwr:clan-a"]  # ?organization has no ?organizationLabel: a prefixed name
        assert errors == []
    finally:
        other.close()


def test_a_construct_answer_is_drawn_as_a_graph(server, page):
    open_editor(page, server, AROUND_HERO)
    box = page.locator(".sparql-graph[data-drawn]")
    box.wait_for(timeout=10_000)
    assert int(box.get_attribute("data-drawn")) > 3
    assert box.locator("canvas").count() > 0
    assert page.locator(".yasr_btn.select_graph.selected").count() == 1
    assert "triples" in page.locator(".sparql-actions .status").inner_text()
    assert page.locator(".downloads a[data-format=turtle]").count() == 1
    shot(page, "sparql-construct-graph")
    # the table view lists the triples, with the names the graph gives
    page.locator(".yasr_btn.select_table").click()
    page.locator(".sparql-results table.results a", has_text="Clan A").first.wait_for()
    page.locator(".yasr_btn.select_graph").click()
    box.wait_for()
    # the whole picture in the window; Cytoscape learns where its box went from the scroll event that follows
    box.evaluate("""(el) => new Promise((done) => {
        const before = window.scrollY;
        el.scrollIntoView({ block: "center" });
        if (window.scrollY === before) {  // nothing scrolled: no event will come
            requestAnimationFrame(() => done());
        } else {
            window.addEventListener("scroll", () => requestAnimationFrame(() => done()), { once: true });
        }
    })""")
    # click Clan A in the picture: its page opens
    x, y = page.evaluate("""() => {
        const box = document.querySelector(".sparql-graph"), cy = box._cyreg.cy;
        const node = cy.getElementById("https://kg.johnwick.example/id/clan-a");
        const at = node.renderedPosition(), frame = box.getBoundingClientRect();
        return [frame.left + at.x, frame.top + at.y];
    }""")
    page.mouse.click(x, y)
    page.wait_for_url("**/id/clan-a")


@pytest.mark.parametrize(("query", "status", "message"), [
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", 403, "SERVICE is not allowed"),
    ("SELECT * WHERE { ?s ?p }", 400, "syntax error at line"),
])
def test_an_error_shows_the_servers_message_and_keeps_the_query(server, page, query, status, message):
    open_editor(page, server)
    write(page, query)
    run(page)
    error = page.locator(".sparql-results .sparql-error pre")
    error.wait_for()
    assert message in error.inner_text()
    assert "did not run" in page.locator(".sparql-actions .status").inner_text()
    assert editor_text(page) == query
    assert parse_qs(urlsplit(page.url).query)["query"] == [query]  # a reload keeps it too
    forget(page, status)


@pytest.fixture(scope="module")
def impatient_server(tmp_path_factory):
    """`kg serve` of the fixture universe that stops every query after 0.5 s."""
    port = free_port()
    argv = kg_serve(tmp_path_factory.mktemp("slow"), port, "--query-workers", "1", "--query-timeout", "0.5")
    with running(argv, port, "kg serve --query-timeout 0.5") as url:
        yield url


def test_a_query_over_the_time_limit_says_so_and_stays_in_the_editor(impatient_server, page):
    open_editor(page, impatient_server, SLOW)  # a shared link runs at once
    error = page.locator(".sparql-results .sparql-error")
    error.wait_for(timeout=15_000)
    assert "query exceeded 0.5 s (the time limit) and was stopped" in error.locator("pre").inner_text()
    assert "A query may run 0.5 s" in error.inner_text()
    assert editor_text(page) == SLOW
    shot(page, "sparql-timeout")
    forget(page, 503)


def test_the_editor_at_phone_width(server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    try:
        phone = context.new_page()
        errors = []
        phone.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        phone.goto(f"{server}/sparql")
        phone.wait_for_selector(".sparql-yasqe .CodeMirror")
        phone.locator(".sparql-examples a", has_text="Who dies in which work").click()
        phone.locator(".sparql-results table.results a", has_text="Villain").wait_for()
        shot(phone, "phone-sparql")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375  # the page never scrolls sideways
        results = phone.locator(".sparql-answer").bounding_box()
        examples = phone.locator(".sparql-examples").bounding_box()
        assert results["y"] < examples["y"]  # the answer comes right after the editor, the examples after it
        assert errors == []
    finally:
        context.close()


def hint_lines(page) -> list[str]:
    hints = page.locator(".CodeMirror-hints")
    hints.wait_for()
    return [line.strip() for line in hints.locator("li").all_inner_texts()]


def test_the_editor_completes_names_from_the_data_and_the_query_runs(server, page):
    outside = open_editor(page, server)
    write(page, "SELECT ?who ?what WHERE {\n  ?who a jwo:Character ; rdfs:label ?what .\n  \n}")
    page.evaluate("() => { const cm = document.querySelector('.sparql-yasqe .CodeMirror').CodeMirror; "
                  "cm.focus(); cm.setCursor(2, 2); }")
    # an entity by an alias: "The Boogeyman" is the hero; its line shows the label, the kind and a count
    page.keyboard.type("jwr:boogey", delay=40)
    lines = hint_lines(page)
    assert lines[0].startswith("jwr:hero") and "Hero" in lines[0] and "character" in lines[0]
    page.keyboard.press("Enter")
    assert "\n  jwr:hero\n" in editor_text(page)
    assert "PREFIX jwr: <https://kg.johnwick.example/id/>" in editor_text(page)  # declared
    # after that subject: the properties it has
    page.keyboard.type(" jwo:mem", delay=40)
    lines = hint_lines(page)
    assert lines[0].startswith("jwo:memberOf")
    page.keyboard.press("Enter")
    # after that property: the things it points to
    page.keyboard.type(" jwr:", delay=40)
    assert hint_lines(page)[0].startswith("jwr:clan-a")
    page.keyboard.press("Enter")
    page.keyboard.type(" .", delay=20)
    assert "jwr:hero jwo:memberOf jwr:clan-a ." in editor_text(page)
    # after a variable the query types: the properties of its class
    page.keyboard.type("\n  ?who jwo:app", delay=40)
    assert hint_lines(page)[0].startswith("jwo:appearsIn")
    page.keyboard.press("Escape")
    page.keyboard.type("earsIn ?work .", delay=20)
    # after "a ": classes
    page.keyboard.type("\n  ?work a jwo:F", delay=40)
    assert any(line.startswith("jwo:Film") for line in hint_lines(page))
    page.keyboard.press("Escape")
    page.keyboard.type("ilm .", delay=20)
    shot(page, "sparql-completion")
    run(page)
    page.locator(".sparql-answer table tbody tr").first.wait_for()
    assert "Hero" in page.locator(".sparql-answer table").inner_text()
    assert outside == []  # completion asks this site only
