"""What every view shares: the settings, the store, the catalog, the spoiler level of the request.

The app factory puts one :class:`Site` in ``app.extensions``; views reach it
with :func:`site`, and the app's :class:`~kg.settings.Settings` with
:func:`settings`.  Views read the graph only through ``site().store`` (the one
store interface), with the catalog for names and spoiler rules and the
ontology's model, both read from that store the first time they are needed.

The spoiler level is "I have seen the first N releases": ``?seen=N`` in the
URL (``?seen=all`` to see everything), else the ``seen`` cookie set by the
spoiler form.  Once a request has it in its URL, every link the page makes
carries it (:func:`carry_spoiler_level`), so a shared link keeps it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from flask import current_app, g, request

from kg.model import Model
from kg.settings import Settings
from kg.store import Store
from kg.store.catalog import Catalog, load_catalog, load_model

COOKIE = "seen"
ALL = "all"
SETTINGS = "kg-settings"


class Site:
    """The store, and what the app reads of it once (the store never changes while the app runs)."""

    def __init__(self, store: Store):
        self.store = store
        self._read: dict[str, object] = {}
        self._lock = threading.Lock()

    def _once(self, name: str, read: Callable[[Store], object]):
        value = self._read.get(name)
        if value is None:
            with self._lock:
                value = self._read.get(name)
                if value is None:
                    value = self._read[name] = read(self.store)
        return value

    @property
    def catalog(self) -> Catalog:
        return self._once("catalog", load_catalog)

    @property
    def model(self) -> Model:
        return self._once("model", load_model)


def site() -> Site:
    return current_app.extensions["kg"]


def settings() -> Settings:
    return current_app.extensions[SETTINGS]


def parse_level(text: str | None, releases: int) -> tuple[bool, int | None]:
    """(given, level): level None means everything; an unreadable value is not given."""
    if text is None or text == "":
        return False, None
    if text == ALL:
        return True, None
    if text.isdigit() and 0 <= int(text) <= releases:
        return True, int(text)
    return False, None


def resolve_spoiler_level() -> None:
    """Before each request: g.seen (None = everything) and whether the URL says it."""
    releases = len(site().catalog.releases)
    given, level = parse_level(request.args.get(COOKIE), releases)
    g.seen_in_url = given
    if not given:
        given, level = parse_level(request.cookies.get(COOKIE), releases)
    g.seen = level if given else None


def carry_spoiler_level(endpoint: str, values: dict) -> None:
    """url_defaults: links made while a URL names the level keep naming it."""
    if endpoint != "static" and getattr(g, "seen_in_url", False) and COOKIE not in values:
        values[COOKIE] = ALL if g.seen is None else g.seen
