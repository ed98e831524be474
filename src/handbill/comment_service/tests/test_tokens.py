import pytest

from handbill.comment_service.tokens import TokenProblem, Tokens


class Clock:
    def __init__(self, now=1_000_000.0):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def tokens(clock):
    return Tokens("k" * 32, form_max_age=3600, min_fill_seconds=3, verify_max_age=86400, clock=clock)


def problem(call, *args):
    with pytest.raises(TokenProblem) as caught:
        call(*args)
    return caught.value


def test_form_token_round_trip(tokens, clock):
    token = tokens.form_token("first-coffee")
    clock.now += 10
    issued = tokens.check_form_token(token, "first-coffee")
    assert issued.post == "first-coffee" and issued.issued_at == clock.now - 10


def test_each_form_token_has_its_own_nonce(tokens, clock):
    first, second = tokens.form_token("a"), tokens.form_token("a")
    clock.now += 5
    assert tokens.check_form_token(first, "a").nonce != tokens.check_form_token(second, "a").nonce


def test_too_fast_says_how_long_to_wait(tokens, clock):
    token = tokens.form_token("a")
    clock.now += 1.25
    refused = problem(tokens.check_form_token, token, "a")
    assert refused.code == "too_fast" and refused.retry_after == pytest.approx(1.75)


def test_expired_form_token(tokens, clock):
    token = tokens.form_token("a")
    clock.now += 3601
    assert problem(tokens.check_form_token, token, "a").code == "token_expired"


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c"])
def test_missing_and_garbled_form_tokens(tokens, token):
    assert problem(tokens.check_form_token, token, "a").code == ("token_missing" if not token else "token_invalid")


def test_form_token_is_bound_to_its_post_and_key(tokens, clock):
    token = tokens.form_token("a")
    clock.now += 10
    other_key = Tokens("x" * 32, form_max_age=3600, min_fill_seconds=3, verify_max_age=86400, clock=clock)
    assert problem(tokens.check_form_token, token, "b").code == "token_invalid"
    assert problem(other_key.check_form_token, token, "a").code == "token_invalid"


def test_verification_link_token(tokens, clock):
    token = tokens.verify_token("c-20240301-0900-abcdef")
    assert tokens.check_verify_token(token) == "c-20240301-0900-abcdef"
    clock.now += 86401
    assert problem(tokens.check_verify_token, token).code == "link_expired"


def test_one_kind_of_token_never_passes_for_the_other(tokens, clock):
    form = tokens.form_token("a")
    link = tokens.verify_token("c-1")
    clock.now += 10
    assert problem(tokens.check_verify_token, form).code == "link_invalid"
    assert problem(tokens.check_form_token, link, "a").code == "token_invalid"
