"""The comment service's tasks (the project's tasks.py merges them into the ``comments`` namespace;
``events_namespace`` is its own: ``invoke events.report``, visits from printed QR codes and the
comments that followed).

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
    for path in result.removed:
        print(f"removed {path} (deleted by its author)")
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


# -- publishing approved comments and trying it all out (publisher.py, sync.py, dev.py) ----------


@task(
    help={
        "settings": "the settings file to extend (default: publishconf.py)",
        "port": "the site's port on 127.0.0.1 (default: a free one)",
        "service_port": "the comment service's port on 127.0.0.1 (default: a free one)",
    }
)
def dev(c, settings="publishconf.py", port=0, service_port=0):
    """Build the site, serve it with a working comment form and the service on 127.0.0.1, catch
    emails in .handbill/dev-mail/, publish on approval; no settings to edit. Ctrl-C stops."""
    from handbill.comment_service.config import ConfigError
    from handbill.comment_service.dev import run

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("pelican.settings").setLevel(logging.ERROR)
    try:
        run(project_file(c, settings), port=int(port), service_port=int(service_port))
    except (ConfigError, RuntimeError) as error:
        raise Exit(f"comments.dev: {error}") from None


@task(
    help={
        "service": "the comment service's address, e.g. https://comments.example.com",
        "since": "only comments decided at or after this ISO time (the last sync's 'until')",
        "commit": "git-commit the new and changed records",
        "settings": SETTINGS_HELP,
    }
)
def sync(c, service, since="", commit=False, settings="pelicanconf.py"):
    """Fetch approved comments from a service on another machine into content/comments/
    (HANDBILL_SYNC_TOKEN); nothing new when run again."""
    import os

    from handbill.comment_service.config import SYNC_TOKEN_VARIABLE
    from handbill.comment_service.sync import SyncError
    from handbill.comment_service.sync import commit as commit_records
    from handbill.comment_service.sync import sync as sync_records

    token = os.environ.get(SYNC_TOKEN_VARIABLE, "").strip()
    if not token:
        raise Exit(f"comments.sync: set {SYNC_TOKEN_VARIABLE} to the token the service has")
    config = _config(c, settings)
    try:
        result = sync_records(service, token, config.comments_dir, since)
    except SyncError as error:
        raise Exit(f"comments.sync: {error}") from None
    for path in result.written:
        print(f"wrote {path}")
    print(f"{len(result.written)} record(s) written, {result.unchanged} unchanged. Next time: --since {result.until}")
    if commit and commit_records(result.written, config.project_root):
        print(f"Committed {len(result.written)} record(s).")
    if result.problems:
        print("Not written:\n  " + "\n  ".join(result.problems), file=sys.stderr)
        raise Exit(code=1)


@task(name="publish-now", help={"settings": SETTINGS_HELP})
def publish_now(c, settings="pelicanconf.py"):
    """Export approved comments, build with COMMENT_SERVICE["publish_settings"] and deploy, now
    (after a failed publish on approval, say); waits for a publish the service is running."""
    from handbill.comment_service.config import ConfigError
    from handbill.comment_service.mailer import Mailer
    from handbill.comment_service.publisher import Publisher

    config = _config(c, settings)
    try:
        mailer = Mailer(config.require_smtp())
    except ConfigError as error:
        raise Exit(f"comments: {error}") from None
    status = Publisher(config, _store(config), mailer).publish_now()
    if status["outcome"] != "published":
        raise Exit(f"comments.publish-now: publishing failed (the owner was emailed):\n{status['error']}")
    print(f"Published: approved comments are live ({config.publish_settings.name}).")


for publishing_task in (dev, sync, publish_now):
    namespace.add_task(publishing_task)


# -- commenters' data rights (privacy.py) ----------------------------------------------------


@task(help={"email": "the person's email address", "settings": SETTINGS_HELP})
def forget(c, email, settings="pelicanconf.py"):
    """Delete a person's comments from the database and content/comments/, then rebuild the site."""
    from handbill.comment_service.privacy import forget as forget_person
    from handbill.comment_service.store import utc_now
    from handbill.invoking import run_pelican

    config = _config(c, settings)
    result = forget_person(_store(config), email, config.comments_dir, utc_now())
    for path in result.removed:
        print(f"removed {path}")
    print(f"{len(result.comment_ids)} comment(s) deleted from the database, {len(result.removed)} record(s) removed.")
    run_pelican(["-s", project_file(c, settings)])
    print("Site rebuilt: publish it (invoke publish) to take the comments off the live site.")


@task(help={"email": "the person's email address", "to": "write the JSON here (default: stdout)",
            "settings": SETTINGS_HELP})
def person(c, email, to="", settings="pelicanconf.py"):
    """Everything held about a person (comments, states, emails, opt-outs), as JSON."""
    import json

    from handbill.comment_service.privacy import person as held_about

    text = json.dumps(held_about(_store(_config(c, settings)), email), ensure_ascii=False, indent=2) + "\n"
    if to:
        project_file(c, to).write_text(text, encoding="utf-8")
        print(f"wrote {project_file(c, to)}")
    else:
        sys.stdout.write(text)


@task(help={"to": "the copy's path (default: backups/ next to the database, named by the time)",
            "settings": SETTINGS_HELP})
def backup(c, to="", settings="pelicanconf.py"):
    """A consistent copy of the live comment database (SQLite's backup API), readable by you only."""
    from handbill.comment_service.privacy import backup as copy_database
    from handbill.comment_service.store import utc_now

    config = _config(c, settings)
    if not config.db_path.exists():
        raise Exit(f"comments: {config.db_path} does not exist")
    destination = project_file(c, to) if to else (
        config.db_path.parent / "backups" / f"{config.db_path.stem}-{utc_now():%Y%m%d-%H%M%S}.sqlite3"
    )
    print(f"wrote {copy_database(config.db_path, destination)}")


for privacy_task in (forget, person, backup):
    namespace.add_task(privacy_task)


# -- visits from paper (visits.py) ------------------------------------------------------------


@task(help={"settings": SETTINGS_HELP})
def report(c, settings="pelicanconf.py"):
    """Visits from printed QR codes per event (campaign) and handout (page), and the comments that followed."""
    from handbill.comment_service.manifest import ManifestError, ManifestFile
    from handbill.comment_service.visits import report_lines, visit_report

    config = _config(c, settings)
    try:
        manifest = ManifestFile(config.manifest_path).load()
    except ManifestError as error:
        print(f"({error}; pages are shown without their posts' titles and comments)")
        manifest = None
    print("\n".join(report_lines(visit_report(_store(config), manifest))))


# What worked at which event: the events' topic, though the service keeps the counts.
events_namespace = Collection("events", report)
