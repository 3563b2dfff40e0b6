"""Search suggestions (issue #4) in a real Chromium against `kg serve` (the browser fixtures of conftest.py).

The index and the JSON API are tested in test_search.py; here the search box
is typed into, navigated by keyboard and mouse, and checked for its ARIA
combobox state.
"""

from __future__ import annotations

import pytest

from ..views.test_search import api, slugs

pytestmark = pytest.mark.slow  # a real Chromium against a real kg serve


def combobox(page) -> dict:
    return page.evaluate("""() => {
        const input = document.querySelector("#q"), list = document.getElementById(input.getAttribute("aria-controls"));
        return { role: input.getAttribute("role"), expanded: input.getAttribute("aria-expanded"),
                 active: input.getAttribute("aria-activedescendant"), listbox: list.getAttribute("role"),
                 shown: !list.hidden, options: [...list.children].map((o) => ({ id: o.id, role: o.getAttribute("role"),
                   selected: o.getAttribute("aria-selected"), name: o.querySelector(".name").firstChild.textContent })) };
    }""")


def type_in_the_box(page, text: str) -> dict:
    page.locator("#q").press_sequentially(text)
    page.wait_for_selector("#q-suggestions [role=option]")
    page.wait_for_function("text => document.querySelector('#q').value === text", arg=text)
    return combobox(page)


def test_suggestions_by_keyboard_in_a_browser(server, page):
    page.goto(f"{server}/search?seen=2")
    typed = type_in_the_box(page, "boogey")
    assert (typed["role"], typed["listbox"], typed["expanded"], typed["shown"]) == ("combobox", "listbox", "true", True)
    assert typed["options"][0]["name"] == "Hero" and typed["active"] is None
    assert all(o["role"] == "option" and o["selected"] == "false" for o in typed["options"])
    first, last = typed["options"][0]["id"], typed["options"][-1]["id"]
    page.keyboard.press("ArrowDown")
    down = combobox(page)
    assert down["active"] == first and down["options"][0]["selected"] == "true"
    page.keyboard.press("ArrowUp")
    assert combobox(page)["active"] == last  # Up from the first wraps to the last
    page.keyboard.press("Escape")
    closed = combobox(page)
    assert (closed["expanded"], closed["shown"], closed["active"]) == ("false", False, None)
    assert page.locator("#q").input_value() == "boogey"  # Escape closes the list, keeps the text
    page.keyboard.press("ArrowDown")
    assert combobox(page)["active"] == first
    page.keyboard.press("Enter")
    page.wait_for_url("**/id/hero?seen=2")  # the spoiler level goes with the link


def test_suggestions_by_mouse_and_spoilers_in_a_browser(server, page, client):
    assert "villain" in slugs(api(client, "one", seen=2, limit=8))  # "The Other One", revealed in release 2
    expected = api(client, "one", seen=1, limit=8)
    page.goto(f"{server}/search?seen=1")
    typed = type_in_the_box(page, "one")
    assert [o["name"] for o in typed["options"]] == [r["label"] for r in expected]
    assert "Villain" not in [o["name"] for o in typed["options"]]
    page.locator("#q-suggestions [role=option]").first.click()
    page.wait_for_url(f"**{expected[0]['url']}")
    assert page.url.endswith("?seen=1")


def test_without_a_match_the_list_stays_closed_and_enter_searches_in_a_browser(server, page):
    page.goto(f"{server}/search")
    page.locator("#q").press_sequentially("zzqxjvkw")
    # the answer came and was read: the status says there is none (not a wait of so many milliseconds)
    page.wait_for_function("() => document.querySelector('#q ~ [role=status]').textContent === 'No suggestions.'")
    state = combobox(page)
    assert (state["expanded"], state["shown"], state["options"]) == ("false", False, [])
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=zzqxjvkw")
    assert "Nothing in the universe matches" in page.locator("main").inner_text()
