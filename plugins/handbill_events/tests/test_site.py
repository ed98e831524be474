"""A real build of a small site with events: their pages, their handouts and the QR codes."""

import posixpath
import re

import pytest

from handbill.testing.sites import build
from handbill_handouts.tests import sample_site
from handbill_handouts.tests.pdfs import flat, page_texts, qr_codes

SITE = "https://coach.example"
BREAKFAST = """\
Title: Chamber breakfast
Date: 2026-12-03
Place: Riverside Hotel
Posts: meeting-people, coffee-is-a-meeting
Welcome: Thank you for coming to the breakfast.

The December breakfast of the chamber.
"""
EVENING_TALK = """\
Title: Evening talk
Date: 2026-10-01
Posts: coffee-is-a-meeting
Welcome: Good to meet you.
QR-Target: event
"""
UNKNOWN_POST = "Title: Lunch\nDate: 2026-11-01\nPosts: meeting-people, nope\n"
BAD_DATE = "Title: Brunch\nDate: 2026-13-45\nPosts: meeting-people\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    files = {
        **sample_site.files(),
        "events/chamber-breakfast.md": BREAKFAST,
        "events/evening-talk.md": EVENING_TALK,
        "events/lunch.md": UNKNOWN_POST,
        "events/brunch.md": BAD_DATE,
    }
    # The bad descriptions fail the build (status 1), yet the rest of the site is written.
    return build(tmp_path_factory.mktemp("site"), files, sample_site.settings(), expect_success=False)


def links(page_path, html):
    """Every href and src of a page, resolved to a path in the output."""
    folder = posixpath.dirname(page_path)
    return [
        posixpath.normpath(posixpath.join(folder, address.split("?")[0]))
        for address in re.findall(r'(?:href|src)="([^"#:]+)"', html)
    ]


def test_an_event_page_lists_its_handouts_and_every_link_resolves(site):
    html = site.read("events/chamber-breakfast/index.html")
    assert "<h1" in html and "Chamber breakfast" in html and "Riverside Hotel" in html
    assert "Thank you for coming to the breakfast." in html and "The December breakfast of the chamber." in html
    assert "dana@coach.example" in html  # the owner's call to action
    found = links("events/chamber-breakfast/index.html", html)
    for name in ("meeting-people", "coffee-is-a-meeting"):
        assert f"handouts/events/chamber-breakfast/{name}.pdf" in found
        assert f"handouts/events/chamber-breakfast/{name}.png" in found
    # Meeting People first: the event's order, not the posts' dates.
    assert html.index("meeting-people.pdf") < html.index("coffee-is-a-meeting.pdf")
    missing = [path for path in found if not site.exists(path) and not site.exists(posixpath.join(path, "index.html"))]
    assert missing == []


def test_the_events_index_lists_the_good_events_newest_first(site):
    html = site.read("events/index.html")
    assert html.index("Chamber breakfast") < html.index("Evening talk")
    for path in links("events/index.html", html):
        if path.startswith("events/"):
            assert site.exists(posixpath.join(path, "index.html")), path


def test_an_event_takes_only_its_posts_and_its_qr_codes_carry_its_campaign(site):
    breakfast = site.output / "handouts/events/chamber-breakfast/meeting-people.pdf"
    assert qr_codes(breakfast) == [
        f"{SITE}/posts/2024/meeting-people/?utm_source=handout&utm_campaign=chamber-breakfast"
    ]
    assert "Handed out at Chamber breakfast, 3 December 2026" in "".join(page_texts(breakfast))
    evening = site.output / "handouts/events/evening-talk"
    assert sorted(path.name for path in evening.iterdir()) == ["coffee-is-a-meeting.pdf", "coffee-is-a-meeting.png"]
    assert qr_codes(evening / "coffee-is-a-meeting.pdf") == [
        f"{SITE}/events/evening-talk/?utm_source=handout&utm_campaign=evening-talk"
    ]
    # The regular handouts are untouched by the events.
    assert qr_codes(site.output / "handouts/meeting-people.pdf") == [f"{SITE}/posts/2024/meeting-people/"]


def test_a_bad_description_is_an_error_naming_its_file_and_field_and_the_site_is_built(site):
    assert site.returncode == 1
    log = flat(site.log)
    assert flat("events/lunch.md: Posts: no published post has the slug 'nope'") in log
    assert flat("events/brunch.md: Date:") in log
    assert not site.exists("events/lunch/index.html") and not site.exists("events/brunch/index.html")
    assert not (site.output / "handouts/events/lunch").exists()
    assert site.exists("index.html") and site.exists("handouts/index.html")
