"""Search (issue #4): the index in kg/views/search.py, /search and /api/search.

Most tests run on the fixture universe through the ``client``; the ranking
rules run on a tiny hand-made store where each entity matches in exactly one
way; a few run on the shipped data (the names fans actually type).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.namespaces import JWG, JWO, JWR, SCHEMA
from kg.store import EmbeddedStore
from kg.store.catalog import Reading, load_catalog
from kg.views.search import MAX_QUERY, build_index, fold, fold_with_positions
from web.warm import ready, warmer

from ..conftest import make_app


def api(client, q, **args) -> list[dict]:
    response = client.get("/api/search", query_string={"q": q, **args})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()["results"]


def slugs(results: list[dict]) -> list[str]:
    return [r["iri"][len(str(JWR)):] for r in results]


def page(client, q, **args) -> str:
    response = client.get("/search", query_string={"q": q, **args})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def main_of(html: str) -> str:
    return html[html.index('<main id="main">'):html.index("</main>")]


# --- folding --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "folded"), [
    ("Sacré-Cœur Basilica", "sacre coeur basilica"),
    ("Charlotte Brändström", "charlotte brandstrom"),
    ("  JOHN   Wick: Chapter 4 ", "john wick chapter 4"),
    ("Viggo's \"Baba Yaga\" speech", "viggos baba yaga speech"),
    ("Straße Ærø", "strasse aero"),
    ("\x00\n\t\"} ; DROP ALL #", "drop all"),
    ("", ""),
])
def test_fold_strips_accents_case_and_punctuation(text, folded):
    assert fold(text) == folded


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_the_ascii_shortcut_folds_as_the_character_by_character_fold_does(text):
    assert fold(text) == fold_with_positions(text)[0]


@given(st.text())
def test_positions_map_each_folded_character_to_the_original_it_comes_from(text):
    folded, positions = fold_with_positions(text)
    assert len(positions) == len(folded)
    assert list(positions) == sorted(positions)
    assert all(0 <= i < len(text) for i in positions)


# --- ranking, on a store made for it --------------------------------------------------------------------------

#: (slug, class, label, aliases, description), listed in the order a search for "marker" must give.
RANKED = [
    ("e0", JWO.Artifact, "Marker", [], None),                       # exact label
    ("e1", JWO.Rule, "Blood oath", ["Marker"], None),                # exact alias
    ("e2a", JWO.Artifact, "Marker coin", [], None),                  # label prefix, ties by label...
    ("e2b", JWO.Artifact, "Marker stone", [], None),
    ("e2c", JWO.Performance, "Marker actor as Someone", [], None),   # ...performances and sources after
    ("e3", JWO.Artifact, "The gold marker", [], None),               # a later word of the label
    ("e4", JWO.Character, "Zeta", ["Markers of debt"], None),       # alias prefix
    ("e5", JWO.Character, "Alpha", ["An old marker"], None),        # a later word of an alias
    ("e6", JWO.Artifact, "Trademarkers", [], None),                  # label contains
    ("e7", JWO.Character, "Aardvark", [], "A marker of debt."),      # a word of a description
    ("e8", JWO.Character, "Aa", [], "Postmarkers, unseen."),         # description contains
]


@pytest.fixture(scope="module")
def ranked_index():
    dataset = Dataset()
    graph = dataset.graph(JWG["test"])
    for slug, cls, name, aliases, description in RANKED:
        iri = JWR[slug]
        graph.add((iri, RDF.type, cls))
        graph.add((iri, RDFS.label, Literal(name)))
        for alias in aliases:
            graph.add((iri, SKOS.altLabel, Literal(alias)))
        if description:
            graph.add((iri, SCHEMA.description, Literal(description, lang="en")))
    graph.add((JWR["nothing"], RDF.type, JWO.Artifact))
    graph.add((JWR["nothing"], RDFS.label, Literal("Pencil")))
    store = EmbeddedStore.from_dataset(dataset)
    return build_index(store, load_catalog(store))


def test_ranking_exact_label_alias_prefix_word_contains_description(ranked_index):
    hits = ranked_index.search("marker").hits
    assert [h.iri for h in hits] == [JWR[slug] for slug, *_ in RANKED]
    assert [h.rank for h in hits] == sorted(h.rank for h in hits)


def test_ranking_is_the_same_whatever_the_case_and_accents(ranked_index):
    assert [h.iri for h in ranked_index.search("MÄRKER").hits] == [h.iri for h in ranked_index.search("marker").hits]


def test_hits_say_what_matched(ranked_index):
    by_iri = {h.iri: h for h in ranked_index.search("marker").hits}
    alias = by_iri[JWR["e5"]]
    assert (alias.field, alias.before, alias.match, alias.after) == ("alias", "An old ", "marker", "")
    described = by_iri[JWR["e7"]]
    assert (described.field, described.before + described.match + described.after) == ("description",
                                                                                        "A marker of debt.")
    assert described.match == "marker"


def test_every_word_of_the_query_in_any_order(ranked_index):
    assert [h.iri for h in ranked_index.search("stone marker").hits] == [JWR["e2b"]]


def test_the_query_is_cut_to_a_sane_length(ranked_index):
    assert [h.iri for h in ranked_index.search("pencil" + " " * MAX_QUERY + "zzz").hits] == [JWR["nothing"]]


# --- the fixture universe -------------------------------------------------------------------------------------


def test_every_entity_is_found_first_by_its_own_label(app, client):
    catalog = app.extensions["kg"].catalog
    for entity in catalog.classes:
        label = catalog.label(entity)
        results = api(client, label, limit=50)
        leading = [r for r in results if fold(r["label"]) == fold(label)]
        assert results[:len(leading)] == leading, label
        assert str(entity) in [r["iri"] for r in leading], label


def test_case_and_accents_do_not_matter(client):
    expected = slugs(api(client, "hero"))
    assert expected[0] == "hero"
    for variant in ("HERO", "hÉrÖ", "  Hero  ", "Hèro!"):
        assert slugs(api(client, variant)) == expected, variant


def test_prefix_and_inner_words(client):
    assert "film-one" in slugs(api(client, "fil"))
    assert "actor-a" in slugs(api(client, "act"))
    found = slugs(api(client, "one", limit=50))
    assert {"film-one", "episode-one", "series-one"} <= set(found)


def test_aliases_are_found_and_shown(client):
    results = api(client, "boogeyman")
    assert slugs(results)[0] == "hero"
    assert (results[0]["field"], results[0]["text"]) == ("alias", "The Boogeyman")
    html = main_of(page(client, "boogeyman"))
    assert 'href="/id/hero"' in html and "<mark>Boogeyman</mark>" in html


def test_birth_names_are_found_as_aliases(app, client):
    store = app.extensions["kg"].store
    rows = store.select("SELECT ?who ?name WHERE { ?who jwo:birthName ?name }")
    assert rows
    for row in rows:
        assert str(row["who"]) == api(client, str(row["name"]))[0]["iri"]


def test_descriptions_are_searched_last(client):
    results = api(client, "fixture")
    assert {"hero", "film-one"} <= set(slugs(results))
    assert all(r["field"] == "description" for r in results if r["label"] in ("Hero", "Film One"))


def test_json_shape(app, client):
    catalog = app.extensions["kg"].catalog
    results = api(client, "hero")
    assert results
    for result in results:
        assert {"iri", "label", "types", "url"} <= set(result)
        iri = URIRef(result["iri"])
        assert result["label"] == catalog.label(iri)
        assert result["types"][0] == str(catalog.classes[iri])
        assert result["url"] == "/id/" + result["iri"][len(str(JWR)):]
        assert client.get(result["url"]).status_code == 200
    assert results[0]["types"][0] == str(JWO.Character)


def test_limit(client):
    everything = api(client, "a", limit=50)
    assert len(everything) > 10
    assert api(client, "a") == everything[:10]
    assert api(client, "a", limit=3) == everything[:3]
    for limit, expected in (("0", 1), ("1", 1), ("-5", 10), ("abc", 10), ("", 10), ("1e3", 10), ("٣", 10),
                            ("1000", 50), ("9" * 5000, 50)):
        assert len(api(client, "a", limit=limit)) == min(expected, len(everything)), limit


def test_the_page_lists_results_with_kind_and_links(client):
    html = main_of(page(client, "one"))
    assert 'href="/id/film-one"' in html and '<span class="kind">film</span>' in html
    assert re.search(r"\d+ results? for <q>one</q>", html)


def test_the_page_links_its_stylesheet_script_and_json_twin(client):
    html = page(client, "hero")
    assert 'href="/static/search.css"' in html and 'src="/static/suggest.js"' in html
    assert '<link rel="alternate" type="application/json" href="/api/search?q=hero">' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", html)  # CSP: no inline JS
    assert 'value="hero"' in html  # the header's box keeps the query


def test_the_header_box_suggests_on_every_page(client):
    html = client.get("/").get_data(as_text=True)
    assert 'action="/search"' in html and 'data-suggest="/api/search"' in html


@pytest.mark.parametrize("q", ["", "   ", "\n\t"])
def test_an_empty_query_is_an_empty_page(client, q):
    html = main_of(page(client, q))
    assert 'class="empty"' in html and "<ol" not in html
    assert api(client, q) == []


def test_nonsense_finds_nothing(client):
    assert api(client, "zzqxjvkw") == []
    html = main_of(page(client, "zzqxjvkw"))
    assert 'class="empty"' in html and "Nothing in the universe matches" in html and "<ol" not in html


ABSURD = [
    "x" * 10_000,
    "hero " * 2_000,
    "\x00",
    "he\x00ro",
    "\x01\x02\x03\x1b[31m\x7f",
    '"} ; DROP ALL #',
    "'} UNION { ?s ?p ?o } #",
    "SELECT * WHERE { ?s ?p ?o }",
    "<https://kg.johnwick.example/id/hero>",
    '"""\'\'\'',
    "\\",
    "\\u0000 \\\" \\n",
    "line one\nline two\r\n",
    "<script>alert(1)</script>",
    "%00%ff",
    "\u202eorez\u202c",
    "🐶🐶🐶",
    "ﷺ" * 500,
]


