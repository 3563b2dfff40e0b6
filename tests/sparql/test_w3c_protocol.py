"""The W3C SPARQL 1.1 Protocol test cases (w3c/rdf-tests, sparql/sparql11/protocol) against the real `kg serve`.

Each case below is one of the suite's query cases, its request and expected answer restated here (the suite's
manifest is not shipped with the project): the same path, method, media type and body, the same three graphs
(``dataN.rdf``, each saying that it is a foaf:Document) added to the served dataset.  The update cases do
not apply to a read-only endpoint, except those that expect a refusal, which are here too.  Beyond the suite:
``format=`` values common clients send, and every refusal in plain text with ``nosniff``.
"""

# W3C cases that do not apply, and why:
#   update_dataset_default_graph, update_dataset_default_graphs, update_dataset_named_graphs,
#   update_dataset_full, update_post_form, update_post_direct, update_base_uri
#     - each expects an update to succeed and change the data; the endpoint is read-only by design and refuses
#       every update with 403 (test_w3c_update_case_is_refused checks that refusal for the same requests).
#   query cases on the suite's dataset (query_dataset_*, query_multiple_dataset) do apply: the fixture build is
#     given the suite's three graphs, named and typed as in data1.nt .. data3.nt.
# Service description cases (sparql/sparql11/service-description): returns-rdf, has-endpoint-triple and
#   conforms-to-schema all apply and are the test_w3c_sd_* tests below.

from __future__ import annotations

import shutil
import urllib.error
import urllib.parse
import urllib.request

import pytest
from rdflib import RDF, Graph, URIRef

from kg.build.pipeline import record_origin
from kg.sparql.description import SD

from ..conftest import UNIVERSE, free_port, kg_serve, running

DATA = "http://kasei.us/2009/09/sparql/data/data{}.rdf"
FOAF_DOCUMENT = "http://xmlns.com/foaf/0.1/Document"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
FORM, QUERY = "application/x-www-form-urlencoded", "application/sparql-query"
ASK_BOTH = f"ASK {{ <{DATA.format(1)}> a ?type . <{DATA.format(2)}> a ?type . }}"
ASK_NAMED = f"ASK {{ GRAPH ?g1 {{ <{DATA.format(1)}> a ?type }} GRAPH ?g2 {{ <{DATA.format(2)}> a ?type }} }}"
ASK_FULL = (f"ASK {{ <{DATA.format(3)}> a ?type GRAPH ?g1 {{ <{DATA.format(1)}> a ?type }} "
            f"GRAPH ?g2 {{ <{DATA.format(2)}> a ?type }} }}")


def q(**params) -> str:
    """A query string, repeated keys as lists."""
    return "?" + urllib.parse.urlencode([(k.replace("_", "-"), v) for k, vs in params.items()
                                         for v in (vs if isinstance(vs, list) else [vs])])


D0, D1, D2, D3 = (DATA.format(n) for n in range(4))

