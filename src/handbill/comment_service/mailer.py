"""Email: the confirmation link to the commenter and the optional notice to the owner, over SMTP.

The messages are plain text. Sending raises ``MailError`` for any SMTP or
network fault; the outbox's sender (sender.py) records the failed attempt and
tries again later.
"""

import smtplib
import ssl
import textwrap
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

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


def _message(sender, recipient, subject, body):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("> ") or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message


@dataclass(frozen=True)
class Confirmation:
    """A comment to confirm, the title of its post and the link to its confirmation page."""

    comment: object
    post_title: str
    link: str


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
            """
        ).format(
            name=comment.author,
            post_title=confirmation.post_title,
            site_name=site_name,
            hours=hours,
            link=confirmation.link,
            excerpt=_quoted(comment.body),
        )
        recipient = formataddr((comment.author, comment.email))
        subject = f"Please confirm your comment on {confirmation.post_title}"
    else:
        listing = "\n\n".join(
            f"{number}. {c.comment.author} on \"{c.post_title}\":\n\n{_quoted(c.comment.body)}\n\n    {c.link}"
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
    return _message(sender, recipient, subject, body)


def owner_notice_message(*, sender, owner_email, comment, site_name, post_title):
    """The email telling the owner that a verified comment awaits moderation."""
    body = textwrap.dedent(
        """\
        {name} confirmed their email address; their comment on "{post_title}" awaits your decision.

        {excerpt}

        Comment id: {id}
        Approve:  invoke comments.approve {id}
        Reject:   invoke comments.reject {id} --reason "..."
        All waiting comments: invoke comments.pending
        """
    ).format(
        name=comment.author,
        post_title=post_title,
        excerpt=_quoted(comment.body),
        id=comment.id,
    )
    return _message(
        sender,
        owner_email,
        f"[{site_name or 'comments'}] New comment from {comment.author} awaits moderation",
        body,
    )


def _quoted(body):
    return textwrap.indent(textwrap.fill(excerpt(body), 72), "    ")


def _hours(seconds):
    hours = seconds / 3600
    if hours >= 48 and hours % 24 == 0:
        return f"{int(hours // 24)} days"
    return f"{hours:g} hour{'s' if hours != 1 else ''}"
