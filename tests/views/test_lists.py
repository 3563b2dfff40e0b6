"""Browse lists and the appearance matrix: kg.views.lists on its own, then the pages through Flask's test client."""

from __future__ import annotations

import re

import lxml.html
import pytest

from kg.build import build
from kg.build.vocab import KINDS_BY_SECTION
from kg.model import model
from kg.namespaces import JWR
from kg.store import EmbeddedStore, Store
from kg.store.catalog import EVERYTHING, Reading, load_catalog
from kg.views import lists
from kg.views.matrix import matrix
from kg.views.sections import SECTIONS

from ..conftest import FIXTURES, make_app

#: Facts added to a copy of the fixture universe: a membership that only the series
#: (released second) reveals, and a cast for its episode.
LATER = """
source: ref-general
facts:
  - about: sister
    revealed_in: episode-one
    member_of: [clan-a]
  - about: episode-one
    cast:
      actor-b: sister
"""
HOSTILE_VALUES = ["' } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o", "<script>alert(1)</script>", '"><img src=x>',
                  "x" * 10_000, "../../etc/passwd", "jwr:hero", "\u0000\u202e", "%00", "film-one> . ?s ?p <x"]


class Recording(Store):
    """The embedded store, keeping every query text and binding it is asked."""

    def __init__(self, inner: Store):
        self.inner, self.seen = inner, []

    def select(self, query, bindings=None):
        self.seen.append((query, dict(bindings or {})))
        return self.inner.select(query, bindings)

    def ask(self, query, bindings=None):
        self.seen.append((query, dict(bindings or {})))
        return self.inner.ask(query, bindings)

    def construct(self, query, bindings=None):
        self.seen.append((query, dict(bindings or {})))
        return self.inner.construct(query, bindings)


@pytest.fixture(scope="module")
def later(tmp_path_factory):
    """(store, catalog) of the fixture universe plus the facts in LATER."""
    import shutil

    data = tmp_path_factory.mktemp("later") / "data"
    shutil.copytree(FIXTURES / "universe", data)
    (data / "later.yaml").write_text(LATER)
    store = EmbeddedStore.from_dataset(build(data).dataset)
    return store, load_catalog(store)


@pytest.fixture
def fixture(app):
    site = app.extensions["kg"]
    return site.store, site.catalog


def names(listing) -> list[str]:
    return [e.label for e in listing.entries]


def ask(store, catalog, section, seen=None, **args):
    return lists.browse(store, catalog, lists.read_query(catalog, model(), section, args), Reading(seen))


# -- kg.views.lists ---------------------------------------------------------------------------------------

def test_every_vocabulary_section_has_a_list():
    assert set(SECTIONS) == set(KINDS_BY_SECTION)


def test_default_sort_is_by_name_and_order_flips(fixture):
    store, catalog = fixture
    assert names(ask(store, catalog, "characters")) == ["Elder", "Hero", "Sister", "Villain", "Wife"]
    assert names(ask(store, catalog, "characters", order="desc")) == ["Wife", "Villain", "Sister", "Hero", "Elder"]


def test_sort_by_a_count_keeps_ties_in_name_order(fixture):
    store, catalog = fixture
    listing = ask(store, catalog, "organizations", sort="members", order="desc")
    assert [(e.label, e.values["members"]) for e in listing.entries][:4] == [
        ("Branch A", 2), ("Clan A", 1), ("Council A", 1), ("Syndicate A", 1)]


def test_sort_by_a_value_puts_entities_without_one_last(fixture):
    store, catalog = fixture
    for order in ("asc", "desc"):
        listing = ask(store, catalog, "works", sort="released", order=order)
        assert set(names(listing)[-3:]) == {"Film Two", "Game One", "Comic One"}  # no release date: last
    assert names(ask(store, catalog, "works", sort="released"))[0] == "Film One"


def test_counts_per_kind(fixture):
    store, catalog = fixture
    works = {e.label: e.values for e in ask(store, catalog, "works").entries}
    assert works["Film One"]["cast"] == 3 and works["Film One"]["scenes"] == 2
    assert str(works["Film One"]["released"]) == "2014-10-24"
    assert str(works["Series One"]["released"]) == "2023-09-22"  # dated by its first episode
    places = {e.label: e.values for e in ask(store, catalog, "places").entries}
    assert places["Venue A"]["scenes"] == 1 and places["City A"]["works"] == 1
    people = {e.label: e.values for e in ask(store, catalog, "people").entries}
    assert people["Actor A"] == {"works": 1, "roles": 1}