#: (W3C test name, method, path, content type, body, expected status class, expected answer kind)
CASES = [
    ("query_post_form", "POST", "/sparql/" + q(default_graph_uri=D0), FORM, "query=ASK%20%7B%7D", 2, "true"),
    ("query_dataset_default_graphs_get", "GET", "/sparql/" + q(query=ASK_BOTH, default_graph_uri=[D1, D2]),
     None, None, 2, "true"),
    ("query_dataset_default_graphs_post", "POST", "/sparql/" + q(default_graph_uri=[D1, D2]), QUERY, ASK_BOTH, 2,
     "true"),
    ("query_dataset_named_graphs_post", "POST", "/sparql/" + q(named_graph_uri=[D1, D2]), QUERY, ASK_NAMED, 2,
     "true"),
    ("query_dataset_named_graphs_get", "GET", "/sparql/" + q(query=ASK_NAMED, named_graph_uri=[D1, D2]), None,
     None, 2, "true"),
    ("query_dataset_full", "POST", "/sparql/" + q(default_graph_uri=D3, named_graph_uri=[D1, D2]), QUERY, ASK_FULL,
     2, "true"),
    ("query_multiple_dataset", "POST", "/sparql/" + q(named_graph_uri=[D1, D2]), QUERY,
     ASK_NAMED.replace("ASK {", f"ASK FROM <{D3}> {{", 1), 2, "true"),
    ("query_get", "GET", "/sparql/" + q(query="ASK {}", default_graph_uri=D0), None, None, 2, "true"),
    ("query_content_type_select", "POST", "/sparql/" + q(default_graph_uri=D0), QUERY, "SELECT (1 AS ?value) {}", 2,
     "tabular"),
    ("query_content_type_ask", "POST", "/sparql/" + q(default_graph_uri=D0), QUERY, "ASK {}", 2, "boolean"),
    ("query_content_type_describe", "POST", "/sparql/" + q(default_graph_uri=D0), QUERY,
     "DESCRIBE <http://example.org/>", 2, "rdf"),
    ("query_content_type_construct", "POST", "/sparql/" + q(default_graph_uri=D0), QUERY,
     "CONSTRUCT { <s> <p> 1 } WHERE {}", 2, "rdf"),
    ("query_post_direct", "POST", "/sparql/", QUERY, "ASK {}", 2, "true"),
    ("bad_query_method", "PUT", "/sparql/" + q(query="ASK {}", default_graph_uri=D0), FORM, None, 4, None),
    ("bad_multiple_queries", "GET", "/sparql/" + q(query=["ASK {}", "SELECT * {}"]), None, None, 4, None),
    ("bad_query_wrong_media_type", "POST", "/sparql/", "text/plain", "ASK {}", 4, None),
    ("bad_query_missing_form_type", "POST", "/sparql/", None, "query=ASK%20%7B%7D", 4, None),
    ("bad_query_missing_direct_type", "POST", "/sparql/", None, "ASK {}", 4, None),
    ("bad_query_non_utf8", "POST", "/sparql/", QUERY + "; charset=UTF-16", "ASK {}".encode("utf-16"), 4, None),
    ("bad_query_syntax", "GET", "/sparql/" + q(query="ASK {"), None, None, 4, None),
    ("bad_update_get", "GET", "/sparql/" + q(update="CLEAR ALL"), None, None, 4, None),
    ("bad_multiple_updates", "POST", "/sparql/", FORM, "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", 4, None),
    ("bad_update_wrong_media_type", "POST", "/sparql/", "text/plain", "CLEAR NAMED", 4, None),
    ("bad_update_missing_form_type", "POST", "/sparql/", None, "update=CLEAR%20NAMED", 4, None),
    ("bad_update_non_utf8", "POST", "/sparql/", "application/sparql-update; charset=UTF-16",
     "CLEAR NAMED".encode("utf-16"), 4, None),
    ("bad_update_syntax", "POST", "/sparql/", FORM, "update=CLEAR%20XYZ", 4, None),
    ("bad_update_dataset_conflict", "POST", "/sparql/" + q(using_named_graph_uri="http://example/people"),
     "application/sparql-update", ("WITH <http://example/addresses> DELETE { ?s ?p 'Bill' } "
                                   "INSERT { ?s ?p 'William' } WHERE { ?s ?p 'Bill' }"), 4, None),
]

#: The suite's update cases that expect success: (W3C test name, path, content type, body); ours refuse them.
UPDATES = [
    ("update_dataset_default_graph", "/sparql/" + q(using_graph_uri=D1), "application/sparql-update",
     "INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }"),
    ("update_dataset_default_graphs", "/sparql/" + q(using_graph_uri=[D1, D2]), "application/sparql-update",
     "INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }"),
    ("update_dataset_named_graphs", "/sparql/" + q(using_named_graph_uri=[D1, D2]), "application/sparql-update",
     "INSERT { ?s ?p 1 } WHERE { GRAPH ?g { ?s ?p ?o } }"),
    ("update_dataset_full", "/sparql/" + q(using_graph_uri=D1, using_named_graph_uri=D2),
     "application/sparql-update", "INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }"),
    ("update_post_form", "/sparql/", FORM, "update=CLEAR+ALL"),
    ("update_post_direct", "/sparql/", "application/sparql-update", "CLEAR ALL"),
    ("update_base_uri", "/sparql/", "application/sparql-update", "INSERT DATA { <s> <p> 1 }"),
]


@pytest.fixture(scope="module")
def endpoint(universe_nquads, tmp_path_factory) -> str:
    """`kg serve` of the fixture universe with the suite's three graphs added to its build."""
    build = tmp_path_factory.mktemp("w3c") / "build"
    shutil.copytree(universe_nquads.parent, build, ignore=shutil.ignore_patterns("downloads"))
    with (build / "universe.nq").open("a", encoding="utf-8") as nquads:
        for n in (1, 2, 3):
            nquads.write(f"<{DATA.format(n)}> <{RDF_TYPE}> <{FOAF_DOCUMENT}> <{DATA.format(n)}> .\n")
    record_origin(UNIVERSE, build)
    port = free_port()
    with running(kg_serve(build, port), port, "kg serve") as url:
        yield url


def send(url: str, method: str, content_type: str | None, body, accept: str | None = None):
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", content_type or "")  # "" : no media type (urllib would add the form's)
    if accept:
        request.add_header("Accept", accept)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


KINDS = {
    "boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
    "tabular": ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"),
    "rdf": ("application/rdf+xml", "text/turtle", "application/n-triples"),
}


@pytest.mark.parametrize("name, method, path, content_type, body, status, expected", CASES,
                         ids=[case[0] for case in CASES])
