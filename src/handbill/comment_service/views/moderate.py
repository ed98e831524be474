"""The owner's pages: moderating from a phone (README.md, "Moderating from a phone").

- ``GET /moderate``: what awaits the owner, what was published lately, the audit; the
  sign-in page without a session.
- ``POST /moderate/sign-in/email``: email a sign-in link to the owner address;
  ``GET``/``POST /moderate/sign-in/<token>``: its page, and its button (the page changes
  nothing, so that mail scanners opening the link sign nobody in);
  ``POST /moderate/sign-in/password``; ``POST /moderate/sign-out``.
- ``POST /moderate/approve|reject|reply|edit``: the page's actions (session, CSRF token, Origin).
- ``GET``/``POST /moderate/link/<token>``: an owner notice's Approve, Reject or Reply link; the
  page changes nothing, its button acts (once).
"""

import logging

from flask import Blueprint, current_app, make_response, redirect, render_template, request

from handbill.comment_service import moderation
from handbill.comment_service.intake import BUSY, UNAVAILABLE
from handbill.comment_service.manifest import ManifestError
from handbill.comment_service.moderator import DESK, SESSION_COOKIE, SignInRefused
from handbill.comment_service.publish_hook import PUBLISH_HOOK
from handbill.comment_service.ratelimit import network_of
from handbill.comment_service.store import StoreBusy, StoreUnavailable
from handbill.comment_service.tokens import TokenProblem
from handbill.comment_service.validation import Refusal
from handbill.comment_service.visits import visit_report

from .responses import intake, refuse

logger = logging.getLogger(__name__)

bp = Blueprint("moderate", __name__, url_prefix="/moderate")

RECENTLY_PUBLISHED = 20
RECENT_AUDIT = 30
NONE_CHOSEN = "Nothing changed: tick at least one comment first."
REFUSALS = {
    "not_signed_in": (401, "Sign in first: open {moderate} and sign in with an emailed link or your password."),
    "csrf_invalid": (403, "This form is out of date or came from elsewhere. Nothing changed; open {moderate} again."),
    "foreign_origin": (403, "Moderation only works from the service's own pages. Nothing changed."),
    "link_invalid": (400, "The link is incomplete or was changed. Copy the whole link from the email."),
    "link_expired": (410, "The link has expired. Nothing changed; use {moderate} instead."),
    "link_used": (409, "The link was used already: each link works once. Nothing changed; see {moderate}."),
    "not_owner": (403, "This sign-in link was not made for the owner's address. Ask for a new one on {moderate}."),
    "no_owner_address": (
        409,
        (
            "No owner address is set (COMMENT_SERVICE[\"owner_email\"] or COMMENTS[\"contact_email\"]): no "
            "sign-in link can be sent."
        ),
    ),
    "password_off": (403, "Signing in with a password is off (HANDBILL_MODERATOR_PASSWORD_HASH is not set)."),
    "wrong_password": (403, "That is not the password. Try again, or ask for a sign-in link."),
    "rate_limited": (429, "Too many sign-in attempts from your network. Try again in a while."),
}


def desk():
    return current_app.extensions[DESK]


def refusal_of(refused):
    status, message = REFUSALS[refused.code]
    return Refusal(
        refused.code, status, message.format(moderate=f"{desk().config.public_url}/moderate"),
        retry_after=round(refused.wait) if refused.wait else 0,
    )


@bp.errorhandler(SignInRefused)
def refused(error):
    return refuse(refusal_of(error))


@bp.errorhandler(StoreBusy)
@bp.errorhandler(StoreUnavailable)
def store_failed(error):
    logger.error("Moderation: %s", error)
    return refuse(BUSY if isinstance(error, StoreBusy) else UNAVAILABLE)


@bp.after_request
def private_page(response):
    response.headers["Cache-Control"] = "no-store"
    # Its forms post back here: under no-referrer, browsers would send "Origin: null" with them.
    response.headers["Referrer-Policy"] = "same-origin"
    return response


# -- signing in ------------------------------------------------------------------


