"""From a submitted form to a stored, unverified comment; from a confirmed link to a verified one.

``CommentIntake`` runs the checks in a fixed order (cheap and request-wide
first, then the token, the post, the fields, the policy, the per-email limit),
and stores the comment only when every check passed: a refusal never leaves
a row behind. The comment's verification email is queued in the transaction
that stores it, and the outbox's sender (sender.py) sends it: no request waits
on SMTP, and once the comment is stored nothing else can fail the answer. The
per-email limit counts confirmed comments only (so that nobody can use up
someone else's), in the transaction that stores or confirms a comment, so
simultaneous requests cannot all slip under it. The HTTP layer (views/) only
parses requests and renders the outcome.

Opening the emailed link (``look_up``) changes nothing: mail scanners open
links on their own. Only the confirmation the link's page posts back
(``confirm``) verifies the comment.
"""

import logging
import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from handbill.core.policy import hold_reason
from handbill.core.records import RecordError, new_comment_id, validate_record

from .config import origin_of
from .manifest import ManifestError
from .store import (
    DuplicateId,
    EmailQuotaFull,
    StoreBusy,
    StoredComment,
    StoreUnavailable,
    TokenAlreadyUsed,
    timestamp,
    utc_now,
)
from .tokens import TokenProblem
from .validation import (
    Refusal,
    came_from_or_unsaid,
    check_honeypot,
    check_origin,
    check_post,
    check_submission,
    read_fields,
)

logger = logging.getLogger(__name__)

# The form field behind each key of a comment record.
RECORD_FIELDS = {"Author": "name", "Website": "website", "Reply-To": "reply_to", "Post": "post"}

NOT_READY = Refusal(
    "not_ready",
    503,
    "The comment service cannot take comments right now (it has no list of the site's posts). "
    "Nothing was saved; please try again later.",
)
BUSY = Refusal(
    "busy",
    503,
    "The comment service is too busy to save your comment right now. Nothing was saved; "
    "please send it again in a minute.",
    retry_after=10,
)
UNAVAILABLE = Refusal(
    "unavailable",
    503,
    "The comment service cannot save comments right now (its database is out of order). "
    "Nothing was saved; please try again later.",
    retry_after=300,
)


def token_refusal(problem, form_hours):
    messages = {
        "token_missing": (
            403,
            (
                "The form was sent without its security token (the page could not reach the comment "
                "service, or JavaScript is off). Check your comment below and send it again."
            ),
        ),
        "token_invalid": (
            403,
            (
                "The form's security token is not valid for this post. Check your comment below and "
                "send it again."
            ),
        ),
        "token_expired": (
            403,
            (
                f"The form was opened more than {form_hours:g} hours ago, so its security token has "
                "expired. Check your comment below and send it again."
            ),
        ),
        "too_fast": (
            429,
            (
                "The form was sent faster than a person can fill it in. Wait a few seconds and send "
                "it again."
            ),
        ),
        "token_used": (
            409,
            (
                "This form has already been used to send a comment. To write another one, reload "
                "the post (or use the form below)."
            ),
        ),
    }
    status, message = messages[problem.code]
    retry_after = math.ceil(problem.retry_after) if problem.retry_after else None
    return Refusal(problem.code, status, message, "token", retry_after)


def rate_refusal(wait_seconds, per_what):
    wait = _duration(wait_seconds)
    return Refusal(
        "rate_limited",
        429,
        f"Too many comments have come {per_what} recently. Nothing was saved; please try again in {wait}.",
        retry_after=math.ceil(wait_seconds),
    )


@dataclass(frozen=True)
class Accepted:
    comment: StoredComment
    post_title: str
    post_url: str
    mail_at: datetime  # when its verification email may go: when stored, or later (outbox.py)

    @property
    def mail(self):
        """queued (the email goes now) | deferred (the address had its emails for now)."""
        return "queued" if self.mail_at <= self.comment.created else "deferred"

    @property
    def mail_wait(self):
        """How long until a deferred email may go, in words."""
        return _duration((self.mail_at - self.comment.created).total_seconds())


@dataclass(frozen=True)
class Verification:
    # confirm (the link's page, awaiting the button) | confirmed (just now; awaits moderation) |
    # already_confirmed | approved | rejected | invalid | expired | unknown | busy | foreign_origin |
    # rate_limited (the address had its quota of confirmed comments; try again in ``wait``)
    outcome: str
    comment: StoredComment | None = None
    post_title: str = ""
    post_url: str = ""
    wait: str = ""


