"""Publish on approve, with real production builds, a real directory target and real SMTP.

Faults: a build that fails and a deployment that fails lose no approval, tell the owner by
email, and publish with the next approval or a retry; approvals during a build make exactly
one more build.
"""

import pytest

from handbill.comment_service.config import load_service_config_from_file
from handbill.comment_service.mailer import Mailer
from handbill.comment_service.publisher import Publisher, publish_lock
from handbill.comment_service.store import Store, StoredComment, timestamp, utc_now
from handbill.testing.sites import project_settings, write_site

from .support import eventually

pytestmark = pytest.mark.slow

POST = """\
Title: First Coffee
Date: 2024-03-01 09:00

How to turn a first coffee into a second meeting.
"""
BROKEN_POST = "Title: Broken\nDate: not a date\n\nA post whose date is not a date.\n"
PAGE = "posts/2024/first-coffee/index.html"
NAMES = ("Zoë de la Cruz", "Amara Okafor", "Lena Fischer")  # the build holds comments from handles
BUILD_SECONDS = 120  # how long a test waits for builds that must happen (not a speed check)


class Site:
    """A small site built with publishconf.py's settings, deployed to ``www`` by the publisher."""

    def __init__(self, root, smtp_port, deploy_to=None):
        self.root = root
        self.www = deploy_to or root / "www"
        self.content, _, self.settings_file = write_site(
            root,
            {"posts/first-coffee.md": POST},
            {
                "SITEURL": "https://site.example",
                "PLUGINS": project_settings()["PLUGINS"],
                "COMMENTS": {"service_url": "https://comments.site.example", "contact_email": "owner@site.example"},
                "COMMENT_SERVICE": {
                    "db_path": str(root / "comments.sqlite3"),
                    "publish_on_approve": "local",
                    "publish_settings": str(root / "siteconf.py"),
                    "publish_debounce_seconds": 0,
                },
                "PUBLISH": {"target": "directory", "directory": str(self.www)},
            },
            base_settings="publishconf.py",
        )
        environ = {
            "HANDBILL_COMMENT_SECRET": "test-secret-key-0123456789abcdef",
            "HANDBILL_SMTP_HOST": "127.0.0.1",
            "HANDBILL_SMTP_PORT": str(smtp_port),
            "HANDBILL_SMTP_FROM": "comments@site.example",
        }
        self.config = load_service_config_from_file(self.settings_file, environ)
        self.store = Store(self.config.db_path).initialize()
        self.publisher = Publisher(self.config, self.store, Mailer(self.config.require_smtp()))

    def approve(self, number, body):
        """An approved comment (as the moderation page stores it), then the hook's call."""
        now = utc_now()
        comment = StoredComment(
            id=f"c-20240301-0900-00000{number}", post="first-coffee", reply_to="", author=NAMES[number - 1],
            email=f"reader{number}@example.org", website="", body=body, identity="email-verified",
            state="approved", created_at=timestamp(now), verified_at=timestamp(now), decided_at=timestamp(now),
        )
        self.store.add_comment(comment)
        self.publisher.comments_approved([comment.id])
        return comment.id

    def live_page(self):
        path = self.www / PAGE
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def settle(self):
        assert self.publisher.wait_until_idle(BUILD_SECONDS), self.publisher.status()
        return self.publisher.status()


@pytest.fixture
def site(tmp_path, smtp):
    site = Site(tmp_path, smtp.port)
    site.publisher.start()
    yield site
    site.publisher.stop()


def test_an_approval_goes_live_without_a_command(site):
    site.approve(1, "The second meeting is where it starts.")
    status = site.settle()
    assert status["outcome"] == "published" and status["pending_ids"] == [], status
    assert "The second meeting is where it starts." in site.live_page()
    assert site.publisher.builds == 1


def test_a_failed_build_loses_no_approval_tells_the_owner_and_publishes_on_the_next_approval(site, smtp):
    (site.content / "posts" / "broken.md").write_text(BROKEN_POST, encoding="utf-8")
    first = site.approve(1, "Approved while the site was broken.")
    status = site.settle()
    assert status["outcome"] == "failed" and status["pending_ids"] == [first], status
    assert "broken.md" in status["error"] and status["owner_notified"] == "sent"
    notice = smtp.sink.wait_for(1)
    assert notice["To"] == "owner@site.example" and "not published" in notice["Subject"]
    assert "broken.md" in notice.get_content() and "invoke comments.publish-now" in notice.get_content()
    assert site.store.get(first).state == "approved"
    assert not site.www.exists()  # nothing half-published

    (site.content / "posts" / "broken.md").unlink()
    site.approve(2, "Approved after the fix.")
    status = site.settle()
    assert status["outcome"] == "published" and status["pending_ids"] == [] and status["error"] == ""
    page = site.live_page()
    assert "Approved while the site was broken." in page and "Approved after the fix." in page
    assert len(smtp.sink.messages) == 1  # no notice for a success


def test_a_failed_deploy_is_retried_by_the_owner(tmp_path, smtp):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the deployment's parent folder should be", encoding="utf-8")
    site = Site(tmp_path, smtp.port, deploy_to=blocker / "www")
    site.publisher.start()
    try:
        first = site.approve(1, "Approved while the host was unreachable.")
        status = site.settle()
        assert status["outcome"] == "failed" and status["pending_ids"] == [first], status
        assert "not-a-folder" in status["error"]
        assert "not published" in smtp.sink.wait_for(1)["Subject"]
        blocker.unlink()  # the owner fixes the host
        site.publisher.retry()
        status = site.settle()
        assert status["outcome"] == "published" and status["pending_ids"] == []
        assert "Approved while the host was unreachable." in site.live_page()
        assert site.publisher.builds == 2
    finally:
        site.publisher.stop()


def test_approvals_during_a_build_make_exactly_one_more_build(site):
    with publish_lock(site.config):  # holds the first build at its start, as a long build would
        site.approve(1, "The first approval starts a build.")
        eventually(lambda: site.publisher.status()["building"], what="the first build started")
        site.approve(2, "Approved during the build.")
        site.approve(3, "Also approved during the build.")
        assert site.publisher.builds == 1
    status = site.settle()
    assert site.publisher.builds == 2, status
    page = site.live_page()
    assert all(text in page for text in ("first approval", "Approved during", "Also approved during"))


def test_publish_now_runs_in_the_owners_process(tmp_path, smtp):
    site = Site(tmp_path, smtp.port)
    site.approve(1, "Approved while no service was running.")  # no thread: only publish_now builds
    status = site.publisher.publish_now()
    assert status["outcome"] == "published", status
    assert "Approved while no service was running." in site.live_page()