def test_w3c_protocol_case(endpoint, name, method, path, content_type, body, status, expected):
    got, headers, answer = send(endpoint + path, method, content_type, body)
    assert got // 100 == status, (got, answer[:300])
    media_type = headers.get_content_type()
    if status == 4:
        assert media_type == "text/plain" and headers.get_content_charset() == "utf-8", (got, answer[:200])
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert answer.strip() and b"<html" not in answer.lower()
    elif expected == "true":
        assert media_type in KINDS["boolean"] and b"true" in answer
    else:
        assert media_type in KINDS[expected]


def test_relative_iris_resolve_against_the_endpoint(endpoint):
    status, _, body = send(endpoint + "/sparql/", "POST", QUERY, "CONSTRUCT { <s> <p> 1 } WHERE {}",
                                 accept="application/n-triples")
    assert status == 200 and body.decode().startswith(f"<{endpoint}/s> <{endpoint}/p> ")  # against .../sparql


@pytest.mark.parametrize("value, media_type", [
    ("rdf+xml", "application/rdf+xml"), ("json-ld", "application/ld+json"), ("xml", "application/rdf+xml"),
    ("application/rdf+xml", "application/rdf+xml"), ("text/turtle", "text/turtle"), ("turtle", "text/turtle"),
    ("json,turtle", "text/turtle"), ("n3", "text/turtle"),
    ("application/ld+json,application/x-json+ld", "application/ld+json"),  # SPARQLWrapper's JSONLD
    ("application/x-made-up,rdf+xml", "application/rdf+xml"),  # a list passes over names it does not know
])
def test_format_names_common_clients_send_for_graphs(endpoint, value, media_type):
    status, headers, _ = send(endpoint + "/sparql" + q(query="CONSTRUCT WHERE { ?s a ?t } LIMIT 2", format=value),
                              "GET", None, None)
    assert status == 200 and headers.get_content_type() == media_type