@bp.get("")
def dashboard():
    session = desk().session(request.cookies.get(SESSION_COOKIE))
    if session is None:
        return render_template("moderate_sign_in.html", step="choose", desk=desk(), config=desk().config)
    return render_dashboard(session)


@bp.post("/sign-in/email")
def ask_for_link():
    desk().check_link_post(origin=request.headers.get("Origin"), referer=request.headers.get("Referer"))
    desk().send_sign_in_link(network_of(request.remote_addr or ""))
    return render_template("moderate_sign_in.html", step="sent", desk=desk(), config=desk().config)


@bp.get("/sign-in/<token>")
def sign_in_page(token):
    desk().check_sign_in_link(token)
    return render_template("moderate_sign_in.html", step="confirm", desk=desk(), config=desk().config)


@bp.post("/sign-in/<token>")
def sign_in_with_link(token):
    desk().check_link_post(origin=request.headers.get("Origin"), referer=request.headers.get("Referer"))
    return signed_in(desk().sign_in_with_link(token))


@bp.post("/sign-in/password")
def sign_in_with_password():
    desk().check_link_post(origin=request.headers.get("Origin"), referer=request.headers.get("Referer"))
    network = network_of(request.remote_addr or "")
    return signed_in(desk().sign_in_with_password(request.form.get("password", ""), network))


def signed_in(cookie):
    response = redirect(f"{desk().config.public_url}/moderate", 303)
    response.set_cookie(
        SESSION_COOKIE, cookie, max_age=round(desk().config.moderator_session_seconds), path="/moderate",
        secure=desk().secure_cookie, httponly=True, samesite="Lax",
    )
    return response


@bp.post("/sign-out")
def sign_out():
    desk().sign_out(checked_session())
    response = redirect(f"{desk().config.public_url}/moderate", 303)
    response.delete_cookie(SESSION_COOKIE, path="/moderate", secure=desk().secure_cookie, httponly=True, samesite="Lax")
    return response


def checked_session():
    """The OwnerSession of a POST from the page; SignInRefused without a session, CSRF token or own Origin."""
    session = desk().session(request.cookies.get(SESSION_COOKIE))
    desk().check_post(
        session, request.form.get("csrf"), origin=request.headers.get("Origin"), referer=request.headers.get("Referer")
    )
    return session


# -- the page's actions ----------------------------------------------------------


@bp.post("/approve")
def approve():
    session = checked_session()
    ids = request.form.getlist("ids")
    lines = moderation.approve(desk().store, ids, desk().clock(), desk().moderator("session")) if ids else [NONE_CHOSEN]
    return render_dashboard(session, lines)


@bp.post("/reject")
def reject():
    session = checked_session()
    ids, reason = request.form.getlist("ids"), request.form.get("reason", "").strip()
    lines = moderation.reject(desk().store, ids, reason, desk().clock(), desk().moderator("session")) if ids else [
        NONE_CHOSEN
    ]
    return render_dashboard(session, lines)


@bp.post("/reply")
def reply():
    session = checked_session()
    return render_dashboard(session, [answer(request.form.get("id", ""), request.form.get("text", ""), "session")])


@bp.post("/edit")
def edit():
    session = checked_session()
    comment_id = request.form.get("id", "")
    try:
        moderation.edit(
            desk().store, comment_id, request.form.get("body", ""),
            body_min_chars=desk().config.body_min_chars, body_max_chars=desk().config.body_max_chars,
            now=desk().clock(), by=desk().moderator("session"),
        )
        line = f"{comment_id}: edited"
    except moderation.ModerationError as error:
        line = f"Not edited: {error}"
    return render_dashboard(session, [line])


@bp.post("/publish")
def publish_now():
    session = checked_session()
    hook = current_app.extensions[PUBLISH_HOOK]
    if hook.status() is None:
        return render_dashboard(session, ["Publishing on approval is off: run `invoke comments.export` and publish."])
    hook.retry()
    return render_dashboard(session, ["Publishing now: the site is built and deployed in a moment."])


