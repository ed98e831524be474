"""``invoke comments.dev`` as a new owner uses it: one command, then only the browser.

The command runs as a real child process on a copy of the sample site; Chromium opens a post,
sends a comment, opens the caught confirmation email on the service's /dev/mail page and
confirms; the owner approves with the link of their caught notice (or, while the moderation
page has no such link, in the dev database, which the publisher's catch-up finds); the comment
then shows on the served post page, with no command typed after the start.
"""

import json
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from email import message_from_bytes
from email.policy import default

import pytest

from handbill.comment_service.moderation import approve
from handbill.comment_service.store import Store, utc_now
from handbill.testing.sites import PROJECT_ROOT, extending_settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]

COMMENT = "Meeting one new person per event is a goal I can keep."
START_SECONDS = 180  # waits for things that must happen, never speed checks
PUBLISH_SECONDS = 180


class DevCommand:
    """``invoke comments.dev`` in a child process, its output collected line by line."""

    def __init__(self, settings_file):
        self.lines = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "invoke", "comments.dev", "--settings", str(settings_file)],
            cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        threading.Thread(target=self._collect, daemon=True).start()

    def _collect(self):
        for line in self.process.stdout:
            self.lines.append(line)

    def address(self, label):
        """The address printed after ``label``, once it is printed."""
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            for line in self.lines:
                if line.startswith(label):
                    return line.split()[len(label.split())]
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"no {label!r} line:\n{''.join(self.lines)}")

    def stop(self):
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=120)


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.read().decode("utf-8")


def caught_mails(folder):
    """The text of each caught email (decoded: long lines travel quoted-printable)."""
    return [message_from_bytes(path.read_bytes(), policy=default).get_body(("plain",)).get_content()
            for path in sorted(folder.glob("*.eml"))]


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout} s")
        time.sleep(0.5)
    return result


def owner_approve_link(mail_folder):
    """The approve link of the owner's caught notice, or None if notices carry none."""
    def link():
        for mail in caught_mails(mail_folder):
            if match := re.search(r"^\s*Approve:\s+(http\S+)", mail, re.M):
                return match.group(1)
        return None

    try:
        return wait_for(link, 30, "the owner's notice with an approve link")
    except AssertionError:
        return None


@pytest.fixture
def sample_site(tmp_path):
    """A copy of the sample site's content with settings extending publishconf.py (as an owner's)."""
    shutil.copytree(PROJECT_ROOT / "content", tmp_path / "content")
    settings_file = tmp_path / "siteconf.py"
    overrides = {"PATH": str(tmp_path / "content"), "OUTPUT_PATH": str(tmp_path / "output"),
                 "CACHE_PATH": str(tmp_path / "cache")}
    settings_file.write_text(extending_settings(PROJECT_ROOT / "publishconf.py", overrides), encoding="utf-8")
    return settings_file


def test_a_comment_goes_from_the_form_to_the_served_page_with_one_command(sample_site, chromium):
    dev = DevCommand(sample_site)
    root = sample_site.parent
    try:
        site_url = dev.address("Site:")
        mail_url = dev.address("Emails (caught):")
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", site_url)
        manifest = json.loads((root / "output" / "comments" / "manifest.json").read_text(encoding="utf-8"))
        slug, post_url = next((slug, post["url"]) for slug, post in manifest["posts"].items()
                              if post["comments"] == "open")
        assert post_url.startswith(site_url)

        page = chromium.new_page()
        page.goto(post_url)
        page.wait_for_function("document.querySelector('#comment-form [name=token]').value !== ''")
        page.fill("#comment-name", "Zoë de la Cruz")
        page.fill("#comment-email", "zoe@example.org")
        page.fill("#comment-body", COMMENT)
        page.wait_for_timeout(1100)  # the dev settings refuse a form sent within a second
        page.click("#comment-form [type=submit]")
        page.wait_for_load_state()
        assert "Check your email" in page.inner_text("h1"), page.inner_text("main")

        mail_folder = root / ".handbill" / "dev-mail"
        wait_for(lambda: any("/verify/" in mail for mail in caught_mails(mail_folder)), 30, "the confirmation email")
        page.goto(mail_url)
        with page.expect_navigation():
            page.locator("a[href*='/verify/']").first.click()
        with page.expect_navigation():
            page.get_by_role("button", name="Confirm my comment").click()
        assert "awaits moderation" in page.inner_text("main")

        approve_link = owner_approve_link(mail_folder)
        if approve_link:
            page.goto(approve_link)
            assert page.get_by_role("button", name="Approve").count() == 1, page.content()
            with page.expect_navigation():
                page.get_by_role("button", name="Approve").click()
        else:
            store = Store(root / ".handbill" / "dev-comments.sqlite3")
            (comment,) = store.in_states("verified")
            assert approve(store, [comment.id], utc_now())[0].endswith(f"({comment.author} on {slug})")

        wait_for(lambda: COMMENT in fetch(post_url), PUBLISH_SECONDS, "the comment on the served page")
        page.goto(post_url)
        assert COMMENT in page.inner_text("#comments")
        page.close()
    finally:
        status = dev.stop()
    assert status == 0 and "Stopped." in "".join(dev.lines), "".join(dev.lines)
