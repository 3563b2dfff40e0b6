"""Dereferenceable Linked Data: entity and ontology IRIs, content negotiation, twins, Link headers, spoilers."""

from __future__ import annotations

import json
import re

import pytest
from rdflib import Dataset, Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.model import ontology_graph
from kg.namespaces import JWG, JWO, JWR, ONTOLOGY_IRI

HERO = JWR["hero"]
#: (media type, suffix, rdflib format, carries graphs)
RDF_TWINS = [
    ("text/turtle", "ttl", "turtle", False),
    ("application/n-triples", "nt", "nt", False),
    ("application/ld+json", "jsonld", "json-ld", False),
    ("application/rdf+xml", "rdf", "xml", False),
    ("application/n-quads", "nq", "nquads", True),
    ("application/trig", "trig", "trig", True),
]


def parse(response, rdflib_format: str, graphs: bool = False):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    if graphs:
        dataset = Dataset(default_union=True)
        dataset.parse(data=response.get_data(), format=rdflib_format)
        return dataset
    return Graph().parse(data=response.get_data(), format=rdflib_format)


def links(response) -> dict[str, str]:
    """The Link header's alternates: media type -> URL."""
    return {m.group(2): m.group(1)
            for m in re.finditer(r'<([^>]+)>; rel="alternate"; type="([^"]+)"', response.headers.get("Link", ""))}


def vary(response) -> set[str]:
    return {v.strip() for v in response.headers.get("Vary", "").split(",")}


# --- entities: content negotiation ---------------------------------------------------------------------


@pytest.mark.parametrize(("media_type", "suffix", "fmt", "graphs"), RDF_TWINS)
def test_an_entity_iri_negotiates_every_rdf_format(client, media_type, suffix, fmt, graphs):
    response = client.get("/id/hero", headers={"Accept": media_type})
    assert response.mimetype == media_type
    assert "Accept" in vary(response)
    assert response.headers["Content-Location"] == f"/id/hero.{suffix}"
    data = parse(response, fmt, graphs)
    assert (HERO, RDFS.label, Literal("Hero")) in data
    # the same description as the suffix URL
    assert client.get(f"/id/hero.{suffix}").get_data() == response.get_data()


