"""The service's two emails, written when the outbox's sender is about to send them.

A verification email gets a freshly signed link per comment (so a link sent
after a long SMTP outage still works for ``verify_link_hours``), and the post
titles of the latest manifest.
"""

from .mailer import Confirmation, owner_notice_message, verification_message
from .manifest import ManifestError


class Notifier:
    def __init__(self, config, tokens, manifest_file):
        self.config = config
        self.tokens = tokens
        self.manifest_file = manifest_file

    @property
    def owner_notices(self):
        """Does the owner want to hear of each verified comment (and say where)?"""
        return bool(self.config.notify_owner and self.config.owner_email)

    def verification_link(self, comment_id):
        return f"{self.config.public_url}/verify/{self.tokens.verify_token(comment_id)}"

    def message(self, email):
        """The EmailMessage for an outbox Email: the owner's notice of one verified comment, or
        the links that confirm the comments it carries."""
        sender = self.config.require_smtp().sender
        if email.kind == "owner":
            (mail,) = email.mails
            return owner_notice_message(
                sender=sender,
                owner_email=self.config.owner_email,
                comment=mail.comment,
                site_name=self.config.site_name,
                post_title=self._post_title(mail.comment.post),
            )
        return verification_message(
            sender=sender,
            confirmations=[
                Confirmation(mail.comment, self._post_title(mail.comment.post), self.verification_link(mail.comment.id))
                for mail in email.mails
            ],
            site_name=self.config.site_name,
            valid_seconds=self.config.verify_link_seconds,
        )

    def _post_title(self, slug):
        try:
            post = self.manifest_file.load().posts.get(slug)
        except ManifestError:
            post = None
        return post.title if post else slug
