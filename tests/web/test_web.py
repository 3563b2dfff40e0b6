"""The web app's pages, headers, spoiler control and safety, through Flask's test client."""

from __future__ import annotations

import json
import re

import lxml.html
import pytest
from rdflib import URIRef
from rdflib.namespace import OWL

from kg.build import build
from kg.namespaces import JWG, JWR
from kg.store import EmbeddedStore

from ..conftest import FIXTURES, make_app

HOSTILE = FIXTURES / "hostile"


def without_hidden(page: str) -> str:
    """The page as a fan sees it before opening any "N facts hidden until you have seen ..." box."""
    return re.sub(r'<aside class="hidden-facts">.*?</aside>', "", page, flags=re.DOTALL)


def entity_slugs(app) -> list[str]:
    catalog = app.extensions["kg"].catalog
    return sorted(str(e)[len(str(JWR)):] for e in catalog.classes)


def test_home_counts_timeline_and_entry_points(client):
    page = client.get("/").get_data(as_text=True)
    assert "5</span> characters" in page
    assert '<svg class="timeline"' in page and "Release order and story order" in page
    assert 'href="/id/film-one"' in page and 'href="/id/clan-a"' in page


def test_every_entity_has_a_page(app, client):
    slugs = entity_slugs(app)
    assert len(slugs) > 40
    for slug in slugs:
        response = client.get(f"/id/{slug}")
        assert response.status_code == 200, slug


def test_entity_page_shows_label_kind_aliases_sources_and_infobox(client):
    page = client.get("/id/hero").get_data(as_text=True)
    assert "<h1>Hero</h1>" in page and ">character<" in page
    assert "The Boogeyman" in page and "Canon Alias" in page
    assert "Played by" in page and 'href="/id/actor-a"' in page
    # each statement ends with numbered marks leading to the references, each naming its source and its tier
    assert re.search(r'<sup class="cite"><a href="#ref-1" title="[^"]+">\[1\]</a></sup>', page)
    references = re.search(r'<section class="references".*?</section>', page, re.DOTALL).group()
    assert 'id="ref-1"' in references and "canon work" in references and "reference" in references
    assert 'href="/id/ref-film"' in page  # links go to entity pages, never to raw IRIs
    # (the JSON-LD block, the Open in SPARQL query, the IRI to copy and the citations name the IRI; no link does)
    shown = re.sub(r'<script type="application/ld\+json">.*?</script>|href="/sparql\?[^"]*"|<code id="iri">.*?</code>'
                   r'|<section class="cite-this".*?</section>', "", page, flags=re.DOTALL)
    assert "https://kg.johnwick.example/id/" not in shown


def test_interpretation_and_confirmation_are_marked(client):
    page = client.get("/id/hero").get_data(as_text=True)
    assert "interpretation" in page and "disputed" in page  # the analysis's disputed narrative role
    scene = client.get("/id/scene-b").get_data(as_text=True)
    assert "unconfirmed" in scene


def test_work_infobox_has_dates_crew_and_cast(client):
    page = client.get("/id/film-one").get_data(as_text=True)
    for text in ("Released", "2014-10-24", "Directed by", 'href="/id/dir-person"', "Cast", 'href="/id/villain"'):
        assert text in page


def test_branch_infobox_has_managers_over_time(client):
    page = client.get("/id/branch-a").get_data(as_text=True)
    assert "Managers" in page and 'href="/id/elder"' in page
    assert "from" in page and 'href="/id/series-one"' in page and "until" in page


def test_motif_infobox_has_what_it_symbolizes_and_its_scenes(client):
    page = client.get("/id/motif-a").get_data(as_text=True)
    assert "Symbolizes" in page and "Loss" in page and 'href="/id/scene-a"' in page


def test_jsonld_and_alternate_links(client):
    page = client.get("/id/film-one").get_data(as_text=True)
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL).group(1))
    assert data["@context"] == "https://schema.org" and "Movie" in data["@type"]
    assert data["name"] == "Film One" and data["@id"] == str(JWR["film-one"])
    assert '<link rel="alternate" type="text/turtle" href="/id/film-one.ttl">' in page


def test_unknown_entity_is_a_404_with_suggestions(client):
    response = client.get("/id/hreo")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Did you mean" in page and 'href="/id/hero"' in page