def test_filter_by_work_and_by_organization_combine(fixture):
    store, catalog = fixture
    assert names(ask(store, catalog, "characters", work="film-one")) == ["Elder", "Hero", "Sister", "Villain", "Wife"]
    assert names(ask(store, catalog, "characters", org="branch-a")) == ["Elder", "Sister"]  # manager, concierge
    assert names(ask(store, catalog, "characters", org="clan-a", work="film-one")) == ["Hero"]
    assert names(ask(store, catalog, "characters", work="series-one")) == []
    assert names(ask(store, catalog, "places", work="film-one")) == ["City A", "Landmark A", "Venue A"]
    assert names(ask(store, catalog, "scenes", work="film-one")) == ["Scene A", "Scene B"]
    assert names(ask(store, catalog, "offices", org="council-a")) == ["Office A"]


def test_unknown_filter_values_are_left_out_and_said(fixture):
    store, catalog = fixture
    query = lists.read_query(catalog, model(), "characters", {"work": "nope", "org": "x" * 10_000, "sort": "';"})
    assert query.work is None and query.org is None and query.sort == "name"
    assert [name for name, _ in query.ignored] == ["work", "org"]
    assert len(lists.browse(store, catalog, query, EVERYTHING).entries) == 5


def test_a_membership_revealed_later_neither_filters_nor_counts_before(later):
    store, catalog = later
    assert [w.label for w in catalog.releases] == ["Film One", "Series One"]
    for seen, members in ((1, ["Hero"]), (2, ["Hero", "Sister"]), (None, ["Hero", "Sister"])):
        assert names(ask(store, catalog, "characters", seen, org="clan-a")) == members, seen
        clan = next(e for e in ask(store, catalog, "organizations", seen).entries if e.label == "Clan A")
        assert clan.values["members"] == len(members), seen
    assert names(ask(store, catalog, "characters", 0, org="clan-a")) == []  # hero's membership: Film One


def test_scenes_and_events_of_unseen_works_are_not_listed(fixture):
    store, catalog = fixture
    hidden = ask(store, catalog, "scenes", 0)
    assert hidden.entries == [] and hidden.hidden == 2
    assert names(ask(store, catalog, "scenes", 1)) == ["Scene A", "Scene B"]
    assert names(ask(store, catalog, "events", 0)) == [] and names(ask(store, catalog, "events", 1)) == ["Event A"]


def test_story_descriptions_and_counts_wait_for_their_work(fixture):
    store, catalog = fixture
    hero = {0: None, 1: None}
    for seen in hero:
        hero[seen] = next(e for e in ask(store, catalog, "characters", seen).entries if e.label == "Hero")
    assert hero[0].description is None and hero[0].values["scenes"] == 0
    assert hero[1].description == "The fixture hero." and hero[1].values["scenes"] == 1
    assert hero[0].values["works"] == 1  # appearances are cast facts: never hidden


def test_fan_values_never_reach_a_query(app):
    recording = Recording(app.extensions["kg"].store)
    app.extensions["kg"].store = recording
    client = app.test_client()
    for value in HOSTILE_VALUES:
        for section in ("characters", "places"):
            assert client.get(f"/browse/{section}", query_string={"work": value, "org": value, "sort": value}
                              ).status_code == 200
    texts = [q for q, _ in recording.seen] + [str(v) for _, b in recording.seen for v in b.values()]
    assert recording.seen and not any(value in text for value in HOSTILE_VALUES for text in texts)


def test_matrix_marks_appearances_with_performers(later):
    store, catalog = later
    table = matrix(store, catalog)
    assert [c.work.slug for c in table.columns] == ["film-one", "series-one"]
    assert [e.slug for e in table.columns[1].episodes] == ["episode-one"]
    rows = {r.label: r for r in table.rows}
    assert table.rows[0].label == "Sister"  # two works: Film One and the series
    assert rows["Sister"].works == 2
    assert rows["Sister"].cells[JWR["episode-one"]] == ("Actor B",)
    assert rows["Sister"].cells[JWR["series-one"]] == ("Actor B",)  # an episode's cast is in its series
    assert rows["Hero"].cells == {JWR["film-one"]: ("Actor A",)}
    assert rows["Elder"].cells == {JWR["film-one"]: ()}  # appears, no performer known
    story = matrix(store, catalog, "story")
    assert [c.work.slug for c in story.columns] == ["series-one", "film-one"]


