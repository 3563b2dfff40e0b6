"""What every view shares: the settings, the store, the catalog, the spoiler level of the request.

The app factory puts one :class:`Site` in ``app.extensions``; views reach it
with :func:`site`, and the app's :class:`~kg.settings.Settings` with
:func:`settings`.  Views read the graph only through ``site().store`` (the one
store interface), with the catalog for names and spoiler rules and the
ontology's model, both read from that store the first time they are needed.

What the fan reads (:class:`kg.store.catalog.Reading`, ``g.reading``) is two
choices, each from the URL, else from a cookie set by the form on every page:
the spoiler level, "I have seen the first N releases" (``?seen=N``,
``?seen=all`` for everything), and canon only (``?canon=1``; ``?canon=0`` for
readings too).  Until a fan has said what they have seen (``g.answered``),
pages show no story fact of any work, only real-world facts, and ask; the
machine twins in RDF, which tools read, show everything unless told
(:func:`data_reading`).  Once a request has a choice in its URL, every link the
page makes carries it (:func:`carry_reading`), so a shared link keeps it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from flask import current_app, g, request

from kg import __version__
from kg.model import Model
from kg.publish.dumps import read_manifest
from kg.settings import Settings
from kg.store import Store
from kg.store.catalog import Catalog, Reading, load_catalog, load_model

COOKIE = "seen"
ALL = "all"
CANON = "canon"  # ?canon=1: canon only; ?canon=0: readings too
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


def dataset_version() -> str:
    """The version of the data served (its dumps' manifest says it; read once), else kg's own."""
    version = current_app.extensions.get("kg-version")
    if version is None:
        manifest = read_manifest(settings().dumps_dir)
        version = current_app.extensions["kg-version"] = manifest.version if manifest is not None else __version__
    return version


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


def parse_canon(text: str | None) -> tuple[bool, bool]:
    """(given, canon only) from ``1`` / ``0``; anything else is not given."""
    return (text in ("0", "1"), text == "1")


def resolve_reading() -> None:
    """Before each request: g.reading, g.seen (None = everything), g.canon_only, g.answered, and which the URL says."""
    releases = len(site().catalog.releases)
    given, level = parse_level(request.args.get(COOKIE), releases)
    g.seen_in_url = given
    if not given:
        given, level = parse_level(request.cookies.get(COOKIE), releases)
    g.answered = given
    g.seen = level if given else 0  # not said yet: no story fact of any work
    canon_given, canon = parse_canon(request.args.get(CANON))
    g.canon_in_url = canon_given
    if not canon_given:
        canon = parse_canon(request.cookies.get(CANON))[1]
    g.canon_only = canon
    g.reading = Reading(g.seen, canon)


def data_reading() -> Reading:
    """What the RDF twins show: the fan's choices if made, else everything (tools read them, not fans)."""
    return g.reading if g.answered else Reading(None, g.canon_only)


def carry_reading(endpoint: str, values: dict) -> None:
    """url_defaults: links made while a URL names the level (or canon only) keep naming it."""
    if endpoint == "static":
        return
    if getattr(g, "seen_in_url", False) and COOKIE not in values:
        values[COOKIE] = ALL if g.seen is None else g.seen
    if getattr(g, "canon_in_url", False) and CANON not in values:
        values[CANON] = "1" if g.canon_only else "0"
