"""Connections and the graph view: the chain search (pure), the pages and JSON, and one run on the real data."""

from __future__ import annotations

import random
import re
from html import unescape

import pytest
from rdflib import URIRef

from kg.namespaces import JWG, JWO, JWR
from kg.store.catalog import Catalog
from kg.views.connections import (
    MAX_CHAINS,
    close_names,
    connect,
    distances,
    neighbourhood,
    paths,
    resolve,
    shortest_length,
)
from kg.views.entitygraph import BACKWARD, BOTH, FORWARD, Lens, build_graph

from ..conftest import make_app

E = JWR  # entities of the hand-made graphs
G1, G4 = JWG["ref/film-one"], JWG["ref/chapter-4"]  # a graph everyone sees, and a later one
CANONICAL = {JWO.hasMember: JWO.memberOf, JWO.hasCharacter: JWO.appearsIn, JWO.child: JWO.parent}
SYMMETRIC = frozenset({JWO.ally, JWO.enemy, JWO.sibling})


def graph(*facts, names=(), hubs=()):
    """A graph from (s, p, o) or (s, p, o, graph) with short names: ('eve', 'memberOf', 'ruska-roma')."""
    quads = [(E[f[0]], JWO[f[1]], E[f[2]], f[3] if len(f) > 3 else G1) for f in facts]
    return build_graph(quads, CANONICAL, SYMMETRIC, [(E[n], g) for n, g in names], [E[h] for h in hubs])


def only_seen_1(g: URIRef) -> bool:
    return g != G4


def chain_text(chain) -> str:
    """'eve -memberOf-> ruska-roma <-memberOf- john': the chain as the tests read it."""
    arrows = {FORWARD: "-{}->", BACKWARD: "<-{}-", BOTH: "<-{}->"}
    out = [chain.start.removeprefix(str(E))]
    for step in chain.steps:
        out.append("/".join(arrows[link.direction].format(link.predicate.removeprefix(str(JWO)))
                            for link in step.links))
        out.append(step.to.removeprefix(str(E)))
    return " ".join(out)


# -- the search, as pure functions ------------------------------------------------------------------


def test_a_shared_organization_is_a_chain_with_arrows_both_ways():
    g = graph(("eve", "memberOf", "ruska-roma"), ("ruska-roma", "hasMember", "john"),
              ("john", "memberOf", "ruska-roma"))  # the materialized twin folds back into one fact
    found = connect(g, E.eve, E.john)
    assert [chain_text(c) for c in found.chains] == ["eve -memberOf-> ruska-roma <-memberOf- john"]
    assert not found.via_trivial
    assert len(g.links[E["ruska-roma"]]) == 2  # hasMember and memberOf are one fact each


def test_the_shortest_chains_come_first_then_next_shortest_when_few():
    g = graph(("a", "ally", "b"), ("a", "memberOf", "org"), ("b", "memberOf", "org"),
              ("a", "parent", "p"), ("b", "parent", "p"), ("a", "enemy", "x"), ("x", "enemy", "y"), ("y", "ally", "b"))
    found = connect(g, E.a, E.b)
    texts = [chain_text(c) for c in found.chains]
    assert texts[0] == "a <-ally-> b"
    assert set(texts[1:]) == {"a -memberOf-> org <-memberOf- b", "a -parent-> p <-parent- b"}  # 2 steps top it up
    assert "x" not in " ".join(texts)  # 3 steps: not needed once there are 3 chains


def test_at_most_five_chains_of_the_shortest_length():
    g = graph(*[fact for i in range(8) for fact in (("a", "memberOf", f"o{i}"), ("b", "memberOf", f"o{i}"))])
    found = connect(g, E.a, E.b)
    assert len(found.chains) == MAX_CHAINS
    assert all(len(c.steps) == 2 for c in found.chains)


def test_several_facts_between_two_entities_are_one_step():
    g = graph(("hero", "enemy", "villain"), ("villain", "killedBy", "hero"))
    [chain] = connect(g, E.hero, E.villain).chains
    assert chain_text(chain) == "hero <-enemy->/<-killedBy- villain"


