"""The documentation does not lie: every YAML example in data/README.md is accepted."""

from __future__ import annotations

import re
import textwrap

import pytest

from kg.build.collect import collect
from kg.build.load import read_yaml
from kg.model import model

from ..conftest import REAL_DATA

EXAMPLES = re.findall(r"```yaml\n(.*?)```", (REAL_DATA / "README.md").read_text(encoding="utf-8"), re.DOTALL)


def test_the_format_guide_has_examples():
    assert len(EXAMPLES) >= 12


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"example-{i}" for i in range(len(EXAMPLES))])
def test_each_example_is_valid_yaml_with_known_sections_keys_and_forms(example, tmp_path):
    # an example is a fragment: its references point into the universe, so only the
    # checks one file can make on its own apply (syntax, sections, keys, value forms)
    if not example.lstrip().startswith(("#", "source", "sources", "works", "people", "companies", "characters",
                                        "organizations", "offices", "places", "scenes", "events", "motifs",
                                        "themes", "artifacts", "rules", "facts")):
        body = textwrap.indent(textwrap.dedent(example), "    ")
        example = "characters:\n  some-character:\n    name: Someone\n" + body
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    _, problems = collect([read_yaml(path)], model())
    assert [p for p in problems if not p.message.startswith("'about' names an unknown entity")] == []
