"""The promise in a real browser (Debian's Chromium, Playwright) at 1280 and 390 px: the first-visit question,
citations that lead to their references."""

from __future__ import annotations

import pytest

from ..conftest import shot

pytestmark = pytest.mark.slow  # a real Chromium against a real kg serve

WIDTHS = (1280, 390)


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def visitor(browser, request):
    """A page of a fan on a first visit (no cookie), at one width."""
    context = browser.new_context(viewport={"width": request.param, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.width = request.param
    yield page
    context.close()
    assert errors == []


def test_a_first_visit_asks_what_the_fan_has_seen_without_blocking(server, visitor):
    page = visitor
    page.goto(f"{server}/id/villain")
    question = page.locator("section.first-visit")
    assert question.is_visible() and "What have you seen?" in question.inner_text()
    assert page.locator("h1").is_visible()  # the page itself is there, not behind a modal
    assert not page.get_by_text("The Other One").first.is_visible()  # a story fact of Episode One
    shot(page, f"first-visit-{page.width}")
    page.select_option("#first-seen", "all")
    page.locator("section.first-visit button[type=submit]").click()
    page.wait_for_url("**seen=all")
    assert page.locator("section.first-visit").count() == 0  # answered: not asked again
    assert page.get_by_text("The Other One").first.is_visible()
    page.goto(f"{server}/id/hero")  # the cookie keeps the answer
    assert page.locator("section.first-visit").count() == 0


def test_a_citation_leads_to_its_reference(server, visitor):
    page = visitor
    page.goto(f"{server}/id/hero?seen=all")
    mark = page.locator("sup.cite a").first
    number = mark.inner_text().strip("[]")
    mark.click()
    page.wait_for_url(f"**#ref-{number}")
    reference = page.locator(f"#ref-{number}")
    assert reference.is_visible() and reference.locator("a").first.inner_text()
    box = reference.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"]  # scrolled into view
    shot(page, f"references-{page.width}")
