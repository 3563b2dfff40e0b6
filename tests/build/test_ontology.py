"""The ontology, the shapes and the YAML vocabulary agree with each other."""

from __future__ import annotations

import pytest
from rdflib import BNode, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from kg.build import values, vocab
from kg.model import model, ontology_graph, shapes_graph
from kg.namespaces import JWO

ONTOLOGY = ontology_graph()
SHAPES = shapes_graph()
TERMS = sorted(model().classes | model().properties)


def local(term: URIRef) -> str:
    return str(term).rsplit("/", 1)[-1]


@pytest.mark.parametrize("term", TERMS, ids=local)
def test_every_class_and_property_has_a_label_and_a_comment(term):
    assert ONTOLOGY.value(term, RDFS.label) is not None
    assert ONTOLOGY.value(term, RDFS.comment) is not None


@pytest.mark.parametrize("cls", sorted(model().classes), ids=local)
def test_every_class_has_a_node_shape(cls):
    shapes = list(SHAPES.subjects(SH.targetClass, cls))
    assert len(shapes) == 1
    assert (shapes[0], RDF.type, SH.NodeShape) in SHAPES


def constraints():
    """Every property shape: the shared ones and those inside node shapes."""
    return sorted(set(SHAPES.subjects(SH.path, None)), key=str)


def test_every_constraint_has_a_message_for_the_fan():
    missing = [str(shape) for shape in constraints() if SHAPES.value(shape, SH.message) is None]
    assert missing == []
    assert len(constraints()) > 100


def test_every_node_shape_has_at_least_one_constraint():
    for shape in SHAPES.subjects(RDF.type, SH.NodeShape):
        assert list(SHAPES.objects(shape, SH.property)), shape


def test_the_ontology_has_no_blank_nodes():
    # it is a named graph of every build; blank nodes would make dumps differ between runs
    assert not [t for t in ONTOLOGY if any(isinstance(x, BNode) for x in t)]


def test_properties_declare_domain_and_range():
    for p in model().properties:
        assert ONTOLOGY.value(p, RDFS.range) is not None or (p, URIRef("https://schema.org/rangeIncludes"), None) in ONTOLOGY, p


def test_inverse_and_symmetric_declarations_are_consistent():
    for p, q in ONTOLOGY.subject_objects(OWL.inverseOf):
        assert p in model().properties and q in model().properties
        assert (p, RDF.type, OWL.SymmetricProperty) not in ONTOLOGY


def yaml_keys():
    for kind in vocab.KINDS:
        for key in kind.keys.values():
            yield pytest.param(kind, key, id=f"{kind.section}.{key.name}")


@pytest.mark.parametrize("kind,key", list(yaml_keys()))
def test_every_yaml_key_states_known_predicates(kind, key):
    for predicate in key.predicates:
        if str(predicate).startswith(str(JWO)):
            assert predicate in model().properties
    if isinstance(key.type, values.Ref):
        for cls in key.type.classes:
            assert cls in model().classes
        # the ontology's range agrees with what the key accepts
        rng = ONTOLOGY.value(key.predicates[0], RDFS.range)
        if rng is not None:
            assert all(model().is_a(cls, rng) for cls in key.type.classes), (key.name, rng)


@pytest.mark.parametrize("kind", vocab.KINDS, ids=lambda k: k.section)
def test_every_kind_maps_to_ontology_classes(kind):
    for _, cls in kind.classes:
        assert cls in model().classes


def test_every_ontology_property_is_stated_by_a_key_or_by_the_compiler():
    stated = {p for kind in vocab.KINDS for key in kind.keys.values() for p in key.predicates}
    inverses = {model().inverse[p] for p in stated if p in model().inverse}
    compiler = {JWO.performedBy, JWO.asCharacter, JWO.inWork, JWO.castMember, JWO.playedBy, JWO.creditedAs,
                JWO.sourceKind, JWO.revealedIn, JWO.fromWork, JWO.untilWork, JWO.actNumber, JWO.summary}
    assert model().properties - stated - inverses - compiler == set()


def test_single_valued_keys_have_max_count_one_in_the_shapes():
    max_one = {SHAPES.value(shape, SH.path) for shape in constraints()
               if SHAPES.value(shape, SH.maxCount) is not None and int(SHAPES.value(shape, SH.maxCount)) <= 1}
    for kind in vocab.KINDS:
        for key in kind.keys.values():
            predicate = key.predicates[0]
            if not key.many and str(predicate).startswith(str(JWO)) and key.name != "confirmation":
                assert predicate in max_one, f"{kind.section}.{key.name}"


def test_every_property_without_an_inverse_reads_from_its_object_side():
    # pages list incoming statements under this label (for jwo:director: "directed")
    missing = [p for p in model().properties
               if p not in model().inverse and p not in model().symmetric
               and (p, RDF.type, OWL.ObjectProperty) in ONTOLOGY
               and ONTOLOGY.value(p, JWO.inverseLabel) is None]
    assert missing == []