def test_security_headers_on_every_response(client):
    for url in ("/", "/id/hero", "/id/nothing-here"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "default-src 'self'" in csp and "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"


# -- spoiler control --------------------------------------------------------------------------------

def test_spoiler_level_hides_story_facts_of_unseen_works(client):
    seen_all = client.get("/id/villain").get_data(as_text=True)
    assert "The Other One" in seen_all  # an alias revealed in episode-one (release 2)
    seen_one = client.get("/id/villain?seen=1").get_data(as_text=True)
    assert "The Other One" not in without_hidden(seen_one)
    assert "1 fact hidden until you have seen Episode One" in seen_one  # a box that can be opened on purpose
    assert "The Other One" in seen_one  # inside it, for whoever opens it


def test_real_world_facts_are_never_spoilers(client):
    page = client.get("/id/film-one?seen=0").get_data(as_text=True)
    assert "2014-10-24" in page and 'href="/id/actor-b?seen=0"' in without_hidden(page)  # release date, cast
    assert "<h1>Hero</h1>" in client.get("/id/hero?seen=0").get_data(as_text=True)  # names from casts stay


def test_a_scene_of_an_unseen_work_hides_even_its_name(client):
    page = client.get("/id/scene-a?seen=0").get_data(as_text=True)
    assert "<h1>A hidden scene</h1>" in page
    assert "Scene A" not in without_hidden(page)


def test_links_carry_the_spoiler_level(client):
    page = client.get("/id/hero?seen=1").get_data(as_text=True)
    assert 'href="/id/film-one?seen=1"' in page


def test_spoiler_form_sets_a_cookie_and_keeps_the_page(client):
    response = client.get("/spoilers?seen=1&next=/id/villain?seen=2")
    assert response.status_code == 302
    assert response.headers["Location"] == "/id/villain?seen=1"
    assert "seen=1" in response.headers["Set-Cookie"]
    page = client.get("/id/villain").get_data(as_text=True)  # the cookie now applies
    assert "hidden until you have seen Episode One" in page


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_spoiler_form_never_redirects_elsewhere(client, target):
    response = client.get("/spoilers", query_string={"seen": "1", "next": target})
    assert response.headers["Location"].startswith("/")
    assert not response.headers["Location"].startswith("//")


@pytest.mark.parametrize("value", ["99", "-1", "x", "1e9", "", "<script>"])
def test_an_unreadable_spoiler_level_means_everything(client, value):
    response = client.get("/id/villain", query_string={"seen": value})
    assert response.status_code == 200 and "The Other One" in response.get_data(as_text=True)


# -- hostile data and unexpected errors -----------------------------------------------------------------

@pytest.fixture
def hostile_client():
    dataset = build(HOSTILE).dataset
    dataset.graph(JWG["ref-x"]).add((JWR["villain-x"], OWL.sameAs, URIRef("javascript:alert(5)")))
    dataset.graph(JWG["ref-x"]).add((JWR["villain-x"], OWL.sameAs, URIRef("data:text/html,%3Cscript%3Ealert(6)")))
    return make_app(EmbeddedStore.from_dataset(dataset)).test_client()


@pytest.mark.parametrize("url", ["/", "/id/villain-x", "/id/film-x", "/id/actor-x", "/id/ref-x",
                                 "/id/performance/film-x/actor-x/villain-x"])
def test_untrusted_text_is_shown_as_text(hostile_client, url):
    page = hostile_client.get(url).get_data(as_text=True)
    assert "<script>alert" not in page and "<svg onload" not in page and "<img src=x" not in page
    assert "</title><script>" not in page and "<b>Bold</b>" not in page


def test_hostile_labels_appear_escaped(hostile_client):
    page = hostile_client.get("/id/villain-x").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    jsonld = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL).group(1)
    assert "</script>" not in jsonld and json.loads(jsonld)["name"] == "<script>alert(1)</script>"


def test_links_from_data_only_go_to_http_or_our_pages(hostile_client):
    page = hostile_client.get("/id/villain-x").get_data(as_text=True)
    for target in re.findall(r'href="([^"]*)"', page):
        assert target.startswith(("/", "#", "http://", "https://")), target  # #main: the skip link
    assert "javascript:alert(5)" in page  # shown, as text


