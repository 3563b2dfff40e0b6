"""A real browser (Debian's Chromium, driven by Playwright) against a real `kg serve`.

The test starts `kg serve` (the production server) on 127.0.0.1 with the
fixture universe, and Chromium from the system (no browser download; set
KG_CHROMIUM to use another binary).  Screenshots of each step are saved under
tests/artifacts/.  Without Chromium these tests are skipped, except with
CI=true, where they fail: CI must run the real thing.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT, UNIVERSE

ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


def chromium_path() -> str | None:
    return os.environ.get("KG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def missing(what: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what}: CI must run the browser tests (install it in .ci/run)")
    pytest.skip(f"{what}; install it to run the browser tests")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`kg serve` with the fixture universe, production server, on a free port of 127.0.0.1."""
    port = free_port()
    out = tmp_path_factory.mktemp("serve-build")
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--data", str(UNIVERSE), "--out", str(out), "--host", "127.0.0.1",
         "--port", str(port), "--workers", "1"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"kg serve exited: {process.stdout.read().decode()}")
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("kg serve did not start within 60 s")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    if path is None:
        missing("Chromium is not installed (Debian package 'chromium')")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright is not installed (pip install playwright)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.errors = errors  # a test expecting an error removes it
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert errors == [], f"the page reported errors (a CSP violation shows here too): {errors}"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_open_an_entity_page_and_follow_a_link(server, page):
    page.goto(f"{server}/id/hero")
    assert page.locator("h1").inner_text() == "Hero"
    assert page.locator(".infobox").is_visible()
    shot(page, "entity-hero")
    page.locator("main a", has_text="Clan A").first.click()
    page.wait_for_url("**/id/clan-a")
    assert page.locator("h1").inner_text() == "Clan A"


def test_set_the_spoiler_level_and_see_a_fact_disappear(server, page):
    page.goto(f"{server}/id/villain")
    alias = page.get_by_text("The Other One").first
    assert alias.is_visible()  # revealed in Episode One, the second release
    page.select_option("#seen", "1")  # "up to Film One": the form applies on change
    page.wait_for_url("**seen=1")
    assert not page.get_by_text("The Other One").first.is_visible()
    placeholder = page.locator("details.hidden-facts summary").first
    assert "revealed in Episode One" in placeholder.inner_text()
    shot(page, "spoiler-hidden")
    placeholder.click()  # opened on purpose
    assert page.get_by_text("The Other One").first.is_visible()
    page.locator("main a", has_text="Film One").first.click()  # links carry the level
    assert "seen=1" in page.url


def test_unknown_entity_shows_suggestions(server, page):
    response = page.goto(f"{server}/id/hreo")
    assert response.status == 404
    page.errors.remove("Failed to load resource: the server responded with a status of 404 (NOT FOUND)")
    page.get_by_role("link", name="Hero").click()
    page.wait_for_url("**/id/hero")


def test_pages_work_at_phone_width(server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{server}/id/film-one")
    width = page.evaluate("document.documentElement.scrollWidth")
    shot(page, "phone-film-one")
    context.close()
    assert width <= 390  # no horizontal scrolling of the page itself
