"""Email: the confirmation link to the commenter and the optional notice to the owner, over SMTP.

The messages are plain text. Sending raises ``MailError`` for any SMTP or
network fault; the callers keep the comment and record the failure, so that
``invoke comments.retry-mail`` can send it later.
"""

import smtplib
import ssl
import textwrap
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


def verification_message(*, sender, comment, site_name, post_title, link, valid_seconds):
    """The email asking the commenter to confirm their address on the page at ``link``."""
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
        post_title=post_title,
        site_name=site_name or "the site",
        hours=_hours(valid_seconds),
        link=link,
        excerpt=textwrap.indent(textwrap.fill(excerpt(comment.body), 72), "    "),
    )
    return _message(
        sender,
        formataddr((comment.author, comment.email)),
        f"Please confirm your comment on {post_title}",
        body,
    )


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
        excerpt=textwrap.indent(textwrap.fill(excerpt(comment.body), 72), "    "),
        id=comment.id,
    )
    return _message(
        sender,
        owner_email,
        f"[{site_name or 'comments'}] New comment from {comment.author} awaits moderation",
        body,
    )


def _hours(seconds):
    hours = seconds / 3600
    if hours >= 48 and hours % 24 == 0:
        return f"{int(hours // 24)} days"
    return f"{hours:g} hour{'s' if hours != 1 else ''}"
