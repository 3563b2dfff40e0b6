"""kg diff: between two releases of the fixture universe where one fact was added, one removed, one re-sourced
and one re-qualified, exactly those are reported (text, JSON), from build folders, dump folders and git
revisions alike; the SPARQL Update it writes turns a real Oxigraph server holding the old release into one
holding the new; bad input is a clear error, exit 2."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from kg.build import ensure_built
from kg.namespaces import JWG, JWO, JWR, SCHEMA, SKOS

from ..conftest import UNIVERSE
from .test_push import file_quads, oxigraph, send, server_quads, store  # noqa: F401 - the real server's fixtures

HERO, VILLAIN = f"<{JWR['hero']}>", f"<{JWR['villain']}>"


def _edit(data: Path) -> None:
    """The new release: a fact added, one removed, one re-sourced, one re-qualified."""
    path = data / "characters.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    hero = doc["characters"]["hero"]
    hero["aliases"].append("The Fixture")  # added
    del hero["breaks"]  # removed
    hero["relatives"] = [{"value": "villain", "note": "Uncle, on the mother's side."}]  # re-qualified
    doc["characters"]["villain"]["dies_in"] = {"value": "film-one", "source": "ref-general",
                                                  "revealed_in": "film-one"}  # re-sourced
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def releases(tmp_path_factory) -> tuple[Path, Path]:
    """The build folders of the old release (the fixture universe) and of the new one."""
    root = tmp_path_factory.mktemp("releases")
    new_data = root / "data-new"
    shutil.copytree(UNIVERSE, new_data)
    _edit(new_data)
    return ensure_built(UNIVERSE, root / "old").parent, ensure_built(new_data, root / "new").parent


def _diff(kg, old, new, *options) -> dict:
    result = kg("diff", old, new, "--format", "json", *options)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _facts(report: dict) -> dict[str, list[tuple]]:
    return {e["entity"]: [(f["op"], f["predicate"], f["object"], f["graph"], len(f["qualifiers"]))
                          for f in e["facts"]] for e in report["entities"]}


def test_exactly_the_changed_facts_are_reported_by_entity_and_graph(kg, releases):
    report = _diff(kg, *releases)
    film, general = f"<{JWG['ref-film/film-one']}>", f"<{JWG['ref-general/film-one']}>"
    dies_in = f"<{JWO['diesIn']}>"
    facts = _facts(report)
    assert set(facts) == {HERO, VILLAIN, general}  # the new source graph is described in the provenance graph
    hero = {(op, p, o) for op, p, o, _, _ in facts[HERO]}
    assert hero == {
        ("+", f"<{SKOS.altLabel}>", '"The Fixture"'), ("+", f"<{SCHEMA.alternateName}>", '"The Fixture"'),  # added
        ("-", f"<{JWO['breaksRule']}>", f"<{JWR['rule-a']}>"),  # removed
        ("~", f"<{JWO['relative']}>", VILLAIN),  # re-qualified
    }
    assert [f[4] for f in facts[HERO] if f[0] == "~"] == [2]  # its note: one removed, one added
    # re-sourced: the same fact leaves one source graph and enters another
    assert sorted((op, g) for op, p, _, g, _ in facts[VILLAIN] if p == dies_in) == [
        ("+", general), ("-", film)]
    graphs = {g["graph"]: (g["added"], g["removed"]) for g in report["graphs"]}
    assert graphs[general][0] >= 1 and graphs[film][1] >= 1
    assert report["added"] == sum(a for a, _ in graphs.values())
    assert report["removed"] == sum(r for _, r in graphs.values())


def test_the_text_names_each_entity_and_fact_readably_and_is_deterministic(kg, releases):
    first = kg("diff", *releases)
    assert first.exit_code == 0, first.output
    assert first.stdout == kg("diff", *releases).stdout
    text = first.stdout
    assert "jwr:hero\n" in text and "jwr:villain\n" in text
    assert '+ skos:altLabel "The Fixture"' in text
    assert "- jwo:breaksRule jwr:rule-a" in text
    assert "~ jwo:relative jwr:villain" in text and 'skos:note "Uncle, on the mother\'s side."@en' in text
    assert "jwg:ref-general" in text
    same = kg("diff", releases[0], releases[0])
    assert "0 added, 0 removed" in same.stdout and "no change" in same.stdout


def test_the_sparql_update_turns_a_real_store_holding_old_into_new(kg, releases, store):  # noqa: F811
    old, new = (folder / "universe.nq" for folder in releases)
    send(f"{store}/store", old.read_bytes(), "application/n-quads")
    assert server_quads(store) == file_quads(old)
    update = kg("diff", *releases, "--format", "sparql-update")
    assert update.exit_code == 0, update.output
    send(f"{store}/update", update.stdout.encode(), "application/sparql-update")
    assert server_quads(store) == file_quads(new)


def test_dump_folders_give_the_same_changes_as_builds(kg, releases, tmp_path):
    dumps = []
    for folder, data in zip(releases, (UNIVERSE, releases[1].parent / "data-new")):
        out = tmp_path / folder.name
        assert kg("dump", "--build", folder, "--data", data, "--out", out).exit_code == 0
        (out / "universe.nq").unlink()  # the gzipped N-Quads alone are read too
        dumps.append(out)
    assert _facts(_diff(kg, *dumps)) == _facts(_diff(kg, *releases))


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def test_git_revisions_are_built_on_the_fly_without_touching_the_repository(kg, releases, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(UNIVERSE, repo / "data")
    _git(repo, "init", "-q")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "old", "--allow-empty")
    _git(repo, "add", "data")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "v1")
    _git(repo, "tag", "v1")
    _edit(repo / "data")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "v2")
    status = _git(repo, "status", "--porcelain", "--ignored")
    report = _diff(kg, "v1", "HEAD", "--repo", repo)
    assert _facts(report) == _facts(_diff(kg, *releases))
    assert _git(repo, "status", "--porcelain", "--ignored") == status  # nothing written into the repository
    assert _git(repo, "worktree", "list").count("\n") == 1


@pytest.mark.parametrize("args, message", [
    (["no-such-revision", "HEAD"], "'no-such-revision' is neither a folder nor a revision"),
    (["--", "--upload-pack=touch", "HEAD"], "is not a revision"),  # never an option of git
])
def test_an_unknown_revision_is_a_clear_error(kg, args, message, tmp_path):
    result = kg("diff", "--repo", Path(__file__).parent, *args)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_a_folder_that_is_not_a_release_is_a_clear_error(kg, releases, tmp_path):
    result = kg("diff", tmp_path, releases[1])
    assert result.exit_code == 2
    assert "neither a build folder" in result.output


def test_releases_under_different_bases_are_refused(kg, releases, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(releases[1], other)
    record = json.loads((other / "build.json").read_text())
    record["base"] = "https://jw.example.org/"
    (other / "build.json").write_text(json.dumps(record))
    mine = tmp_path / "mine"
    shutil.copytree(releases[0], mine)
    record = json.loads((mine / "build.json").read_text())
    record["base"] = "https://kg.johnwick.example/"
    (mine / "build.json").write_text(json.dumps(record))
    result = kg("diff", mine, other)
    assert result.exit_code == 2
    assert "under the base https://kg.johnwick.example/" in result.output and "https://jw.example.org/" in result.output


def test_kg_dump_ships_the_changes_from_the_previous_release_and_forgets_them_when_not_asked(kg, releases, tmp_path):
    old, new = releases
    out = tmp_path / "dumps"
    common = ("dump", "--build", new, "--data", new.parent / "data-new", "--out", out)
    assert kg(*common, "--changes-from", old).exit_code == 0
    patch = gzip.decompress((out / "changes.ru.gz").read_bytes()).decode()
    assert patch == kg("diff", old, new, "--format", "sparql-update").stdout.replace(f"to {new}:", "to this build:")
    assert json.loads((out / "changes.json").read_text())["releases"][0]["since"] == old.name
    assert kg(*common).exit_code == 0
    assert not (out / "changes.json").exists() and not (out / "changes.ru.gz").exists()
    refused = kg(*common, "--changes-from", "no-such-release")
    assert refused.exit_code == 2 and "neither a folder nor a revision" in refused.output


def test_a_release_declared_in_the_data_is_recorded_in_the_build_the_description_and_the_history(kg, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(UNIVERSE, data)
    (data / "settings.yaml").write_text('release:\n  version: "1.1"\n  released: 2026-12-01\n')
    build, dumps = tmp_path / "build", tmp_path / "dumps"
    assert kg("build", "--data", data, "--out", build).exit_code == 0
    assert json.loads((build / "build.json").read_text())["release"] == {"version": "1.1", "released": "2026-12-01"}
    old = ensure_built(UNIVERSE, tmp_path / "old")
    assert kg("dump", "--data", data, "--build", build, "--out", dumps, "--changes-from", old.parent).exit_code == 0
    void = (dumps / "void.ttl").read_text()
    assert 'dcat:version "1.1"' in void and 'dcterms:issued "2026-12-01"^^xsd:date' in void
    entry = json.loads((dumps / "changes.json").read_text())["releases"][0]
    assert (entry["version"], entry["released"]) == ("1.1", "2026-12-01")
    (data / "settings.yaml").write_text("release: [not, a, mapping]\n")
    refused = kg("build", "--data", data, "--out", tmp_path / "other")
    assert refused.exit_code == 2 and "'release' must say 'version:'" in refused.output