@pytest.mark.parametrize("q", ABSURD)
def test_absurd_input_gets_a_normal_answer(client, q):
    results = api(client, q)
    assert isinstance(results, list) and len(results) <= 10
    html = page(client, q)
    assert "<script>alert(1)" not in html
    assert "Traceback" not in html


def test_undecodable_bytes_get_a_normal_answer(client):
    for url in ("/search?q=%ff%fe%00hero", "/api/search?q=%ff%fe%00hero&limit=%ff"):
        assert client.get(url).status_code == 200


def test_injection_strings_never_reach_the_store(app, client, monkeypatch):
    store = app.extensions["kg"].store
    index = ready("kg-search", app)
    warmer(app).wait()
    calls = []
    monkeypatch.setattr(store, "select", lambda *args, **kwargs: calls.append(args))
    for q in ABSURD[5:10] + ["hero"]:
        api(client, q)
        page(client, q)
    assert calls == []  # answered from the index built at start, never a query
    assert ready("kg-search", app) is index
    assert slugs(api(client, "hero"))[0] == "hero"


# --- spoilers -------------------------------------------------------------------------------------------------


def test_an_alias_revealed_later_is_not_found_before(client):
    assert "villain" not in slugs(api(client, "the other one", seen=1))
    assert slugs(api(client, "the other one", seen=2))[0] == "villain"
    assert slugs(api(client, "the other one"))[0] == "villain"
    assert "/id/villain" not in main_of(page(client, "the other one", seen=1))


