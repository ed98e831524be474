import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handbill.comment_service.ratelimit import SlidingWindowLimiter, network_of


class Clock:
    now = 100.0

    def __call__(self):
        return self.now


def test_allows_the_limit_then_says_how_long_to_wait():
    clock = Clock()
    limiter = SlidingWindowLimiter(2, 60, clock=clock)
    assert limiter.hit("a") is None
    clock.now += 10
    assert limiter.hit("a") is None
    clock.now += 5
    assert limiter.hit("a") == 45  # the first hit leaves the window 60 s after it came
    assert limiter.hit("b") is None  # other keys are counted apart


def test_window_slides():
    clock = Clock()
    limiter = SlidingWindowLimiter(1, 60, clock=clock)
    assert limiter.hit("a") is None
    clock.now += 60
    assert limiter.hit("a") is None


def test_refused_hits_do_not_extend_the_wait():
    clock = Clock()
    limiter = SlidingWindowLimiter(1, 60, clock=clock)
    limiter.hit("a")
    clock.now += 30
    assert limiter.hit("a") == 30
    clock.now += 30
    assert limiter.hit("a") is None


def test_quiet_keys_are_forgotten():
    clock = Clock()
    limiter = SlidingWindowLimiter(5, 60, clock=clock)
    for number in range(100):
        limiter.hit(f"address-{number}")
    clock.now += 61
    limiter.hit("new")
    assert len(limiter) == 1


def test_many_addresses_at_once_stay_within_the_cap_and_the_quietest_go_first():
    clock = Clock()
    limiter = SlidingWindowLimiter(1, 3600, clock=clock, max_keys=100)
    assert limiter.hit("regular") is None
    assert limiter.hit("regular") is not None  # refused, which does not make it any fresher
    for number in range(10_000):
        clock.now += 0.001
        limiter.hit(f"flood-{number}")
    assert len(limiter) == 100
    # The flood pushed out the longest-quiet address, whose count is then lost: the price of
    # a bounded memory, paid by the address that has waited longest.
    assert limiter.hit("regular") is None
    assert limiter.hit("flood-9999") is not None  # the latest ones are still counted


@settings(deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abcde"), st.floats(0, 40)), max_size=60), st.integers(1, 4))
def test_never_more_than_the_limit_in_any_window(hits, limit):
    # A model that keeps every allowed hit: the limiter (with room for every key) must agree with it.
    clock = Clock()
    limiter = SlidingWindowLimiter(limit, 60, clock=clock)
    allowed = {}
    for key, pause in hits:
        clock.now += pause
        in_window = [time for time in allowed.get(key, []) if time > clock.now - 60]
        wait = limiter.hit(key)
        if len(in_window) < limit:
            assert wait is None
            allowed.setdefault(key, []).append(clock.now)
        else:
            assert wait == pytest.approx(in_window[0] + 60 - clock.now)


@settings(deadline=None)
@given(st.lists(st.tuples(st.integers(0, 500), st.floats(0, 5)), max_size=300), st.integers(1, 50))
def test_memory_is_bounded_whatever_the_addresses(hits, max_keys):
    clock = Clock()
    limiter = SlidingWindowLimiter(3, 60, clock=clock, max_keys=max_keys)
    for key, pause in hits:
        clock.now += pause
        limiter.hit(key)
        assert len(limiter) <= max_keys


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),  # the same line, another address
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("::ffff:203.0.113.9", "203.0.113.9"),  # an IPv4 visitor of a dual-stack listener
        ("fe80::1%eth0", "fe80::/64"),
        ("", ""),
        ("not an address", "not an address"),
    ],
)
def test_addresses_are_counted_by_subscriber_line(address, key):
    assert network_of(address) == key
