"""The shipped universe exported, served by a plain static server and read in Chromium as a fan reads it:
"rooney" (the heroine's name before the release) finds Eve Macarro, a connection between two characters is
found in the browser, and a fan who has seen John Wick only does not see on Winston's page what Chapter 4
reveals."""

from __future__ import annotations

import sys

import pytest

from kg.publish.dumps import write_dumps
from kg.settings import Settings
from web.export import export_site

from ..conftest import REAL_DATA, free_port, running

FACTS_FROM = "(level) => Array.from(document.querySelectorAll(`[data-fact][data-from='${level}']`))"


@pytest.fixture(scope="module")
def shipped(real_nquads, tmp_path_factory):
    downloads = real_nquads.parent / "downloads"
    if not downloads.is_dir():
        write_dumps(real_nquads.parent, downloads)
    root = tmp_path_factory.mktemp("shipped-export") / "site"
    report = export_site(Settings(data_dir=REAL_DATA, out_dir=real_nquads.parent), root, processes=2)
    assert report.broken == []
    port = free_port()
    argv = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(root)]
    with running(argv, port, "http.server") as url:
        yield url


def test_rooney_finds_eve_macarro(page, shipped):
    page.goto(f"{shipped}/index.html?seen=all")
    page.locator("#q").press_sequentially("rooney", delay=20)
    first = page.locator("#q-suggestions li").first
    first.wait_for()
    assert "Eve Macarro" in first.inner_text()
    first.click()
    page.wait_for_url("**/id/eve-macarro.html*")


def test_a_connection_is_found_in_the_browser(page, shipped):
    page.goto(f"{shipped}/connections.html?from=rooney&to=winston-scott&seen=all")
    chain = page.locator("ol.chains li").first
    chain.wait_for()
    assert "Eve Macarro" in chain.inner_text() and "Winston Scott" in chain.inner_text()


def test_a_fan_who_has_seen_john_wick_does_not_see_what_chapter_4_reveals(page, shipped):
    page.goto(f"{shipped}/id/winston-scott.html?seen=all")
    chapter_4 = page.evaluate("() => [...document.querySelectorAll('[data-fact]')].length")  # sanity: facts there
    revealed = page.evaluate(f"({FACTS_FROM})(4).filter((e) => !e.closest('[hidden]')).length")
    assert chapter_4 and revealed > 0  # everything seen: the Chapter 4 facts show
    page.locator("form.spoilers select[name=seen]").select_option("1")  # John Wick, kept in the browser
    page.goto(f"{shipped}/id/winston-scott.html")
    assert page.evaluate(f"({FACTS_FROM})(4).filter((e) => !e.closest('[hidden]')).length") == 0
    assert page.evaluate(f"({FACTS_FROM})(1).filter((e) => !e.closest('[hidden]')).length") > 0
    assert "hidden on this page" in page.locator("p.offline-hidden").inner_text()