@pytest.mark.parametrize(("accept", "expected"), [
    ("text/turtle;q=0.5, application/ld+json;q=0.9", "application/ld+json"),
    ("text/html;q=0.1, application/n-triples", "application/n-triples"),
    ("application/x-turtle", "text/turtle"),  # an alias of the format
    ("application/json", "application/json"),  # the page's data
    ("application/rdf+xml;q=0, text/turtle;q=0.2", "text/turtle"),
])
def test_q_values_and_aliases_choose_the_format(client, accept, expected):
    response = client.get("/id/hero", headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == expected


@pytest.mark.parametrize("accept", [
    None, "*/*", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "image/png", "garbage",
    "text/turtle;q=nonsense", ";;;,,,", "application/rdf+xml;q=0",
])
def test_a_browser_or_a_wrong_accept_gets_the_page(client, accept):
    response = client.get("/id/hero", headers={"Accept": accept} if accept is not None else {})
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "<h1>Hero</h1>" in response.get_data(as_text=True)
    assert "Accept" in vary(response)


def test_the_page_names_its_twins_in_link_headers_and_in_its_head(client):
    response = client.get("/id/hero")
    alternates = links(response)
    assert alternates == {"text/turtle": "/id/hero.ttl", "application/n-triples": "/id/hero.nt",
                          "application/ld+json": "/id/hero.jsonld", "application/rdf+xml": "/id/hero.rdf",
                          "application/n-quads": "/id/hero.nq", "application/trig": "/id/hero.trig",
                          "application/json": "/id/hero.json"}
    page = response.get_data(as_text=True)
    head = page[:page.index("</head>")]
    assert set(re.findall(r'<link rel="alternate" type="([^"]+)" href="([^"]+)"', head)) == set(alternates.items())


def test_each_twin_names_the_page_and_the_other_twins(client):
    response = client.get("/id/hero.ttl")
    alternates = links(response)
    assert alternates["text/html"] == "/id/hero"
    assert alternates["application/ld+json"] == "/id/hero.jsonld" and "text/turtle" not in alternates
    assert "Content-Location" not in response.headers  # the suffix URL is the document itself


def test_twin_links_carry_the_spoiler_level(client):
    alternates = links(client.get("/id/hero.ttl?seen=1"))
    assert alternates["text/html"] == "/id/hero?seen=1" and alternates["application/n-quads"] == "/id/hero.nq?seen=1"
    negotiated = client.get("/id/hero?seen=1", headers={"Accept": "text/turtle"})
    assert negotiated.headers["Content-Location"] == "/id/hero.ttl?seen=1"


# --- entities: what the description holds ----------------------------------------------------------------


@pytest.mark.parametrize(("media_type", "suffix", "fmt", "graphs"), RDF_TWINS)
def test_the_description_has_statements_links_labels_and_nodes(client, media_type, suffix, fmt, graphs):
    data = parse(client.get(f"/id/hero.{suffix}"), fmt, graphs)
    assert (HERO, RDFS.label, Literal("Hero")) in data
    assert (HERO, RDF.type, JWO.Character) in data
    assert (HERO, JWO.memberOf, JWR["clan-a"]) in data  # outgoing
    assert (JWR["villain"], JWO.killedBy, HERO) in data  # incoming
    assert (JWR["clan-a"], RDFS.label, Literal("Clan A")) in data  # the label of what it links to
    assert (JWR["villain"], RDFS.label, Literal("Villain")) in data  # and of what links to it
    performance = JWR["performance/film-one/actor-a/hero"]
    assert (performance, JWO.performedBy, JWR["actor-a"]) in data  # a performance, with all its statements
    assert (JWR["actor-a"], RDFS.label, None) in data
    statements = set(data.subjects(RDF.subject, HERO))
    assert any((st, JWO.fromWork, JWR["film-one"]) in data for st in statements)  # a qualified statement
    assert (HERO, OWL.sameAs, None) in data
    assert (JWR["clan-a"], JWO.memberOf, None) not in data  # what it links to is named, not described


def test_quad_formats_keep_the_source_graphs(client):
    data = parse(client.get("/id/hero.nq"), "nquads", graphs=True)
    graphs = {g for s, p, o, g in data.quads((HERO, SKOS.altLabel, Literal("Canon Alias")))}
    assert graphs == {JWG["film-one/film-one"]}
    trig = parse(client.get("/id/hero.trig"), "trig", graphs=True)
    assert {q for q in trig.quads()} == {q for q in data.quads()}


def test_a_performance_with_slashes_in_its_path_dereferences(client):
    data = parse(client.get("/id/performance/film-one/actor-a/hero.ttl"), "turtle")
    assert (JWR["performance/film-one/actor-a/hero"], JWO.asCharacter, HERO) in data


def test_the_json_twin_is_the_pages_data(client):
    response = client.get("/id/hero.json")
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert data["iri"] == str(HERO) and data["label"] == "Hero" and data["class"] == str(JWO.Character)
    member = next(s for s in data["statements"] if s["property"] == str(JWO.memberOf))
    assert member["value"] == {"iri": str(JWR["clan-a"]), "label": "Clan A"}
    assert member["sources"] and all(source["graph"].startswith(str(JWG)) for source in member["sources"])


# --- entities: 404s --------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/id/nobody.ttl", "/id/hero.xyz", "/id/hero.ttl.ttl", "/id/nobody.json"])
def test_unknown_entities_and_suffixes_are_404(client, url):
    assert client.get(url).status_code == 404


def test_an_unknown_entity_is_a_404_whatever_it_accepts(client):
    assert client.get("/id/nobody", headers={"Accept": "text/turtle"}).status_code == 404


# --- spoilers ----------------------------------------------------------------------------------------------


def test_the_spoiler_level_hides_late_facts_in_rdf_too(client):
    late = (JWR["villain"], SKOS.altLabel, Literal("The Other One"))  # revealed in episode-one (release 2)
    assert late in parse(client.get("/id/villain.ttl"), "turtle")
    assert late in parse(client.get("/id/villain.ttl?seen=2"), "turtle")
    seen_one = parse(client.get("/id/villain.ttl?seen=1"), "turtle")
    assert late not in seen_one
    assert (JWR["villain"], RDFS.label, Literal("Villain")) in seen_one  # the rest stays
    assert late not in parse(client.get("/id/villain", headers={"Accept": "application/n-triples"},
                                        query_string={"seen": "1"}), "nt")
    client.set_cookie("seen", "1")
    assert late not in parse(client.get("/id/villain.nq"), "nquads", graphs=True)
    data = client.get("/id/villain.json").get_json()
    assert "The Other One" not in json.dumps(data) and data["hidden"] >= 1


def test_a_hidden_scene_hides_its_name_and_the_links_to_it(client):
    scene = parse(client.get("/id/scene-a.ttl?seen=0"), "turtle")
    assert (JWR["scene-a"], RDFS.label, None) not in scene
    hero = parse(client.get("/id/hero.ttl?seen=0"), "turtle")
    assert (HERO, RDFS.label, Literal("Hero")) in hero  # real-world facts (the cast) are never spoilers
    assert (JWR["scene-a"], None, None) not in hero and (None, None, JWR["scene-a"]) not in hero
    assert (JWR["scene-a"], RDFS.label, None) in parse(client.get("/id/hero.ttl"), "turtle")


# --- the ontology ----------------------------------------------------------------------------------------


def test_the_ontology_overview_lists_classes_and_properties(client):
    response = client.get("/ontology")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Accept" in vary(response)
    assert "<h1>John Wick universe ontology</h1>" in page and "version 0.1.0" in page
    assert 'href="/ontology/Character"' in page and 'href="/ontology/Film"' in page  # the class tree
    assert 'href="/ontology/director"' in page and "Object properties" in page
    assert 'href="/ontology/Unconfirmed"' in page  # individuals
    assert links(response)["text/turtle"] == "/ontology.ttl"


def test_the_ontology_turtle_is_the_ontology(client):
    for response in (client.get("/ontology.ttl"), client.get("/ontology", headers={"Accept": "text/turtle"})):
        assert response.mimetype == "text/turtle"
        graph = parse(response, "turtle")
        assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
        assert isomorphic(graph, ontology_graph())
    assert isomorphic(parse(client.get("/ontology.jsonld"), "json-ld"), ontology_graph())


def test_a_class_page_documents_the_class(client):
    response = client.get("/ontology/Film")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>film</h1>" in page and "A feature film." in page
    assert 'href="/ontology/Work"' in page and "schema:Movie" in page  # superclasses, ours and schema.org's
    assert 'href="http://www.wikidata.org/entity/Q11424"' in page  # its Wikidata match
    assert 'href="/ontology/director"' in page  # properties, inherited from work
    assert "jwsh:FilmShape" in page and "never stated" in page and "a film is not part of a series" in page
    assert "each value is a <a href=\"/ontology/Person\">person</a>" in page  # WorkShape's constraints, in words
    assert 'href="/id/film-one"' in page and 'href="/id/film-two"' in page  # examples from the data
    work = client.get("/ontology/Work").get_data(as_text=True)
    assert 'href="/ontology/Film"' in work and 'href="/ontology/Episode"' in work  # subclasses


def test_a_property_page_documents_the_property(client):
    page = client.get("/ontology/director").get_data(as_text=True)
    assert "<h1>director</h1>" in page and "A person who directed the work." in page
    assert "Domain" in page and 'href="/ontology/Work"' in page and 'href="/ontology/Person"' in page
    assert "schema:director" in page and 'href="http://www.wikidata.org/prop/direct/P57"' in page
    assert "directed" in page  # how it reads backwards
    assert "each of &#39;directors&#39; must be a person" in page  # the shape's message
    assert 'href="/id/dir-person"' in page  # an example statement
    inverse = client.get("/ontology/performedBy").get_data(as_text=True)
    assert "← " in inverse and "a performer is someone in a" in inverse  # a shape on the links to a performer


def test_class_examples_honour_the_spoiler_level(client):
    assert 'href="/id/scene-a"' in client.get("/ontology/Scene").get_data(as_text=True)
    assert 'href="/id/scene-a?seen=0"' not in client.get("/ontology/Scene?seen=0").get_data(as_text=True)


@pytest.mark.parametrize(("media_type", "suffix", "fmt", "graphs"), RDF_TWINS[:4])
def test_a_term_dereferences_to_its_own_triples(client, media_type, suffix, fmt, graphs):
    negotiated = client.get("/ontology/Work", headers={"Accept": media_type})
    assert negotiated.headers["Content-Location"] == f"/ontology/Work.{suffix}" and "Accept" in vary(negotiated)
    graph = parse(client.get(f"/ontology/Work.{suffix}"), fmt)
    assert (JWO.Work, RDFS.label, Literal("work", lang="en")) in graph
    assert (JWO.Film, None, None) not in graph  # only what is said of Work
    assert set(graph) == set(parse(negotiated, fmt))


def test_the_term_json_twin(client):
    data = client.get("/ontology/director.json").get_json()
    assert data["label"] == "director" and data["domains"] == [str(JWO.Work)]
    assert any("person" in c["text"].lower() for c in data["constraints"])


@pytest.mark.parametrize(("url", "hint"), [("/ontology/work", "jwo:Work"), ("/ontology/directr", "jwo:director"),
                                           ("/ontology/Nothing", None), ("/ontology/Work.xyz", None),
                                           ("/ontology/Nothing.ttl", None)])
def test_an_unknown_term_is_a_404_with_a_suggestion(client, url, hint):
    response = client.get(url)
    assert response.status_code == 404
    if hint:
        assert f"Did you mean {hint}" in response.get_data(as_text=True)


def test_entity_pages_link_their_class_to_its_documentation(client):
    page = client.get("/id/hero").get_data(as_text=True)
    assert '<p class="kind"><a href="/ontology/Character">character</a></p>' in page


def test_ontology_pages_are_a_browsers_default(client):
    for accept in ("*/*", "garbage", "text/html"):
        response = client.get("/ontology/Work", headers={"Accept": accept})
        assert response.status_code == 200 and response.mimetype == "text/html"


# --- errors on twins: in the twin's own format ------------------------------------------------------------


MISSING_TWINS = [("/id/nobody-at-all", *twin) for twin in RDF_TWINS] + \
                [("/ontology/NoSuchTerm", *twin) for twin in RDF_TWINS if not twin[3]]  # the ontology has no graphs


@pytest.mark.parametrize(("path", "media_type", "suffix", "fmt", "graphs"), MISSING_TWINS)
def test_a_missing_twin_is_a_404_in_the_twins_format(client, path, media_type, suffix, fmt, graphs):
    for response in (client.get(f"{path}.{suffix}"), client.get(path, headers={"Accept": media_type})):
        assert response.status_code == 404 and response.mimetype == media_type
        body = response.get_data()
        if graphs:
            Dataset().parse(data=body, format=fmt)
        else:
            assert len(Graph().parse(data=body, format=fmt)) == 0  # a document of its format, with no statement
        assert b"404 Not Found" in body


def test_a_missing_json_twin_is_a_404_in_json(client):
    for name, path in (("nobody-at-all", "/id/nobody-at-all.json"), ("NoSuchTerm", "/ontology/NoSuchTerm.json")):
        response = client.get(path)
        assert response.status_code == 404 and response.mimetype == "application/json"
        assert response.get_json()["error"] == "Not Found" and name in response.get_json()["message"]


def test_a_missing_page_is_still_an_html_page(client):
    response = client.get("/id/nobody-at-all", headers={"Accept": "text/html"})
    assert response.status_code == 404 and response.mimetype == "text/html"
