"""/api/complete: names from the data for query editors, on the fixture universe, over every store."""

from __future__ import annotations

import pytest

JWR = "https://kg.johnwick.example/id/"
JWO = "https://kg.johnwick.example/ontology/"


def complete(client, **params) -> list[dict]:
    answer = client.get("/api/complete", query_string=params)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.headers["Content-Type"] == "application/json"
    return answer.get_json()["results"]


def names(results: list[dict]) -> list[str]:
    return [result["name"] for result in results]


def test_an_entity_by_the_start_of_its_name_with_label_kind_and_count(client):
    first = complete(client, kind="entity", q="her")[0]
    assert first["name"] == "jwr:hero" and first["iri"] == JWR + "hero"
    assert first["label"] == "Hero" and first["kind"] == "entity" and first["type"] == "character"
    assert first["count"] > 0 and first["prefix"] == {"jwr": JWR}


def test_an_entity_by_an_alias_and_with_its_prefix_typed(client):
    assert names(complete(client, kind="entity", q="boogey"))[0] == "jwr:hero"  # "The Boogeyman"
    assert names(complete(client, kind="entity", q="jwr:vill"))[0] == "jwr:villain"


def test_entities_rank_by_use(client):
    results = complete(client, kind="entity", q="")
    counts = [result["count"] for result in results]
    assert counts == sorted(counts, reverse=True) and len(results) == 15
    assert names(results)[0] == "jwr:film-one"  # the most connected thing of the fixture


def test_a_name_whose_local_part_needs_escapes_is_written_whole(client):
    performances = [r for r in complete(client, kind="entity", q="hero", limit=50) if r["type"] == "performance"]
    assert performances and all(r["name"].startswith("<https://") and r["prefix"] == {} for r in performances)


def test_after_a_property_the_kinds_of_things_it_points_to(client):
    assert names(complete(client, kind="entity", predicate="jwo:memberOf")) == ["jwr:clan-a"]
    organizations = complete(client, kind="entity", predicate="jwo:memberOf", q="c")
    assert {"jwr:council-a", "jwr:clan-a"} <= set(names(organizations))
    kinds = {r["type"] for r in organizations}
    assert {"council", "clan"} <= kinds and not kinds & {"character", "city", "film", "scene", "performance"}


def test_the_properties_an_entity_has(client):
    results = complete(client, kind="property", subject="jwr:hero", limit=50)
    assert {"jwo:memberOf", "rdfs:label", "skos:altLabel"} <= set(names(results))
    assert "jwo:castMember" not in names(results)  # a work's property, not a character's
    assert all(r["kind"] == "property" and r["count"] > 0 for r in results)


def test_the_properties_of_a_class_with_counts(client):
    results = complete(client, kind="property", **{"class": "jwo:Character", "q": "app"})
    assert names(results)[0] == "jwo:appearsIn" and results[0]["count"] == 5  # every character of the fixture
    assert all(name.split(":")[1].lower().startswith("app") for name in names(results))


def test_properties_and_classes_by_the_start_of_their_name_or_label(client):
    assert "jwo:memberOf" in names(complete(client, kind="property", q="member o"))
    classes = complete(client, kind="class", q="char")
    assert names(classes) == ["jwo:Character"] and classes[0]["count"] == 5 and classes[0]["label"] == "character"


@pytest.mark.parametrize("params, words", [
    ({"kind": "nope"}, "kind: 'nope' is not one of entity, property, class"),
    ({"kind": "property", "subject": "foo:bar"}, "subject: 'foo:bar' is neither an IRI nor a name with one of our"),
])
def test_bad_input_is_a_clear_400(client, params, words):
    answer = client.get("/api/complete", query_string=params)
    assert answer.status_code == 400 and words in answer.get_json()["message"]


def test_long_input_is_bounded(client):
    assert complete(client, kind="entity", q="h" * 10_000, limit="99999") == []


@pytest.fixture(scope="module")
def shipped(real_nquads):
    from kg.store import EmbeddedStore

    from ..conftest import make_app

    app = make_app(EmbeddedStore.from_nquads(real_nquads), out_dir=real_nquads.parent)
    yield app.test_client()
    app.extensions["kg-queries"].close()


def test_on_the_shipped_universe_the_issues_own_examples(shipped):
    assert names(complete(shipped, kind="entity", q="jwr:rooney"))[0] == "jwr:eve-macarro"  # the pre-release name
    assert "jwr:john-wick" in names(complete(shipped, kind="entity", q="jwr:baba"))[:3]  # Baba Yaga
    eve = names(complete(shipped, kind="property", subject="jwr:eve-macarro", limit=50))
    assert {"jwo:memberOf", "jwo:playedBy", "jwo:appearsIn"} <= set(eve) and "jwo:castMember" not in eve
    characters = complete(shipped, kind="property", q="jwo:mem", **{"class": "jwo:Character"})
    assert names(characters)[0] == "jwo:memberOf" and characters[0]["count"] >= 10
    organizations = complete(shipped, kind="entity", q="", predicate="jwo:memberOf")
    assert "jwr:ruska-roma" in names(organizations)[:3]
    assert all(r["type"] not in ("character", "film", "scene") for r in organizations)
