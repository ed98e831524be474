"""Sending the service's two emails and recording how it went, so that nothing is silently dropped.

A comment's ``verify_mail`` (to the commenter) and ``owner_mail`` (to the
owner) columns say whether its email is pending, sent or failed; the request
path and ``invoke comments.retry-mail`` both send through here.
"""

import logging

from .mailer import MailError, owner_notice_message, verification_message
from .manifest import ManifestError
from .store import StoreBusy

logger = logging.getLogger(__name__)


class Notifier:
    def __init__(self, config, store, mailer, tokens, manifest_file):
        self.config = config
        self.store = store
        self.mailer = mailer
        self.tokens = tokens
        self.manifest_file = manifest_file

    def verification_link(self, comment_id):
        return f"{self.config.public_url}/verify/{self.tokens.verify_token(comment_id)}"

    def send_verification(self, comment):
        """Email ``comment``'s author the confirmation link; True if the SMTP server took it."""
        message = verification_message(
            sender=self.config.require_smtp().sender,
            comment=comment,
            site_name=self.config.site_name,
            post_title=self._post_title(comment.post),
            link=self.verification_link(comment.id),
            valid_seconds=self.config.verify_link_seconds,
        )
        return self._send(message, comment, "verify_mail")

    def notify_owner(self, comment):
        """Tell the owner a verified comment waits, when they asked for it; True if sent, None if off."""
        if not (self.config.notify_owner and self.config.owner_email):
            return None
        self._record(comment, "owner_mail", "pending")
        message = owner_notice_message(
            sender=self.config.require_smtp().sender,
            owner_email=self.config.owner_email,
            comment=comment,
            site_name=self.config.site_name,
            post_title=self._post_title(comment.post),
        )
        return self._send(message, comment, "owner_mail")

    def _send(self, message, comment, column):
        try:
            self.mailer.send(message)
        except MailError as error:
            logger.warning("Comment %s: %s; it is kept, send it later with `invoke comments.retry-mail`",
                           comment.id, error)
            self._record(comment, column, "failed")
            return False
        # Addresses stay out of the log: it names the comment only.
        logger.info("Comment %s: %s email sent", comment.id, "confirmation" if column == "verify_mail" else "owner's")
        self._record(comment, column, "sent")
        return True

    def _record(self, comment, column, state):
        try:
            self.store.set_mail_state(comment.id, **{column: state})
        except StoreBusy as error:
            # The email went (or not) all the same; at worst retry-mail sends it twice.
            logger.warning("Comment %s: could not record %s=%s: %s", comment.id, column, state, error)

    def _post_title(self, slug):
        try:
            post = self.manifest_file.load().posts.get(slug)
        except ManifestError:
            post = None
        return post.title if post else slug
