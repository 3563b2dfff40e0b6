"""`kg serve --watch` in Chromium: a page reloads itself when the data it shows is edited, shows the data's
problems (file:line) over the last good build while there are any, and goes back when they are fixed."""

from __future__ import annotations

import sys

from ..conftest import free_port, running, shot

HERO = "description: The fixture hero."


def test_a_page_follows_the_edits_of_its_data(universe_copy, tmp_path, page):
    port = free_port()
    argv = [sys.executable, "-m", "kg", "serve", "--watch", "--data", universe_copy, "--out", tmp_path / "out",
            "--host", "127.0.0.1", "--port", port]
    characters = universe_copy / "characters.yaml"
    good = characters.read_text(encoding="utf-8")
    assert HERO in good
    with running(argv, port, "kg serve --watch", timeout=120) as url:
        page.goto(f"{url}/id/hero")
        page.get_by_text("The fixture hero.").first.wait_for()
        characters.write_text(good.replace(HERO, "description: The hero, as edited a moment ago."),
                              encoding="utf-8")
        page.get_by_text("The hero, as edited a moment ago.").first.wait_for(timeout=5000)  # reloaded by itself
        characters.write_text(good + "\noops: [\n", encoding="utf-8")
        problems = page.locator(".watch-problems")
        problems.wait_for(timeout=5000)
        assert "characters.yaml:" in problems.inner_text() and "YAML syntax" in problems.inner_text()
        assert page.get_by_text("The hero, as edited a moment ago.").first.is_visible()  # the last good build
        shot(page, "watch-problems")
        characters.write_text(good, encoding="utf-8")
        page.get_by_text("The fixture hero.").first.wait_for(timeout=5000)
        problems.wait_for(state="detached", timeout=5000)
