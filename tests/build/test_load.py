"""The strict YAML reader: values stay as typed, and each keeps its location."""

from __future__ import annotations

from kg.build.load import Mapping, Scalar, Sequence, read_yaml


def read(tmp_path, text: str):
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    return read_yaml(path, "data/f.yaml")


def test_scalars_stay_the_text_typed(tmp_path):
    root = read(tmp_path, "a: NO\nb: 1:30\nc: 0123\nd: ~\ne: 2014-10-24\nf: 'quoted'\n").root
    assert {k: v.value for k, (_, v) in root.items.items()} == {
        "a": "NO", "b": "1:30", "c": "0123", "d": "~", "e": "2014-10-24", "f": "quoted"}
    assert root.get("f").quoted and not root.get("a").quoted


def test_every_node_knows_its_line_and_column(tmp_path):
    root = read(tmp_path, "works:\n  john-wick:\n    name: John Wick\n    directors: [a, b]\n").root
    work = root.get("works").get("john-wick")
    assert isinstance(work, Mapping)
    assert root.get("works").key_loc("john-wick").line == 2
    name = work.get("name")
    assert isinstance(name, Scalar) and (name.loc.line, name.loc.column) == (3, 11)
    directors = work.get("directors")
    assert isinstance(directors, Sequence)
    assert [(d.value, d.loc.line, d.loc.column) for d in directors.items] == [("a", 4, 17), ("b", 4, 20)]
    assert str(name.loc) == "data/f.yaml:3"


def test_a_nesting_bomb_stops_at_the_bound(tmp_path):
    result = read(tmp_path, "a: " + "[" * 50_000 + "]" * 50_000 + "\n")
    assert result.root is None
    assert "nested more than" in result.problems[0].message


def test_block_text_is_one_value(tmp_path):
    root = read(tmp_path, "d: >-\n  one\n  two\n").root
    assert root.get("d").value == "one two"
