"""From a submitted form to a stored, unverified comment; from a confirmed link to a verified one.

``CommentIntake`` runs the checks in a fixed order (cheap and request-wide
first, then the token, the post, the fields, the policy, the per-email limit),
and stores the comment only when every check passed: a refusal never leaves
a row behind. The per-email limit is counted in the transaction that stores
the comment, so simultaneous posts cannot all slip under it. The HTTP layer
(app.py) only parses requests and renders the outcome.

Opening the emailed link (``look_up``) changes nothing: mail scanners open
links on their own. Only the confirmation the link's page posts back
(``confirm``) verifies the comment.
"""

import logging
import math
from dataclasses import dataclass
from datetime import timedelta

from handbill.core.policy import hold_reason
from handbill.core.records import RecordError, new_comment_id, validate_record

from .config import origin_of
from .manifest import ManifestError
from .store import DuplicateId, EmailQuotaFull, StoreBusy, StoredComment, TokenAlreadyUsed, timestamp, utc_now
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
    retry_after=30,
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
    mail_sent: bool


@dataclass(frozen=True)
class Verification:
    # confirm (the link's page, awaiting the button) | confirmed (just now; awaits moderation) |
    # already_confirmed | approved | rejected | invalid | expired | unknown | busy | foreign_origin
    outcome: str
    comment: StoredComment | None = None
    post_title: str = ""
    post_url: str = ""


class CommentIntake:
    def __init__(self, config, store, tokens, notifier, *, manifest_file, address_limiter, clock=utc_now):
        self.config = config
        self.store = store
        self.tokens = tokens
        self.notifier = notifier
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
        try:
            comment = self._store(submission, token.nonce, now, state)
        except EmailQuotaFull as full:
            window = timedelta(seconds=self.config.rate_limit_email.window_seconds)
            wait = (full.oldest + window - now).total_seconds()
            return rate_refusal(max(wait, 1), "from your email address")
        except TokenAlreadyUsed:
            return token_refusal(TokenProblem("token_used"), 0)
        except StoreBusy as error:
            logger.error("Refused a comment on %s: %s", submission.post, error)
            return BUSY
        if isinstance(comment, Refusal):
            return comment
        logger.info("Comment %s on %s stored, awaiting verification", comment.id, comment.post)
        mail_sent = self.notifier.send_verification(comment)
        return Accepted(comment, post.title, self.post_url(post), mail_sent)

    def look_up(self, token):
        """The Verification the emailed link's page shows; it changes nothing."""
        comment_id = self._linked_comment_id(token)
        if isinstance(comment_id, Verification):
            return comment_id
        try:
            comment = self.store.get(comment_id)
        except StoreBusy as error:
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
        try:
            before = self.store.get(comment_id)
            comment = self.store.verify(comment_id, self.clock(), auto_approve)
        except StoreBusy as error:
            logger.error("Could not verify comment %s: %s", comment_id, error)
            return Verification("busy")
        just_confirmed = before is not None and before.state == "unverified"
        if just_confirmed and comment.state == "verified":
            logger.info("Comment %s verified; it awaits moderation", comment.id)
            self.notifier.notify_owner(comment)
        return self._verification(comment, just_confirmed)

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

    def _store(self, submission, nonce, now, state):
        """Store the comment (its token marked used, and the per-email limit checked, in the same
        transaction); the comment or a Refusal. Raises EmailQuotaFull, TokenAlreadyUsed, StoreBusy."""
        for attempt in range(5):
            comment = StoredComment(
                id=new_comment_id(now, f"{nonce}:{attempt}"),
                post=submission.post,
                reply_to=submission.reply_to,
                author=submission.name,
                email=submission.email,
                website=submission.website,
                body=submission.body,
                identity="email-verified",
                state="unverified",
                created_at=timestamp(now),
                verify_mail="pending",
            )
            # The record it will become must be valid and publishable under the build's policy.
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
            limit = self.config.rate_limit_email
            try:
                self.store.add_comment(
                    comment, nonce, email_quota=(limit.limit, now - timedelta(seconds=limit.window_seconds))
                )
            except DuplicateId:
                continue
            return comment
        raise StoreBusy(f"no free comment id for {submission.post} at {comment.created_at}")


def _duration(seconds):
    seconds = max(1, math.ceil(seconds))
    if seconds < 90:
        return f"{seconds} seconds"
    if seconds < 5400:
        return f"{math.ceil(seconds / 60)} minutes"
    return f"{math.ceil(seconds / 3600)} hours"