def test_shared_films_are_avoided_when_anything_else_links_them():
    g = graph(("a", "appearsIn", "film"), ("b", "appearsIn", "film"),
              ("a", "ally", "x"), ("x", "ally", "y"), ("y", "ally", "b"))
    found = connect(g, E.a, E.b)
    assert not found.via_trivial
    assert [chain_text(c) for c in found.chains] == ["a <-ally-> x <-ally-> y <-ally-> b"]


def test_shared_films_are_used_when_nothing_else_links_them_and_it_says_so():
    g = graph(("a", "appearsIn", "film"), ("film", "hasCharacter", "b"))
    found = connect(g, E.a, E.b)
    assert found.via_trivial
    assert [chain_text(c) for c in found.chains] == ["a -appearsIn-> film <-appearsIn- b"]


def test_a_chain_never_passes_through_a_hub():
    g = graph(("perf", "asCharacter", "a"), ("perf", "inWork", "film"), ("perf", "performedBy", "b"),
              hubs=["perf"])
    assert connect(g, E.a, E.b).chains == []
    assert [chain_text(c) for c in connect(g, E.perf, E.film).chains] == ["perf -inWork-> film"]  # an end may be one


def test_four_steps_at_most():
    g = graph(*[(f"n{i}", "ally", f"n{i + 1}") for i in range(6)])
    assert [len(c.steps) for c in connect(g, E.n0, E.n4).chains] == [4]
    assert connect(g, E.n0, E.n5).chains == []
    assert [len(c.steps) for c in connect(g, E.n0, E.n5, max_steps=5).chains] == [5]


def test_a_fact_revealed_later_is_not_used_at_an_earlier_spoiler_level():
    g = graph(("a", "ally", "b", G4), ("a", "memberOf", "org"), ("b", "memberOf", "org"))
    assert chain_text(connect(g, E.a, E.b).chains[0]) == "a <-ally-> b"
    assert [chain_text(c) for c in connect(g, E.a, E.b, only_seen_1).chains] == ["a -memberOf-> org <-memberOf- b"]
    g = graph(("a", "ally", "b", G4))
    assert connect(g, E.a, E.b, only_seen_1).chains == []


def test_an_entity_named_only_by_a_later_work_is_not_passed_through():
    g = graph(("a", "participant", "event"), ("b", "participant", "event"), names=[("event", G4), ("a", G1)])
    assert len(connect(g, E.a, E.b).chains) == 1
    assert connect(g, E.a, E.b, only_seen_1).chains == []
    assert connect(g, E.event, E.a, only_seen_1).chains == []


def test_the_same_entity_or_an_unknown_one_has_no_chain():
    g = graph(("a", "ally", "b"))
    assert connect(g, E.a, E.a).chains == []
    assert connect(g, E.a, E.nobody).chains == []


def test_bidirectional_search_agrees_with_plain_bfs_and_paths_are_simple():
    rng = random.Random(4)
    properties = ["ally", "memberOf", "parent", "appearsIn", "worksFor"]
    nodes = [f"n{i}" for i in range(40)]
    g = graph(*[(rng.choice(nodes), rng.choice(properties), rng.choice(nodes)) for _ in range(70)], hubs=["n7"])
    for _ in range(300):
        a, b = (E[n] for n in rng.sample(nodes, 2))
        for trivial in (False, True):
            lens = Lens(g, trivial=trivial)
            length = shortest_length(lens, a, b)
            assert length == distances(lens, a, 4).get(b)
            for chain in paths(lens, a, b, length or 0):
                assert len(chain.steps) == length and len(set(chain.entities)) == length + 1
                assert E.n7 not in chain.entities[1:-1]


