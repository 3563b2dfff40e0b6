"""kg export-site: the fixture universe's site as static files, served by a plain static server (Python's
http.server) at the root and under a base path, crawled: no broken link, every entity its page; the same data
gives the same bytes; SPARQL links lead to the configured endpoint or to a page saying there is none."""

from __future__ import annotations

import hashlib
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest

from kg.errors import OutputError
from kg.namespaces import JWR
from kg.settings import Settings
from kg.store import EmbeddedStore
from web.export import export_site

from ..conftest import UNIVERSE, free_port, running

ENDPOINT = "https://query.example.org/sparql"


@pytest.fixture(scope="module")
def exported(universe_nquads, universe_dumps, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("export") / "jw"
    settings = Settings(data_dir=UNIVERSE, out_dir=universe_nquads.parent)
    report = export_site(settings, root, processes=2)
    assert report.broken == []
    return root


def _digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def crawl(start: str) -> tuple[set[str], list[tuple[str, str, int]]]:
    """Every page reachable from ``start`` over HTTP, and the links that fail (page, link, status)."""
    prefix = start.rsplit("/", 1)[0] + "/"
    seen, broken, queue = {start}, [], [start]
    while queue:
        url = queue.pop()
        try:
            with urllib.request.urlopen(url, timeout=10) as answer:
                body, kind = answer.read(), answer.headers.get_content_type()
        except urllib.error.HTTPError as error:
            broken.append(("?", url, error.code))
            continue
        if kind != "text/html":
            continue
        for _, _, link, _ in lxml.html.document_fromstring(body).iterlinks():
            target = urljoin(url, link).split("#")[0].split("?")[0]  # a static host serves files: a query is the page's
            if target.startswith(prefix) and target not in seen:
                seen.add(target)
                queue.append(target)
            elif urlsplit(target).netloc == urlsplit(start).netloc and not target.startswith(prefix):
                broken.append((url, link, 0))  # a link that leaves the site's folder
    return seen, broken


@pytest.mark.parametrize("base", ["/", "/jw/"], ids=["at the root", "under a base path"])
def test_a_plain_static_server_serves_every_page_with_no_broken_link(exported, base):
    folder = exported if base == "/" else exported.parent
    port = free_port()
    argv = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(folder)]
    with running(argv, port, "http.server") as url:
        start = url + base + "index.html"
        pages, broken = crawl(start)
    assert broken == []
    for slug in ("hero", "villain", "film-one", "clan-a"):
        assert f"{url}{base}id/{slug}.html" in pages


def test_every_entity_has_its_page_and_json_twin(exported, universe_nquads):
    store = EmbeddedStore.from_nquads(universe_nquads)
    slugs = {str(row["e"])[len(JWR):] for row in store.select(
        "SELECT DISTINCT ?e WHERE { GRAPH ?g { ?e a ?c } FILTER(STRSTARTS(STR(?e), STR(jwr:))) }")}
    assert slugs and all((exported / "id" / f"{slug}.html").is_file() for slug in slugs)
    assert all((exported / "id" / f"{slug}.json").is_file() for slug in slugs)
    assert (exported / "downloads" / "universe.nq.gz").is_file()


def test_pages_carry_the_sites_content_security_policy(exported):
    head = lxml.html.parse(str(exported / "id" / "hero.html")).getroot().find("head")
    meta = head[0]
    assert meta.get("http-equiv") == "Content-Security-Policy" and "default-src 'self'" in meta.get("content")


def test_the_same_data_gives_the_same_bytes(exported, universe_nquads, tmp_path):
    again = tmp_path / "again"
    export_site(Settings(data_dir=UNIVERSE, out_dir=universe_nquads.parent), again, processes=1)
    assert _digests(again) == _digests(exported)


def test_sparql_links_lead_to_the_configured_endpoint_or_say_there_is_none(exported, universe_nquads, tmp_path):
    page = (exported / "id" / "hero.html").read_text()
    assert 'href="../sparql.html' in page and "configured no public endpoint" in (exported / "sparql.html").read_text()
    with_endpoint = tmp_path / "with-endpoint"
    export_site(Settings(data_dir=UNIVERSE, out_dir=universe_nquads.parent), with_endpoint, ENDPOINT, processes=1)
    assert f'href="{ENDPOINT}' in (with_endpoint / "id" / "hero.html").read_text()
    assert not (with_endpoint / "sparql.html").exists()


def test_a_page_written_elsewhere_than_its_links_say_fails_the_export_and_keeps_the_old_one(universe_nquads, tmp_path,
                                                                                          monkeypatch):
    """Each page's links are made as it is rendered, from where the export will write what they lead to; a
    route that answered a page at a file's name would leave them broken: the export says so and keeps the old."""
    from web.exportpages import predicted

    def as_a_file(key: str) -> str:
        return "id/hero" if key == "/id/hero" else predicted(key)

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the old export")
    monkeypatch.setattr("web.exportpages.predicted", as_a_file)
    monkeypatch.setattr("web.export.predicted", as_a_file)
    with pytest.raises(OutputError, match=r"/id/hero was written as id/hero\.html, not where the pages link it"):
        export_site(Settings(data_dir=UNIVERSE, out_dir=universe_nquads.parent), site, processes=1)
    assert (site / "index.html").read_text() == "the old export" and sorted(tmp_path.iterdir()) == [site]


def test_a_bad_endpoint_is_refused_and_nothing_is_written(kg, tmp_path):
    result = kg("export-site", "--data", UNIVERSE, "--out", tmp_path / "site", "--sparql-endpoint", "javascript:x")
    assert result.exit_code == 2 and "must be an http(s) URL" in result.output
    assert not (tmp_path / "site").exists()


def test_past_the_levels_a_page_carries_lists_say_they_show_everything(exported, universe_nquads, tmp_path,
                                                                         monkeypatch):
    assert "data-orders" in (exported / "browse" / "characters.html").read_text()  # two releases: carried
    monkeypatch.setattr("web.variants.MAX_LEVELS", 1)
    export_site(Settings(data_dir=UNIVERSE, out_dir=universe_nquads.parent), tmp_path / "site", processes=1)
    for page in ("browse/characters.html", "matrix.html"):
        text = (tmp_path / "site" / page).read_text()
        assert "data-orders" not in text and "data-readings" not in text
        assert "as a fan who has seen everything reads it, spoilers included" in text
    assert "more releases than a static page" not in (tmp_path / "site" / "id" / "hero.html").read_text()
