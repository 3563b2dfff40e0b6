"""The SPARQL 1.1 Protocol at /sparql: methods, formats, datasets, the service description, CORS.

The app serves the fixture universe; its queries run in real executor
processes (one app per module, so they start once).  The last tests point
real clients (SPARQLWrapper, rdflib's SPARQLStore) at a real ``kg serve``.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDFS

from kg.namespaces import JWG, JWR

from ..conftest import BACKENDS, make_app

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
RESULTS = "{http://www.w3.org/2005/sparql-results#}"
LABELS = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX jwo: <https://kg.johnwick.example/ontology/> " \
         "SELECT ?c ?label WHERE { ?c a jwo:Character ; rdfs:label ?label } ORDER BY ?label"
CHARACTERS = ["Elder", "Hero", "Sister", "Villain", "Wife"]
HERO_GRAPH = "PREFIX jwr: <https://kg.johnwick.example/id/> CONSTRUCT { jwr:hero ?p ?o } WHERE { jwr:hero ?p ?o }"


@pytest.fixture(scope="module", params=BACKENDS)
def sparql(request, universe_nquads):
    """/sparql over the embedded store, and over a real Oxigraph server through the remote store."""
    from kg.store import EmbeddedStore

    if request.param == "embedded":
        app = make_app(EmbeddedStore.from_nquads(universe_nquads), out_dir=universe_nquads.parent)
    else:
        app = make_app(endpoint=request.getfixturevalue("oxigraph_universe"))
    yield app.test_client()
    app.extensions["kg-queries"].close()


def labels(response) -> list[str]:
    return [b["label"]["value"] for b in response.get_json(force=True)["results"]["bindings"]]


# --- the three ways to send a query ----------------------------------------------------------------------

def test_get_answers_sparql_json_by_default(sparql):
    response = sparql.get("/sparql", query_string={"query": LABELS})
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    body = response.get_json(force=True)
    assert body["head"]["vars"] == ["c", "label"]
    assert labels(response) == CHARACTERS
    assert body["results"]["bindings"][1]["c"] == {"type": "uri", "value": str(JWR.hero)}
    assert "truncated" not in body and "X-Result-Truncated" not in response.headers
    assert response.headers["X-Result-Rows"] == "5"


def test_post_form_and_post_query_body_give_the_same_answer(sparql):
    by_form = sparql.post("/sparql", data={"query": LABELS})
    by_body = sparql.post("/sparql", data=LABELS, content_type="application/sparql-query")
    assert labels(by_form) == labels(by_body) == CHARACTERS


def test_post_of_another_media_type_is_415_with_the_way_to_do_it(sparql):
    response = sparql.post("/sparql", data=LABELS, content_type="text/plain")
    assert response.status_code == 415
    assert "application/sparql-query" in response.get_data(as_text=True)


@pytest.mark.parametrize("accept, media_type", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("image/png", "application/sparql-results+json"),  # nothing we have: the default, not an error
    ("", "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
])
def test_select_formats_by_accept(sparql, accept, media_type):
    response = sparql.get("/sparql", query_string={"query": LABELS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert "Accept" in response.headers["Vary"]


def test_each_select_format_holds_the_answer(sparql):
    def get(fmt):
        return sparql.get("/sparql", query_string={"query": LABELS, "format": fmt}).get_data(as_text=True)

    xml = ET.fromstring(get("xml"))
    assert [v.get("name") for v in xml.iter(RESULTS + "variable")] == ["c", "label"]
    assert [e.text for e in xml.iter(RESULTS + "literal")] == CHARACTERS
    rows = list(csv.reader(io.StringIO(get("csv"))))
    assert rows[0] == ["c", "label"] and [r[1] for r in rows[1:]] == CHARACTERS
    tsv = get("tsv").splitlines()
    assert tsv[0] == "?c\t?label"
    assert tsv[2].split("\t") == [f"<{JWR.hero}>", '"Hero"']


def test_ask_in_json_and_xml(sparql):
    ask = "ASK { ?s a <https://kg.johnwick.example/ontology/Character> }"
    assert sparql.get("/sparql", query_string={"query": ask}).get_json(force=True)["boolean"] is True
    xml = sparql.get("/sparql", query_string={"query": ask, "format": "xml"}).get_data(as_text=True)
    assert ET.fromstring(xml).find(RESULTS + "boolean").text == "true"


@pytest.mark.parametrize("accept, media_type, parse_as", [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("application/n-quads", "application/n-quads", "nquads"),
    ("application/trig", "application/trig", "trig"),
    ("text/html;q=0.1, image/png", "text/turtle", "turtle"),  # a wrong Accept gets Turtle
])
def test_construct_in_every_rdf_format(sparql, accept, media_type, parse_as):
    response = sparql.post("/sparql", data={"query": HERO_GRAPH}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == media_type
    dataset = Dataset().parse(data=response.get_data(as_text=True), format=parse_as)
    assert (JWR.hero, RDFS.label, Literal("Hero")) in {quad[:3] for quad in dataset.quads()}


def test_describe_answers_rdf(sparql):
    response = sparql.get("/sparql", query_string={"query": f"DESCRIBE <{JWR.hero}>", "format": "ntriples"})
    graph = Graph().parse(data=response.get_data(as_text=True), format="nt")
    assert (JWR.hero, RDFS.label, Literal("Hero")) in graph


def test_an_unknown_format_parameter_is_400_naming_the_choices(sparql):
    response = sparql.get("/sparql", query_string={"query": LABELS, "format": "excel"})
    assert response.status_code == 400
    assert "json, xml, csv, tsv, turtle" in response.get_data(as_text=True)


# --- the dataset: union default graph, named graphs, and the protocol's graph parameters ------------------

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def count(sparql, **params) -> int:
    body = sparql.get("/sparql", query_string={"query": COUNT, **params}).get_json(force=True)
    return int(body["results"]["bindings"][0]["n"]["value"])


def test_the_default_graph_is_the_union_and_graph_parameters_narrow_it(sparql):
    everything = count(sparql)
    provenance = count(sparql, **{"default-graph-uri": str(JWG.provenance)})
    assert provenance == 73  # the size of that one graph
    both = count(sparql, **{"default-graph-uri": [str(JWG.provenance), str(JWG["ref-film"])]})
    assert provenance < both < everything


def test_named_graph_uri_limits_what_graph_sees(sparql):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    everything = sparql.get("/sparql", query_string={"query": query}).get_json(force=True)
    assert len(everything["results"]["bindings"]) == 9
    one = sparql.get("/sparql", query_string={"query": query, "named-graph-uri": str(JWG.provenance)})
    assert [b["g"]["value"] for b in one.get_json(force=True)["results"]["bindings"]] == [str(JWG.provenance)]


def test_a_graph_parameter_naming_no_graph_of_ours_is_an_empty_graph(sparql):
    response = sparql.get("/sparql", query_string={"query": COUNT, "default-graph-uri": "http://example.org/g"})
    assert response.status_code == 200  # as Fuseki and Oxigraph read it; nothing is fetched from anywhere
    assert response.get_json(force=True)["results"]["bindings"][0]["n"]["value"] == "0"


def test_service_description_says_the_default_graph_is_the_union(sparql):
    response = sparql.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    service = URIRef("http://localhost/sparql")
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    names = set(graph.objects(None, SD.name))
    assert JWG.provenance in names and len(names) == 9


def test_service_description_for_curl_and_in_json_ld(sparql):
    assert sparql.get("/sparql", headers={"Accept": "*/*"}).mimetype == "text/turtle"
    response = sparql.get("/sparql", headers={"Accept": "application/ld+json"})
    assert response.mimetype == "application/ld+json"
    assert Graph().parse(data=response.get_data(as_text=True), format="json-ld")


# --- CORS, on answers and errors alike ---------------------------------------------------------------------

@pytest.mark.parametrize("method, kwargs, status", [
    ("get", {"query_string": {"query": LABELS}}, 200),
    ("get", {"query_string": {"query": "SELECT WHERE {"}}, 400),
    ("post", {"data": {"update": "DROP ALL"}}, 403),
    ("get", {"query_string": {"query": "#" * 70_000}}, 413),
    ("get", {"headers": {"Accept": "text/turtle"}}, 200),
])
def test_cors_on_every_response(sparql, method, kwargs, status):
    response = getattr(sparql, method)("/sparql", **kwargs)
    assert response.status_code == status
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-Result-Truncated" in response.headers["Access-Control-Expose-Headers"]


def test_cors_preflight_allows_a_post_of_a_query(sparql):
    response = sparql.options("/sparql", headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method":
                                                  "POST", "Access-Control-Request-Headers": "content-type"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in response.headers["Access-Control-Allow-Headers"]


def test_cors_on_pages_and_their_errors_too(client):
    assert client.get("/").headers["Access-Control-Allow-Origin"] == "*"
    assert client.get("/id/nobody").headers["Access-Control-Allow-Origin"] == "*"


# --- real clients against a real server ------------------------------------------------------------------------

def test_sparqlwrapper_reads_our_answers(server):
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    for method in ("GET", POST):
        client = SPARQLWrapper(f"{server}/sparql")
        client.setMethod(method)
        client.setQuery(LABELS)
        client.setReturnFormat(JSON)
        rows = client.query().convert()["results"]["bindings"]
        assert [r["label"]["value"] for r in rows] == CHARACTERS


def test_rdflib_sparqlstore_reads_our_answers(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(f"{server}/sparql", returnFormat="json")
    graph = Graph(store=store)
    assert [str(row.label) for row in graph.query(LABELS)] == CHARACTERS
    assert json.loads(json.dumps(bool(graph.query("ASK { ?s ?p ?o }").askAnswer))) is True
