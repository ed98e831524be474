"""A sliding-window rate limiter, kept in memory and shared by the service's threads.

It counts requests per network address: the service keeps no record of
visitors' addresses, so a restart forgets them. (The per-email limit counts
stored comments instead, in the transaction that stores one: see
store.Store.add_comment.)
"""

import threading
import time
from collections import defaultdict, deque

# How often to drop the keys of addresses that have gone quiet.
SWEEP_SECONDS = 60


class SlidingWindowLimiter:
    """At most ``limit`` hits per key in any ``window_seconds``."""

    def __init__(self, limit, window_seconds, clock=time.monotonic):
        self.limit = limit
        self.window_seconds = window_seconds
        self.clock = clock
        self._hits = defaultdict(deque)
        self._lock = threading.Lock()
        self._last_sweep = clock()

    def hit(self, key):
        """Count one hit for ``key``: None if it is allowed, else seconds until the next one would be."""
        now = self.clock()
        horizon = now - self.window_seconds
        with self._lock:
            if now - self._last_sweep >= SWEEP_SECONDS:
                self._forget_keys_before(horizon)
                self._last_sweep = now
            hits = self._hits[key]
            while hits and hits[0] <= horizon:
                hits.popleft()
            if len(hits) >= self.limit:
                return hits[0] + self.window_seconds - now
            hits.append(now)
            return None

    def _forget_keys_before(self, horizon):
        """Drop keys whose last hit is out of the window, so memory stays bounded."""
        for key in [key for key, hits in self._hits.items() if not hits or hits[-1] <= horizon]:
            del self._hits[key]