def test_a_scene_of_an_unseen_work_is_not_found_at_all(client):
    for q in ("scene", "scene a", "Scene A"):
        assert not [r for r in api(client, q, seen=0) if r["label"].startswith("Scene")], q
        assert "/id/scene-a" not in main_of(page(client, q, seen=0)), q
    assert "scene-a" in slugs(api(client, "scene a", seen=1))


def test_a_story_description_is_not_searched_before_its_work(client):
    assert "hero" not in slugs(api(client, "fixture hero", seen=0))
    assert "hero" in slugs(api(client, "fixture hero", seen=1))


def test_the_spoiler_cookie_applies_too(client):
    client.set_cookie("seen", "1")
    assert "villain" not in slugs(api(client, "the other one"))


def test_result_links_carry_the_spoiler_level(client):
    assert api(client, "hero", seen=1)[0]["url"] == "/id/hero?seen=1"
    html = main_of(page(client, "hero", seen=1))
    assert 'href="/id/hero?seen=1"' in html and "Spoilers hidden" in html


# --- the shipped data -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(real_nquads):
    return make_app(EmbeddedStore.from_nquads(real_nquads), out_dir=real_nquads.parent)


@pytest.fixture
def real_client(real):
    return real.test_client()


@pytest.mark.parametrize(("q", "slug"), [
    ("rooney", "eve-macarro"),       # an alias (her pre-release name)
    ("baba yaga", "john-wick"),      # an alias
    ("jardani", "john-wick"),        # his birth name
    ("Jardani Jovonovich", "john-wick"),
    ("eve macarro", "eve-macarro"),
])
def test_names_fans_type(real_client, q, slug):
    assert slugs(api(real_client, q))[0] == slug


