"""The owner at the moderation page: signing in, the session, and what guards every action.

The owner signs in with a link emailed to the owner address (and only there: the
link is signed for that address and refused for any other, works once, and
expires after ``sign_in_link_minutes``) or with a password whose hash is in the
environment (``HANDBILL_MODERATOR_PASSWORD_HASH``). Either way they get a
session cookie (signed, HttpOnly, SameSite=Lax, Secure on an https service,
lasting ``moderator_session_hours``) that carries a CSRF token: every form of
the page sends it back, and a POST whose token differs, or whose Origin (else
Referer) is another site's, changes nothing.

Sign-in requests and failed passwords are limited per network address, so that
nobody can flood the owner's inbox with links or guess the password.
"""

import contextlib
import hmac
import logging
import threading

from werkzeug.security import check_password_hash

from .config import origin_of
from .mailer import MailError, sign_in_message
from .moderation import Moderator
from .ratelimit import SlidingWindowLimiter
from .store import StoreBusy, StoreUnavailable, TokenAlreadyUsed
from .tokens import TokenProblem
from .validation import came_from_or_unsaid

logger = logging.getLogger(__name__)

# The key of the app's ModerationDesk in ``app.extensions``.
DESK = "handbill_moderation_desk"
SESSION_COOKIE = "handbill_moderator"
# Sign-in links asked for and passwords tried, per network address and hour.
SIGN_IN_ATTEMPTS = 10
SIGN_IN_WINDOW_SECONDS = 3600


class SignInRefused(Exception):
    """A sign-in or an action was refused; ``code`` is a refusal of README.md ("Moderating from a phone")."""

    def __init__(self, code, wait=0.0):
        super().__init__(code)
        self.code = code
        self.wait = wait


class ModerationDesk:
    """What the moderation page and the notices' links work with: the config, store and manifest,
    the OwnerTokens, the PublishHook, and the mailer that sends sign-in links."""

    def __init__(self, config, store, owner_tokens, hook, mailer, *, clock):
        self.config = config
        self.store = store
        self.tokens = owner_tokens
        self.hook = hook
        self.mailer = mailer
        self.clock = clock
        self.sign_in_limiter = SlidingWindowLimiter(SIGN_IN_ATTEMPTS, SIGN_IN_WINDOW_SECONDS)

    def moderator(self, via):
        return Moderator(via, self.hook)

    @property
    def password_sign_in(self):
        return bool(self.config.moderator_password_hash)

    @property
    def secure_cookie(self):
        return self.config.public_url.startswith("https://")

    def send_sign_in_link(self, network):
        """Email a sign-in link to the owner address, in the background (no request waits on SMTP)."""
        if not self.config.owner_email:
            raise SignInRefused("no_owner_address")
        self._count_attempt(network)
        link = f"{self.config.public_url}/moderate/sign-in/{self.tokens.sign_in_token(self.config.owner_email)}"
        message = sign_in_message(
            sender=self.config.require_smtp().sender,
            owner_email=self.config.owner_email,
            link=link,
            site_name=self.config.site_name,
            valid_minutes=round(self.config.sign_in_link_seconds / 60),
        )
        threading.Thread(target=self._send, args=(message,), name="handbill-sign-in-mail", daemon=True).start()

    def _send(self, message):
        try:
            self.mailer.send(message)
            logger.info("Sign-in link sent to the owner")
        except MailError as error:
            logger.error("Sign-in link not sent: %s", error)

    def check_sign_in_link(self, token):
        """The nonce of a sign-in link that may still be used; SignInRefused otherwise."""
        try:
            return self.tokens.check_sign_in_token(token, self.config.owner_email)
        except TokenProblem as problem:
            raise SignInRefused(problem.code) from None

    def sign_in_with_link(self, token):
        """Use a sign-in link (once): the session cookie's value."""
        self.use_nonce(self.check_sign_in_link(token))
        return self._start_session("link", "emailed link")

    def sign_in_with_password(self, password, network):
        """The session cookie's value for the right password; SignInRefused otherwise."""
        if not self.password_sign_in:
            raise SignInRefused("password_off")
        self._count_attempt(network)
        if not check_password_hash(self.config.moderator_password_hash, password):
            logger.warning("Wrong moderator password from %s", network)
            raise SignInRefused("wrong_password")
        return self._start_session("session", "password")

    def _start_session(self, via, how):
        value, _session = self.tokens.session_token(via)
        self.store.record_audit(self.clock(), via, "sign_in", detail=how)
        return value

    def session(self, cookie):
        """The OwnerSession of a valid session cookie that was not signed out, or None."""
        session = self.tokens.check_session_token(cookie)
        if session is None or self.store.owner_nonce_used(session.id):
            return None
        return session

    def sign_out(self, session):
        """End ``session`` for good: a copy of its cookie (another device, a stolen one) stops working too."""
        with contextlib.suppress(TokenAlreadyUsed):  # signed out already
            self.store.use_owner_nonce(session.id, self.clock())
        self.store.record_audit(self.clock(), "session", "sign_out")

    def check_post(self, session, csrf_token, *, origin, referer):
        """Refuse (SignInRefused) a POST of the page that lacks a session, comes from another
        site, or carries another CSRF token than the session's."""
        if session is None:
            raise SignInRefused("not_signed_in")
        if not came_from_or_unsaid(origin, referer, origin_of(self.config.public_url)):
            raise SignInRefused("foreign_origin")
        if not hmac.compare_digest(session.csrf.encode(), (csrf_token or "").encode()):
            raise SignInRefused("csrf_invalid")

    def check_link_post(self, *, origin, referer):
        """A notice link's button must post from the service's own page."""
        if not came_from_or_unsaid(origin, referer, origin_of(self.config.public_url)):
            raise SignInRefused("foreign_origin")

    def use_nonce(self, nonce):
        try:
            self.store.use_owner_nonce(nonce, self.clock())
        except TokenAlreadyUsed:
            raise SignInRefused("link_used") from None

    def release_nonce(self, nonce):
        """Make a link usable again after its action failed; if even that fails, the owner acts on /moderate."""
        try:
            self.store.release_owner_nonce(nonce)
        except (StoreBusy, StoreUnavailable) as error:
            logger.warning("An owner's link stays used although its action failed: %s", error)

    def _count_attempt(self, network):
        wait = self.sign_in_limiter.hit(network)
        if wait is not None:
            raise SignInRefused("rate_limited", wait)
