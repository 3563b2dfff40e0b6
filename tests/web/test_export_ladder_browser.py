"""A long ladder of releases in the static export, in Chromium: each page's spoiler menu lists only the releases
nearest the reading it was written at, and links the page of every release (seen.html); a release chosen there
is kept in the browser, sends the fan back, joins the menu under its name and hides what it should."""

from __future__ import annotations

import sys

import pytest
from playwright.sync_api import expect

from kg.settings import Settings
from web import pages
from web.export import export_site

from ..conftest import UNIVERSE, free_port, running
from .test_export_browser import SHOWN_FACTS

#: The facts a fan who has seen the first release sees (what the server hides).
UP_TO_FIRST = "Array.from(document.querySelectorAll('[data-fact]')).filter(e => e.dataset.from !== undefined " \
              "&& Number(e.dataset.from) <= 1).map(e => e.dataset.fact)"


@pytest.fixture(scope="module")
def site(universe_nquads, universe_dumps, tmp_path_factory):
    root = tmp_path_factory.mktemp("ladder") / "jw"
    with pytest.MonkeyPatch.context() as patch:  # the fixture's two releases cut as 1,076 would be
        patch.setattr(pages, "MENU_LIMIT", 1)
        patch.setattr(pages, "MENU_NEAR", 0)
        report = export_site(Settings(data_dir=UNIVERSE, out_dir=universe_nquads.parent), root, processes=2)
    assert report.broken == [] and (root / "seen.html").is_file()
    port = free_port()
    argv = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(root)]
    with running(argv, port, "http.server") as url:
        yield url


def menu(page) -> list[tuple[str, str]]:
    return page.eval_on_selector_all("form.spoilers select[name=seen] option",
                                     "options => options.map(o => [o.value, o.textContent.trim()])")


def test_a_release_chosen_on_the_page_of_every_release_joins_the_menu(page, site):
    page.goto(f"{site}/id/hero.html")
    assert [value for value, _ in menu(page)] == ["0", "2", "all"]  # written at "everything": the last release
    page.locator("form.spoilers a.every-release").click()
    page.wait_for_url("**/seen.html")
    assert page.locator("form.ladder input[name=seen]").count() == 4  # nothing, both releases, everything
    page.locator("form.ladder label", has_text="up to Film One").click()
    page.locator("form.ladder button").click()
    page.wait_for_url("**/id/hero.html")  # back where the fan was
    expect(page.locator("form.spoilers select[name=seen]")).to_have_value("1")
    assert menu(page) == [["0", "nothing yet"], ["1", "up to Film One"], ["2", "up to Series One"],
                          ["all", "everything"]]
    assert not page.locator("section.first-visit").is_visible()
    shown, expected = page.evaluate(SHOWN_FACTS), page.evaluate(UP_TO_FIRST)
    assert shown and sorted(shown) == sorted(expected)  # what the server shows a fan who has seen Film One
    page.goto(f"{site}/id/villain.html")  # kept for the next page, under the same name
    assert ["1", "up to Film One"] in menu(page)
    assert page.eval_on_selector("form.spoilers select[name=seen]", "box => box.value") == "1"
    assert page.errors == []