def test_the_matrix_holds_the_characters_with_the_most_appearances_and_says_so(later, client, monkeypatch):
    store, catalog = later
    everyone = matrix(store, catalog)
    monkeypatch.setattr("kg.views.matrix.MAX_ROWS", 2)
    capped = matrix(store, catalog)
    assert capped.rows == everyone.rows[:2] and capped.total == len(everyone.rows) > 2
    page = lxml.html.document_fromstring(client.get("/matrix?order=story").get_data())
    assert len(page.xpath("//table[@class='appearances']/tbody/tr")) == 2
    note = " ".join(page.xpath("//p[@class='capped']")[0].text_content().split())
    assert note == f"The 2 characters with the most appearances, of the {capped.total}: the list of characters has every one."
    assert client.get("/matrix.json?order=story").get_json()["total"] == capped.total


# -- the pages ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("section", SECTIONS)
def test_every_section_renders(client, section):
    response = client.get(f"/browse/{section}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"<h1>{section.capitalize()}</h1>" in page and 'href="/static/lists.css?v=' in page
    assert "<table" in page  # every section has something in the fixture universe


def test_list_rows_link_kinds_descriptions_and_counts(client):
    page = client.get("/browse/organizations?sort=members&order=desc").get_data(as_text=True)
    rows = re.findall(r'<th scope="row"><a href="/id/([a-z0-9-]+)">', page)
    assert rows[:2] == ["branch-a", "clan-a"]
    assert "hotel branch" in page and 'aria-sort="descending"' in page
    page = client.get("/browse/characters").get_data(as_text=True)
    assert "The fixture hero." in page
    assert re.search(r'href="/id/hero">Hero</a></th>.*?<td class="measure">1</td>', page, re.DOTALL)


def test_filters_are_a_get_form_and_every_state_a_url(client):
    page = client.get("/browse/characters?org=clan-a&work=film-one&sort=works&order=desc&seen=1").get_data(as_text=True)
    assert '<form class="filters" action="/browse/characters?seen=1" method="get">' in page
    assert '<option value="film-one" selected>' in page and '<option value="clan-a" selected>' in page
    assert '<input type="hidden" name="seen" value="1">' in page
    assert re.findall(r'<th scope="row"><a href="/id/([a-z0-9-]+)\?seen=1">', page) == ["hero"]
    # the sort links keep the filters and the spoiler level
    assert 'href="/browse/characters?work=film-one&amp;org=clan-a&amp;sort=works&amp;seen=1"' in page
    assert 'href="/browse/characters?sort=works&amp;order=desc&amp;seen=1">Clear filters' in page


def test_empty_result_is_a_normal_page(client):
    response = client.get("/browse/characters?org=cult-a")
    assert response.status_code == 200
    assert "No characters match these filters" in response.get_data(as_text=True)


def test_spoiler_level_on_the_list_pages(client):
    page = client.get("/browse/scenes?seen=0").get_data(as_text=True)
    assert "Scene A" not in page and "2 more are hidden" in page
    assert "Scene A" in client.get("/browse/scenes?seen=1").get_data(as_text=True)
    page = client.get("/browse/characters?org=clan-a&seen=0").get_data(as_text=True)
    assert "No characters match" in page and "at your spoiler level" in page


def test_unknown_section_is_a_404_listing_the_sections(client):
    for section in ("nope", "Characters", "<script>", "x" * 10_000, "performances"):
        response = client.get(f"/browse/{section}")
        page = response.get_data(as_text=True)
        assert response.status_code == 404, section[:20]
        assert "characters, works, people" in page and "<script>" not in page.split("<main", 1)[1]


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_absurd_parameters_are_a_normal_page(client, value):
    for section in SECTIONS:
        response = client.get(f"/browse/{section}", query_string={
            "work": value, "org": value, "sort": value, "order": value, "seen": value})
        page = response.get_data(as_text=True)
        assert response.status_code == 200, (section, value[:20])
        assert "<script>alert" not in page and "<img src=x" not in page
    assert client.get("/matrix", query_string={"order": value, "seen": value}).status_code == 200


def test_unknown_work_is_said_and_left_out(client):
    page = client.get("/browse/characters?work=no-such-film").get_data(as_text=True)
    assert "No work is called “no-such-film”" in page and 'href="/id/hero">' in page


def test_json_twin_has_the_same_rows(client):
    response = client.get("/browse/characters.json?org=clan-a")
    assert response.content_type == "application/json"
    data = response.get_json()
    assert data["org"] == "clan-a" and [e["label"] for e in data["entries"]] == ["Hero"]
    assert data["entries"][0]["works"] == 1
    page = client.get("/browse/characters?org=clan-a").get_data(as_text=True)
    assert '<link rel="alternate" type="application/json" href="/browse/characters.json?org=clan-a">' in page


def test_matrix_page_marks_the_right_cells(client):
    response = client.get("/matrix")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "style=" not in page.split("<main", 1)[1]
    hero = re.search(r'<tr>\s*<th scope="row"><a href="/id/hero">Hero</a>.*?</tr>', page, re.DOTALL).group()
    cells = re.findall(r"<td[^>]*>", hero)
    assert cells == ['<td class="in" tabindex="0">', '<td class="out">']  # Film One, Series One
    assert '<span class="tip">Hero in Film One: played by Actor A</span>' in hero  # on tap, hover, focus, to readers
    elder = re.search(r'<th scope="row"><a href="/id/elder">.*?</tr>', page, re.DOTALL).group()
    assert '<span class="tip">Elder in Film One</span>' in elder
    headers = re.findall(r'<th scope="col"[^>]*class="work[^"]*"><a href="/id/([a-z0-9-]+)"', page)
    assert headers == ["film-one", "series-one"]
    story = client.get("/matrix?order=story").get_data(as_text=True)
    assert re.findall(r'<th scope="col"[^>]*class="work[^"]*"><a href="/id/([a-z0-9-]+)"', story) == [
        "series-one", "film-one"]


def test_matrix_marks_unseen_columns_but_keeps_the_cast(client):
    page = client.get("/matrix?seen=0").get_data(as_text=True)
    assert re.search(r'<td class="in unseen" tabindex="0"><span aria-hidden="true">●</span><span class="tip">Hero in '
                     r'Film One: played by Actor A</span>', page) and "not seen</span>" in page
    page = client.get("/matrix?seen=1").get_data(as_text=True)
    assert re.search(r'<td class="in" tabindex="0"><span aria-hidden="true">●</span><span class="tip">Hero in '
                     r'Film One: played by Actor A</span>', page)
    assert 'class="work unseen"><a href="/id/series-one?seen=1"' in page


def test_navigation_shows_the_lists(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/browse/characters"' in page and 'href="/matrix"' in page


def test_hostile_labels_are_escaped_in_lists_and_matrix():
    app = make_app(EmbeddedStore.from_dataset(build(FIXTURES / "hostile").dataset))
    client = app.test_client()
    for url in ("/browse/characters", "/browse/works", "/browse/people", "/browse/sources", "/matrix"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>Bold</b>" not in page, url


# -- the real universe ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real(real_nquads):
    return make_app(EmbeddedStore.from_nquads(real_nquads), out_dir=real_nquads.parent).test_client()


def test_real_ruska_roma_members(real):
    page = real.get("/browse/characters?org=ruska-roma").get_data(as_text=True)
    members = re.findall(r'<th scope="row"><a href="/id/([a-z0-9-]+)">', page)
    assert {"john-wick", "eve-macarro", "the-director"} <= set(members) and "winston-scott" not in members
    early = real.get("/browse/characters?org=ruska-roma&seen=3").get_data(as_text=True)
    members = re.findall(r'<th scope="row"><a href="/id/([a-z0-9-]+)\?seen=3">', early)
    assert "john-wick" in members and "eve-macarro" not in members  # Ballerina reveals hers


def test_real_matrix_has_winston_in_every_film(real):
    data = real.get("/matrix.json").get_json()
    films = ["john-wick-2014", "john-wick-chapter-2", "john-wick-chapter-3", "john-wick-chapter-4", "ballerina"]
    winston = next(r for r in data["characters"] if r["id"] == str(JWR["winston-scott"]))
    for film in films:
        assert winston["appearances"][str(JWR[film])] == ["Ian McShane"], film
    assert data["characters"][0]["works"] >= winston["works"] == 6  # the five films and the series
    page = real.get("/matrix").get_data(as_text=True)
    row = re.search(r'<th scope="row"><a href="/id/winston-scott">.*?</tr>', page, re.DOTALL).group()
    assert row.count(': played by Ian McShane</span>') == 5
