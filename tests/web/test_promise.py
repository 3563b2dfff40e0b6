"""The fans' promise on every page: sources you can read, canon kept apart from readings, spoilers that never leak.

On the fixture universe: `an-analysis` is an interpretive source (the hero's
disputed narrative role, the unconfirmed Scene B), `ref-film` a reference
about Film One, and the villain's alias "The Other One" is revealed in Episode
One, the second release.
"""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import SKOS

from kg.namespaces import JWR

from .test_web import without_hidden


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def first_visit(client):
    client.delete_cookie("seen")
    return client


# --- source pages: what a source is, where to read it, what it supports --------------------------------------


def test_a_source_page_says_what_it_is_and_links_out(client):
    page = text(client.get("/id/ref-film"))
    about = re.search(r'<section class="source-about".*?</section>', page, re.DOTALL).group()
    assert "reference" in about and '<a class="external" href="https://example.org/film-one"' in about
    assert ">example.org</a>" in about  # the site it is on, in words
    assert "A fixture reference page." in page and "Fixture only." in page  # its description and our note


def test_a_source_page_lists_every_fact_it_supports_by_entity_with_counts(client):
    page = text(client.get("/id/ref-film"))
    supported = re.search(r'<section class="supported".*?</section>', page, re.DOTALL).group()
    entities = re.findall(r'<summary><a href="/id/([^"]+)">[^<]+</a> <span class="count">(\d+)</span>', supported)
    villain = re.search(r'<summary><a href="/id/villain">.*?</details>', supported, re.DOTALL).group()
    assert re.search(r'<span class="property">also known as:</span> <span class="value"><span class="term">'
                     r'The Other One</span>', villain)  # a fact this source supports, under its entity
    assert len(re.findall(r"<li class=\"statement", villain)) == int(dict(entities)["villain"])
    total = int(re.search(r"(\d+) facts? about (\d+) entit", supported).group(1))
    assert total == sum(int(n) for _, n in entities)


def test_a_source_page_hides_the_spoilers_it_supports(client):
    page = text(client.get("/id/ref-film?seen=1"))
    supported = re.search(r'<section class="supported".*?</section>', page, re.DOTALL).group()
    assert "The Other One" not in supported
    assert "1 more fact hidden until you have seen Episode One." in supported


def test_an_analysis_page_says_its_facts_are_readings(client):
    page = text(client.get("/id/an-analysis"))
    assert '<span class="badge interpretation">interpretation</span>' in page
    assert "all of them readings of this source, not canon" in page


# --- citations: numbered marks and a references list -------------------------------------------------------


def test_every_cited_number_leads_to_a_reference_naming_its_source(client):
    page = text(client.get("/id/hero"))
    cited = {int(n) for n in re.findall(r'<sup class="cite"><a href="#ref-(\d+)"', page)}
    references = re.search(r'<section class="references".*?</section>', page, re.DOTALL).group()
    listed = [int(n) for n in re.findall(r'<li id="ref-(\d+)">', references)]
    assert cited == set(listed) and listed == list(range(1, len(listed) + 1))  # numbered in order, none missing
    assert re.search(r'<li id="ref-\d+"><a href="/id/an-analysis">An analysis</a> '
                     r'<span class="badge interpretation">interpretation</span> · '
                     r'<a class="external" href="https://example.org/analysis"', references)


def test_readings_are_marked_where_they_stand(client):
    page = text(client.get("/id/hero"))
    role = re.search(r'<li class="statement interpretation">.*?</li>', page, re.DOTALL).group()
    assert "the mirror" in role and 'badge interpretation">interpretation' in role and 'badge flag">disputed' in role


# --- spoilers that never leak ----------------------------------------------------------------------------------


def test_a_first_visit_asks_and_shows_no_story_fact(client):
    page = text(first_visit(client).get("/id/villain"))
    assert "What have you seen?" in page and 'action="/spoilers"' in page
    assert "The Other One" not in without_hidden(page)  # a story fact of a later work
    assert "1 fact hidden until you have seen Episode One" in page
    film = text(client.get("/id/film-one"))
    assert "24 October 2014" in film  # real-world facts stay
    assert "What have you seen?" not in text(client.get("/id/villain?seen=all"))  # said in the URL


def test_the_rdf_twin_gives_tools_everything_until_told(client):
    graph = Graph().parse(data=first_visit(client).get("/id/villain.ttl").get_data(), format="turtle")
    assert (JWR.villain, SKOS.altLabel, Literal("The Other One")) in graph
    hidden = Graph().parse(data=client.get("/id/villain.ttl?seen=1").get_data(), format="turtle")
    assert (JWR.villain, SKOS.altLabel, Literal("The Other One")) not in hidden