class CommentIntake:
    def __init__(self, config, store, tokens, mail_sender, *, manifest_file, address_limiter, clock=utc_now):
        self.config = config
        self.store = store
        self.tokens = tokens
        self.mail_sender = mail_sender
        self.manifest_file = manifest_file
        self.address_limiter = address_limiter
        self.clock = clock

    def issue_token(self, slug):
        """A form token for an open post, or the Refusal saying why there is none."""
        post, refusal = self._open_post(slug, "")
        return refusal or self.tokens.form_token(post.slug)

    def fresh_form(self, slug):
        """(PostState, token) to show the form of an open post again; (None, "") if it takes no comments."""
        if slug:
            post, refusal = self._open_post(slug, "")
            if refusal is None:
                return post, self.tokens.form_token(post.slug)
        return None, ""

    def submit(self, data, *, origin, referer, address):
        """Accepted, or a Refusal; ``data`` is the parsed request body (form or JSON)."""
        fields = read_fields(data)
        if isinstance(fields, Refusal):
            return fields
        wait = self.address_limiter.hit(address)
        if wait is not None:
            return rate_refusal(wait, "from your network address")
        refusal = check_origin(origin, referer, self.allowed_origins()) or check_honeypot(fields)
        if refusal:
            return refusal
        try:
            token = self.tokens.check_form_token(fields["token"], fields["post"])
        except TokenProblem as problem:
            return token_refusal(problem, self.config.form_token_seconds / 3600)
        post, refusal = self._open_post(fields["post"], fields["reply_to"])
        if refusal:
            return refusal
        now = self.clock()
        state = post.comments_state(self.config.comments, now)
        submission = check_submission(
            fields,
            body_min_chars=self.config.body_min_chars,
            body_max_chars=self.config.body_max_chars,
            require_full_name=state.policy == "identified",
        )
        if isinstance(submission, Refusal):
            return submission
        comment = self._new_comment(submission, token.nonce, now, state)
        if isinstance(comment, Refusal):
            return comment
        try:
            comment, mail_at = self._store(comment, token.nonce, now)
        except EmailQuotaFull as full:
            return rate_refusal(self._quota_wait(full, now), "from your email address")
        except TokenAlreadyUsed:
            return token_refusal(TokenProblem("token_used"), 0)
        except (StoreBusy, StoreUnavailable) as error:
            logger.error("Refused a comment on %s: %s", submission.post, error)
            return BUSY if isinstance(error, StoreBusy) else UNAVAILABLE
        # Stored, with its email queued: from here on, nothing may turn the answer into an error.
        self.mail_sender.wake()
        logger.info("Comment %s on %s stored, awaiting verification", comment.id, comment.post)
        return Accepted(comment, post.title, self.post_url(post), mail_at)

    def look_up(self, token):
        """The Verification the emailed link's page shows; it changes nothing."""
        comment_id = self._linked_comment_id(token)
        if isinstance(comment_id, Verification):
            return comment_id
        try:
            comment = self.store.get(comment_id)
        except (StoreBusy, StoreUnavailable) as error:
            logger.error("Could not look up comment %s: %s", comment_id, error)
            return Verification("busy")
        return self._verification(comment, just_confirmed=False)

    def confirm(self, token, *, origin, referer):
        """Mark the comment of a verification link verified (the button on the link's page);
        the Verification to show. Confirming again changes nothing and says so."""
        if not came_from_or_unsaid(origin, referer, origin_of(self.config.public_url)):
            return Verification("foreign_origin")
        comment_id = self._linked_comment_id(token)
        if isinstance(comment_id, Verification):
            return comment_id
        if not self.config.comments.moderation:
            auto_approve = "all"
        else:
            auto_approve = "known" if self.config.approve_known_commenters else "none"
        now = self.clock()
        try:
            before = self.store.get(comment_id)
            comment = self.store.verify(
                comment_id, now, auto_approve,
                email_quota=self._email_quota(now), notify_owner=self.mail_sender.notifier.owner_notices,
            )
        except EmailQuotaFull as full:
            title, url = self._post_link(before.post)
            return Verification("rate_limited", before, title, url, wait=_duration(self._quota_wait(full, now)))
        except (StoreBusy, StoreUnavailable) as error:
            logger.error("Could not verify comment %s: %s", comment_id, error)
            return Verification("busy")
        just_confirmed = before is not None and before.state == "unverified"
        if just_confirmed and comment.state == "verified":
            logger.info("Comment %s verified; it awaits moderation", comment.id)
        if just_confirmed:  # the owner's notice, or the live notice of a comment approved at once
            self.mail_sender.wake()
        return self._verification(comment, just_confirmed)

    def _email_quota(self, now):
        """(most, since): the per-email limit of confirmed comments, for Store.add_comment and .verify."""
        limit = self.config.rate_limit_email
        return limit.limit, now - timedelta(seconds=limit.window_seconds)

    def _quota_wait(self, full, now):
        """Seconds until an address whose quota is full may have a comment confirmed again."""
        window = timedelta(seconds=self.config.rate_limit_email.window_seconds)
        return max((full.oldest + window - now).total_seconds(), 1)

    def _linked_comment_id(self, token):
        """The comment id a verification link was signed for, or the Verification saying it is bad."""
        try:
            return self.tokens.check_verify_token(token)
        except TokenProblem as problem:
            return Verification("invalid" if problem.code == "link_invalid" else "expired")

    def _verification(self, comment, just_confirmed):
        if comment is None:
            return Verification("unknown")
        outcomes = {"unverified": "confirm", "verified": "confirmed" if just_confirmed else "already_confirmed"}
        title, url = self._post_link(comment.post)
        return Verification(outcomes.get(comment.state, comment.state), comment, title, url)

    def allowed_origins(self):
        """The configured origins plus the site URL of the latest build's manifest."""
        try:
            built_origin = origin_of(self.manifest_file.load().site_url)
        except ManifestError:
            built_origin = None
        if built_origin is None:
            return self.config.allowed_origins
        return self.config.allowed_origins | {built_origin}

    def post_url(self, post):
        try:
            return self.manifest_file.load().post_url(post, self.config.site_url)
        except ManifestError:
            return post.url

    def _post_link(self, slug):
        try:
            post = self.manifest_file.load().posts.get(slug)
        except ManifestError:
            post = None
        return (post.title, self.post_url(post)) if post else (slug, self.config.site_url or "")

    def _open_post(self, slug, reply_to):
        """(PostState, None) for a post that takes comments now, else (post or None, Refusal)."""
        try:
            manifest = self.manifest_file.load()
        except ManifestError as error:
            logger.error("Cannot take comments: %s", error)
            return None, NOT_READY
        post = manifest.posts.get(slug)
        state = post.comments_state(self.config.comments, self.clock()) if post else None
        return post, check_post(post, state, reply_to)

    def _new_comment(self, submission, nonce, now, state):
        """The unverified comment ``submission`` makes, or the Refusal saying why it cannot be
        published: the record it will become must be valid and publishable under the build's policy."""
        comment = StoredComment(
            id=new_comment_id(now, f"{nonce}:0"),
            post=submission.post,
            reply_to=submission.reply_to,
            author=submission.name,
            email=submission.email,
            website=submission.website,
            body=submission.body,
            identity="email-verified",
            state="unverified",
            created_at=timestamp(now),
            notify_replies=submission.notify_replies,
        )
        record = comment.as_record()
        try:
            validate_record(record)
        except RecordError as error:
            key = error.reason.partition(":")[0]
            return Refusal(
                "invalid", 422, f"This comment cannot be published: {error.reason}.", RECORD_FIELDS.get(key, "")
            )
        reason = hold_reason(record, self.config.comments, state)
        if reason:
            return Refusal("policy", 422, f"This comment cannot be published: {reason}.")
        return comment

    def _store(self, comment, nonce, now):
        """Store ``comment`` (its token marked used, the per-email limit checked and its email
        queued, in the same transaction), with another id if its id is taken; (the comment as
        stored, when its email may go). Raises EmailQuotaFull, TokenAlreadyUsed, StoreBusy,
        StoreUnavailable."""
        for attempt in range(1, 6):
            try:
                return comment, self.store.add_comment(comment, nonce, email_quota=self._email_quota(now))
            except DuplicateId:
                comment = replace(comment, id=new_comment_id(now, f"{nonce}:{attempt}"))
        raise StoreBusy(f"no free comment id for {comment.post} at {comment.created_at}")


def _duration(seconds):
    seconds = max(1, math.ceil(seconds))
    if seconds < 90:
        return f"{seconds} seconds"
    if seconds < 5400:
        return f"{math.ceil(seconds / 60)} minutes"
    return f"{math.ceil(seconds / 3600)} hours"
