"""Signed tokens: the form token (one use, not too fresh, not too old), the email-verification
link, and the owner's (``OwnerTokens``): action links, sign-in links and the moderation session.

All are signed with the service's secret key by itsdangerous, each with its
own salt so that one kind can never pass for the other. They carry their
issue time (a float, so that a "too fast" minimum below one second works) and
are checked against an injectable clock.
"""

import secrets
import time
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer

FORM_SALT = "handbill.comment-form"
VERIFY_SALT = "handbill.comment-verify"
ACTION_SALT = "handbill.owner-action"
SIGN_IN_SALT = "handbill.owner-sign-in"
SESSION_SALT = "handbill.owner-session"
# What an owner notice's links may do.
ACTIONS = ("approve", "reject", "reply")


class TokenProblem(Exception):
    """Why a token was refused: ``code`` as documented in README.md, and seconds to wait if any."""

    def __init__(self, code, retry_after=0.0):
        super().__init__(code)
        self.code = code
        self.retry_after = retry_after


@dataclass(frozen=True)
class FormToken:
    post: str
    nonce: str
    issued_at: float


class Tokens:
    def __init__(self, secret_key, *, form_max_age, min_fill_seconds, verify_max_age, clock=time.time):
        self._form = URLSafeSerializer(secret_key, salt=FORM_SALT)
        self._verify = URLSafeSerializer(secret_key, salt=VERIFY_SALT)
        self.form_max_age = form_max_age
        self.min_fill_seconds = min_fill_seconds
        self.verify_max_age = verify_max_age
        self.clock = clock

    def form_token(self, post):
        """A token for the form of ``post``; its random nonce is what makes replays detectable."""
        return self._form.dumps({"p": post, "n": secrets.token_urlsafe(16), "t": self.clock()})

    def check_form_token(self, token, post):
        """The FormToken if ``token`` was signed here for ``post`` and is of usable age; else TokenProblem.

        Whether its nonce was used already is the store's business (it records
        the nonce in the same transaction as the comment).
        """
        if not token:
            raise TokenProblem("token_missing")
        try:
            payload = self._form.loads(token)
            issued = FormToken(post=payload["p"], nonce=payload["n"], issued_at=float(payload["t"]))
        except (BadSignature, KeyError, TypeError, ValueError):
            raise TokenProblem("token_invalid") from None
        if issued.post != post:
            raise TokenProblem("token_invalid")
        age = self.clock() - issued.issued_at
        if age > self.form_max_age:
            raise TokenProblem("token_expired")
        if age < self.min_fill_seconds:
            raise TokenProblem("too_fast", retry_after=self.min_fill_seconds - age)
        return issued

    def verify_token(self, comment_id):
        return self._verify.dumps({"c": comment_id, "t": self.clock()})

    def check_verify_token(self, token):
        """The comment id the link was made for; TokenProblem('link_invalid'|'link_expired') otherwise."""
        try:
            payload = self._verify.loads(token)
            comment_id, issued_at = str(payload["c"]), float(payload["t"])
        except (BadSignature, KeyError, TypeError, ValueError):
            raise TokenProblem("link_invalid") from None
        if self.clock() - issued_at > self.verify_max_age:
            raise TokenProblem("link_expired")
        return comment_id


@dataclass(frozen=True)
class ActionToken:
    """An emailed link's order: ``action`` (one of ACTIONS) on ``comment_id``; its ``nonce``
    is recorded when the link is used, so that it works once."""

    comment_id: str
    action: str
    nonce: str


@dataclass(frozen=True)
class OwnerSession:
    """A signed-in owner: ``csrf`` is the token every form of the page carries back; ``via``
    says how they signed in (link | password)."""

    id: str
    csrf: str
    via: str


class OwnerTokens:
    """The owner's tokens, each kind with its own salt and age limit (in seconds). Whether a
    link's nonce was used already is the store's business (Store.use_owner_nonce)."""

    def __init__(self, secret_key, *, action_max_age, sign_in_max_age, session_max_age, clock=time.time):
        self._action = URLSafeSerializer(secret_key, salt=ACTION_SALT)
        self._sign_in = URLSafeSerializer(secret_key, salt=SIGN_IN_SALT)
        self._session = URLSafeSerializer(secret_key, salt=SESSION_SALT)
        self.action_max_age = action_max_age
        self.sign_in_max_age = sign_in_max_age
        self.session_max_age = session_max_age
        self.clock = clock

    @classmethod
    def for_config(cls, config):
        return cls(
            config.require_secret(),
            action_max_age=config.action_link_seconds,
            sign_in_max_age=config.sign_in_link_seconds,
            session_max_age=config.moderator_session_seconds,
        )

    def action_token(self, comment_id, action):
        return self._action.dumps({"c": comment_id, "a": action, "n": _nonce(), "t": self.clock()})

    def check_action_token(self, token):
        """The ActionToken of a link signed here and not too old; else TokenProblem('link_invalid'|'link_expired')."""
        payload = self._load(self._action, token, self.action_max_age)
        try:
            action = ActionToken(str(payload["c"]), str(payload["a"]), str(payload["n"]))
        except KeyError:
            raise TokenProblem("link_invalid") from None
        if action.action not in ACTIONS:
            raise TokenProblem("link_invalid")
        return action

    def sign_in_token(self, address):
        return self._sign_in.dumps({"e": address.casefold(), "n": _nonce(), "t": self.clock()})

    def check_sign_in_token(self, token, owner_address):
        """The nonce of a sign-in link made for ``owner_address``: a link sent to any other address
        (or to a former owner address) is refused with TokenProblem('not_owner')."""
        payload = self._load(self._sign_in, token, self.sign_in_max_age)
        try:
            address, nonce = str(payload["e"]), str(payload["n"])
        except KeyError:
            raise TokenProblem("link_invalid") from None
        if not owner_address or address != owner_address.casefold():
            raise TokenProblem("not_owner")
        return nonce

    def session_token(self, via):
        """The session cookie's value for a new session, and its OwnerSession."""
        session = OwnerSession(_nonce(), _nonce(), via)
        value = self._session.dumps({"s": session.id, "x": session.csrf, "v": via, "t": self.clock()})
        return value, session

    def check_session_token(self, value):
        """The OwnerSession of a cookie signed here and younger than ``session_max_age``, else None."""
        if not value:
            return None
        try:
            payload = self._load(self._session, value, self.session_max_age)
            return OwnerSession(str(payload["s"]), str(payload["x"]), str(payload["v"]))
        except (TokenProblem, KeyError):
            return None

    def _load(self, serializer, token, max_age):
        """The payload of ``token`` if signed by ``serializer`` at most ``max_age`` seconds ago."""
        try:
            payload = serializer.loads(token)
            issued_at = float(payload["t"])
        except (BadSignature, KeyError, TypeError, ValueError):
            raise TokenProblem("link_invalid") from None
        if self.clock() - issued_at > max_age:
            raise TokenProblem("link_expired")
        return payload


def _nonce():
    return secrets.token_urlsafe(16)