def test_an_unexpected_error_is_a_plain_500_page(app, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("secret detail /etc/passwd")

    monkeypatch.setattr("web.entities.describe", broken)
    response = app.test_client().get("/id/hero")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Traceback" not in page and "secret detail" not in page and "/etc/passwd" not in page
    assert "Something went wrong" in page
    assert any("unexpected error" in r.getMessage() for r in caplog.records)


# --- "Open in SPARQL" -------------------------------------------------------------------------------------------


def test_open_in_sparql_asks_the_endpoint_a_query_about_the_entity(client, universe_nquads):
    """The entity page links to /sparql with a query whose answer is the entity's facts."""
    from urllib.parse import urlsplit

    from rdflib import Dataset

    page = client.get("/id/hero").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)">Open in SPARQL</a>', page).group(1).replace("&amp;", "&")
    assert urlsplit(link).path == "/sparql"
    answer = client.get(link, headers={"Accept": "application/sparql-results+json"}).get_json(force=True)
    dataset = Dataset(default_union=True)
    dataset.parse(universe_nquads, format="nquads")
    facts = {(p, o) for _, p, o, _ in dataset.quads((JWR["hero"], None, None, None))}
    rows = answer["results"]["bindings"]
    assert rows and {(URIRef(r["property"]["value"]), r["value"]["value"]) for r in rows} == {(p, str(o)) for p, o in facts}



@pytest.mark.parametrize(("path", "twin"), [
    ("/", ("text/turtle", "/.well-known/void")),
    ("/id/hero", ("text/turtle", "/id/hero.ttl")),
    ("/search?q=hero", ("application/json", "/api/search?q=hero")),
    ("/browse/characters", ("application/json", "/browse/characters.json")),
    ("/matrix", ("application/json", "/matrix.json")),
])
def test_pages_name_their_machine_readable_twins(client, path, twin):
    page = client.get(path).get_data(as_text=True)
    head = page[:page.index("</head>")]
    found = re.findall(r'<link rel="alternate" type="([^"]+)" href="([^"]+)"', head)
    assert twin in [(media, href.replace("&amp;", "&")) for media, href in found]


def test_ontology_terms_shown_as_values_link_to_their_documentation(client):
    page = client.get("/id/film-one").get_data(as_text=True)
    assert 'href="/ontology/Released"' in page  # a value (the release status), not only the class
    assert client.get("/ontology/Released").status_code == 200


def server_name(url: str) -> str:
    import urllib.request

    with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=10) as answer:
        return answer.headers.get("Server", "")


def test_the_app_reads_the_backend_it_was_given(app, request):
    """The `app` fixture runs every web test on each store: make sure each is really used."""
    from kg.store import EmbeddedStore
    from kg.store.remote import RemoteStore

    store = app.extensions["kg"].store
    backend = request.node.callspec.params["app"]
    assert isinstance(store, EmbeddedStore if backend == "embedded" else RemoteStore)
    if backend != "embedded":  # Oxigraph started without a union default graph; Virtuoso's holds its own graphs
        assert not store.union and store.graphs
        assert ("Virtuoso" in server_name(store.endpoint)) == (backend == "virtuoso")
    assert app.test_client().get("/id/hero").status_code == 200


def test_the_time_between_stories_on_the_home_page_and_the_works_page(client):
    home = client.get("/").get_data(as_text=True)
    assert '<span class="gap">years after Series One</span>' in home
    film = client.get("/id/film-one").get_data(as_text=True)
    row = re.search(r"In the story</dt>(.*?)</dd>", film, re.DOTALL).group(1)
    assert "years after" in row and 'href="/id/series-one"' in row


def test_a_prequel_without_a_nearer_place_is_said_below_the_story_timeline(client):
    home = lxml.html.document_fromstring(client.get("/").get_data())
    said = home.xpath("//p[@class='prequels']")
    assert [" ".join(p.text_content().split()) for p in said] == [
        "Before Film One in the story too, at a place no source gives more nearly: Game One (video game)."]
    game = client.get("/id/game-one").get_data(as_text=True)
    assert "precedes in the story" in game and 'href="/id/film-one"' in game
