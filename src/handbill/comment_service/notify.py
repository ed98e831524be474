"""The service's two emails, written when the outbox's sender is about to send them.

A verification email gets a freshly signed link per comment (so a link sent
after a long SMTP outage still works for ``verify_link_hours``), and the post
titles of the latest manifest. An owner's notice gets, per comment, its flags
and freshly signed single-use Approve, Reject and Reply links (``owner_tokens``).
"""

from datetime import timedelta

from .commenter_mail import COMMENTER_KINDS, CommenterLinks, CommenterMail
from .mailer import Confirmation, OwnerNotice, owner_notice_message, verification_message
from .manifest import ManifestError
from .moderation import flags_of


class Notifier:
    def __init__(self, config, tokens, manifest_file, *, owner_tokens, store):
        self.config = config
        self.tokens = tokens
        self.manifest_file = manifest_file
        self.owner_tokens = owner_tokens
        self.store = store
        # Writes the emails to commenters whose address is confirmed (commenter_mail.py).
        self.commenter_mail = CommenterMail(
            config, store, CommenterLinks(config.secret_key, config.public_url), manifest_file
        )

    @property
    def owner_digest(self):
        """The time between the owner's digests of verified comments, None for a notice per comment."""
        hours = self.config.owner_digest_hours
        return timedelta(hours=hours) if hours else None

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
        if email.kind in COMMENTER_KINDS:
            return self.commenter_mail.message(email)
        if email.kind == "owner":
            return self._owner_notice(sender, [mail.comment for mail in email.mails])
        return verification_message(
            sender=sender,
            confirmations=[
                Confirmation(
                    mail.comment,
                    self._post_title(mail.comment.post),
                    self.verification_link(mail.comment.id),
                    self.commenter_mail.links.delete_link(mail.comment.id),
                )
                for mail in email.mails
            ],
            site_name=self.config.site_name,
            valid_seconds=self.config.verify_link_seconds,
        )

    def _owner_notice(self, sender, comments):
        flags = flags_of(self.store, comments)
        return owner_notice_message(
            sender=sender,
            owner_email=self.config.owner_email,
            notices=[
                OwnerNotice(
                    comment,
                    self._post_title(comment.post),
                    tuple(flags[comment.id]),
                    *(self.action_link(comment.id, action) for action in ("approve", "reject", "reply")),
                )
                for comment in comments
            ],
            site_name=self.config.site_name,
            moderate_link=f"{self.config.public_url}/moderate",
            valid_seconds=self.config.action_link_seconds,
        )

    def action_link(self, comment_id, action):
        return f"{self.config.public_url}/moderate/link/{self.owner_tokens.action_token(comment_id, action)}"

    def _post_title(self, slug):
        try:
            post = self.manifest_file.load().posts.get(slug)
        except ManifestError:
            post = None
        return post.title if post else slug
