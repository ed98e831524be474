"""The whole way: a built site's form, the service, the email, the owner's tasks, the next build."""

from handbill.comment_service.app import create_app
from handbill.comment_service.config import load_service_config_from_file
from handbill.comment_service.moderation import approve, export, reject
from handbill.comment_service.store import Store, StoredComment, timestamp, utc_now
from handbill.core.records import read_record
from handbill.testing.sites import build, project_settings, run_pelican, write_site

from .support import (
    SITE_ORIGIN,
    LoopbackServer,
    confirm_link,
    environment,
    free_port,
    http,
    invoke_task,
    verification_link,
    write_settings_file,
)

POST = """\
Title: First Coffee
Date: 2024-03-01 09:00

How to turn a first coffee into a second meeting.
"""
PLUGINS = project_settings()["PLUGINS"]


def site_settings(tmp_path, service_url, allowed_origins=(SITE_ORIGIN,)):
    return {
        "PLUGINS": PLUGINS,
        "COMMENTS": {"service_url": service_url},
        "COMMENT_SERVICE": {
            "db_path": str(tmp_path / "comments.sqlite3"),
            "allowed_origins": list(allowed_origins),
            "min_fill_seconds": 0,
        },
    }


def test_comment_from_form_to_published_page(tmp_path, smtp):
    server = LoopbackServer()
    site = build(tmp_path / "site", {"posts/first-coffee.md": POST}, site_settings(tmp_path, server.url))
    page = site.read("posts/2024/first-coffee/index.html")
    assert f'action="{server.url}/comments"' in page
    config = load_service_config_from_file(site.settings_file, environment(smtp.port))
    assert config.manifest_path == site.output / "comments" / "manifest.json"
    server.start(create_app(config))
    try:
        token = http("GET", f"{server.url}/token?post=first-coffee", headers={"Origin": SITE_ORIGIN}).json()["token"]
        answer = http("POST", f"{server.url}/comments", headers={"Origin": SITE_ORIGIN}, form={
            "post": "first-coffee", "reply_to": "", "token": token, "nickname": "",
            "name": "Zoë de la Cruz", "email": "zoe@example.org", "website": "https://zoe.example.org/",
            "body": "The *second* meeting is where it starts.",
        })
        assert answer.status == 202, answer.text
        store = server.app.extensions["handbill_comments"].store
        confirmed = confirm_link(verification_link(smtp.sink.wait_for(1)), store)
        assert confirmed.status == 200 and "awaits moderation" in confirmed.text
    finally:
        server.stop()

    pending = invoke_task("pending", settings_file=site.settings_file)
    assert pending.returncode == 0, pending.stderr
    assert "verified" in pending.stdout and "Zoë de la Cruz" in pending.stdout and "first-coffee" in pending.stdout
    comment_id = pending.stdout.split()[0]
    assert "zoe@example.org" not in pending.stdout

    approved = invoke_task("approve", comment_id, settings_file=site.settings_file)
    assert f"{comment_id}: approved" in approved.stdout, approved.stdout + approved.stderr
    replied = invoke_task("reply", comment_id, "Glad it helped, Zoë.", settings_file=site.settings_file)
    assert replied.returncode == 0, replied.stderr
    exported = invoke_task("export", settings_file=site.settings_file)
    assert "2 record(s) written" in exported.stdout, exported.stdout + exported.stderr
    again = invoke_task("export", settings_file=site.settings_file)
    assert "0 record(s) written, 2 unchanged" in again.stdout

    record = (site.content / "comments" / "first-coffee" / f"{comment_id}.md").read_text(encoding="utf-8")
    assert "Identity: email-verified" in record and "zoe@example.org" not in record
    rebuilt = run_pelican(site.root, site.settings_file)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    page = site.read("posts/2024/first-coffee/index.html")
    assert "Zoë de la Cruz" in page
    assert "<em>second</em> meeting is where it starts" in page
    assert "Glad it helped, Zoë." in page
    assert "zoe@example.org" not in page
    assert comment_id in (site.output / "comments" / "manifest.json").read_text(encoding="utf-8")


def test_a_published_comment_rejected_with_an_address_in_the_reason_is_taken_down(tmp_path):
    root = tmp_path / "site"
    _, output, settings_file = write_site(root, {"posts/first-coffee.md": POST},
                                          site_settings(tmp_path, "https://comments.example"))
    config = load_service_config_from_file(settings_file, environment(free_port()))
    store = Store(config.db_path).initialize()
    now = utc_now()
    store.add_comment(StoredComment(
        id="c-20240302-1000-abc123", post="first-coffee", reply_to="", author="Zoë de la Cruz",
        email="zoe@example.org", website="", body="Buy cheap watches.", identity="email-verified",
        state="unverified", created_at=timestamp(now),
    ))
    store.verify("c-20240302-1000-abc123", now)
    approve(store, ["c-20240302-1000-abc123"], now)
    (path,) = export(store, config.comments_dir, now).written
    page = output / "posts" / "2024" / "first-coffee" / "index.html"
    assert run_pelican(root, settings_file).returncode == 0
    assert "Buy cheap watches." in page.read_text(encoding="utf-8")

    assert reject(store, ["c-20240302-1000-abc123"], "spam from x@y.example", now) == [
        "c-20240302-1000-abc123: rejected (its published record is held at the next export)"
    ]
    result = export(store, config.comments_dir, now)

    assert (result.written, result.problems) == ([path], [])
    record = read_record(path)
    assert (record.status, record.held_reason) == ("held", "spam from [email address removed]")
    assert "x@y.example" not in path.read_text(encoding="utf-8")
    rebuilt = run_pelican(root, settings_file)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert "Buy cheap watches." not in page.read_text(encoding="utf-8")
    assert "c-20240302-1000-abc123" not in (output / "comments" / "manifest.json").read_text(encoding="utf-8")


def test_tasks_explain_bad_ids_and_unverified_comments(tmp_path, smtp):
    site_file = write_settings_file(tmp_path, {"db_path": str(tmp_path / "c.sqlite3")})
    assert "No comments are waiting." in invoke_task("pending", settings_file=site_file).stdout
    assert "c-nope: no such comment" in invoke_task("approve", "c-nope,c-other", settings_file=site_file).stdout
    empty = invoke_task("approve", " , ", settings_file=site_file)
    assert empty.returncode != 0 and "give at least one comment id" in empty.stderr
    no_secret = invoke_task("retry-mail", settings_file=site_file, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert no_secret.returncode != 0 and "HANDBILL_COMMENT_SECRET is not set" in no_secret.stderr
    nothing_due = invoke_task("retry-mail", settings_file=site_file, env=environment(smtp.port))
    assert nothing_due.returncode == 0 and "0 email(s) sent, 0 failed." in nothing_due.stdout, nothing_due.stderr
