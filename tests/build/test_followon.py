"""Error lists as a compiler gives them: a file that cannot be read is reported once, not echoed by every
reference to what it defined (--all-errors lists them); a file deleted from git's working tree is named
where a reference misses what it defined; "did you mean" suggests slugs of the kind asked for only."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import yaml

from ..conftest import UNIVERSE


@pytest.fixture
def data(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(UNIVERSE, target)
    return target


def _tab(data) -> int:
    """A tab in place of a character's indentation: the file cannot be parsed any more; the line."""
    path = data / "characters.yaml"
    lines = path.read_text().split("\n")
    line = next(i for i, text in enumerate(lines) if text.startswith("    description:"))
    lines[line] = "\t" + lines[line].lstrip()
    path.write_text("\n".join(lines))
    return line + 1


def test_a_file_that_cannot_be_read_is_reported_once_and_its_echoes_counted(kg, data):
    line = _tab(data)
    result = kg("validate", "--data", data)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0].startswith(f"{data / 'characters.yaml'}:{line}:") and "tab" in lines[0]
    assert "unknown" not in result.output and "did you mean" not in result.output
    assert "later problems hidden until it is fixed: --all-errors shows them" in lines[-1]
    everything = kg("validate", "--data", data, "--all-errors")
    assert everything.exit_code == 1 and "unknown" in everything.output
    hidden = int(lines[-1].split("(")[1].split()[0])
    assert everything.output.count("\n") == len(lines) + hidden


def test_a_deleted_file_is_named_by_the_references_it_leaves(kg, data):
    def git(*args):
        subprocess.run(["git", "-C", str(data), *args], check=True, capture_output=True)

    git("init", "-q")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "data")
    (data / "world.yaml").unlink()
    result = kg("validate", "--data", data)
    assert result.exit_code == 1
    assert f"{data / 'world.yaml'}: this file was deleted" in result.output
    assert f"was defined in world.yaml until that file was deleted: restore it with git checkout -- " \
           f"{data / 'world.yaml'}" in result.output


def test_did_you_mean_suggests_only_slugs_of_the_kind_asked_for(kg, data):
    path = data / "characters.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["characters"]["hero"]["member_of"] = ["villian"]  # close to the character 'villain', no organization
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    result = kg("validate", "--data", data)
    assert result.exit_code == 1 and "unknown organization 'villian'" in result.output
    assert "villain" not in result.output.split("unknown organization 'villian'")[1].splitlines()[0]
