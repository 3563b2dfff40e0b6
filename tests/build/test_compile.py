"""The compiler on the fixture universe: the whole graph, then each rule on its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from kg.build import build
from kg.model import model, ontology_graph
from kg.namespaces import (
    JWG,
    JWO,
    JWR,
    ONTOLOGY_IRI,
    PROVENANCE_GRAPH,
    SCHEMA,
    STATEMENT,
)

from ..conftest import FIXTURES, UNIVERSE

EXPECTED = FIXTURES / "universe.expected.nq"


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return build(UNIVERSE).dataset


def graphs(ds: Dataset) -> dict[URIRef, Graph]:
    """Each non-empty named graph of a dataset as a plain Graph."""
    out: dict[URIRef, Graph] = {}
    for s, p, o, g in ds.quads((None, None, None, None)):
        out.setdefault(g, Graph()).add((s, p, o))
    return out


def test_compiled_fixture_is_the_expected_dataset(dataset):
    expected = graphs(Dataset().parse(EXPECTED, format="nquads"))
    actual = graphs(dataset)
    assert actual.pop(ONTOLOGY_IRI) is not None
    assert sorted(actual) == sorted(expected)
    for name in expected:
        assert isomorphic(actual[name], expected[name]), f"graph {name} differs"


def test_ontology_is_a_named_graph_of_the_dataset(dataset):
    assert isomorphic(graphs(dataset)[ONTOLOGY_IRI], ontology_graph())


def test_fixture_uses_every_class_and_property(dataset):
    m = model()
    data = [q for q in dataset.quads((None, None, None, None)) if q[3] != ONTOLOGY_IRI]
    used_predicates = {p for _, p, _, _ in data}
    instantiated = {o for _, p, o, _ in data if p == RDF.type} | set(m.graph.objects(None, RDF.type))
    assert m.properties - used_predicates == set()
    assert m.classes - instantiated == set()


def test_real_world_facts_go_to_the_source_graph(dataset):
    g = dataset.graph(JWG["ref-film"])
    assert (JWR["film-one"], JWO.runtimeMinutes, Literal(101)) in g
    assert (JWR["hero"], RDFS.label, Literal("Hero")) in g  # names are never spoilers
    assert (JWR["hero"], JWO.playedBy, JWR["actor-a"]) in g  # casts neither


def test_story_facts_go_to_the_graph_of_their_revealing_work(dataset):
    story = dataset.graph(JWG["ref-film/film-one"])
    assert (JWR["hero"], JWO.memberOf, JWR["clan-a"]) in story
    assert (JWR["hero"], JWO.memberOf, JWR["clan-a"]) not in dataset.graph(JWG["ref-film"])
    provenance = dataset.graph(PROVENANCE_GRAPH)
    assert (JWG["ref-film/film-one"], JWO.revealedIn, JWR["film-one"]) in provenance
    assert provenance.value(JWG["ref-film"], JWO.revealedIn) is None


def test_scenes_are_story_facts_even_their_names(dataset):
    assert (JWR["scene-a"], RDFS.label, Literal("Scene A")) in dataset.graph(JWG["ref-film/film-one"])


def test_each_source_of_a_fact_gets_the_fact(dataset):
    fact = (JWR["villain"], SKOS.altLabel, Literal("The Other One"))
    assert fact in dataset.graph(JWG["ref-film/episode-one"])
    assert fact in dataset.graph(JWG["ref-general/episode-one"])


def test_a_work_cited_as_source_is_canon_and_reveals_itself(dataset):
    provenance = dataset.graph(PROVENANCE_GRAPH)
    g = JWG["film-one/film-one"]
    assert provenance.value(g, JWO.sourceKind) == JWO.CanonSource
    assert provenance.value(g, PROV.wasDerivedFrom) == JWR["film-one"]
    assert (JWR["hero"], SKOS.altLabel, Literal("Canon Alias")) in dataset.graph(g)


def test_analysis_readings_are_interpretation(dataset):
    provenance = dataset.graph(PROVENANCE_GRAPH)
    g = JWG["an-analysis/film-one"]
    assert provenance.value(g, JWO.sourceKind) == JWO.InterpretiveSource
    assert (JWR["scene-b"], JWO.confirmation, JWO.Unconfirmed) in dataset.graph(g)


def test_every_entity_carries_a_schema_type_and_name(dataset):
    union = Graph()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        if g != ONTOLOGY_IRI:
            union.add((s, p, o))
    entities = {s for s in union.subjects(RDF.type, None)
                if str(s).startswith(str(JWR)) or str(s).startswith(str(JWG))}
    entities = {s for s in entities if not str(s).startswith(str(STATEMENT))}
    for entity in entities:
        schema_types = [t for t in union.objects(entity, RDF.type) if str(t).startswith(str(SCHEMA))]
        if not str(entity).startswith(str(JWG)):  # graphs are PROV entities, not schema.org things
            assert schema_types, entity
            assert union.value(entity, SCHEMA.name) is not None, entity


def test_inverse_and_symmetric_properties_are_materialized(dataset):
    story = dataset.graph(JWG["ref-film/film-one"])
    assert (JWR["hero"], JWO.killed, JWR["villain"]) in story  # from villain's killed_by
    assert (JWR["elder"], JWO.child, JWR["hero"]) in story  # from hero's parents
    assert (JWR["wife"], JWO.spouse, JWR["hero"]) in story  # symmetric
    assert (JWR["wife"], SCHEMA.spouse, JWR["hero"]) in story  # and its schema.org super-property


def test_qualifiers_become_a_statement_in_the_same_graph(dataset):
    g = dataset.graph(JWG["ref-film/film-one"])
    statements = [s for s in g.subjects(RDF.predicate, JWO.manager)]
    assert len(statements) == 1
    st = statements[0]
    assert (st, RDF.type, JWO.QualifiedStatement) in g
    assert g.value(st, RDF.subject) == JWR["branch-a"]
    assert g.value(st, RDF.object) == JWR["elder"]
    assert g.value(st, JWO.fromWork) == JWR["series-one"]
    assert g.value(st, JWO.untilWork) == JWR["film-one"]


def test_cast_entry_compiles_to_a_performance(dataset):
    g = dataset.graph(JWG["ref-film"])
    perf = JWR["performance/film-one/actor-b/villain"]
    assert g.value(perf, JWO.performedBy) == JWR["actor-b"]
    assert g.value(perf, JWO.asCharacter) == JWR["villain"]
    assert g.value(perf, JWO.inWork) == JWR["film-one"]
    assert g.value(perf, JWO.creditedAs) == Literal("The Villain")
    assert (JWR["film-one"], JWO.castMember, JWR["actor-b"]) in g
    assert (JWR["actor-b"], RDF.type, JWO.Performer) in g


def test_a_premise_is_a_real_world_fact(dataset):
    g = dataset.graph(JWG["ref-film"])
    premise = Literal("A retired hero is drawn back into his old trade.", lang="en")
    assert (JWR["film-one"], JWO.premise, premise) in g
    assert (JWR["film-one"], SCHEMA.abstract, premise) in g
    assert not list(dataset.graph(JWG["ref-film/film-one"]).triples((None, JWO.premise, None)))


def test_plot_parts_are_story_facts_ordered_by_act(dataset):
    g = dataset.graph(JWG["ref-film/film-one"])
    parts = sorted(g.objects(JWR["film-one"], JWO.hasPlotPart), key=lambda part: int(g.value(part, JWO.actNumber)))
    assert parts == [JWR["plot/film-one/1"], JWR["plot/film-one/2"]]  # written 2 then 1: the number orders them
    first = parts[0]
    assert (first, RDF.type, JWO.PlotPart) in g
    assert g.value(first, JWO.partOfPlot) == JWR["film-one"]
    assert g.value(first, SCHEMA.position) == Literal(1)
    assert g.value(first, JWO.summary) == Literal("Someone steals the hero's car.", lang="en")
    assert g.value(first, SCHEMA.text) == g.value(first, JWO.summary)
    assert g.value(first, RDFS.label) == Literal("Act 1 of Film One")
    assert not list(dataset.graph(JWG["ref-film"]).triples((None, JWO.hasPlotPart, None)))  # never real-world


def test_a_plot_part_from_several_sources_is_in_each_of_their_graphs(dataset):
    for g in (JWG["ref-film/film-one"], JWG["film-one/film-one"]):
        assert dataset.graph(g).value(JWR["plot/film-one/2"], JWO.actNumber) == Literal(2)
        assert dataset.graph(g).value(JWR["plot/film-one/2"], JWO.confirmation) == JWO.Unconfirmed


def test_a_plot_part_is_revealed_in_its_own_work_by_default(tmp_path: Path):
    # s is about no work (and a story fact from it would need 'revealed_in:'); a is about another work
    (tmp_path / "d.yaml").write_text(
        "sources:\n  s: {type: reference, name: S, url: 'https://example.org'}\n"
        "  a: {type: reference, name: A, url: 'https://example.org/a', about: w2}\n"
        "works:\n  w2: {type: film, name: W2, source: s}\n"
        "  w:\n    type: film\n    name: W\n    source: s\n"
        "    plot:\n      - {act: 1, text: It begins.}\n      - {act: 2, text: It ends., source: a}\n",
        encoding="utf-8")
    ds = build(tmp_path).dataset
    assert ds.graph(JWG["s/w"]).value(JWR["plot/w/1"], JWO.actNumber) == Literal(1)
    assert ds.graph(JWG["a/w"]).value(JWR["plot/w/2"], JWO.actNumber) == Literal(2)
    assert ds.graph(PROVENANCE_GRAPH).value(JWG["a/w"], JWO.revealedIn) == JWR["w"]


def test_a_plot_part_revealed_in_an_episode_goes_to_its_graph(tmp_path: Path):
    (tmp_path / "d.yaml").write_text(
        "source: s\nsources:\n  s: {type: reference, name: S, url: 'https://example.org'}\n"
        "works:\n  show: {type: series, name: Show}\n"
        "  night-1: {type: episode, name: Night 1, series: show}\n"
        "  night-2:\n    type: episode\n    name: Night 2\n    series: show\n"
        "    revealed_in: night-1\n"
        "    plot:\n      - {act: 1, text: It begins.}\n"
        "facts:\n  - about: show\n    plot:\n      - {act: 1, text: The first night., revealed_in: night-1}\n"
        "      - {act: 2, text: The second night., revealed_in: night-2}\n", encoding="utf-8")
    ds = build(tmp_path).dataset
    assert ds.graph(JWG["s/night-1"]).value(JWR["plot/show/1"], JWO.actNumber) == Literal(1)
    assert ds.graph(JWG["s/night-2"]).value(JWR["plot/show/2"], JWO.actNumber) == Literal(2)
    # the nearest revealed_in above a part wins over the plot's own work, as for any fact
    assert ds.graph(JWG["s/night-1"]).value(JWR["plot/night-2/1"], JWO.actNumber) == Literal(1)


def test_values_are_kept_as_typed(tmp_path: Path):
    (tmp_path / "d.yaml").write_text(
        "source: s\nsources:\n  s: {type: reference, name: S, url: 'https://example.org'}\n"
        "people:\n  no: {name: NO, aliases: ['0123', 'yes', '1:30']}\n", encoding="utf-8")
    g = build(tmp_path).dataset.graph(JWG["s"])
    assert g.value(JWR["no"], RDFS.label) == Literal("NO")
    assert set(g.objects(JWR["no"], SKOS.altLabel)) == {Literal("0123"), Literal("yes"), Literal("1:30")}


def test_a_performer_can_play_several_roles_in_one_work(tmp_path: Path):
    (tmp_path / "d.yaml").write_text(
        "source: s\nsources:\n  s: {type: reference, name: S, url: 'https://example.org'}\n"
        "works:\n  w:\n    type: film\n    name: W\n    cast:\n"
        "      p: [a, {character: b, credited_as: B the Second}]\n"
        "people:\n  p: {name: P}\ncharacters:\n  a: {name: A}\n  b: {name: B}\n", encoding="utf-8")
    g = build(tmp_path).dataset.graph(JWG["s"])
    assert set(g.objects(JWR["p"], None)) >= set()  # the performer exists
    assert {str(c) for c in g.objects(None, JWO.asCharacter)} == {str(JWR["a"]), str(JWR["b"])}
    assert g.value(JWR["performance/w/p/b"], JWO.creditedAs) == Literal("B the Second")


def test_the_same_value_with_different_qualifiers_gives_two_statements(tmp_path: Path):
    (tmp_path / "d.yaml").write_text(
        "source: s\nsources:\n  s: {type: reference, name: S, url: 'https://example.org'}\n"
        "people:\n  p:\n    name: P\n    aliases:\n      - {value: Q, note: One reading.}\n"
        "      - {value: Q, note: Another reading.}\n", encoding="utf-8")
    g = build(tmp_path).dataset.graph(JWG["s"])
    notes = {str(g.value(st, SKOS.note)) for st in g.subjects(RDF.predicate, SKOS.altLabel)}
    assert notes == {"One reading.", "Another reading."}