def test_the_neighbourhood_by_depth_relation_and_cap():
    g = graph(("hero", "ally", "sister"), ("hero", "memberOf", "clan"), ("clan", "hasMember", "other"),
              ("sister", "enemy", "villain", G4))
    one = neighbourhood(g, E.hero, 1)
    assert one.depth == {E.hero: 0, E.sister: 1, E.clan: 1}
    assert (E.hero, JWO.ally, E.sister, True) in one.edges and (E.hero, JWO.memberOf, E.clan, False) in one.edges
    two = neighbourhood(g, E.hero, 2)
    assert two.depth[E.other] == 2 and two.depth[E.villain] == 2 and not two.capped
    assert neighbourhood(g, E.hero, 2, only_seen_1).depth.keys() == {E.hero, E.sister, E.clan, E.other}
    members = neighbourhood(g, E.hero, 2, relations=frozenset({JWO.memberOf}))
    assert members.depth.keys() == {E.hero, E.clan, E.other}
    assert {p for _, p, _, _ in members.edges} == {JWO.memberOf}
    assert members.relations == {JWO.ally: 1, JWO.memberOf: 2, JWO.enemy: 1}  # every relation around, for the choices
    capped = neighbourhood(g, E.hero, 2, cap=3)
    assert capped.capped and capped.total == 5 and len(capped.depth) == 3 and set(capped.depth.values()) == {0, 1}


def test_names_and_slugs_resolve_and_near_misses_are_suggested():
    """Without a search index (the catalog's labels only): what a caller that has none still gets."""
    catalog = Catalog(labels={E["john-wick"]: "John Wick", E["john-wick-2014"]: "John Wick", E.eve: "Eve Macarro"},
                      classes={E["john-wick"]: JWO.Character, E["john-wick-2014"]: JWO.Film, E.eve: JWO.Character})
    assert resolve(catalog, "eve") == [E.eve]
    assert resolve(catalog, "  EVE   macarro ") == [E.eve]
    assert resolve(catalog, "john wick") == [E["john-wick"], E["john-wick-2014"]]  # the slug it would have first
    assert resolve(catalog, "/id/john-wick-2014") == [E["john-wick-2014"]]
    assert resolve(catalog, "Eve Macarro", shown=lambda e: False) == []  # a hidden name is not found by name
    for hostile in ('"} ; DROP ALL #', "a\\b", "x\ny", "<script>", "é" * 10_000):
        assert resolve(catalog, hostile) == []
    assert close_names(catalog, "eve macaro") == [E.eve]


@pytest.fixture(scope="module")
def named():
    """A search index over a few names, for resolve and close_names as the pages call them."""
    from rdflib import RDF, RDFS, SKOS, Dataset, Literal

    from kg.store import EmbeddedStore
    from kg.store.catalog import load_catalog
    from kg.views.search import build_index

    dataset = Dataset()
    canon = dataset.graph(G1)
    for slug, cls, name, aliases, graph in [
            ("john-wick", JWO.Character, "John Wick", ["Baba Yaga"], canon),
            ("john-wick-2014", JWO.Film, "John Wick", [], canon),
            ("eve", JWO.Character, "Eve Macarro", ["Rooney"], canon),
            ("ronnie", JWO.Character, "Ronnie", [], canon),
            ("continental", JWO.HotelChain, "The Continental", [], canon)]:
        graph.add((E[slug], RDF.type, cls))
        graph.add((E[slug], RDFS.label, Literal(name)))
        for alias in aliases:
            graph.add((E[slug], SKOS.altLabel, Literal(alias)))
    canon.add((E["john-wick"], JWO.ally, E.eve))
    store = EmbeddedStore.from_dataset(dataset)
    catalog = load_catalog(store)
    return catalog, build_index(store, catalog)


def test_names_and_aliases_resolve_by_the_search_index(named):
    """(Spoilers: a name the fan has not seen names nothing; test_a_hidden_entity_is_neither_found_by_name...)"""
    catalog, index = named
    assert resolve(catalog, "rooney", index=index) == [E.eve]  # an alias
    assert resolve(catalog, "ROONEY ", index=index) == [E.eve]
    assert resolve(catalog, "baba yaga", index=index) == [E["john-wick"]]
    assert resolve(catalog, "continental", index=index) == [E.continental]  # "the" aside
    assert resolve(catalog, "John Wick", index=index) == [E["john-wick"], E["john-wick-2014"]]
    assert resolve(catalog, "john-wick-2014", index=index) == [E["john-wick-2014"]]  # a slug first
    assert resolve(catalog, "eve mac", index=index) == []  # a start is not a name: "did you mean" offers it
    assert resolve(catalog, "rooney", shown=lambda e: False, index=index) == []
    for hostile in ('"} ; DROP ALL #', "a\\b", "x\ny", "<script>", "é" * 10_000):
        assert resolve(catalog, hostile, index=index) == []


