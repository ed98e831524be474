"""A sliding-window rate limiter, kept in memory and shared by the service's threads.

It counts requests per network address: the service keeps no record of
visitors' addresses, so a restart forgets them. (The per-email limit counts
stored comments instead, in the transaction that stores one: see
store.Store.add_comment.) Behind a reverse proxy the address is the one the
proxy saw (waitress reads it from ``X-Forwarded-For``: see app.waitress_options).

Its memory is bounded: addresses whose hits have all left the window are
dropped as time passes, and at most ``max_keys`` addresses are tracked at once,
the longest-quiet forgotten first when a new one comes.
"""

import ipaddress
import threading
import time
from collections import OrderedDict, deque

# Far more addresses than a blog's commenters in any window (each costs well under a kilobyte),
# few enough that a flood of distinct addresses cannot exhaust the memory.
MAX_KEYS = 10_000
# One subscriber line gets a whole /64 of IPv6 addresses: counted one by one, a visitor could
# take a fresh address for every request.
IPV6_NETWORK_BITS = 64


def network_of(address):
    """The key a visitor's requests are counted under: an IPv4 address as it is, the /64 network
    of an IPv6 one (``2001:db8:1:2::/64``); anything else (no address at all) as it is."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped:  # an IPv4 visitor of a dual-stack listener
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network((parsed, IPV6_NETWORK_BITS), strict=False))


class SlidingWindowLimiter:
    """At most ``limit`` hits per key in any ``window_seconds``, for at most ``max_keys`` keys at once."""

    def __init__(self, limit, window_seconds, clock=time.monotonic, max_keys=MAX_KEYS):
        self.limit = limit
        self.window_seconds = window_seconds
        self.clock = clock
        self.max_keys = max_keys
        # Key → times of its counted hits, oldest first. The keys are kept in the order of their
        # latest counted hit, so the quiet ones are always at the front.
        self._hits = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key):
        """Count one hit for ``key``: None if it is allowed, else seconds until the next one would be."""
        now = self.clock()
        horizon = now - self.window_seconds
        with self._lock:
            self._forget_keys_before(horizon)
            hits = self._hits.get(key)
            if hits is None:
                if len(self._hits) >= self.max_keys:
                    self._hits.popitem(last=False)
                hits = self._hits[key] = deque()
            while hits and hits[0] <= horizon:
                hits.popleft()
            if len(hits) >= self.limit:
                return hits[0] + self.window_seconds - now
            hits.append(now)
            self._hits.move_to_end(key)
            return None

    def __len__(self):
        """How many keys are tracked now."""
        return len(self._hits)

    def _forget_keys_before(self, horizon):
        """Drop the keys whose latest hit left the window (they are at the front)."""
        while self._hits:
            key, hits = next(iter(self._hits.items()))
            if hits and hits[-1] > horizon:
                return
            del self._hits[key]