@pytest.mark.parametrize(("q", "slug"), [("sacre coeur", "sacre-coeur"), ("SACRÉ-CŒUR", "sacre-coeur"),
                                         ("brandstrom", "charlotte-brandstrom")])
def test_accents_on_the_shipped_data(real_client, q, slug):
    assert slug in slugs(api(real_client, q))


def test_the_birth_name_is_a_spoiler_until_chapter_3(real, real_client):
    releases = real.extensions["kg"].catalog.releases
    chapter_3 = next(i for i, work in enumerate(releases, 1) if "Chapter 3" in work.label)
    assert "john-wick" not in slugs(api(real_client, "jardani", seen=chapter_3 - 1))
    assert slugs(api(real_client, "jardani", seen=chapter_3))[0] == "john-wick"


def test_scenes_and_events_are_found_only_once_their_story_is_seen(real):
    """Every scene and event, searched by its name: absent before its name is revealed, found from then on."""
    kg, index = real.extensions["kg"], ready("kg-search", real)
    rows = kg.store.select("""
        SELECT ?e (MIN(?rank) AS ?first) WHERE {
          ?e a ?class . VALUES ?class { jwo:Scene jwo:Event }
          GRAPH ?g { ?e rdfs:label ?label }
          GRAPH jwg:provenance { ?g jwo:revealedIn ?work }
          { ?work jwo:releaseOrder ?rank } UNION { ?work jwo:partOfSeries/jwo:releaseOrder ?rank }
        } GROUP BY ?e""")
    assert len(rows) > 50
    for row in rows:
        entity, first = row["e"], int(row["first"])
        label = kg.catalog.label(entity)
        assert entity not in [h.iri for h in index.search(label, Reading(first - 1)).hits], label
        assert entity in [h.iri for h in index.search(label, Reading(first)).hits], label


def test_a_search_never_reaches_the_store(real, real_client, monkeypatch):
    """The index is built once, at start; the fan's text is matched in memory (its speed is in bench/)."""
    store, index = real.extensions["kg"].store, ready("kg-search", real)
    warmer(real).wait()
    asked = []
    for method in ("select", "ask", "construct"):
        original = getattr(store, method)
        monkeypatch.setattr(store, method, lambda *args, _original=original, **kw: asked.append(args) or _original(*args, **kw))
    for q in ["j", "john wick", "sacre coeur", "zzqx", '"} ; DROP ALL #']:
        assert real_client.get("/api/search", query_string={"q": q, "limit": 8}).status_code == 200
    assert asked == []
    assert ready("kg-search", real) is index


def test_the_page_counts_every_match_but_lists_the_best_hundred(real):
    index = ready("kg-search", real)
    everything = index.search("e")
    assert everything.total == len(everything.hits) > 100
    first = index.search("e", limit=100)
    assert first.total == everything.total
    assert first.hits == everything.hits[:100]