def test_suggestions_of_a_first_visit_hide_story_names(client):
    results = first_visit(client).get("/api/search", query_string={"q": "scene"}).get_json()["results"]
    assert "Scene A" not in [r["label"] for r in results]  # named by its story only
    assert "Scene A" in [r["label"] for r in client.get("/api/search?q=scene&seen=all").get_json()["results"]]


def test_hidden_facts_say_neither_their_property_nor_their_kinds(client):
    page = text(client.get("/id/villain?seen=1"))
    boxes = re.findall(r'<aside class="hidden-facts">\s*<details>\s*<summary>(.*?)</summary>', page, re.DOTALL)
    assert boxes == ["1 fact hidden until you have seen Episode One: show"]
    headings = re.findall(r"<h2>(.*?) <span class=\"count\">", page)
    assert all("hidden" not in h for h in headings)


def test_a_group_whose_facts_are_all_hidden_is_not_shown(client):
    headings = re.findall(r'<h2>(.*?) <span class="count">(\d+)</span>', text(client.get("/id/villain?seen=0")))
    assert headings and all(count != "0" for _, count in headings)  # no "enemy 0": that names a hidden fact
    assert "enemy" not in [name.lower() for name, _ in headings]
    assert "enemy" in [name.lower() for name, _ in re.findall(r'<h2>(.*?) <span class="count">(\d+)</span>',
                                                              text(client.get("/id/villain")))]


# --- canon only ---------------------------------------------------------------------------------------------------


def test_canon_only_leaves_readings_and_doubted_claims_out(client):
    page = text(client.get("/id/hero?canon=1"))
    assert "the mirror" not in page  # the analysis's reading
    assert "left out: you read canon only" in page
    assert 'href="/id/film-one?canon=1"' in page  # links carry the choice
    scenes = client.get("/browse/scenes.json?canon=1").get_json()
    assert "Scene B" not in [e["label"] for e in scenes["entries"]]  # named by the analysis only


def test_the_form_sets_canon_only_in_a_cookie(client):
    response = client.get("/spoilers?canon=1&next=/id/hero")
    assert response.headers["Location"] == "/id/hero?canon=1" and "canon=1" in response.headers["Set-Cookie"]
    assert "the mirror" not in text(client.get("/id/hero"))
    client.get("/spoilers?canon=0&next=/id/hero")
    assert "the mirror" in text(client.get("/id/hero"))


@pytest.mark.parametrize("value", ["2", "yes", "<x>", ""])
def test_an_unreadable_canon_choice_is_not_one(client, value):
    assert "the mirror" in text(client.get("/id/hero", query_string={"canon": value}))


# --- values in words -----------------------------------------------------------------------------------------------


def test_dates_and_orders_read_as_words(client):
    page = text(client.get("/id/film-one"))
    assert '<time datetime="2014-10-24">24 October 2014</time>' in page
    assert "1st of 2 released" in page


# --- marks in the machine twins and lists ---------------------------------------------------------------------


def test_the_json_twin_carries_the_marks(client):
    data = client.get("/id/hero.json").get_json()
    role = next(s for s in data["statements"] if s["value"].get("value") == "the mirror")
    assert role["marks"] == ["interpretation", "disputed"]
    plain = next(s for s in data["statements"] if s["propertyLabel"] == "killed")
    assert plain["marks"] == []
    assert client.get("/id/scene-b.json").get_json()["marks"] == ["interpretation", "unconfirmed"]


def test_lists_mark_readings_and_doubted_entities(client):
    entries = {e["label"]: e for e in client.get("/browse/scenes.json").get_json()["entries"]}
    assert entries["Scene B"]["marks"] == ["interpretation", "unconfirmed"] and entries["Scene A"]["marks"] == []
    page = text(client.get("/browse/scenes"))
    row = re.search(r'<th scope="row"><a href="/id/scene-b">Scene B</a>.*?</th>', page, re.DOTALL).group()
    assert 'badge interpretation' in row and 'badge flag">unconfirmed' in row


# --- what fans expect: a character's fate and timeline, the IRI, how to cite -----------------------------------


