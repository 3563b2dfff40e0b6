"""The caches each worker keeps: rendered answers by request key, compressed bodies by encoding and tag.

Both are bounded by the bytes they hold and drop the least recently used
first (cachetools' LRUCache, sized by each entry's bytes); :mod:`web.caching`
decides what goes in them.
"""

from __future__ import annotations

import threading
from contextlib import suppress

from cachetools import LRUCache

PAGE_CACHE_BYTES = 64 << 20  # per worker


class PageCache:
    """Answers by request key, least recently used out first, bounded by the bytes of their bodies."""

    def __init__(self, max_bytes: int = PAGE_CACHE_BYTES):
        self._items: LRUCache = LRUCache(maxsize=max_bytes, getsizeof=self.size)
        self._lock = threading.Lock()

    @staticmethod
    def size(item) -> int:
        """An answer's (status, headers, body) by its body, and some for its headers."""
        return len(item[2]) + 512

    def get(self, key):
        with self._lock:
            return self._items.get(key)

    def set(self, key, value) -> None:
        with self._lock, suppress(ValueError):  # larger than the whole cache: not kept
            self._items[key] = value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class CompressedBodies(PageCache):
    """Flask-Compress's cache: a compressed body by "encoding;ETag" (an answer without our ETag is not kept)."""

    @staticmethod
    def size(item: bytes) -> int:
        return len(item)

    def get(self, key: str):
        return None if key.endswith(";") else super().get(key)

    def set(self, key: str, value) -> None:
        if not key.endswith(";"):
            super().set(key, value)
