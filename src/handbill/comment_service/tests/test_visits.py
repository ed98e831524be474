"""Visits from paper: the beacon endpoint on a real server and SQLite file, the report, the task."""

import sqlite3
import urllib.parse

import pytest

from handbill.comment_service.ratelimit import SlidingWindowLimiter
from handbill.comment_service.visits import VISITS, Visit, VisitRefused, read_visit
from handbill.testing.sites import build

from .support import (
    SITE_ORIGIN,
    confirm_link,
    environment,
    eventually,
    http,
    invoke_task,
    verification_link,
    write_settings_file,
)
from .test_end_to_end import POST, site_settings

POST_PATH = "/posts/2024/first-coffee/"
CAMPAIGN = "chamber-breakfast-2026-12-03"


def beacon(service, origin=SITE_ORIGIN, **fields):
    values = {"campaign": CAMPAIGN, "source": "handout", "path": POST_PATH} | fields
    values = {name: value for name, value in values.items() if value is not None}
    return http("POST", f"{service.url}/visits", form=values, headers={"Origin": origin})


def visit_rows(service):
    with sqlite3.connect(service.config.db_path) as connection:
        return connection.execute("SELECT campaign, source, path, count FROM visits ORDER BY path").fetchall()


def test_only_slugs_and_published_posts_or_the_events_page_are_counted():
    known = {POST_PATH: "first-coffee"}
    assert read_visit({"campaign": "x-1", "source": "card", "path": POST_PATH}, known) == Visit(
        "x-1", "card", POST_PATH
    )
    assert read_visit({"campaign": "x-1", "source": "card", "path": "/events/x-1/"}, known).path == "/events/x-1/"
    for fields in (
        {"source": "handout", "path": POST_PATH},  # no campaign
        {"campaign": "X Y", "source": "handout", "path": POST_PATH},
        {"campaign": "x" * 81, "source": "handout", "path": POST_PATH},
        {"campaign": "x-1", "source": "handout", "path": "/wp-admin/"},
        {"campaign": "x-1", "source": "handout", "path": "/events/other/"},
    ):
        with pytest.raises(VisitRefused):
            read_visit(fields, known)


def test_a_beacon_with_a_campaign_is_counted_and_one_without_is_not(service):
    assert beacon(service).status == 204
    assert beacon(service).status == 204
    assert beacon(service, source="card", path=f"/events/{CAMPAIGN}/").status == 204
    assert beacon(service, campaign=None).status == 400
    assert beacon(service, path="/posts/2024/not-a-post/").status == 400
    assert beacon(service, origin="https://elsewhere.example").status == 403
    too_long = http("POST", f"{service.url}/visits", data=b"campaign=" + b"a" * 2000,
                    headers={"Origin": SITE_ORIGIN, "Content-Type": "application/x-www-form-urlencoded"})
    assert too_long.status == 413
    assert visit_rows(service) == [
        ("chamber-breakfast-2026-12-03", "card", f"/events/{CAMPAIGN}/", 1),
        ("chamber-breakfast-2026-12-03", "handout", POST_PATH, 2),
    ]


def test_no_address_or_user_agent_is_stored(service):
    agent = "Mozilla/5.0 (Handbill test agent)"
    answer = http("POST", f"{service.url}/visits", form={"campaign": CAMPAIGN, "source": "handout", "path": POST_PATH},
                  headers={"Origin": SITE_ORIGIN, "User-Agent": agent, "Cookie": "session=secret-cookie"})
    assert answer.status == 204
    assert "Set-Cookie" not in answer.headers
    with sqlite3.connect(service.config.db_path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything into the main file
        columns = [row[1] for row in connection.execute("PRAGMA table_info(visits)")]
    assert columns == ["day", "campaign", "source", "path", "count", "first_at"]
    database = service.config.db_path
    stored = b"".join(path.read_bytes() for path in database.parent.glob(f"{database.name}*"))
    assert CAMPAIGN.encode() in stored
    for trace in (b"127.0.0.1", agent.encode(), b"secret-cookie"):
        assert trace not in stored


def test_a_flood_from_one_network_is_refused(service):
    service.server.app.extensions[VISITS].limiter = SlidingWindowLimiter(3, 600)
    assert [beacon(service).status for _ in range(4)] == [204, 204, 204, 429]
    assert visit_rows(service)[0][3] == 3


def test_the_report_shows_visits_and_the_comments_that_followed(service, tmp_path):
    assert beacon(service).status == 204
    assert beacon(service, source="card", path=f"/events/{CAMPAIGN}/").status == 204
    answer = service.submit_json(service.fields())
    assert answer.status == 202, answer.text
    assert confirm_link(verification_link(service.smtp.sink.wait_for(1)), service.store).status == 200

    settings_file = write_settings_file(
        tmp_path / "project",
        {"db_path": str(service.config.db_path), "manifest_path": str(service.config.manifest_path)},
        {"service_url": service.url},
    )
    result = invoke_task("events.report", settings_file=settings_file, env=environment(service.smtp.port))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{CAMPAIGN}: 2 visit(s) from paper since ")
    assert lines[0].endswith("1 comment(s) followed")
    assert f"  {POST_PATH} (First Coffee): 1 visit(s) via handout; 1 comment(s) after" in lines
    assert f"  /events/{CAMPAIGN}/: 1 visit(s) via card; not a post" in lines


@pytest.mark.browser
def test_a_page_opened_from_paper_sends_exactly_one_beacon_and_others_none(tmp_path, site_and_service, chromium):
    site, site_origin, service_server = site_and_service
    db_path = service_server.app.extensions["handbill_comments"].store.path
    assert f'data-endpoint="{service_server.url}/visits"' in site.read("posts/2024/first-coffee/index.html")
    without_service = build(tmp_path / "plain", {"posts/first-coffee.md": POST}, {"PLUGINS": site_settings(
        tmp_path, "")["PLUGINS"], "COMMENTS": {"service_url": ""}})
    assert "visit-beacon.js" not in without_service.read("posts/2024/first-coffee/index.html")
    post_url = f"{site_origin}{POST_PATH}"
    context = chromium.new_context()
    try:
        page = context.new_page()
        beacons = []
        page.on("request", lambda request: request.url.endswith("/visits") and beacons.append(request))

        page.goto(post_url)  # an ordinary visit
        page.goto(f"{post_url}?utm_source=handout&utm_campaign={CAMPAIGN}")
        eventually(lambda: len(beacons) == 1, what="the beacon")
        assert page.url == post_url  # the campaign left the address bar: a reload is not from paper
        page.reload()
        page.goto(f"{site_origin}/")
        page.wait_for_load_state("networkidle")

        (sent,) = beacons
        assert sent.method == "POST"
        assert urllib.parse.parse_qs(sent.post_data) == {
            "campaign": [CAMPAIGN], "source": ["handout"], "path": [POST_PATH],
        }
        eventually(lambda: count_in(db_path) == 1, what="the visit counted")
        assert context.cookies() == []
    finally:
        context.close()


def count_in(db_path):
    with sqlite3.connect(db_path) as connection:
        return connection.execute("SELECT COALESCE(SUM(count), 0) FROM visits").fetchone()[0]
