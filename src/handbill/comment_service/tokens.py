"""Signed tokens: the form token (one use, not too fresh, not too old) and the email-verification link.

Both are signed with the service's secret key by itsdangerous, each with its
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