def test_did_you_mean_is_a_search_that_forgives_typos(named):
    catalog, index = named
    assert close_names(catalog, "eve", index=index) == [E.eve]
    assert close_names(catalog, "macaro", index=index) == [E.eve]
    assert close_names(catalog, "eve-macaro", index=index) == [E.eve]  # a slug mistyped
    assert close_names(catalog, "contintal", index=index) == [E.continental]
    assert close_names(catalog, "jon", index=index)[:2] == [E["john-wick"], E["john-wick-2014"]]
    assert close_names(catalog, "macaro", shown=lambda e: e != E.eve, index=index) == []
    assert close_names(catalog, "zzqx", index=index) == []


# -- the pages, on the fixture universe -------------------------------------------------------------


def text_of(response) -> str:
    return unescape(response.get_data(as_text=True))


def chains_of(html: str) -> list[str]:
    """Each chain of a connections page as one line of text: 'Sister ↔ ally ↔ Hero → member of → Clan A'."""
    items = re.findall(r'<li class="chain">.*?</li>', html, re.DOTALL)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()[2:]) for item in items]  # without "N steps"


def test_the_connections_page_writes_chains_with_labels_and_arrows(client):
    response = client.get("/connections?from=sister&to=Clan+A")
    assert response.status_code == 200
    html = text_of(response)
    assert chains_of(html) == ["Sister ↔ ally ↔ / ↔ sibling ↔ Hero → member of → Clan A"]
    assert '<a href="/id/sister">Sister</a>' in html and '<a href="/id/hero">Hero</a>' in html


def test_a_fact_pointing_back_reads_with_left_arrows(client):
    html = text_of(client.get("/connections?from=clan-a&to=hero"))
    assert chains_of(html)[0] == "Clan A ← member of ← Hero"


def test_the_form_is_prefilled_from_an_entity_page(client):
    entity = text_of(client.get("/id/hero"))
    assert 'href="/connections?from=hero"' in entity and 'href="/graph/hero"' in entity
    html = text_of(client.get("/connections?from=hero"))
    assert 'value="hero"' in html and "Now pick what to connect" in html


def test_an_unknown_entity_is_a_404_with_suggestions(client):
    response = client.get("/connections?from=hreo&to=villain")
    assert response.status_code == 404
    html = text_of(response)
    assert "No entity is called “hreo”" in html
    assert 'href="/connections?from=hero&to=villain"' in html


def test_the_same_entity_twice_is_explained(client):
    response = client.get("/connections?from=hero&to=HERO")
    assert response.status_code == 200
    assert "pick two different entities" in text_of(response)


def test_nothing_within_four_steps_is_said(client):
    response = client.get("/connections?from=artifact-a&to=org-a")  # five steps apart
    assert response.status_code == 200
    assert "No chain of at most 4 facts links" in text_of(response)


def test_the_spoiler_level_decides_which_facts_link_them(client):
    everything = text_of(client.get("/connections?from=hero&to=villain"))
    assert chains_of(everything)[0] == "Hero ↔ enemy ↔ / ← killed by ← / ↔ relative ↔ Villain"
    assert "shared films" not in everything
    nothing_seen = text_of(client.get("/connections?from=hero&to=villain&seen=0"))
    assert chains_of(nothing_seen)[0] == "Hero → appears in → Film One ← appears in ← Villain"
    assert "enemy" not in nothing_seen and "Scene A" not in nothing_seen
    assert "Nothing but shared films, casts or sources links them" in nothing_seen


def test_a_hidden_entity_is_neither_found_by_name_nor_shown(client):
    by_name = client.get("/connections?from=Scene+A&to=hero&seen=0")
    assert by_name.status_code == 404 and "Scene A</a>" not in text_of(by_name)
    by_slug = text_of(client.get("/connections?from=scene-a&to=hero&seen=0"))
    assert "hidden at your spoiler level" in by_slug and ">Scene A<" not in by_slug


