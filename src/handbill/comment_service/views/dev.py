"""``GET /dev/mail``: the emails the development service caught, with working links.

Registered only by ``invoke comments.dev`` (dev.py), whose mailer writes every email as an
``.eml`` file instead of sending it; this page lists them, newest first, so a new owner (and
the end-to-end test) can open a confirmation link without a mail server.
"""

import re
from email import message_from_bytes
from email.policy import default
from pathlib import Path

from flask import Blueprint, current_app, render_template

from .responses import intake

bp = Blueprint("dev", __name__)

# The app's config key naming the folder of caught emails.
MAIL_FOLDER = "HANDBILL_DEV_MAIL_FOLDER"
LINK = re.compile(r"https?://[^\s<>\"]+")


def text_parts(text):
    """``text`` as [{"text", "link"}] pieces, the web addresses marked as links."""
    parts, position = [], 0
    for match in LINK.finditer(text):
        parts += [{"text": text[position:match.start()], "link": False}, {"text": match.group(0), "link": True}]
        position = match.end()
    return [*parts, {"text": text[position:], "link": False}]


def caught_mails(folder):
    """The .eml files in ``folder``, newest first, as what the page shows of each."""
    mails = []
    for path in sorted(Path(folder).glob("*.eml"), reverse=True):
        message = message_from_bytes(path.read_bytes(), policy=default)
        mails.append({
            "name": path.name,
            "subject": message["Subject"],
            "to": message["To"],
            "date": message["Date"],
            "parts": text_parts(message.get_body(("plain",)).get_content()),
        })
    return mails


@bp.get("/dev/mail")
def mail_list():
    folder = current_app.config[MAIL_FOLDER]
    response = current_app.make_response(
        render_template("dev_mail.html", mails=caught_mails(folder), folder=folder, config=intake().config)
    )
    response.headers["Cache-Control"] = "no-store"
    return response
