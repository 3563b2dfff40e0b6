"""A page of the static export that shows what every reading shows: the browser keeps the fan's (offline-spoilers.js).

The server hides spoilers per request; a static page is written once.  A list or
the matrix is therefore worked out at every reading a fan can choose (each
spoiler level, with readings and canon only), and the page carries each
distinct row once, saying at which readings it shows (``data-readings``), and
in which order the rows come at each reading (``data-orders`` on their
container).  The rows of the reading the export renders (everything, readings
too) show without JavaScript; the others are ``hidden``.  A universe of more
than :data:`MAX_LEVELS` releases (the synthetic million-triple one has 1,076)
is past what a static page can carry: its lists say they show everything.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from flask import g

from kg.store.catalog import Reading

from .site import site

T = TypeVar("T")
MAX_LEVELS = 24  # releases on the spoiler ladder whose every reading a static list carries


def key_of(reading: Reading) -> str:
    """A reading as the export's pages name it: ``2/0`` (the first two releases, readings too), ``all/1``."""
    return f"{'all' if reading.seen is None else reading.seen}/{int(reading.canon_only)}"


def readings() -> list[Reading] | None:
    """Every reading a fan of the export can choose, the one the export renders first; None past
    :data:`MAX_LEVELS` releases."""
    levels = len(site().catalog.releases)
    if levels > MAX_LEVELS:
        return None
    return [Reading(seen, canon) for canon in (False, True) for seen in (None, *range(levels + 1))]


@dataclass
class Variants(Generic[T]):
    """Each distinct item with the readings it shows at, and each reading's order of them (indexes)."""

    items: list[tuple[T, str]] = field(default_factory=list)  # (item, "all/0 2/0 ...")
    orders: dict = field(default_factory=dict)  # {"orders": [[0, 2, 1], ...], "by": {"all/0": 0, ...}}
    shown: str = ""  # the reading the page is rendered at: what shows without JavaScript

    def hidden(self, keys: str) -> bool:
        """Is what shows at these readings hidden until the browser knows the fan's?"""
        return self.shown not in keys.split()

    def keys_at(self, everything: bool) -> str:
        """The readings of everything seen, or those of a spoiler level."""
        return " ".join(key for key in self.orders["by"] if key.startswith("all/") == everything)

    def empty_at(self, everything: bool) -> str:
        """The readings (of everything seen, or of a spoiler level) at which there is no item at all."""
        return " ".join(key for key in self.keys_at(everything).split()
                        if not self.orders["orders"][self.orders["by"][key]])


def merged(at: dict[str, Iterable[T]], identity: Callable[[T], Hashable]) -> Variants[T]:
    """The items of each reading (by :func:`key_of`, the export's first), each distinct one once."""
    index: dict[Hashable, int] = {}
    items: list[tuple[T, list[str]]] = []
    orders: list[list[int]] = []
    by: dict[str, int] = {}
    for key, found in at.items():
        order = []
        for item in found:
            number = index.setdefault(identity(item), len(items))
            if number == len(items):
                items.append((item, []))
            items[number][1].append(key)
            order.append(number)
        if order not in orders:
            orders.append(order)
        by[key] = orders.index(order)
    return Variants([(item, " ".join(keys)) for item, keys in items], {"orders": orders, "by": by}, key_of(g.reading))