def answer(comment_id, text, via):
    """Reply (approving a waiting comment first); a line saying how it went."""
    try:
        return reply_line(comment_id, text, via)
    except moderation.ModerationError as error:
        return refused_reply_line(error)


def reply_line(comment_id, text, via):
    """Reply (approving a waiting comment first): the line saying so; ModerationError when nothing was done."""
    config = desk().config
    reply_comment = moderation.approve_and_reply(
        desk().store, comment_id, text, owner_name=config.owner_name, comments_dir=config.comments_dir,
        now=desk().clock(), by=desk().moderator(via),
    )
    return f"{comment_id}: your reply {reply_comment.id} is approved"


def refused_reply_line(error):
    return f"No reply sent: {error}"


def render_dashboard(session, results=()):
    store = desk().store
    waiting = moderation.pending(store)
    published = store.recently_decided("approved", RECENTLY_PUBLISHED)
    return render_template(
        "moderate.html",
        owner_session=session,
        results=results,
        verified=[comment for comment in waiting if comment.state == "verified"],
        unverified=[comment for comment in waiting if comment.state == "unverified"],
        published=published,
        flags=moderation.flags_of(store, waiting),
        titles=post_titles(),
        audit=store.recent_audit(RECENT_AUDIT),
        visits=visit_report(store, current_manifest()),
        publishing=current_app.extensions[PUBLISH_HOOK].status(),
        config=desk().config,
    )


def post_titles():
    """{slug: title} of the latest manifest's posts (the slug stands in for a post it lacks)."""
    manifest = current_manifest()
    return {slug: post.title for slug, post in manifest.posts.items()} if manifest else {}


def current_manifest():
    """The latest build's manifest, or None while there is none to read."""
    try:
        return intake().manifest_file.load()
    except ManifestError:
        return None


# -- an owner notice's links -----------------------------------------------------


@bp.get("/link/<token>")
def link_page(token):
    action, comment = linked_comment(token)
    return link_answer(action, comment)


@bp.post("/link/<token>")
def use_link(token):
    desk().check_link_post(origin=request.headers.get("Origin"), referer=request.headers.get("Referer"))
    action, comment = linked_comment(token)
    if comment is None:
        return link_answer(action, comment)
    desk().use_nonce(action.nonce)
    store, now, by = desk().store, desk().clock(), desk().moderator("link")
    try:
        if action.action == "approve":
            (line,) = moderation.approve(store, [comment.id], now, by)
        elif action.action == "reject":
            (line,) = moderation.reject(store, [comment.id], request.form.get("reason", "").strip(), now, by)
        else:
            line = reply_line(comment.id, request.form.get("text", ""), "link")
    except moderation.ModerationError as error:
        # A reply refused (empty, or to a comment not published) did nothing: the owner may
        # write it again from the same link.
        desk().release_nonce(action.nonce)
        line = refused_reply_line(error)
    except (StoreBusy, StoreUnavailable):
        # The link did nothing: give it back, so that pressing it again in a minute works.
        desk().release_nonce(action.nonce)
        raise
    return link_answer(action, store.get(comment.id), line)


def linked_comment(token):
    """(ActionToken, the comment or None) of a notice's link; SignInRefused for a bad link."""
    try:
        action = desk().tokens.check_action_token(token)
    except TokenProblem as problem:
        raise SignInRefused(problem.code) from None
    return action, desk().store.get(action.comment_id)


def link_answer(action, comment, result=""):
    comments = [comment] if comment else []
    page = render_template(
        "moderate_link.html",
        action=action.action,
        comment=comment,
        flags=moderation.flags_of(desk().store, comments).get(action.comment_id, []),
        title=post_titles().get(comment.post, comment.post) if comment else "",
        result=result,
        config=desk().config,
    )
    return make_response(page, 200 if comment else 404)


# The states the page names, in the owner's words.
STATE_WORDS = {"unverified": "email not confirmed", "verified": "email confirmed", "approved": "published",
               "rejected": "rejected"}


@bp.app_template_filter("state_words")
def state_words(state):
    return STATE_WORDS[state]
