from handbill.comment_service.ratelimit import SWEEP_SECONDS, SlidingWindowLimiter


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
    clock.now += max(SWEEP_SECONDS, 60) + 1
    limiter.hit("new")
    assert set(limiter._hits) == {"new"}
