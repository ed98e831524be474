"""The comment service's tasks (the project's tasks.py merges them into the ``comments`` namespace).

    invoke comments.serve                      run the service (waitress)
    invoke comments.pending                    list comments awaiting verification or approval
    invoke comments.approve ID[,ID...]         approve verified comments
    invoke comments.reject ID[,ID...] --reason "..."
    invoke comments.reply ID "text"            the owner's reply, published as site-owner
    invoke comments.export                     write approved comments to content/comments/
    invoke comments.retry-mail                 send queued emails now, failed ones too

Every task takes ``--settings FILE`` (default pelicanconf.py; publishconf.py in production).
Several ids go in one argument, separated by commas or spaces (invoke takes one value per argument).
"""

import logging
import sys

from invoke import Collection, Exit, task

from handbill.invoking import project_file

SETTINGS_HELP = "Pelican settings file to read COMMENT_SERVICE and COMMENTS from (default: pelicanconf.py)"


def _config(c, settings):
    from handbill.comment_service.config import ConfigError, load_service_config_from_file

    # Pelican's advice on feed URLs is about building, not about this service.
    logging.getLogger("pelican.settings").setLevel(logging.ERROR)
    try:
        return load_service_config_from_file(project_file(c, settings))
    except ConfigError as error:
        raise Exit(f"comments: {error}") from None


def _store(config):
    from handbill.comment_service.store import Store

    return Store(config.db_path).initialize()


def _ids(text):
    from handbill.comment_service.moderation import ModerationError, split_ids

    try:
        return split_ids(text)
    except ModerationError as error:
        raise Exit(f"comments: {error}") from None


@task(help={"settings": SETTINGS_HELP})
def serve(c, settings="pelicanconf.py"):
    """Run the comment service with waitress until Ctrl+C."""
    from handbill.comment_service.app import serve as serve_app
    from handbill.comment_service.config import ConfigError

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        serve_app(_config(c, settings))
    except ConfigError as error:
        raise Exit(f"comments: {error}") from None


@task(help={"settings": SETTINGS_HELP})
def pending(c, settings="pelicanconf.py"):
    """List comments awaiting email verification or your approval."""
    from handbill.comment_service.moderation import format_pending
    from handbill.comment_service.moderation import pending as pending_comments

    print(format_pending(pending_comments(_store(_config(c, settings)))))


@task(help={"ids": "comment id(s), separated by commas or spaces", "settings": SETTINGS_HELP})
def approve(c, ids, settings="pelicanconf.py"):
    """Approve verified comments; `invoke comments.export` then writes them for the next build."""
    from handbill.comment_service.moderation import approve as approve_comments
    from handbill.comment_service.store import utc_now

    print("\n".join(approve_comments(_store(_config(c, settings)), _ids(ids), utc_now())))


@task(
    help={
        "ids": "comment id(s), separated by commas or spaces",
        "reason": "why (kept in the service's database, not published)",
        "settings": SETTINGS_HELP,
    }
)
def reject(c, ids, reason="", settings="pelicanconf.py"):
    """Reject comments; they are never exported (an already published one is held at the next export)."""
    from handbill.comment_service.moderation import reject as reject_comments
    from handbill.comment_service.store import utc_now

    print("\n".join(reject_comments(_store(_config(c, settings)), _ids(ids), reason, utc_now())))


@task(help={"comment_id": "the comment to answer", "text": "your reply (Markdown)", "settings": SETTINGS_HELP})
def reply(c, comment_id, text, settings="pelicanconf.py"):
    """Reply to a published comment as the site's owner (AUTHOR); export to publish it."""
    from handbill.comment_service.moderation import ModerationError
    from handbill.comment_service.moderation import reply as reply_to
    from handbill.comment_service.store import utc_now

    config = _config(c, settings)
    try:
        comment = reply_to(
            _store(config),
            comment_id,
            text,
            owner_name=config.owner_name,
            comments_dir=config.comments_dir,
            now=utc_now(),
        )
    except ModerationError as error:
        raise Exit(f"comments: {error}") from None
    print(f"{comment.id}: your reply to {comment_id} on {comment.post} is approved; run `invoke comments.export`")


@task(help={"settings": SETTINGS_HELP})
def export(c, settings="pelicanconf.py"):
    """Write approved comments as records under content/comments/ (nothing new when run again)."""
    from handbill.comment_service.moderation import export as export_records
    from handbill.comment_service.store import utc_now

    config = _config(c, settings)
    result = export_records(_store(config), config.comments_dir, utc_now())
    for path in result.written:
        print(f"wrote {path}")
    print(f"{len(result.written)} record(s) written, {result.unchanged} unchanged.")
    if result.problems:
        print("Not exported:\n  " + "\n  ".join(result.problems), file=sys.stderr)
        raise Exit(code=1)


@task(name="retry-mail", help={"settings": SETTINGS_HELP})
def retry_mail(c, settings="pelicanconf.py"):
    """Send queued emails now, those that failed for good too (the service retries on its own)."""
    from handbill.comment_service.app import build_sender
    from handbill.comment_service.config import ConfigError
    from handbill.comment_service.moderation import retry_mail as retry
    from handbill.comment_service.store import StoreBusy, StoreUnavailable, utc_now

    config = _config(c, settings)
    store = _store(config)
    try:
        sender = build_sender(config, store)
    except ConfigError as error:
        raise Exit(f"comments: {error}") from None
    try:
        report = retry(sender, utc_now())
    except (StoreBusy, StoreUnavailable) as error:
        raise Exit(f"comments: {error}") from None
    print(f"{report.sent} email(s) sent, {report.failed} failed.")
    if report.failed:
        raise Exit(code=1)


namespace = Collection("comments", serve, pending, approve, reject, reply, export, retry_mail)
