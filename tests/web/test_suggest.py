"""Suggest a correction: from a fact's link to a patch of the YAML that `git apply` takes on a clean checkout,
that validates there and shows on the rebuilt page; hostile input gets a clear message and no patch; the data
folder is never written."""

from __future__ import annotations

import html
import re
import shutil
import subprocess

import pytest
import yaml

from kg.sparql.fairuse import FairUse, Limits

from ..conftest import UNIVERSE, make_app

SOURCE = "https://example.org/an-article-about-the-hero"


@pytest.fixture
def site(tmp_path):
    """The fixture universe served from a data folder of its own (the one suggestions are made against)."""
    from kg.build import ensure_built
    from kg.store import EmbeddedStore

    data = tmp_path / "served" / "universe"
    shutil.copytree(UNIVERSE, data)
    out = tmp_path / "out"
    app = make_app(EmbeddedStore.from_nquads(ensure_built(data, out)), out_dir=out, data_dir=data)
    yield app, data
    app.extensions["kg-queries"].close()


def checkout(tmp_path):
    """A clean git checkout holding the same data, as a maintainer has it."""
    repo = tmp_path / "checkout"
    shutil.copytree(UNIVERSE, repo / "universe")
    for command in (["init", "-q"], ["add", "-A"], ["-c", "user.name=kg", "-c", "user.email=kg@example.org",
                                                      "commit", "-qm", "data"]):
        subprocess.run(["git", *command], cwd=repo, check=True, capture_output=True)
    return repo


def rebuilt_page(data, tmp_path, slug: str) -> str:
    from kg.build import ensure_built
    from kg.store import EmbeddedStore

    app = make_app(EmbeddedStore.from_nquads(ensure_built(data, tmp_path / "rebuilt")), out_dir=tmp_path / "rebuilt")
    try:
        return app.test_client().get(f"/id/{slug}").get_data(as_text=True)
    finally:
        app.extensions["kg-queries"].close()


@pytest.mark.parametrize("form, shown, gone", [
    ({"kind": "change", "key": "description", "old": "The fixture hero.", "new": "The hero the fixture is about."},
     "The hero the fixture is about.", "The fixture hero."),
    ({"kind": "alias", "new": "Mister Nobody"}, "Mister Nobody", None),
    ({"kind": "relation", "key": "member_of", "new": "council-a"}, 'href="/id/council-a"', None),
    ({"kind": "remove", "key": "member_of", "old": "clan-a"}, None, 'href="/id/clan-a"'),
], ids=["change", "alias", "relation", "remove"])
def test_a_suggestion_is_a_patch_that_applies_validates_and_shows(site, tmp_path, kg, form, shown, gone):
    app, data = site
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    answer = app.test_client().post("/suggest", data={"about": "hero", "source": SOURCE, **form})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "This change passes all checks" in page, page
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before  # nothing written to the data
    patch = app.test_client().post("/suggest", data={"about": "hero", "source": SOURCE, "download": "1", **form})
    assert patch.headers["Content-Disposition"] == 'attachment; filename="suggestion-hero.patch"'
    repo = checkout(tmp_path)
    (tmp_path / "p.patch").write_bytes(patch.get_data())
    applied = subprocess.run(["git", "apply", str(tmp_path / "p.patch")], cwd=repo, capture_output=True, text=True,
                             check=False)
    assert applied.returncode == 0, applied.stderr
    assert kg("validate", "--data", repo / "universe").exit_code == 0
    hero = rebuilt_page(repo / "universe", tmp_path, "hero")
    if shown:
        assert shown in hero
    if gone:
        assert gone not in hero.split("References")[0]
    if form["kind"] != "remove":
        assert SOURCE in hero  # the new value cites the reader's source


def test_every_fact_has_its_link_and_the_form_knows_the_fact(site):
    app, _ = site
    client = app.test_client()
    page = client.get("/id/hero").get_data(as_text=True)
    facts, links = page.count('<li class="statement'), re.findall(r'class="suggest-link" href="([^"]+)"', page)
    assert facts and len(links) == facts
    assert "on this page? Suggest a correction</a>" in page  # and the page itself ("something is missing")
    link = next(link for link in links if "property=jwo:ally" in link).replace("&amp;", "&")
    form = client.get(link).get_data(as_text=True)
    assert '<option value="allies" selected>' in form and 'name="old" value="sister"' in form


def test_text_that_looks_like_yaml_stays_text(site, tmp_path):
    app, _ = site
    hostile = 'x\': [1] &a *a !!python/object "y" # z'
    patch = app.test_client().post("/suggest", data={"about": "hero", "kind": "alias", "new": hostile,
                                                     "source": SOURCE, "download": "1"}).get_data(as_text=True)
    repo = checkout(tmp_path)
    (tmp_path / "p.patch").write_text(patch)
    subprocess.run(["git", "apply", str(tmp_path / "p.patch")], cwd=repo, check=True)
    facts = yaml.safe_load((repo / "universe" / "characters.yaml").read_text())["facts"]
    assert facts[-1]["aliases"] == hostile and set(facts[-1]) == {"about", "source", "revealed_in", "aliases"}


@pytest.mark.parametrize("form, words", [
    ({"kind": "alias", "new": "Johnny", "source": "javascript:alert(1)"}, "is not an http(s) address"),
    ({"kind": "alias", "new": "Johnny"}, "a new or changed fact needs its source"),
    ({"kind": "alias", "new": "x" * 1_000_000, "source": SOURCE}, "characters; at most 1,000"),
    ({"kind": "alias", "new": "two\nlines", "source": SOURCE}, "one line of plain text"),
    ({"kind": "relation", "key": "member_of: [x]", "new": "clan-a", "source": SOURCE}, "is not a key of the data"),
    ({"kind": "remove", "key": "member_of", "old": "no-such-clan"}, "the data has no member_of"),
    ({"kind": "nonsense"}, "kind: 'nonsense' is not one of"),
], ids=["javascript-url", "no-source", "a-megabyte", "line-break", "yaml-in-a-key", "no-such-fact", "kind"])
def test_bad_input_is_a_clear_message_and_no_patch(site, form, words):
    app, data = site
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    answer = app.test_client().post("/suggest", data={"about": "hero", **form})
    said = html.unescape(answer.get_data(as_text=True))
    assert answer.status_code == 400 and words in said
    assert "--- a/" not in said
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before


def test_checks_are_rate_limited_per_client(site):
    app, _ = site
    from web.suggest import state

    with app.app_context():
        state().fair = FairUse(Limits(concurrent=1, budget=0.01, window=60.0))  # one check's cost spends it
    form = {"about": "hero", "kind": "alias", "new": "Johnny", "source": SOURCE}
    assert app.test_client().post("/suggest", data=form).status_code == 200
    refused = app.test_client().post("/suggest", data=form)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