HOSTILE = ['"} ; DROP ALL #', "'\"; DELETE WHERE { ?s ?p ?o } #", "a\\b\\\\c", "line\nbreak\r\n", "<script>x</script>",
           "x" * 10_000, "%00\x00", "../../etc/passwd", "hero/../villain", "\u202e\ufeff"]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_input_gets_a_normal_answer(client, hostile):
    for args in ({"from": hostile, "to": "hero"}, {"from": "hero", "to": hostile}, {"from": hostile, "to": hostile}):
        response = client.get("/connections", query_string=args)
        assert response.status_code in (200, 404)
        assert "<script>x" not in response.get_data(as_text=True)
        api = client.get("/api/connections", query_string=args)
        assert api.status_code in (200, 404) and api.is_json
    for path in (f"/graph/{hostile}", f"/api/graph/hero?rel={hostile}&depth={hostile}"):
        assert client.get(path).status_code in (200, 404)


def test_the_connections_json(client):
    data = client.get("/api/connections?from=sister&to=clan-a").get_json()
    assert data["ends"]["from"]["label"] == "Sister" and data["via_trivial"] is False
    [chain] = data["chains"]
    assert [e["id"] for e in chain["entities"]] == ["sister", "hero", "clan-a"]
    assert chain["steps"][1] == [{"relation": "memberOf", "label": "member of", "direction": "forward",
                                  "marks": []}]
    assert [e["marks"] for e in chain["entities"]] == [[], [], []]


def test_the_graph_json_has_nodes_and_edges_by_depth(client):
    one = client.get("/api/graph/hero").get_json()
    assert one["center"] == "hero" and one["depth"] == 1 and not one["capped"]
    ids = {n["id"]: n for n in one["nodes"]}
    assert ids["hero"]["center"] and ids["clan-a"] == {"id": "clan-a", "label": "Clan A", "kind": "clan",
                                                         "group": "organization", "url": "/id/clan-a", "depth": 1,
                                                         "center": False, "marks": []}
    assert "performance/film-one/actor-a/hero" not in ids  # a performance restates played by and appears in
    assert {"source": "hero", "target": "clan-a", "relation": "memberOf", "label": "member of", "marks": []}.items() \
        <= next(e for e in one["edges"] if e["relation"] == "memberOf").items()
    assert all(e["source"] in ids and e["target"] in ids for e in one["edges"])
    two = client.get("/api/graph/hero?depth=2").get_json()
    assert {n["id"] for n in two["nodes"]} > set(ids) and {n["depth"] for n in two["nodes"]} == {0, 1, 2}
    assert client.get("/api/graph/hero?depth=7").get_json()["depth"] == 1


def test_the_graph_json_filters_by_relation(client):
    data = client.get("/api/graph/hero?depth=2&rel=memberOf&rel=ally&rel=nonsense").get_json()
    assert {e["relation"] for e in data["edges"]} == {"memberOf", "ally"}
    assert {n["id"] for n in data["nodes"]} == {"hero", "clan-a", "sister"}
    checked = {r["name"] for r in data["relations"] if r["checked"]}
    assert checked == {"memberOf", "ally"} and "enemy" in {r["name"] for r in data["relations"]}