@pytest.mark.parametrize("value, media_type", [
    ("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
    ("application/sparql-results+json", "application/sparql-results+json"), ("csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"), ("rdf+xml,json", "application/sparql-results+json"),
])
def test_format_names_common_clients_send_for_results(endpoint, value, media_type):
    status, headers, _ = send(endpoint + "/sparql" + q(query="SELECT * WHERE { ?s ?p ?o } LIMIT 1", format=value),
                              "GET", None, None)
    assert status == 200 and headers.get_content_type() == media_type


@pytest.mark.parametrize("params, media_type", [
    ({"output": "csv"}, "text/csv"), ({"results": "xml"}, "application/sparql-results+xml"),
    ({"format": ["tsv", "text/tab-separated-values"], "output": "json"}, "text/tab-separated-values"),
])
def test_output_and_results_name_the_format_when_format_does_not(endpoint, params, media_type):
    status, headers, _ = send(endpoint + "/sparql" + q(query="SELECT * WHERE { ?s ?p ?o } LIMIT 1", **params),
                              "GET", None, None)
    assert status == 200 and headers.get_content_type() == media_type


def test_an_unknown_format_is_a_plain_400(endpoint):
    status, headers, body = send(endpoint + "/sparql" + q(query="ASK {}", format="excel"), "GET", None, None)
    assert status == 400 and headers.get_content_type() == "text/plain" and b"unknown format 'excel'" in body


def test_a_form_post_without_a_query_is_a_400_not_the_description(endpoint):
    status, headers, body = send(endpoint + "/sparql", "POST", FORM, "default-graph-uri=x")
    assert status == 400 and headers.get_content_type() == "text/plain" and b"must carry a query" in body


# --- SPARQLWrapper, every return format it offers, against the same server -----------------------------------

SELECT = "SELECT ?s WHERE { ?s a <http://xmlns.com/foaf/0.1/Document> } ORDER BY ?s"
GRAPH_QUERIES = {"CONSTRUCT": "CONSTRUCT WHERE { ?s a <http://xmlns.com/foaf/0.1/Document> }",
                 "DESCRIBE": f"DESCRIBE <{DATA.format(1)}>"}


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("name", ["JSON", "XML", "CSV", "TSV"])
def test_sparqlwrapper_select_in_every_results_format(endpoint, name, method):
    import SPARQLWrapper as sw

    client = sw.SPARQLWrapper(endpoint + "/sparql")
    client.setQuery(SELECT)
    client.setReturnFormat(getattr(sw, name))
    client.setMethod(getattr(sw, method))
    answer = client.query().convert()
    if name == "JSON":
        values = [b["s"]["value"] for b in answer["results"]["bindings"]]
    elif name == "XML":
        values = [node.firstChild.data for node in answer.getElementsByTagName("uri")]
    else:
        values = [line.strip("<>\"") for line in answer.decode().splitlines()[1:]]
    assert values == [DATA.format(n) for n in (1, 2, 3)]


@pytest.mark.parametrize("form", sorted(GRAPH_QUERIES))
@pytest.mark.parametrize("name", ["RDFXML", "XML", "TURTLE", "N3", "JSONLD", "RDF"])
def test_sparqlwrapper_graphs_in_every_rdf_format(endpoint, form, name):
    import SPARQLWrapper as sw

    client = sw.SPARQLWrapper(endpoint + "/sparql")
    client.setQuery(GRAPH_QUERIES[form])
    client.setReturnFormat(getattr(sw, name))
    answer = client.query().convert()
    graph = answer if isinstance(answer, Graph) else Graph().parse(
        data=answer, format="json-ld" if name == "JSONLD" else "turtle")
    assert (URIRef(DATA.format(1)), URIRef(RDF_TYPE), URIRef(FOAF_DOCUMENT)) in graph


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("name", ["JSON", "XML", "CSV", "TSV"])
def test_sparqlwrapper_ask_in_every_results_format(endpoint, name, method):
    import SPARQLWrapper as sw

    client = sw.SPARQLWrapper(endpoint + "/sparql")
    client.setQuery(f"ASK {{ <{DATA.format(2)}> a ?t }}")
    client.setReturnFormat(getattr(sw, name))
    client.setMethod(getattr(sw, method))
    answer = client.query().convert()
    if name == "JSON":
        assert answer["boolean"] is True
    elif name == "XML":
        assert answer.getElementsByTagName("boolean")[0].firstChild.data == "true"
    else:
        assert answer.decode().split()[-1] == "true"


@pytest.mark.parametrize("name, path, content_type, body", UPDATES, ids=[case[0] for case in UPDATES])
def test_w3c_update_case_is_refused(endpoint, name, path, content_type, body):
    status, headers, answer = send(endpoint + path, "POST", content_type, body)
    assert status == 403 and headers.get_content_type() == "text/plain" and b"update" in answer.lower()
    assert headers["X-Content-Type-Options"] == "nosniff"
    _, _, still = send(endpoint + "/sparql/", "POST", QUERY, ASK_BOTH)
    assert b"true" in still  # nothing was cleared


@pytest.mark.parametrize("path", ["/sparql", "/sparql/"])
def test_the_endpoint_with_a_trailing_slash_answers_head(endpoint, path):
    status, headers, body = send(endpoint + path + q(query="ASK {}"), "HEAD", None, None)
    assert status == 200 and headers.get_content_type() == "application/sparql-results+json" and body == b""


# --- The W3C service description cases --------------------------------------------------------------------

def description(endpoint: str, path: str):
    status, headers, body = send(endpoint + path, "GET", None, None, accept="text/turtle")
    assert status == 200 and headers.get_content_type() == "text/turtle"
    return Graph().parse(data=body.decode(), format="turtle")


@pytest.mark.parametrize("path", ["/sparql", "/sparql/"])
def test_w3c_sd_returns_rdf(endpoint, path):
    assert len(description(endpoint, path)) > 10


@pytest.mark.parametrize("path", ["/sparql", "/sparql/"])
def test_w3c_sd_has_endpoint_triple(endpoint, path):
    assert URIRef(endpoint + path) in set(description(endpoint, path).objects(None, SD.endpoint))


def test_w3c_sd_conforms_to_schema(endpoint):
    graph = description(endpoint, "/sparql")
    service = graph.value(None, RDF.type, SD.Service)
    assert service is not None and SD.SPARQL11Query in set(graph.objects(service, SD.supportedLanguage))
    dataset = graph.value(service, SD.defaultDataset)
    assert (dataset, RDF.type, SD.Dataset) in graph and graph.value(dataset, SD.defaultGraph) is not None
    for named in graph.objects(dataset, SD.namedGraph):  # each named graph has a name and a graph
        assert graph.value(named, SD.name) is not None and graph.value(named, SD.graph) is not None


@pytest.mark.parametrize("method, path, content_type, body, status", [
    ("DELETE", "/sparql", None, None, 405),
    ("PATCH", "/sparql/", QUERY, "ASK {}", 405),
    ("POST", "/sparql", QUERY, "ASK {" + "#" * 70_000 + "\n}", 413),
    ("GET", "/sparql" + q(query="SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"), None, None, 403),
    ("POST", "/sparql/", "application/json", "{}", 415),
])
def test_every_refusal_is_plain_text_utf8_with_nosniff(endpoint, method, path, content_type, body, status):
    got, headers, answer = send(endpoint + path, method, content_type, body)
    assert got == status and headers.get_content_type() == "text/plain", (got, answer[:200])
    assert headers.get_content_charset() == "utf-8" and headers["X-Content-Type-Options"] == "nosniff"
