"""/changes and an entity page's "last changed": the release history kg dump --changes-from ships, read by the
site with spoiler control; the patch and history are listed with their checksums in the dumps."""

from __future__ import annotations

import gzip
import hashlib
import json

import pytest
from rdflib import Graph

from kg.namespaces import JWR
from kg.publish.dumps import read_manifest, write_dumps
from kg.publish.history import previous_history
from kg.publish.releases import read_folder
from kg.store import EmbeddedStore

from ..conftest import make_app
from ..publish.test_changes import releases  # noqa: F401 - the fixture: old and new builds of the fixture universe


@pytest.fixture(scope="module")
def dumps(releases, tmp_path_factory):  # noqa: F811
    """The new release's dumps, written with the changes from the old one."""
    out = tmp_path_factory.mktemp("dumps-with-changes")
    write_dumps(releases[1], out, read_folder(releases[0], "v1"))
    return out


@pytest.fixture
def site(releases, dumps):  # noqa: F811
    app = make_app(EmbeddedStore.from_nquads(releases[1] / "universe.nq"), out_dir=releases[1], downloads=dumps)
    yield app.test_client()
    app.extensions["kg-queries"].close()


def test_the_patch_and_history_are_listed_with_their_checksums(dumps):
    manifest = read_manifest(dumps)
    for name in ("changes.ru.gz", "changes.json"):
        assert manifest.files[name]["sha256"] == hashlib.sha256((dumps / name).read_bytes()).hexdigest()
        assert f"  {name}\n" in (dumps / "SHA256SUMS").read_text()
    void = Graph().parse(dumps / "void.ttl")
    assert any(str(o).endswith("#changes.ru.gz") for o in void.objects())
    history = json.loads((dumps / "changes.json").read_text())["releases"]
    assert [(r["since"], r["version"]) for r in history] == [("v1", manifest.version)]


def test_a_history_carries_on_from_the_previous_releases_dumps(releases, dumps, tmp_path):  # noqa: F811
    later = tmp_path / "later"

    write_dumps(releases[0], later, read_folder(dumps, str(dumps)), previous_history(dumps))  # a revert
    history = json.loads((later / "changes.json").read_text())["releases"]
    middle = read_manifest(dumps).version
    assert [(r["since"], r["version"]) for r in history] == [(middle, read_manifest(later).version), ("v1", middle)]
    assert (history[0]["added"], history[0]["removed"]) == (history[1]["removed"], history[1]["added"])
    again = tmp_path / "again"
    write_dumps(releases[1], again, read_folder(dumps, str(dumps)), previous_history(dumps))  # the same data
    assert json.loads((again / "changes.json").read_text())["releases"] == previous_history(dumps)


def test_changes_lists_each_changed_entity_with_its_facts_linked(site):
    page = site.get("/changes").get_data(as_text=True)
    assert "Release " in page and "Since v1" in page and 'href="/downloads/changes.ru.gz"' in page
    assert 'href="/id/hero"' in page and 'href="/id/villain"' in page
    assert "The Fixture" in page and "sources or marks changed" in page
    data = site.get("/changes.json").get_json()
    entities = {e["entity"] for e in data["releases"][0]["entities"]}
    assert {str(JWR["hero"]), str(JWR["villain"])} <= entities


def test_spoiler_control_holds_on_changes(site):
    site.set_cookie("seen", "0")  # has seen nothing: story facts of film one are hidden
    data = site.get("/changes.json").get_json()
    release = data["releases"][0]
    shown = {f["value"] for e in release["entities"] for f in e["facts"]}
    assert f"<{JWR['film-one']}>" not in shown  # the villain's death in film one is a story fact
    page = site.get("/changes").get_data(as_text=True)
    assert 'href="/id/villain"' not in page and "Villain" not in page  # not even the name of who changed
    assert "2 more entities changed in ways revealed in works you have not seen" in page
    everything = site.get("/changes.json?seen=all").get_json()["releases"][0]
    assert f"<{JWR['film-one']}>" in {f["value"] for e in everything["entities"] for f in e["facts"]}


def test_an_entity_page_says_when_its_facts_last_changed(site):
    page = site.get("/id/hero").get_data(as_text=True)
    assert "Facts last changed in" in page and 'href="/changes#release-' in page
    unchanged = site.get("/id/elder").get_data(as_text=True)
    assert "Facts last changed in" not in unchanged


def test_without_a_history_changes_says_how_to_publish_one(client):
    page = client.get("/changes").get_data(as_text=True)
    assert "No release history is published" in page and "kg dump --changes-from" in page


def test_the_patch_is_served_with_the_downloads(site):
    answer = site.get("/downloads/changes.ru.gz")
    assert answer.status_code == 200 and answer.mimetype == "application/gzip"
    assert "INSERT DATA" in gzip.decompress(answer.get_data()).decode()
    assert "changes.ru.gz" in site.get("/downloads").get_data(as_text=True)
