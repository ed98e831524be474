"""Email: the confirmation link to the commenter, the notices and sign-in links to the owner, over SMTP.

The messages are plain text. Sending raises ``MailError`` for any SMTP or
network fault; the outbox's sender (sender.py) records the failed attempt and
tries again later.
"""

import secrets
import smtplib
import ssl
import textwrap
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate

EXCERPT_CHARS = 300


class MailError(Exception):
    """The message could not be handed to the SMTP server."""


class Mailer:
    def __init__(self, smtp):
        self.smtp = smtp

    def send(self, message):
        smtp = self.smtp
        try:
            with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout) as client:
                if smtp.starttls:
                    client.starttls(context=ssl.create_default_context())
                if smtp.user:
                    client.login(smtp.user, smtp.password)
                client.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            # Its text holds the commenter's address, which stays out of logs.
            raise MailError(f"{smtp.host}:{smtp.port} refused the recipient's address") from error
        except (OSError, smtplib.SMTPException) as error:
            raise MailError(f"could not send mail through {smtp.host}:{smtp.port}: {error}") from error


def excerpt(text, limit=EXCERPT_CHARS):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plain_message(sender, recipient, subject, body):
    """A plain-text email the service sends on its own (``Auto-Submitted``)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    # Not email.utils.make_msgid: it draws from the global random generator, from the sender's
    # thread, and tells the process id and time.
    message["Message-ID"] = f"<{secrets.token_hex(16)}@{sender.rpartition('@')[2].strip('> ') or 'localhost'}>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message


@dataclass(frozen=True)
class Confirmation:
    """A comment to confirm, the title of its post, the link to its confirmation page and the
    link that deletes it (the commenter may take it back at any time)."""

    comment: object
    post_title: str
    link: str
    delete_link: str


def verification_message(*, sender, confirmations, site_name, valid_seconds):
    """The email asking the commenter to confirm their address on each Confirmation's page:
    one comment, or several sent with one address since its last email."""
    site_name = site_name or "the site"
    hours = _hours(valid_seconds)
    if len(confirmations) == 1:
        (confirmation,) = confirmations
        comment = confirmation.comment
        body = textwrap.dedent(
            """\
            Hello {name},

            You wrote a comment on "{post_title}" on {site_name}. To confirm that this
            address is yours, open this link within {hours} and press the button
            "Confirm my comment" on the page it opens:

            {link}

            Your comment then goes to the site's owner, who publishes it. Your email
            address is never published.

            Your comment:

            {excerpt}

            If you did not write it, ignore this message: the comment will not appear.

            To delete your comment, now or after it is published, open:
            {delete_link}
            """
        ).format(
            name=comment.author,
            post_title=confirmation.post_title,
            site_name=site_name,
            hours=hours,
            link=confirmation.link,
            excerpt=_quoted(comment.body),
            delete_link=confirmation.delete_link,
        )
        recipient = formataddr((comment.author, comment.email))
        subject = f"Please confirm your comment on {confirmation.post_title}"
    else:
        listing = "\n\n".join(
            f"{number}. {c.comment.author} on \"{c.post_title}\":\n\n{_quoted(c.comment.body)}\n\n"
            f"    Confirm: {c.link}\n    Delete:  {c.delete_link}"
            for number, c in enumerate(confirmations, 1)
        )
        body = textwrap.dedent(
            """\
            Hello,

            {count} comments were sent to {site_name} with this email address. To confirm
            one of them, open its link within {hours} and press the button "Confirm my
            comment" on the page it opens. Each comment then goes to the site's owner, who
            publishes it. Your email address is never published.

            If you did not write a comment, ignore its link: it will not appear.

            """
        ).format(count=len(confirmations), site_name=site_name, hours=hours) + listing + "\n"
        # Anyone may have typed a name next to this address: the address alone is the recipient.
        recipient = confirmations[0].comment.email
        subject = f"Please confirm your {len(confirmations)} comments on {site_name}"
    return plain_message(sender, recipient, subject, body)


@dataclass(frozen=True)
class OwnerNotice:
    """A verified comment for the owner's notice: its post's title, its flags
    (moderation.comment_flags) and its signed, single-use action links."""

    comment: object
    post_title: str
    flags: tuple
    approve_link: str
    reject_link: str
    reply_link: str


def owner_notice_message(*, sender, owner_email, notices, site_name, moderate_link, valid_seconds):
    """The email telling the owner that verified comments await a decision: one, or those of a
    digest. Each link opens a page whose button acts, so that mail scanners opening links change nothing."""
    listing = "\n\n".join(
        textwrap.dedent(
            """\
            {name} on "{post_title}"{flags}

            {excerpt}

            Approve: {approve}
            Reject:  {reject}
            Reply:   {reply}"""
        ).format(
            name=notice.comment.author,
            post_title=notice.post_title,
            flags="".join(f"\n  - {flag}" for flag in notice.flags),
            excerpt=_quoted(notice.comment.body),
            approve=notice.approve_link,
            reject=notice.reject_link,
            reply=notice.reply_link,
        )
        for notice in notices
    )
    body = textwrap.dedent(
        """\
        {intro}

        {listing}

        Each link opens a page with a button; nothing happens until you press it. The links
        work once, for {hours}. Everything waiting, on one page: {moderate_link}
        """
    ).format(
        intro=(
            "A comment awaits your decision; its writer confirmed their email address."
            if len(notices) == 1 else
            f"{len(notices)} comments await your decision; their writers confirmed their email addresses."
        ),
        listing=listing,
        hours=_hours(valid_seconds),
        moderate_link=moderate_link,
    )
    if len(notices) == 1:
        subject = f"[{site_name or 'comments'}] New comment from {notices[0].comment.author} awaits moderation"
    else:
        subject = f"[{site_name or 'comments'}] {len(notices)} new comments await moderation"
    return plain_message(sender, owner_email, subject, body)


def sign_in_message(*, sender, owner_email, link, site_name, valid_minutes):
    """The email carrying a sign-in link to the moderation page."""
    body = textwrap.dedent(
        """\
        To sign in to the comments of {site_name}, open this link within {minutes} minutes
        and press "Sign in" on the page it opens (the link works once):

        {link}

        If you did not ask to sign in, ignore this message: nobody can use the link but
        someone reading this mailbox.
        """
    ).format(site_name=site_name or "your site", minutes=valid_minutes, link=link)
    return plain_message(sender, owner_email, f"[{site_name or 'comments'}] Your sign-in link", body)


def _quoted(body):
    return textwrap.indent(textwrap.fill(excerpt(body), 72), "    ")


def _hours(seconds):
    hours = seconds / 3600
    if hours >= 48 and hours % 24 == 0:
        return f"{int(hours // 24)} days"
    return f"{hours:g} hour{'s' if hours != 1 else ''}"
