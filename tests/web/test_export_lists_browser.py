"""The lists and the matrix of the static export in Chromium: written with every reading's rows, they show at
each reading what the server's pages show (rows, their order and values, counts, works marked not seen), and
nothing of a later work before it is seen."""

from __future__ import annotations

import lxml.html
import pytest

from .test_export import exported  # noqa: F401 - the fixture universe exported
from .test_export_browser import READINGS, site  # noqa: F401 - a static server of it

PAGES = {  # the export's file: the server's URL
    "browse/characters.html": "/browse/characters",
    "browse/characters--order=desc--sort=works.html": "/browse/characters?sort=works&order=desc",
    "browse/events--sort=work.html": "/browse/events?sort=work",
    "browse/scenes.html": "/browse/scenes",
    "browse/organizations.html": "/browse/organizations",
    "matrix.html": "/matrix",
    "matrix--order=story.html": "/matrix?order=story",
}

#: What a fan reads of a list or the matrix: each shown row's text and marks of works not seen, the summary.
SHOWN = """() => {
  const text = (e) => {
    const copy = e.cloneNode(true);
    copy.querySelectorAll('[hidden]').forEach((hidden) => hidden.remove());
    return copy.textContent.replace(/\\s+/g, ' ').trim();
  };
  const shown = (e) => !e.closest('[hidden]');
  return {
    rows: Array.from(document.querySelectorAll('main tbody tr')).filter(shown)
      .map((tr) => [text(tr), Array.from(tr.querySelectorAll('td')).map((td) => td.classList.contains('unseen'))]),
    said: Array.from(document.querySelectorAll('main p.summary, main p.empty, main section.matrix > p:first-of-type'))
      .filter(shown).map(text),
    tags: Array.from(document.querySelectorAll('main thead .tag')).filter(shown).length,
  };
}"""


@pytest.fixture(scope="module")
def annotated_client(universe_nquads):
    from kg.store import EmbeddedStore

    from ..conftest import UNIVERSE, make_app

    app = make_app(EmbeddedStore.from_nquads(universe_nquads), out_dir=universe_nquads.parent, data_dir=UNIVERSE)
    yield app.test_client()
    app.extensions["kg-queries"].close()


def _servers(client, url: str) -> dict:
    main = lxml.html.document_fromstring(client.get(url).get_data()).xpath("//main")[0]
    text = lambda e: " ".join(e.text_content().split())
    return {
        "rows": [[text(tr), ["unseen" in (td.get("class") or "").split() for td in tr.xpath("./td")]]
                 for tr in main.xpath(".//tbody/tr")],
        "said": [text(p) for p in main.xpath(".//p[@class='summary' or @class='empty']"
                                             " | .//section[@class='matrix']/p[1]")],
        "tags": len(main.xpath(".//thead//*[@class='tag']")),
    }


@pytest.mark.parametrize("file", PAGES)
def test_static_lists_show_the_servers_rows_at_each_reading(page, site, annotated_client, file):  # noqa: F811
    counts = {}
    for seen, canon in READINGS:
        annotated_client.set_cookie("seen", seen)
        annotated_client.set_cookie("canon", canon)
        online = _servers(annotated_client, PAGES[file])
        page.goto(f"{site}/{file}?seen={seen}&canon={canon}")
        assert page.evaluate(SHOWN) == online, (file, seen, canon)
        counts[(seen, canon)] = repr(online)
    assert len(set(counts.values())) > 1  # the readings differ: rows were hidden or changed, not nothing shown


def test_a_reading_chosen_on_the_page_applies_at_once_and_is_kept(page, site):  # noqa: F811
    page.goto(f"{site}/browse/characters--order=desc--sort=works.html?seen=all")
    rows = "Array.from(document.querySelectorAll('main tbody tr')).filter((tr) => !tr.closest('[hidden]'))" \
           ".map((tr) => tr.textContent.replace(/\\s+/g, ' ').trim())"
    everything = page.evaluate(rows)
    page.locator("form.spoilers select[name=seen]").select_option("0")  # applies at once, on this page
    assert page.url.split("?")[0].endswith("/browse/characters--order=desc--sort=works.html")
    nothing_seen = page.evaluate(rows)
    assert nothing_seen != everything
    page.goto(f"{site}/browse/characters--order=desc--sort=works.html")  # kept for the next page
    assert page.evaluate(rows) == nothing_seen
