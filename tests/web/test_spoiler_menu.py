"""The spoiler menu stays small however long the ladder of releases: past ``MENU_LIMIT`` it lists the releases
nearest the fan's reading and links ``/seen``, the page of every release (the server's half; the export's is in
test_export_ladder_browser.py)."""

from __future__ import annotations

import lxml.html
import pytest

from kg.store import EmbeddedStore
from web import pages

from ..conftest import make_app


@pytest.fixture(scope="module")
def app(universe_nquads):
    app = make_app(EmbeddedStore.from_nquads(universe_nquads), out_dir=universe_nquads.parent)
    yield app
    app.extensions["kg-queries"].close()


@pytest.fixture
def cut(monkeypatch, universe_nquads):
    """An app whose menu cuts the fixture's two releases as a long ladder's would be: only the fan's own listed
    (an app of its own: pages are kept once rendered)."""
    monkeypatch.setattr(pages, "MENU_LIMIT", 1)
    monkeypatch.setattr(pages, "MENU_NEAR", 0)
    app = make_app(EmbeddedStore.from_nquads(universe_nquads), out_dir=universe_nquads.parent)
    yield app
    app.extensions["kg-queries"].close()


def releases(app) -> list[str]:
    return [work.label for work in app.extensions["kg"].catalog.releases]


def menu_of(body: str) -> tuple[list[tuple[str, str]], str | None, list]:
    """The header's menu: (value, text) of each option, the one selected, and its links to /seen."""
    header = lxml.html.document_fromstring(body).xpath("//form[@class='spoilers']")[0]
    options = [(o.get("value"), o.text_content().strip()) for o in header.xpath(".//select[@name='seen']/option")]
    selected = header.xpath(".//select[@name='seen']/option[@selected]/@value")
    return options, selected[0] if selected else None, header.xpath(".//a[@class='every-release']/@href")


@pytest.mark.parametrize(("seen", "first", "last"), [(None, 92, 100), (0, 1, 9), (1, 1, 9), (50, 46, 54),
                                                     (100, 92, 100), (97, 92, 100)])
def test_a_long_ladder_lists_the_releases_nearest_the_fans(seen, first, last):
    levels, cut = pages.menu(list(range(100)), seen)
    assert cut and [level for level, _ in levels] == list(range(first, last + 1))
    assert all(work == level - 1 for level, work in levels)  # each level names its release


def test_a_short_ladder_lists_every_release():
    assert pages.menu(["a", "b"], 1) == ([(1, "a"), (2, "b")], False)
    assert pages.menu(list(range(pages.MENU_LIMIT)), None)[1] is False


def test_every_page_lists_every_release_of_a_short_ladder(app):
    options, selected, links = menu_of(app.test_client().get("/id/hero?seen=1").get_data(as_text=True))
    every = [f"up to {label}" for label in releases(app)]
    assert [text for _, text in options] == ["nothing yet", *every, "everything"]
    assert selected == "1" and links == []


def test_a_cut_menu_lists_the_fans_neighbours_and_links_every_release(cut):
    labels = releases(cut)
    body = cut.test_client().get("/id/hero?seen=2").get_data(as_text=True)
    options, selected, links = menu_of(body)
    assert options == [("0", "nothing yet"), ("2", f"up to {labels[1]}"), ("all", "everything")]
    assert selected == "2"
    assert links == ["/seen?next=/id/hero?seen%3D2&seen=2"] and f"all {len(labels)} releases" in body
    options, selected, _ = menu_of(cut.test_client().get("/id/hero?seen=1").get_data(as_text=True))
    assert options == [("0", "nothing yet"), ("1", f"up to {labels[0]}"), ("all", "everything")]


def test_the_page_of_every_release_chooses_and_goes_back(cut):
    client, labels = cut.test_client(), releases(cut)
    page = lxml.html.document_fromstring(client.get("/seen?next=/id/villain").get_data(as_text=True))
    form = page.xpath("//form[@class='ladder']")[0]
    radios = form.xpath(".//input[@name='seen']")
    assert [r.get("value") for r in radios] == ["0", *map(str, range(1, len(labels) + 1)), "all"]
    assert [r.get("value") for r in radios if r.get("checked") is not None] == ["all"]  # the fan's reading
    assert form.xpath(".//label/text()")[1:-1] == [f"up to {label}" for label in labels]
    assert form.get("action") == "/spoilers" and form.xpath(".//input[@name='next']/@value") == ["/id/villain"]
    last = str(len(labels))
    answer = client.get("/spoilers", query_string={"seen": last, "next": "/id/villain"})
    assert answer.status_code == 302 and answer.headers["Location"] == f"/id/villain?seen={last}"
    options, selected, _ = menu_of(client.get("/id/villain").get_data(as_text=True))  # the cookie now applies
    assert selected == last and (last, f"up to {labels[-1]}") in options and ("1", f"up to {labels[0]}") not in options


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_the_page_of_every_release_never_sends_elsewhere(cut, target):
    page = lxml.html.document_fromstring(cut.test_client().get("/seen", query_string={"next": target}).get_data())
    assert page.xpath("//form[@class='ladder']//input[@name='next']/@value") == ["/"]


def test_on_a_first_visit_the_page_of_every_release_has_nothing_seen_chosen(cut):
    client = cut.test_client()
    client.delete_cookie("seen")
    page = lxml.html.document_fromstring(client.get("/seen").get_data())
    assert page.xpath("//form[@class='ladder']//input[@checked]/@value") == ["0"]