def words(html: str) -> str:
    """The text of a page, without its tags, in single spaces."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_graph_json_is_capped_and_says_so(client, monkeypatch):
    monkeypatch.setattr("web.connections.CAP", 4)
    data = client.get("/api/graph/hero?depth=2").get_json()
    assert data["capped"] and len(data["nodes"]) == 4 and data["total"] > 4
    summary = words(text_of(client.get("/graph/hero?depth=2")))
    # one sentence that adds up: the center is counted in neither number (4 drawn: Hero and 3 around)
    assert (f"Showing the 3 entities closest to Hero (of the {data['total'] - 1} within 2 steps) and the "
            f"{len(data['edges'])} facts between them. Choose fewer relations or 1 step to see the rest.") in summary


def test_the_graph_page_says_what_it_shows_in_one_sentence_and_folds_the_list(client):
    data = client.get("/api/graph/hero").get_json()
    html = text_of(client.get("/graph/hero"))
    assert (f"Showing the {len(data['nodes']) - 1} entities within 1 step of Hero and the {len(data['edges'])} "
            "facts between them.") in words(html)
    assert "closest" not in html and not data["capped"]
    assert '<details class="as-list">' in html  # closed until opened
    assert f"The {len(data['edges'])} facts shown, as a list" in html


def test_the_graph_json_gives_each_fact_and_entity_its_marks(client):
    data = client.get("/api/graph/film-one").get_json()
    edges = {(e["source"], e["relation"], e["target"]): e for e in data["edges"]}
    reading = edges["scene-b", "sceneOf", "film-one"]  # only the analysis says so
    assert reading["marks"] == ["interpretation"] and reading["label"] == "scene of"
    assert edges["hero", "appearsIn", "film-one"]["marks"] == []  # canon and reference: plain
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["scene-b"]["marks"] == ["interpretation", "unconfirmed"]  # the scene itself: a doubted reading
    assert nodes["hero"]["marks"] == []
    html = text_of(client.get("/graph/film-one"))
    assert re.search(r'Scene B</a>\s*<span class="relation forward">.*?scene of.*?Film One</a>\s*'
                     r'<span class="badge interpretation">interpretation</span>', html)
    canon = client.get("/api/graph/film-one?canon=1").get_json()  # canon only: no readings
    assert "scene-b" not in {n["id"] for n in canon["nodes"]} and all(e["marks"] == [] for e in canon["edges"])


def test_the_graph_json_marks_what_a_source_doubts(client, monkeypatch):
    """The fixture marks no fact between two entities unconfirmed or disputed: a graph of such facts, stated in
    the fixture's own source graphs, stands in for the real one (the marks are read as for any other)."""
    canon, reference, reading = JWG["film-one/film-one"], JWG["ref-film/film-one"], JWG["an-analysis/film-one"]
    facts = [(E.hero, JWO.memberOf, E["clan-a"], reference), (E.hero, JWO.ally, E.sister, canon),
             (E.hero, JWO.ally, E.sister, reading), (E.hero, JWO.enemy, E.villain, reading)]
    doubts = [(E.hero, JWO.memberOf, E["clan-a"], reference, JWO.Unconfirmed),
              (E.hero, JWO.ally, E.sister, reading, JWO.Disputed),
              (E.hero, JWO.enemy, E.villain, reading, JWO.Disputed)]
    doubted = build_graph(facts, CANONICAL, SYMMETRIC, doubts=doubts)
    monkeypatch.setattr("web.connections.entity_graph", lambda: doubted)
    marks = {e["relation"]: e["marks"] for e in client.get("/api/graph/hero").get_json()["edges"]}
    assert marks == {"memberOf": ["unconfirmed"],
                     "ally": [],  # canon states it: the analysis disputing it does not make it disputed
                     "enemy": ["interpretation", "disputed"]}
    canon_only = {e["relation"]: e["marks"] for e in client.get("/api/graph/hero?canon=1").get_json()["edges"]}
    assert canon_only == {"ally": []}  # what a source doubts, and readings, are left out


def _doubted_graph():
    """Facts between the fixture's entities, each stated in one of its source graphs, some doubted."""
    canon, reference, reading = JWG["film-one/film-one"], JWG["ref-film/film-one"], JWG["an-analysis/film-one"]
    facts = [(E.hero, JWO.memberOf, E["clan-a"], reference), (E.hero, JWO.ally, E.sister, canon),
             (E.hero, JWO.ally, E.sister, reading), (E.hero, JWO.enemy, E.villain, reading),
             (E.villain, JWO.memberOf, E["clan-a"], reading)]
    doubts = [(E.hero, JWO.memberOf, E["clan-a"], reference, JWO.Unconfirmed),
              (E.hero, JWO.ally, E.sister, reading, JWO.Disputed),
              (E.hero, JWO.enemy, E.villain, reading, JWO.Disputed)]
    return build_graph(facts, CANONICAL, SYMMETRIC, doubts=doubts)


