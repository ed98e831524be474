"""Commenters' data rights with real files: person, backup, forget (and the rebuilt page)."""

import json
import sqlite3
import stat

from handbill.comment_service.config import load_service_config_from_file
from handbill.comment_service.moderation import export
from handbill.comment_service.privacy import delete_comment
from handbill.comment_service.store import Store, StoredComment, timestamp, utc_now
from handbill.core.records import read_record
from handbill.testing.sites import build, run_pelican

from .support import environment, invoke_task
from .test_end_to_end import POST, site_settings

NOW = utc_now()


def approved(number, email, reply_to="", author="Zoë de la Cruz"):
    return StoredComment(
        id=f"c-20240302-0900-00000{number}", post="first-coffee", reply_to=reply_to, author=author, email=email,
        website="", body=f"Comment number {number} from {author}.", identity="email-verified", state="approved",
        created_at=timestamp(NOW.replace(minute=number)), verified_at=timestamp(NOW), decided_at=timestamp(NOW),
    )


def site_with_comments(tmp_path):
    """A built site showing Zoë's comment, Ada's reply to it and Zoë's answer to Ada."""
    settings = site_settings(tmp_path, "http://127.0.0.1:9")
    site = build(tmp_path / "site", {"posts/first-coffee.md": POST}, settings, expect_success=True)
    env = environment(25)
    config = load_service_config_from_file(site.settings_file, env)
    store = Store(config.db_path).initialize()
    zoe = approved(1, "Zoe@Example.org")
    ada = approved(2, "ada@example.org", reply_to=zoe.id, author="Ada Lovelace")
    answer = approved(3, "zoe@example.org", reply_to=ada.id)
    for comment in (zoe, ada, answer):
        store.add_comment(comment)
    assert len(export(store, config.comments_dir, NOW).written) == 3
    assert run_pelican(site.root, site.settings_file).returncode == 0
    return site, env, config, store, (zoe, ada, answer)


def test_person_backup_and_forget(tmp_path):
    site, env, config, store, (zoe, ada, answer) = site_with_comments(tmp_path)
    held = invoke_task("person", "zoe@example.org", settings_file=site.settings_file, env=env)
    assert held.returncode == 0, held.stderr
    about = json.loads(held.stdout)
    assert [comment["id"] for comment in about["comments"]] == [zoe.id, answer.id]
    assert {mail["kind"] for mail in about["mails"]} == {"live"}  # queued when approved

    copy = tmp_path / "copies" / "comments.sqlite3"
    assert invoke_task("backup", "--to", str(copy), settings_file=site.settings_file, env=env).returncode == 0
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    with sqlite3.connect(copy) as connection:
        assert connection.execute("SELECT count(*) FROM comments").fetchone() == (3,)
    connection.close()

    page = site.output / "posts" / "2024" / "first-coffee" / "index.html"
    assert "Comment number 1" in page.read_text(encoding="utf-8")
    forgotten = invoke_task("forget", "zoe@example.org", settings_file=site.settings_file, env=env)
    assert forgotten.returncode == 0, forgotten.stdout + forgotten.stderr
    assert "2 comment(s) deleted" in forgotten.stdout

    text = page.read_text(encoding="utf-8")
    assert "Comment number 1" not in text and "Comment number 3" not in text
    assert "Comment number 2" in text  # Ada's reply stays, moved up to the top level
    assert [path.name for path in (config.comments_dir / "first-coffee").iterdir()] == [f"{ada.id}.md"]
    assert read_record(config.comments_dir / "first-coffee" / f"{ada.id}.md").reply_to == ""
    assert [comment.id for comment in store.in_states("approved")] == [ada.id]
    assert json.loads(invoke_task("person", "zoe@example.org", settings_file=site.settings_file,
                                  env=env).stdout)["comments"] == []


def test_a_deleted_comment_leaves_the_records_at_the_next_export(tmp_path):
    _, _, config, store, (_, _, answer) = site_with_comments(tmp_path)
    delete_comment(store, answer.id, NOW)
    assert store.get(answer.id) is None
    path = config.comments_dir / "first-coffee" / f"{answer.id}.md"
    assert path.exists()  # until the next export

    result = export(store, config.comments_dir, NOW)
    assert result.removed == [path] and not path.exists()
    assert export(store, config.comments_dir, NOW).removed == []
