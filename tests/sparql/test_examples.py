"""The library of example queries (kg/sparql/queries/*.rq): well-formed, portable, and right about the shipped universe.

Every example is run on the real data, built once for this module: on a plain
pyoxigraph store with no predeclared prefixes (as a bare Oxigraph server would
run it), parsed by rdflib, and its answer checked against what the data says.
What each example answers is checked in tests/test_example_answers.py.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from rdflib.paths import Path
from rdflib.plugins.sparql import prepareQuery

from kg.namespaces import PREFIXES, is_slug
from kg.sparql.examples import Example, example, load_examples, parse_example

EXAMPLES = load_examples()
NAMES = [e.name for e in EXAMPLES]


@pytest.fixture(scope="module")
def plain(real_nquads) -> ox.Store:
    """A bare pyoxigraph store: no prefixes declared for the queries."""
    store = ox.Store()
    store.bulk_load(path=str(real_nquads), format=ox.RdfFormat.N_QUADS)
    return store


def form(ex: Example) -> str:
    return prepareQuery(ex.query).algebra.name  # SelectQuery, AskQuery, ConstructQuery, DescribeQuery


def uses_path(node) -> bool:
    """Whether rdflib's algebra of a query holds a property path (a/b, a|b, a*, a+, a?, ^a)."""
    if isinstance(node, Path):
        return True
    if isinstance(node, dict):
        return any(uses_path(value) for value in node.values())
    if isinstance(node, list | tuple):
        return any(uses_path(value) for value in node)
    return False


def body(ex: Example) -> str:
    """The query without comments, IRIs and string literals: only its syntax and names are left."""
    text = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', ex.query)
    text = re.sub(r"<[^<>\s]*>", "<>", text)
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


# --- the library itself ---------------------------------------------------------------------------------


def test_there_are_at_least_twenty_examples():
    assert len(EXAMPLES) >= 20


def test_names_are_unique_slugs_in_stable_order():
    assert all(is_slug(name) for name in NAMES)
    assert len(set(NAMES)) == len(NAMES)
    assert NAMES == sorted(NAMES)
    assert load_examples() is EXAMPLES  # cached


def test_titles_are_plain_words():
    for ex in EXAMPLES:
        assert ex.title[0].isupper(), ex.name
        assert len(ex.title) <= 120, ex.name
        assert not re.search(r"[?$]\w|[{}<>]|\b[a-z]+:\w", ex.title), f"{ex.name}: {ex.title!r} looks like SPARQL"
        assert ex.query.startswith(f"# title: {ex.title}\n"), ex.name


def test_every_prefix_used_is_declared_as_in_the_namespaces():
    ours = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    for ex in EXAMPLES:
        declared = dict(re.findall(r"^PREFIX\s+([\w-]*):\s*<([^>]*)>", ex.query, re.MULTILINE | re.IGNORECASE))
        used = set(re.findall(r"(?<![\w?$])([A-Za-z][\w-]*):(?=[\w])", body(ex)))
        assert used <= set(declared), f"{ex.name}: undeclared prefixes {used - set(declared)}"
        for prefix, iri in declared.items():
            assert ours.get(prefix) == iri, f"{ex.name}: PREFIX {prefix}: is not kg.namespaces' {ours.get(prefix)}"


def test_no_example_reaches_outside_the_store():
    for ex in EXAMPLES:
        assert not re.search(r"(?<![\w?$:])(SERVICE|FROM)\b", body(ex), re.IGNORECASE), ex.name


def test_every_kind_of_query_is_shown():
    assert {form(ex) for ex in EXAMPLES} == {"SelectQuery", "AskQuery", "ConstructQuery", "DescribeQuery"}
    assert any(re.search(r"\bGRAPH\s+\?", body(ex)) for ex in EXAMPLES)  # provenance
    assert any(re.search(r"\b(COUNT|GROUP BY)\b", body(ex)) for ex in EXAMPLES)  # aggregate
    assert any(uses_path(prepareQuery(ex.query).algebra) for ex in EXAMPLES)  # property path


def test_example_by_name():
    assert example("ruska-roma-actors").title == "Which actors play members of the Ruska Roma?"
    assert example("no-such-example") is None


def test_a_file_without_a_title_is_refused_with_its_name(tmp_path):
    path = tmp_path / "untitled.rq"
    path.write_text("# description: no title here\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"untitled\.rq.*title"):
        parse_example(path)


def test_a_title_after_the_query_does_not_count(tmp_path):
    path = tmp_path / "late.rq"
    path.write_text("SELECT * WHERE { ?s ?p ?o }\n# title: Too late?\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"late\.rq"):
        parse_example(path)


def test_a_file_name_must_be_a_slug(tmp_path):
    path = tmp_path / "Not A Slug.rq"
    path.write_text("# title: Fine?\nASK {}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="slug"):
        parse_example(path)


def test_descriptions_are_joined(tmp_path):
    path = tmp_path / "two-lines.rq"
    path.write_text("# title: What?\n# description: One.\n# description: Two.\nASK {}\n", encoding="utf-8")
    assert parse_example(path) == Example("two-lines", "What?", "One. Two.", path.read_text(encoding="utf-8"))


# --- every example parses, answers, and answers the same each time (how fast: bench/sparql_bench.py) ------


@pytest.mark.parametrize("name", NAMES)
def test_example_runs_on_plain_oxigraph_and_parses_with_rdflib(name, plain):
    ex = example(name)
    prepareQuery(ex.query)  # rdflib's parser, without our prefixes
    if form(ex) == "SelectQuery":
        assert re.search(r"\bORDER BY\b", body(ex)), f"{name}: a SELECT needs ORDER BY for a stable answer"
    answers = []
    for _ in range(3):
        result = plain.query(ex.query, use_default_graph_as_union=True)
        answers.append(bool(result) if isinstance(result, ox.QueryBoolean) else [str(item) for item in result])
    assert isinstance(answers[0], bool) or answers[0], f"{name}: empty answer"
    assert answers[0] == answers[1] == answers[2], f"{name}: the answer changes between runs"
