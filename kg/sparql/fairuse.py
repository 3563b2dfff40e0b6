"""Fair use of the public SPARQL endpoint, per client.

A client may run a few queries at once and spend a budget of query time per
sliding minute; beyond either, it is told to come back later (HTTP 429 with
``Retry-After``), so one client cannot keep every query worker busy.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass

from kg.errors import QueryRefused


@dataclass(frozen=True)
class Limits:
    concurrent: int = 2  # queries running at once per client
    budget: float = 30.0  # seconds of query time per client per window
    window: float = 60.0


class FairUse:
    """Thread-safe admission: :meth:`admit` before a query, :meth:`done` after it, with its cost."""

    def __init__(self, limits: Limits = Limits(), clock: Callable[[], float] = time.monotonic):
        self.limits, self.clock = limits, clock
        self._lock = threading.Lock()
        self._running: dict[str, int] = defaultdict(int)
        self._spent: dict[str, deque[tuple[float, float]]] = defaultdict(deque)  # (when, seconds)

    def admit(self, client: str) -> None:
        with self._lock:
            if self._running[client] >= self.limits.concurrent:
                raise QueryRefused(429, f"at most {self.limits.concurrent} queries at once per client; "
                                        "wait for one to finish", retry_after=1)
            spent = self._spent_now(client)
            if sum(seconds for _, seconds in spent) >= self.limits.budget:
                retry = self._refill_time(spent)
                raise QueryRefused(429, f"this client used its {self.limits.budget:g} s of query time for "
                                        f"the last {self.limits.window:g} s; try again in {retry} s",
                                   retry_after=retry)
            self._running[client] += 1

    def done(self, client: str, seconds: float) -> None:
        with self._lock:
            self._running[client] -= 1
            if not self._running[client]:
                del self._running[client]
            self._spent[client].append((self.clock(), seconds))

    def _spent_now(self, client: str) -> deque[tuple[float, float]]:
        spent = self._spent[client]
        horizon = self.clock() - self.limits.window
        while spent and spent[0][0] < horizon:
            spent.popleft()
        if not spent:
            del self._spent[client]
        return spent

    def _refill_time(self, spent: deque[tuple[float, float]]) -> int:
        """Seconds until enough of the spending leaves the window to be under budget again."""
        total = sum(seconds for _, seconds in spent)
        for when, seconds in spent:
            total -= seconds
            if total < self.limits.budget:
                return max(1, math.ceil(when + self.limits.window - self.clock()))
        return max(1, math.ceil(self.limits.window))