def test_each_step_of_a_chain_carries_its_marks(client, monkeypatch):
    monkeypatch.setattr("web.connections.entity_graph", _doubted_graph)
    data = client.get("/api/connections?from=sister&to=villain").get_json()
    chain = data["chains"][0]  # the shortest; the next is through Clan A
    assert [[(link["relation"], link["marks"]) for link in step] for step in chain["steps"]] == [
        [("ally", [])],  # canon states it: the analysis disputing it does not make it disputed
        [("enemy", ["interpretation", "disputed"])]]
    html = text_of(client.get("/connections?from=sister&to=villain"))
    assert chains_of(html)[0] == "Sister ↔ ally ↔ Hero ↔ enemy ↔ interpretation disputed Villain"
    canon_only = client.get("/api/connections?from=sister&to=villain&canon=1").get_json()
    assert canon_only["chains"] == []  # the reading's enemy is left out, and nothing else joins them


def test_the_chains_are_drawn_as_one_map_with_the_graph_views_lines(client, monkeypatch):
    monkeypatch.setattr("web.connections.entity_graph", _doubted_graph)
    html = text_of(client.get("/connections?from=sister&to=clan-a"))
    assert len(chains_of(html)) == 2  # through the hero (unconfirmed), then, one step longer, the villain
    svg = re.search(r"<svg class=\"chain-map\".*?</svg>", html, re.DOTALL).group(0)
    spots = re.findall(r'<a href="(/id/[^"]+)">\s*<g class="spot ([^"]+)">', svg)
    assert sorted(spots) == [("/id/clan-a", "group-organization end"), ("/id/hero", "group-character"),
                             ("/id/sister", "group-character end"), ("/id/villain", "group-character")]
    spans = re.findall(r'<g class="span ?([a-z]*)">\s*<title>([^<]+)</title>', svg)
    assert sorted(spans) == [
        ("", "Sister ↔ ally Hero"),
        ("doubted", "Hero member of → (unconfirmed) Clan A"),
        ("doubted", "Hero ↔ enemy (interpretation, disputed) Villain"),
        ("interpretation", "Villain member of → (interpretation) Clan A")]
    [x_sister] = re.findall(r'<circle cx="(\d+)" cy="\d+" r="11"/>\s*<text[^>]*>Sister', svg)
    [x_clan] = re.findall(r'<circle cx="(\d+)" cy="\d+" r="11"/>\s*<text[^>]*>Clan A', svg)
    assert int(x_sister) < int(x_clan)  # the start on the left, the end on the right, in the last column


def test_no_map_without_chains(client):
    assert "chain-map" not in text_of(client.get("/connections?from=hero&to=hero"))
    assert "chain-map" not in text_of(client.get("/connections?from=hero"))


def test_the_graph_json_hides_what_the_fan_has_not_seen(client):
    nodes = {n["id"] for n in client.get("/api/graph/hero?seen=0").get_json()["nodes"]}
    assert "film-one" in nodes and "clan-a" not in nodes and "scene-a" not in nodes
    hidden = client.get("/api/graph/scene-a?seen=0").get_json()
    assert hidden["hidden"] and hidden["nodes"] == []
    assert "Scene A" not in text_of(client.get("/graph/scene-a?seen=0"))


def test_the_graph_page_works_without_javascript_and_loads_only_our_scripts(client):
    html = text_of(client.get("/graph/hero?depth=1&rel=memberOf&seen=1"))
    scripts = [src.split("?v=")[0] for src in re.findall(r'<script src="([^"]+)" defer></script>', html)]
    assert scripts[-5:] == ["/static/vendor/cytoscape-3.34.4/cytoscape.min.js", *VENDORED_LAYOUT, "/static/graph.js"]
    assert "<style" not in html and "style=" not in html
    assert 'data-source="/api/graph/hero?depth=1&rel=memberOf&seen=1"' in html
    assert '<a href="/id/hero?seen=1">Hero</a>' in html and '<a href="/id/clan-a?seen=1">Clan A</a>' in html
    assert 'name="rel" value="memberOf" checked' in html and 'name="rel" value="ally" >' in html


#: fcose and what it stands on, in the order they load (each registers itself with the one before).
VENDORED_LAYOUT = ["/static/vendor/layout-base-2.0.1/layout-base.js", "/static/vendor/cose-base-2.2.0/cose-base.js",
                   "/static/vendor/cytoscape-fcose-2.2.0/cytoscape-fcose.js"]


