"""web.warm: the app's indexes are built in the background, and a request that needs one waits for it."""

from __future__ import annotations

import logging
import threading

import pytest

from web.warm import Warmer


def test_a_build_runs_in_the_background_and_get_waits_for_it():
    release, started = threading.Event(), threading.Event()

    def slow(value):
        started.set()
        release.wait(10)
        return value * 2

    warmer = Warmer()
    warmer.add("slow", lambda: slow(21))
    warmer.start()  # returns at once, while the build is still waiting
    assert started.wait(10)
    answer = []
    reader = threading.Thread(target=lambda: answer.append(warmer.get("slow")))
    reader.start()
    reader.join(0.2)
    assert reader.is_alive() and answer == []  # the reader waits...
    release.set()
    reader.join(10)
    assert answer == [42]  # ...for the built value


def test_a_failed_build_is_logged_and_raised_to_whoever_needs_it(caplog):
    def broken():
        raise ValueError("no index today")

    warmer = Warmer()
    warmer.add("index", broken)
    with caplog.at_level(logging.ERROR, logger="web.warm"):
        warmer.start()
        warmer.wait()
    assert "building index failed" in caplog.text
    with pytest.raises(ValueError, match="no index today"):
        warmer.get("index")


def test_the_app_answers_a_search_made_right_after_it_starts(app):
    response = app.test_client().get("/api/search", query_string={"q": "hero"})
    assert response.status_code == 200
    assert response.get_json()["results"][0]["label"] == "Hero"