def test_a_characters_fate_is_in_the_infobox_as_the_fan_has_seen(client):
    infobox = re.search(r'<aside class="infobox".*?</aside>', text(client.get("/id/villain")), re.DOTALL).group()
    assert re.search(r"<dt>Status</dt>\s*<dd>dead</dd>", infobox)
    assert re.search(r'<dt>Died in</dt>\s*<dd><a href="/id/film-one">Film One</a>', infobox)
    assert re.search(r'<dt>Killed by</dt>\s*<dd><a href="/id/hero">Hero</a>', infobox)
    unseen = re.search(r'<aside class="infobox".*?</aside>', text(client.get("/id/villain?seen=0")), re.DOTALL).group()
    assert re.search(r"<dt>Status</dt>\s*<dd>unknown</dd>", unseen) and "Killed by" not in unseen  # no spoiler


def test_a_characters_timeline_lists_works_scenes_and_events_in_story_order(client):
    page = text(client.get("/id/villain"))
    timeline = re.search(r'<section class="timeline".*?</section>', page, re.DOTALL).group()
    assert "In story order" in timeline and 'href="/id/villain?order=release"' in timeline
    film = re.search(r'<li><h3><a href="/id/film-one">Film One</a>.*?</ol>', timeline, re.DOTALL).group()
    assert film.index("Scene A") < film.index("Event A")  # a numbered scene, then the event
    assert "In release order" in text(client.get("/id/villain?order=release"))


def test_the_iri_can_be_copied_and_the_page_cited(client):
    page = text(client.get("/id/hero"))
    assert '<code id="iri">https://kg.johnwick.example/id/hero</code>' in page
    assert 'data-copy="iri"' in page and 'src="/static/cite.js?v=' in page
    cite = re.search(r'<pre id="cite-text">(.*?)</pre>', page, re.DOTALL).group(1)
    assert "Hero." in cite and "https://kg.johnwick.example/id/hero" in cite and "version" in cite
    bib = re.search(r'<pre id="cite-bibtex">(.*?)</pre>', page, re.DOTALL).group(1)
    assert bib.startswith("@misc{jwkg-hero,") and "url = {https://kg.johnwick.example/id/hero}" in bib


def test_bibtex_escapes_what_could_end_a_field():
    from kg.views.citations import bibtex

    entry = bibtex("A {bad} } name & 50% #1", "https://kg.johnwick.example/id/x", "x", "1")
    assert r"title = {A \{bad\} \} name \& 50\% \#1}" in entry


def test_a_scene_says_where_it_stands_in_its_work(client):
    infobox = re.search(r'<aside class="infobox".*?</aside>', text(client.get("/id/scene-a")), re.DOTALL).group()
    assert re.search(r'<dt>In</dt>\s*<dd><a href="/id/film-one">Film One</a>', infobox)
    assert "1st of 2 listed" in infobox  # Scene A and the analysis's Scene B


def test_a_works_status_and_story_order_are_words_in_the_infobox(client):
    page = text(client.get("/id/film-one"))
    infobox = re.search(r'<aside class="infobox".*?</aside>', page, re.DOTALL).group()
    assert "2nd of 2 in story order" in infobox
    headings = [h.lower() for h in re.findall(r'<h2>(.*?) <span class="count">', page)]
    assert "story order" not in headings and "release order" not in headings


# --- the plot --------------------------------------------------------------------------------------------------


def test_a_works_plot_is_told_act_by_act_with_its_sources(client):
    page = text(client.get("/id/film-one"))
    plot = re.search(r'<section class="plot".*?</section>', page, re.DOTALL).group()
    acts = re.findall(r'<li value="(\d)"><p>(.*?)</p></li>', plot, re.DOTALL)
    assert [n for n, _ in acts] == ["1", "2"]
    assert acts[0][1].startswith("Someone steals the hero&#39;s car.") and 'class="cite"' in acts[0][1]
    assert 'badge flag">unconfirmed' in acts[1][1] and "The fixture&#39;s last act." in acts[1][1]
    assert "Premise:</span> A retired hero is drawn back into his old trade." in page


def test_the_plot_waits_until_the_work_is_seen_and_the_premise_does_not(client):
    page = text(client.get("/id/film-one?seen=0"))
    assert "Someone steals" not in without_hidden(page)
    assert "2 acts of the story are hidden until you have seen Film One" in page
    assert "A retired hero is drawn back" in page  # the premise is the studio's: no spoiler


def test_the_matrix_marks_doubted_characters_and_canon_only_leaves_them_out(client):
    rows = {r["label"]: r for r in client.get("/matrix.json").get_json()["characters"]}
    assert rows["Wife"]["marks"] == ["unconfirmed"] and rows["Hero"]["marks"] == []
    assert "Wife" not in {r["label"] for r in client.get("/matrix.json?canon=1").get_json()["characters"]}
    page = text(client.get("/matrix"))
    assert re.search(r'<th scope="row"><a href="/id/wife">Wife</a> <span class="badge flag">unconfirmed</span>', page)