def test_the_layout_scripts_are_ours_with_their_licences(client):
    from ..conftest import ROOT

    for script in VENDORED_LAYOUT:
        assert client.get(script).status_code == 200
        licence = (ROOT / "web" / script.lstrip("/")).parent / "LICENSE"
        assert "MIT License" in licence.read_text() or "Permission is hereby granted" in licence.read_text()


def test_an_unknown_graph_is_a_404_with_suggestions(client):
    response = client.get("/graph/hreo")
    assert response.status_code == 404 and '<a href="/id/hero">Hero</a>' in text_of(response)
    api = client.get("/api/graph/hreo")
    assert api.status_code == 404 and api.get_json()["error"] == "Not Found"


# -- the real data ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_client(real_nquads):
    from kg.store import EmbeddedStore

    return make_app(EmbeddedStore.from_nquads(real_nquads), out_dir=real_nquads.parent).test_client()


def test_eve_macarro_and_john_wick_are_both_of_the_ruska_roma(real_client):
    url = "/connections?from=Eve+Macarro&to=john-wick"
    html = text_of(real_client.get(url))
    assert "Eve Macarro → member of → Ruska Roma ← member of ← John Wick" in chains_of(html)
    # how fast: bench/web_bench.py (docs/benchmarks.md), not a timed test


def test_an_alias_names_an_end_and_the_boxes_show_names(real_client):
    html = text_of(real_client.get("/connections?from=rooney&to=baba+yaga"))
    assert "Eve Macarro → member of → Ruska Roma ← member of ← John Wick" in chains_of(html)
    assert "did you mean" not in html.lower() and "Ronnie" not in html
    assert 'id="connect-from" name="from" type="text" value="Eve Macarro"' in html
    assert '<input type="hidden" value="eve-macarro" data-entity-of="connect-from">' in html
    same = text_of(real_client.get("/connections?from=eve-macarro&to=john-wick"))
    assert chains_of(same) == chains_of(html)


def test_the_analysis_reading_of_eve_and_the_director_is_marked_on_the_chain(real_client):
    data = real_client.get("/api/connections?from=eve-macarro&to=the-director").get_json()
    first = data["chains"][0]
    assert first["steps"] == [[{"relation": "mentor", "label": "mentor", "direction": "forward",
                                "marks": ["interpretation"]}]]
    html = text_of(real_client.get("/connections?from=eve-macarro&to=the-director"))
    assert chains_of(html)[0] == "Eve Macarro → mentor → interpretation The Director"
    canon = real_client.get("/api/connections?from=eve-macarro&to=the-director&canon=1").get_json()
    assert all(link["marks"] == [] for chain in canon["chains"] for step in chain["steps"] for link in step)


def test_did_you_mean_forgives_typos_on_the_shipped_data(real_client):
    response = real_client.get("/connections?from=macaro&to=winstn")
    assert response.status_code == 404
    html = text_of(response)
    assert 'href="/connections?from=eve-macarro&to=winstn"' in html
    assert 'href="/connections?to=winston-scott&from=macaro"' in html or \
        'href="/connections?from=macaro&to=winston-scott"' in html
    first = re.search(r'<ul class="did-you-mean">\s*<li><a href="([^"]+)"', html).group(1)
    assert "eve-macarro" in first


# -- in a real browser (skipped without Chromium, as in test_browser) -------------------------------


@pytest.mark.slow
def test_the_graph_view_draws_in_a_browser_and_its_controls_make_urls(server, page):
    page.goto(f"{server}/graph/hero?depth=1")
    page.wait_for_selector("#graph[data-drawn]", timeout=10_000)  # Cytoscape ran, under our CSP
    assert page.locator("#graph").is_visible() and page.locator("#graph canvas").count() > 0
    assert page.locator("#graph").get_attribute("data-drawn") == "13"  # Hero and 12 around (not the performance)
    with page.expect_navigation():
        page.locator('input[name="rel"][value="appearsIn"]').uncheck()  # the form submits itself
    assert "rel=memberOf" in page.url and "rel=appearsIn" not in page.url
    page.wait_for_selector("#graph[data-drawn]")
    assert not page.locator('input[name="rel"][value="appearsIn"]').is_checked()
